/**
 * `iamlocal policy validate` and `iamlocal policy simulate`: the policy engine on files,
 * with no server. Validate reports Access Analyzer's findings with file:line:column;
 * simulate decides requests against policy files and says which statement decided.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  accessDeniedMessage, compilePolicy, describeStatement, evaluate, explain, MalformedPolicyError, PolicySizeError,
  validatePolicy, type CompiledPolicy, type Decision, type EvalPrincipal, type EvalRequest, type Finding, type PolicyKind,
  type PolicySet,
} from '../policy/index.js';
import { iamDataCatalog } from '../catalog/iam-data-catalog.js';

const KINDS: readonly PolicyKind[] = ['identity', 'resource', 'trust', 'boundary', 'session', 'scp', 'rcp'];
/** Access Analyzer's policy type names, accepted too. */
const KIND_ALIASES: Record<string, PolicyKind> = {
  identity_policy: 'identity', resource_policy: 'resource', service_control_policy: 'scp', resource_control_policy: 'rcp',
  'permissions-boundary': 'boundary', 'trust-policy': 'trust', 'assume-role-policy': 'trust',
};

const mainHelp = `usage: iamlocal policy <command> [options]

commands:
  validate FILE…   check policy files like IAM Access Analyzer's ValidatePolicy
  simulate …       decide requests against policy files and explain each decision

Run iamlocal policy <command> --help for a command's options.
`;

const validateHelp = `usage: iamlocal policy validate FILE… [--kind KIND] [--json]

Checks each policy file like IAM Access Analyzer (ValidatePolicy): JSON syntax, grammar,
unknown services, actions and condition keys, operators that do not fit a key, malformed
ARNs and principals, risky grants (iam:PassRole on "*", Allow with NotAction/NotResource),
redundant statements, actions and resources, and anything IAM itself would refuse.

  FILE            a JSON policy document; "-" reads standard input
  --kind KIND     identity | resource | trust | boundary | session | scp | rcp
                  (default: guessed per file: a Principal makes it a resource policy,
                  or a trust policy when every action is sts:AssumeRole*/TagSession)
  --json          print [{"file", "kind", "findings": [...]}] with Access Analyzer's
                  finding fields (findingType, issueCode, findingDetails, learnMoreLink,
                  locations) instead of text

Each finding prints as FILE:LINE:COLUMN: SEVERITY ISSUE_CODE: message.
Exit status: 0 when no file has an ERROR finding, 1 when one does, 2 on bad usage or an
unreadable file.
`;

const simulateHelp = `usage: iamlocal policy simulate --policy FILE… --action ACTION… [options]

Decides each action × resource with IAM's evaluation logic and explains the decision:
the statement that allowed or explicitly denied it, or the policy type that failed to
allow, and the condition keys the policies needed but the request did not carry.

  --policy FILE…            identity-based policies of the principal (user, group, role)
  --boundary FILE           permissions boundary
  --session-policy FILE…    session policies (role sessions and federated users)
  --resource-policy FILE…   resource-based policies on the resource (bucket policy, …)
  --trust-policy FILE       a role trust policy (the resource policy sts:AssumeRole* needs)
  --scp FILE…               service control policies; each file is one organization level
  --action ACTION…          e.g. s3:GetObject (repeat the flag or give several)
  --resource ARN…           default "*"
  --resource-account ID     the resource owner (default: the ARN's account, else the principal's)
  --principal ARN           who asks (default arn:aws:iam::123456789012:user/policy-simulator):
                            arn:aws:iam::A:user/N, arn:aws:iam::A:role/N (a session of it),
                            arn:aws:sts::A:assumed-role/R/S, arn:aws:sts::A:federated-user/N,
                            arn:aws:iam::A:root or an account ID, a service such as
                            ec2.amazonaws.com, or "anonymous"
  --context KEY=VALUE       a condition key; repeat a key or use commas for several values
                            (aws:username, aws:userid, aws:PrincipalArn, aws:PrincipalAccount,
                            aws:PrincipalType, aws:CurrentTime, aws:EpochTime and
                            aws:SecureTransport=true are filled in unless given)
  --region REGION           sets aws:RequestedRegion
  --json                    print the decisions as JSON

Exit status: 0 when every request is allowed, 1 when any is denied, 2 on bad usage or a
policy IAM would refuse.
`;

class UsageError extends Error {}

export async function runPolicyCommand(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'validate':
        if (rest.includes('--help') || rest.includes('-h')) return print(validateHelp, 0);
        return runValidate(rest);
      case 'simulate':
        if (rest.includes('--help') || rest.includes('-h')) return print(simulateHelp, 0);
        return runSimulate(rest);
      case undefined:
        process.stderr.write(mainHelp);
        return 2;
      case '--help': case '-h': case 'help':
        return print(mainHelp, 0);
      default:
        throw new UsageError(`unknown policy command '${command}'`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`iamlocal policy: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

function print(text: string, code: number): number {
  process.stdout.write(text);
  return code;
}

// ---------------------------------------------------------------------------------------
// Arguments

interface ParsedArgs {
  positional: string[];
  /** Every value each flag was given, in order (flags may take several values each). */
  flags: Map<string, string[]>;
}

/**
 * `--flag value`, `--flag=value`, and for list flags `--flag a b c` (values run until the
 * next --flag). Boolean flags take no value.
 */
function parseArgs(argv: string[], spec: { lists: string[]; single: string[]; bools: string[] }): ParsedArgs {
  const out: ParsedArgs = { positional: [], flags: new Map() };
  const add = (flag: string, value: string) => out.flags.set(flag, [...(out.flags.get(flag) ?? []), value]);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) { out.positional.push(arg); continue; }
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (spec.bools.includes(flag)) {
      if (eq > 0) throw new UsageError(`${flag} takes no value`);
      out.flags.set(flag, ['true']);
    } else if (spec.single.includes(flag) || spec.lists.includes(flag)) {
      if (eq > 0) { add(flag, arg.slice(eq + 1)); continue; }
      const isList = spec.lists.includes(flag);
      let taken = 0;
      while (i + 1 < argv.length && !argv[i + 1].startsWith('--') && (isList || taken === 0)) { add(flag, argv[++i]); taken++; }
      if (taken === 0) throw new UsageError(`${flag} needs a value`);
      if (!isList && (out.flags.get(flag)?.length ?? 0) > 1) throw new UsageError(`${flag} may be given once`);
    } else {
      throw new UsageError(`unknown option ${flag}`);
    }
  }
  return out;
}

function readPolicyFile(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function parseKind(text: string): PolicyKind {
  const k = text.toLowerCase();
  if ((KINDS as readonly string[]).includes(k)) return k as PolicyKind;
  const alias = KIND_ALIASES[k];
  if (alias) return alias;
  throw new UsageError(`unknown policy kind '${text}' (use ${KINDS.join(', ')})`);
}

/** Guess the kind from the document: who it names and what it allows. */
export function guessKind(text: string): PolicyKind {
  let doc: unknown;
  try { doc = JSON.parse(text); } catch { return 'identity'; }
  const raw = (doc as { Statement?: unknown })?.Statement;
  const statements = (Array.isArray(raw) ? raw : [raw]).filter((s): s is Record<string, unknown> => typeof s === 'object' && s !== null);
  if (!statements.some((s) => 'Principal' in s || 'NotPrincipal' in s)) return 'identity';
  const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
  const trustOnly = actions.length > 0 && actions.every((a) => typeof a === 'string' && /^sts:(AssumeRole\w*|TagSession|SetSourceIdentity|SetContext)$/i.test(a));
  const anyResource = statements.some((s) => 'Resource' in s || 'NotResource' in s);
  return trustOnly && !anyResource ? 'trust' : 'resource';
}

// ---------------------------------------------------------------------------------------
// validate

const SEVERITY_LABEL: Record<Finding['findingType'], string> = {
  ERROR: 'error', SECURITY_WARNING: 'security warning', WARNING: 'warning', SUGGESTION: 'suggestion',
};

function runValidate(argv: string[]): number {
  const args = parseArgs(argv, { lists: [], single: ['--kind'], bools: ['--json'] });
  if (args.positional.length === 0) throw new UsageError('validate needs at least one FILE (see --help)');
  const forcedKind = args.flags.get('--kind')?.[0];
  const kind = forcedKind !== undefined ? parseKind(forcedKind) : undefined;
  const results = args.positional.map((file) => {
    const text = readPolicyFile(file);
    const k = kind ?? guessKind(text);
    return { file, kind: k, text, findings: validatePolicy(text, { kind: k, catalog: iamDataCatalog }) };
  });
  if (args.flags.has('--json')) {
    process.stdout.write(`${JSON.stringify(results.map(({ file, kind: k, findings }) => ({ file, kind: k, findings })), null, 2)}\n`);
  } else {
    for (const r of results) process.stdout.write(formatFindings(r.file, r.kind, r.text, r.findings));
  }
  return results.some((r) => r.findings.some((f) => f.findingType === 'ERROR')) ? 1 : 0;
}

function formatFindings(file: string, kind: PolicyKind, text: string, findings: Finding[]): string {
  const lines = text.split('\n');
  let out = '';
  for (const f of findings) {
    const start = f.locations[0]?.span.start;
    const where = start ? `${file}:${start.line}:${start.column}` : file;
    out += `${where}: ${SEVERITY_LABEL[f.findingType]} ${f.issueCode}: ${f.findingDetails}\n`;
    if (f.hint) out += `    ${f.hint}\n`;
    if (start && start.line >= 1 && start.line <= lines.length) out += excerpt(lines[start.line - 1], start.line, start.column);
  }
  const counts = (['ERROR', 'SECURITY_WARNING', 'WARNING', 'SUGGESTION'] as const)
    .map((t) => [t, findings.filter((f) => f.findingType === t).length] as const)
    .filter(([, n]) => n > 0)
    .map(([t, n]) => `${n} ${SEVERITY_LABEL[t]}${n > 1 ? 's' : ''}`);
  out += `${file}: ${counts.length > 0 ? counts.join(', ') : 'no findings'} (validated as ${kind} policy)\n`;
  return out;
}

/** The offending line with a caret under the column; long lines are cut around it. */
function excerpt(line: string, lineNo: number, column: number): string {
  const text = line.replace(/\r$/, '').replace(/\t/g, ' ');
  const width = 100;
  let from = 0;
  if (text.length > width && column > width - 20) from = Math.min(column - 1 - 40, text.length - width);
  from = Math.max(0, from);
  const shown = (from > 0 ? '…' : '') + text.slice(from, from + width) + (from + width < text.length ? '…' : '');
  const caretAt = column - 1 - from + (from > 0 ? 1 : 0);
  const gutter = String(lineNo).padStart(6);
  return `${gutter} | ${shown}\n${' '.repeat(6)} | ${' '.repeat(Math.max(0, caretAt))}^\n`;
}

// ---------------------------------------------------------------------------------------
// simulate

const DEFAULT_PRINCIPAL = 'arn:aws:iam::123456789012:user/policy-simulator';

/** A stable, AWS-shaped unique ID for a simulated principal (AIDA… / AROA…). */
function uniqueId(prefix: string, arn: string): string {
  const digest = createHash('sha256').update(arn).digest();
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let id = prefix;
  for (let i = 0; id.length < 21; i++) id += alphabet[digest[i] % 32];
  return id;
}

interface SimPrincipal {
  principal: EvalPrincipal;
  userId?: string;
}

/** Who asks, from the --principal ARN (a role ARN stands for a session of that role). */
export function principalFromArn(text: string): SimPrincipal {
  if (text === 'anonymous' || text === '*') return { principal: { type: 'anonymous', arn: '*', accountId: '' }, userId: 'anonymous' };
  if (/^\d{12}$/.test(text)) text = `arn:aws:iam::${text}:root`;
  if (/^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/.test(text)) return { principal: { type: 'service', arn: text, accountId: '', serviceName: text } };
  const m = /^arn:aws:(iam|sts)::(\d{12}):(.+)$/.exec(text);
  if (!m) throw new UsageError(`--principal ${text}: expected an IAM user, role, role session, federated user or root ARN, an account ID, a service principal or "anonymous"`);
  const [, service, account, resource] = m;
  if (service === 'iam' && resource === 'root') return { principal: { type: 'root', arn: text, accountId: account }, userId: account };
  if (service === 'iam' && resource.startsWith('user/')) {
    return { principal: { type: 'user', arn: text, accountId: account }, userId: uniqueId('AIDA', text) };
  }
  if (service === 'iam' && resource.startsWith('role/')) {
    const roleName = resource.slice(resource.lastIndexOf('/') + 1);
    const session = 'policy-simulator';
    return {
      principal: { type: 'assumed-role', arn: `arn:aws:sts::${account}:assumed-role/${roleName}/${session}`, accountId: account, roleArn: text },
      userId: `${uniqueId('AROA', text)}:${session}`,
    };
  }
  const session = /^assumed-role\/([^/]+)\/(.+)$/.exec(resource);
  if (service === 'sts' && session) {
    const roleArn = `arn:aws:iam::${account}:role/${session[1]}`;
    return { principal: { type: 'assumed-role', arn: text, accountId: account, roleArn }, userId: `${uniqueId('AROA', roleArn)}:${session[2]}` };
  }
  if (service === 'sts' && resource.startsWith('federated-user/')) {
    return { principal: { type: 'federated-user', arn: text, accountId: account }, userId: `${account}:${resource.slice('federated-user/'.length)}` };
  }
  throw new UsageError(`--principal ${text}: unsupported principal ARN`);
}

/** --context KEY=VALUE pairs; a repeated key or a comma list makes a multivalued key. */
export function parseContext(pairs: string[]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const byLower = new Map<string, string>();
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--context ${pair}: expected KEY=VALUE`);
    const written = pair.slice(0, eq);
    const key = byLower.get(written.toLowerCase()) ?? written;
    byLower.set(key.toLowerCase(), key);
    const raw = pair.slice(eq + 1);
    const values = raw.includes(',') ? raw.split(',') : [raw];
    const prev = out[key];
    if (prev === undefined) out[key] = values.length === 1 && !raw.includes(',') ? values[0] : values;
    else out[key] = [...(Array.isArray(prev) ? prev : [prev]), ...values];
  }
  return out;
}

function compileFile(file: string, kind: PolicyKind): CompiledPolicy {
  const text = readPolicyFile(file);
  try {
    return compilePolicy(text, { kind, name: file });
  } catch (e) {
    if (e instanceof MalformedPolicyError) {
      const at = e.line > 0 ? `:${e.line}:${e.column}` : '';
      throw new UsageError(`${file}${at}: IAM would refuse this ${kind} policy: ${e.message} (${e.detail.replace(/^line \d+, column \d+: /, '')}); run iamlocal policy validate ${file}`);
    }
    if (e instanceof PolicySizeError) throw new UsageError(`${file}: ${e.message}`);
    throw e;
  }
}

interface SimResult {
  action: string;
  resource: string;
  decision: Decision['decision'];
  explanation: string;
  matched: Decision['matched'];
  failedToAllow?: Decision['failedToAllow'];
  missingContextKeys: string[];
  accessDenied?: string;
}

function runSimulate(argv: string[]): number {
  const args = parseArgs(argv, {
    lists: ['--policy', '--session-policy', '--resource-policy', '--scp', '--action', '--resource', '--context'],
    single: ['--boundary', '--trust-policy', '--principal', '--resource-account', '--region'],
    bools: ['--json'],
  });
  if (args.positional.length > 0) throw new UsageError(`unexpected argument '${args.positional[0]}' (policy files go after --policy)`);
  const list = (flag: string) => args.flags.get(flag) ?? [];
  const one = (flag: string) => args.flags.get(flag)?.[0];
  const actions = list('--action').flatMap((a) => a.split(',')).filter((a) => a !== '');
  if (actions.length === 0) throw new UsageError('simulate needs --action (see --help)');
  for (const a of actions) if (!/^[\w-]+:[\w*?-]+$/.test(a)) throw new UsageError(`--action ${a}: expected service:Action, e.g. s3:GetObject`);
  const resources = list('--resource').length > 0 ? list('--resource') : ['*'];

  const set: PolicySet = { identity: list('--policy').map((f) => compileFile(f, 'identity')) };
  const boundary = one('--boundary');
  if (boundary) set.boundary = compileFile(boundary, 'boundary');
  if (list('--session-policy').length > 0) set.session = list('--session-policy').map((f) => compileFile(f, 'session'));
  const resourcePolicies = list('--resource-policy').map((f) => compileFile(f, 'resource'));
  const trust = one('--trust-policy');
  if (trust) {
    resourcePolicies.push(compileFile(trust, 'trust'));
    set.resourcePolicyRequired = true;
  }
  if (resourcePolicies.length > 0) set.resource = resourcePolicies;
  if (list('--scp').length > 0) set.scps = list('--scp').map((f) => [compileFile(f, 'scp')]);

  const who = principalFromArn(one('--principal') ?? DEFAULT_PRINCIPAL);
  const context = defaultContext(who, parseContext(list('--context')), one('--region'));
  const results: SimResult[] = [];
  for (const resource of resources) {
    const resourceAccount = one('--resource-account') ?? /^arn:[^:]*:[^:]*:[^:]*:(\d{12}):/.exec(resource)?.[1];
    for (const action of actions) {
      const req: EvalRequest = { action, resource, principal: who.principal, context };
      if (resourceAccount) req.resourceAccount = resourceAccount;
      const d = evaluate(req, set);
      const r: SimResult = {
        action, resource, decision: d.decision, explanation: explain(d, req), matched: d.matched, missingContextKeys: d.missingContextKeys,
      };
      if (d.failedToAllow) r.failedToAllow = d.failedToAllow;
      if (d.decision !== 'allowed') r.accessDenied = accessDeniedMessage(d, { principalArn: who.principal.arn, action, resource });
      results.push(r);
    }
  }
  if (args.flags.has('--json')) {
    process.stdout.write(`${JSON.stringify({ principal: who.principal, context, results }, null, 2)}\n`);
  } else {
    process.stdout.write(formatSimulation(who.principal, context, results));
  }
  return results.every((r) => r.decision === 'allowed') ? 0 : 1;
}

/** What every real request carries, unless the caller said otherwise. */
function defaultContext(who: SimPrincipal, given: Record<string, string | string[]>, region: string | undefined): Record<string, string | string[]> {
  const ctx: Record<string, string | string[]> = {};
  const now = new Date();
  const defaults: Record<string, string | undefined> = {
    'aws:CurrentTime': now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'aws:EpochTime': String(Math.floor(now.getTime() / 1000)),
    'aws:SecureTransport': 'true',
    'aws:userid': who.userId,
    'aws:RequestedRegion': region,
  };
  const givenLower = new Set(Object.keys(given).map((k) => k.toLowerCase()));
  for (const [k, v] of Object.entries(defaults)) if (v !== undefined && !givenLower.has(k.toLowerCase())) ctx[k] = v;
  return { ...ctx, ...given };
}

/** The explanation without what the header line already says (the request, the missing keys). */
function conciseExplanation(r: SimResult): string {
  const prefix = `${r.action} on ${r.resource}: `;
  const text = r.explanation.startsWith(prefix) ? r.explanation.slice(prefix.length) : r.explanation;
  const lacked = text.indexOf('; the request lacked condition key');
  return lacked >= 0 ? text.slice(0, lacked) : text;
}

const DECISION_LABEL: Record<Decision['decision'], string> = { allowed: 'ALLOWED', explicitDeny: 'DENIED (explicit deny)', implicitDeny: 'DENIED (implicit deny)' };

function formatSimulation(principal: EvalPrincipal, context: Record<string, string | string[]>, results: SimResult[]): string {
  let out = `principal: ${principal.arn} (${principal.type})\n`;
  for (const [k, v] of Object.entries(context)) out += `context:   ${k}=${Array.isArray(v) ? `[${v.join(', ')}]` : v}\n`;
  for (const r of results) {
    out += `\n${DECISION_LABEL[r.decision]}  ${r.action}  ${r.resource}\n`;
    out += `  ${conciseExplanation(r)}\n`;
    for (const m of r.matched) out += `  matched: ${describeStatement(m)} [${m.policyType}, ${m.effect}]\n`;
    if (r.failedToAllow) out += `  failed to allow: ${r.failedToAllow} policies\n`;
    if (r.missingContextKeys.length > 0) out += `  missing context keys: ${r.missingContextKeys.join(', ')} (pass them with --context KEY=VALUE)\n`;
    if (r.accessDenied) out += `  AWS would answer: ${r.accessDenied}\n`;
  }
  const allowed = results.filter((r) => r.decision === 'allowed').length;
  out += `\n${allowed} of ${results.length} request${results.length > 1 ? 's' : ''} allowed\n`;
  return out;
}
