/**
 * validatePolicy: IAM Access Analyzer's ValidatePolicy, offline.
 *
 * Returns every finding at once (errors, security warnings, general warnings,
 * suggestions), each with AWS's issue code and message and the place in the text. A
 * document that is not JSON yields one JSON_SYNTAX_ERROR finding, never a throw.
 *
 * On top of Access Analyzer's checks, the document is handed to our IAM parser: if IAM
 * would refuse it for a reason no finding already names, that refusal becomes an
 * IAM_POLICY_REJECTED error, so "no errors" means IAM will store the policy.
 */
import type { JsonNode, PolicyKind, Position } from './ast.js';
import type { ActionCatalog } from './catalog.js';
import { MalformedPolicyError } from './errors.js';
import { JsonSyntaxError, parseJson } from './json.js';
import { parsePolicy, policySize } from './parse.js';
import { checkActions } from './validate-actions.js';
import { checkConditions } from './validate-conditions.js';
import { type LoosePolicy, readDocument } from './validate-document.js';
import { type Finding, Findings, toPathElements } from './validate-findings.js';
import { checkPrincipals } from './validate-principals.js';
import { checkResources } from './validate-resources.js';
import { checkStatements } from './validate-statements.js';
import { checkVariables } from './validate-variables.js';

export type { Finding, FindingLocation, FindingType, IssueCode, PathElement } from './validate-findings.js';

export interface ValidateOptions {
  kind: PolicyKind;
  /** What AWS says exists; the checks for unknown actions, keys and ARN formats ask it. */
  catalog: ActionCatalog;
}

const SEVERITY: Record<Finding['findingType'], number> = { ERROR: 0, SECURITY_WARNING: 1, WARNING: 2, SUGGESTION: 3 };

export function validatePolicy(text: string, opts: ValidateOptions): Finding[] {
  const f = new Findings();
  let root: JsonNode;
  try {
    root = parseJson(text);
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    const at: Position = { line: e.line, column: e.column, offset: e.offset };
    f.add('JSON_SYNTAX_ERROR', `Fix the JSON syntax error at index ${e.offset} line ${e.line} column ${e.column}.`,
      { path: [], span: { start: at, end: at } }, e.reason);
    return f.list;
  }
  const policy = readDocument(root, text, opts.kind, f);
  if (policy) {
    checkActions(policy, f, opts.catalog);
    checkResources(policy, f, opts.catalog);
    checkConditions(policy, f, opts.catalog);
    checkPrincipals(policy, f);
    checkStatements(policy, f);
    checkVariables(policy, f);
    checkSize(policy, f);
  }
  addIamVerdict(text, opts.kind, f);
  return sortFindings(f.list);
}

/** Access Analyzer's size checks, against IAM's and Organizations' default quotas. */
function checkSize(policy: LoosePolicy, f: Findings): void {
  const size = policySize(policy.text);
  const whole = { path: [], span: policy.root.span };
  switch (policy.kind) {
    case 'identity': case 'boundary': case 'session':
      if (size > 6144) f.add('POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA', `The ${size} characters in the identity policy, excluding whitespace, exceed the 6144 character maximum for inline and managed policies. We recommend that you use multiple granular policies.`, whole);
      break;
    case 'scp': case 'rcp':
      if (size > 5120) f.add('POLICY_SIZE_EXCEEDS_SCP_QUOTA', `The ${size} characters in the service control policy (SCP) exceed the 5120 character maximum for SCPs. We recommend that you use multiple granular policies.`, whole);
      break;
    case 'trust':
      if (size > 2048) f.add('POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA', 'The characters in the role trust policy, excluding whitespace, exceed the character maximum. We recommend that you request a role trust policy length quota increase using Service Quotas and AWS Support Center. If the quotas have already been increased, then you can ignore this warning.', whole);
      break;
    case 'resource':
      if (size > 20480) f.add('POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA', `The ${size} characters in the resource policy exceed the 20480 character maximum for resource policies. We recommend that you use multiple granular policies.`, whole);
      break;
  }
}

/** What our IAM parser says, unless an error finding already points at the same place. */
function addIamVerdict(text: string, kind: PolicyKind, f: Findings): void {
  try {
    parsePolicy(text, { kind });
  } catch (e) {
    if (!(e instanceof MalformedPolicyError)) throw e;
    const named = f.list.some((x) => x.findingType === 'ERROR' &&
      x.locations.some((l) => l.span.start.line === e.line && l.span.start.column === e.column));
    if (named) return;
    const at: Position = { line: e.line, column: e.column, offset: offsetOf(text, e.line, e.column) };
    const detail = e.detail.replace(/^line \d+, column \d+: /, '');
    f.add('IAM_POLICY_REJECTED', `IAM would refuse this policy with MalformedPolicyDocument: ${e.message}`,
      { path: toPathElements(e.jsonPath), span: { start: at, end: at } }, detail === e.message ? undefined : detail);
  }
}

function offsetOf(text: string, line: number, column: number): number {
  if (line <= 0) return 0;
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) break;
    offset = next + 1;
  }
  return offset + column - 1;
}

/** Document order, then severity: the order a reader fixes things in. */
function sortFindings(list: Finding[]): Finding[] {
  const start = (x: Finding) => x.locations[0]?.span.start.offset ?? -1;
  return list
    .map((x, i) => ({ x, i }))
    .sort((a, b) => start(a.x) - start(b.x) || SEVERITY[a.x.findingType] - SEVERITY[b.x.findingType] || a.i - b.i)
    .map(({ x }) => x);
}
