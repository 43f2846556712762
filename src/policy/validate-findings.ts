/**
 * Findings as IAM Access Analyzer's ValidatePolicy returns them: a type, an issue code
 * named after the check in AWS's policy check reference, AWS's message, a link to that
 * reference, and where in the text (a JSON path and a line/column span).
 */
import type { JsonPath, Span } from './ast.js';

export type FindingType = 'ERROR' | 'SECURITY_WARNING' | 'WARNING' | 'SUGGESTION';

/**
 * One step of a location path, as Access Analyzer spells it: `value` is the value of an
 * object member, `key` the member's name itself, `index` an array item, `substring` a
 * part of a string.
 */
export type PathElement =
  | { value: string }
  | { key: string }
  | { index: number }
  | { substring: { start: number; length: number } };

export interface FindingLocation {
  path: PathElement[];
  span: Span;
}

export interface Finding {
  findingType: FindingType;
  issueCode: IssueCode;
  findingDetails: string;
  learnMoreLink: string;
  locations: FindingLocation[];
  /** iamlocal's own precision beyond AWS's fixed text (e.g. what is wrong with the JSON). */
  hint?: string;
}

const REFERENCE = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html';
const USER_GUIDE = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/';

type Kind = 'e' | 's' | 'w' | 'g';
const TYPE_OF: Record<Kind, FindingType> = { e: 'ERROR', s: 'SECURITY_WARNING', w: 'WARNING', g: 'SUGGESTION' };
const ANCHOR_PREFIX: Record<Kind, string> = { e: 'error', s: 'security-warning', w: 'general-warning', g: 'suggestion' };

/**
 * The checks we run: issue code → [type, anchor in AWS's reference]. The anchor spells
 * NotAction/NotResource/NotPrincipal/NotIpAddress with a hyphen where the code does not.
 */
const CHECKS = {
  JSON_SYNTAX_ERROR: ['e', 'json-syntax-error'],
  DATA_TYPE_MISMATCH: ['e', 'data-type-mismatch'],
  INVALID_POLICY_ELEMENT: ['e', 'invalid-policy-element'],
  INVALID_VERSION: ['e', 'invalid-version'],
  MISSING_STATEMENT: ['e', 'missing-statement'],
  MISSING_EFFECT: ['e', 'missing-effect'],
  INVALID_EFFECT: ['e', 'invalid-effect'],
  MISSING_ACTION: ['e', 'missing-action'],
  MISSING_RESOURCE: ['e', 'missing-resource'],
  MISSING_PRINCIPAL: ['e', 'missing-principal'],
  UNSUPPORTED_ELEMENT_COMBINATION: ['e', 'unsupported-element-combination'],
  UNSUPPORTED_PRINCIPAL: ['e', 'unsupported-principal'],
  UNSUPPORTED_SID: ['e', 'unsupported-sid'],
  UNIQUE_SIDS_REQUIRED: ['e', 'unique-sids-required'],
  INVALID_PRINCIPAL_FORMAT: ['e', 'invalid-principal-format'],
  INVALID_PRINCIPAL_KEY: ['e', 'invalid-principal-key'],
  UNSUPPORTED_WILDCARD_IN_PRINCIPAL: ['e', 'unsupported-wildcard-in-principal'],
  INVALID_SERVICE_PRINCIPAL_FORMAT: ['e', 'invalid-service-principal-format'],
  FEDERATED_PRINCIPAL_NOT_SUPPORTED: ['e', 'federated-principal-not-supported'],
  INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY: ['e', 'invalid-federated-principal-syntax-in-role-trust-policy'],
  MISMATCHED_ACTION_FOR_PRINCIPAL: ['e', 'mismatched-action-for-principal'],
  ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL: ['e', 'role-trust-policy-syntax-error-notprincipal'],
  ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL: ['e', 'role-trust-policy-unsupported-wildcard-in-principal'],
  ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE: ['e', 'role-trust-policy-syntax-error-resource'],
  SCP_SYNTAX_ERROR_ACTION_WILDCARD: ['e', 'scp-syntax-error-action-wildcard'],
  SCP_SYNTAX_ERROR_ALLOW_CONDITION: ['e', 'scp-syntax-error-allow-condition'],
  SCP_SYNTAX_ERROR_ALLOW_NOTACTION: ['e', 'scp-syntax-error-allow-notaction'],
  SCP_SYNTAX_ERROR_ALLOW_RESOURCE: ['e', 'scp-syntax-error-allow-resource'],
  SCP_SYNTAX_ERROR_NOTRESOURCE: ['e', 'scp-syntax-error-notresource'],
  SCP_SYNTAX_ERROR_PRINCIPAL: ['e', 'scp-syntax-error-principal'],
  POLICY_SIZE_EXCEEDS_SCP_QUOTA: ['e', 'policy-size-exceeds-scp-quota'],
  INVALID_ACTION: ['e', 'invalid-action'],
  INVALID_SERVICE_IN_ACTION: ['e', 'invalid-service-in-action'],
  INVALID_SERVICE: ['e', 'invalid-service'],
  INVALID_ARN_PREFIX: ['e', 'invalid-arn-prefix'],
  MISSING_ARN_FIELD: ['e', 'missing-arn-field'],
  INVALID_PARTITION: ['e', 'invalid-partition'],
  INVALID_ARN_SERVICE_CASE: ['e', 'invalid-arn-service-case'],
  ARN_REGION_NOT_ALLOWED: ['e', 'arn-region-not-allowed'],
  MISSING_ARN_REGION: ['e', 'missing-arn-region'],
  INVALID_ARN_REGION: ['e', 'invalid-arn-region'],
  ARN_ACCOUNT_NOT_ALLOWED: ['e', 'arn-account-not-allowed'],
  INVALID_ARN_ACCOUNT: ['e', 'invalid-arn-account'],
  INVALID_ARN_RESOURCE: ['e', 'invalid-arn-resource'],
  INVALID_CONDITION_OPERATOR: ['e', 'invalid-condition-operator'],
  INVALID_CONDITION_KEY_FORMAT: ['e', 'invalid-condition-key-format'],
  INVALID_GLOBAL_CONDITION_KEY: ['e', 'invalid-global-condition-key'],
  UNSUPPORTED_GLOBAL_CONDITION_KEY: ['e', 'unsupported-global-condition-key'],
  INVALID_SERVICE_CONDITION_KEY: ['e', 'invalid-service-condition-key'],
  MISSING_TAG_KEY_IN_CONDITION: ['e', 'missing-tag-key-in-condition'],
  INVALID_CONDITION_DATA_TYPE: ['e', 'invalid-condition-data-type'],
  INVALID_CONDITION_MULTIPLE_BOOLEAN: ['e', 'invalid-condition-multiple-boolean'],
  DUPLICATE_KEYS_WITH_DIFFERENT_CASE: ['e', 'duplicate-keys-with-different-case'],
  NULL_WITH_IF_EXISTS: ['e', 'null-with-if-exists'],
  MISSING_QUALIFIER: ['e', 'missing-qualifier'],
  INVALID_VARIABLE_FOR_OPERATOR: ['e', 'invalid-variable-for-operator'],
  UNSUPPORTED_ACTION_FOR_CONDITION_KEY: ['e', 'unsupported-action-for-condition-key'],
  PRIVATE_IP_ADDRESS: ['e', 'private-ip-address'],
  PRIVATE_NOTIPADDRESS: ['e', 'private-not-ip-address'],
  INVALID_REGION: ['e', 'invalid-region'],
  INVALID_VPC_FORMAT: ['e', 'invalid-vpc-format'],
  INVALID_VPCE_FORMAT: ['e', 'invalid-vpce-format'],
  MISSING_BRACE_IN_VARIABLE: ['e', 'missing-brace-in-variable'],
  MISSING_QUOTE_IN_VARIABLE: ['e', 'missing-quote-in-variable'],
  UNSUPPORTED_SPACE_IN_VARIABLE: ['e', 'unsupported-space-in-variable'],
  EMPTY_VARIABLE: ['e', 'empty-variable'],
  VARIABLE_UNSUPPORTED_IN_ELEMENT: ['e', 'variable-unsupported-in-element'],
  VARIABLE_UNSUPPORTED_IN_VERSION: ['e', 'variable-unsupported-in-version'],
  ALLOW_WITH_NOTPRINCIPAL: ['s', 'allow-with-not-principal'],
  FORALLVALUES_WITH_SINGLE_VALUED_KEY: ['s', 'forallvalues-with-single-valued-key'],
  PASS_ROLE_WITH_NOTRESOURCE: ['s', 'pass-role-with-not-resource'],
  PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOTRESOURCE: ['s', 'pass-role-with-star-in-action-and-not-resource'],
  PASS_ROLE_WITH_NOTACTION_AND_NOTRESOURCE: ['s', 'pass-role-with-not-action-and-not-resource'],
  PASS_ROLE_WITH_STAR_IN_RESOURCE: ['s', 'pass-role-with-star-in-resource'],
  PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE: ['s', 'pass-role-with-star-in-action-and-resource'],
  PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOTACTION: ['s', 'pass-role-with-star-in-resource-and-not-action'],
  DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE: ['s', 'deny-with-unsupported-tag-condition-key-for-service'],
  DENY_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE: ['s', 'deny-notaction-with-unsupported-tag-condition-key-for-service'],
  RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL: ['s', 'restrict-access-to-service-principal'],
  MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL: ['s', 'missing-condition-key-for-oidc-principal'],
  MISSING_GITHUB_REPO_CONDITION_KEY: ['s', 'missing-github-repo-condition-key'],
  CREATE_SLR_WITH_NOTRESOURCE: ['w', 'create-slr-with-not-resource'],
  CREATE_SLR_WITH_STAR_IN_ACTION_AND_NOTRESOURCE: ['w', 'create-slr-with-star-in-action-and-not-resource'],
  CREATE_SLR_WITH_NOTACTION_AND_NOTRESOURCE: ['w', 'create-slr-with-not-action-and-not-resource'],
  CREATE_SLR_WITH_STAR_IN_RESOURCE: ['w', 'create-slr-with-star-in-resource'],
  CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE: ['w', 'create-slr-with-star-in-action-and-resource'],
  CREATE_SLR_WITH_STAR_IN_RESOURCE_AND_NOTACTION: ['w', 'create-slr-with-star-in-resource-and-not-action'],
  INVALID_ROLE_REFERENCE: ['w', 'invalid-role-reference'],
  INVALID_USER_REFERENCE: ['w', 'invalid-user-reference'],
  MISSING_VERSION: ['w', 'missing-version'],
  WILDCARD_WITHOUT_LIKE_OPERATOR: ['w', 'wildcard-without-like-operator'],
  POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA: ['w', 'policy-size-exceeds-identity-policy-quota'],
  POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA: ['w', 'policy-size-exceeds-resource-policy-quota'],
  POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA: ['w', 'policy-size-exceeds-role-trust-policy-quota'],
  TYPE_MISMATCH: ['w', 'type-mismatch'],
  TYPE_MISMATCH_BOOLEAN: ['w', 'type-mismatch-boolean'],
  TYPE_MISMATCH_DATE: ['w', 'type-mismatch-date'],
  TYPE_MISMATCH_IP_RANGE: ['w', 'type-mismatch-ip-range'],
  TYPE_MISMATCH_NUMBER: ['w', 'type-mismatch-number'],
  TYPE_MISMATCH_STRING: ['w', 'type-mismatch-string'],
  SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED: ['w', 'specific-github-repo-and-branch-recommended'],
  EMPTY_ARRAY_ACTION: ['g', 'empty-array-action'],
  EMPTY_ARRAY_CONDITION: ['g', 'empty-array-condition'],
  EMPTY_ARRAY_CONDITION_FORALLVALUES: ['g', 'empty-array-condition-forallvalues'],
  EMPTY_ARRAY_CONDITION_FORANYVALUE: ['g', 'empty-array-condition-foranyvalue'],
  EMPTY_ARRAY_CONDITION_IFEXISTS: ['g', 'empty-array-condition-ifexists'],
  EMPTY_ARRAY_PRINCIPAL: ['g', 'empty-array-principal'],
  EMPTY_ARRAY_RESOURCE: ['g', 'empty-array-resource'],
  EMPTY_OBJECT_CONDITION: ['g', 'empty-object-condition'],
  EMPTY_OBJECT_PRINCIPAL: ['g', 'empty-object-principal'],
  EMPTY_SID_VALUE: ['g', 'empty-sid-value'],
  IMPROVE_IP_RANGE: ['g', 'improve-ip-range'],
  NULL_WITH_QUALIFIER: ['g', 'null-with-qualifier'],
  PRIVATE_IP_ADDRESS_SUBSET: ['g', 'private-ip-address-subset'],
  PRIVATE_NOTIPADDRESS_SUBSET: ['g', 'private-not-ip-address-subset'],
  REDUNDANT_ACTION: ['g', 'redundant-action'],
  REDUNDANT_RESOURCE: ['g', 'redundant-resource'],
  REDUNDANT_STATEMENT: ['g', 'redundant-statement'],
  WILDCARD_IN_SERVICE_NAME: ['g', 'wildcard-in-service-name'],
  ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE: ['g', 'allow-with-unsupported-tag-condition-key-for-service'],
  ALLOW_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE: ['g', 'allow-notaction-with-unsupported-tag-condition-key-for-service'],
} as const satisfies Record<string, readonly [Kind, string]>;

/**
 * Checks Access Analyzer does not have, each linking to the IAM User Guide page that
 * explains the risk: Allow with NotAction/NotResource grants more than it names,
 * IAM_POLICY_REJECTED says IAM itself would refuse the document (our parser's verdict),
 * and a variable before an ARN's fifth colon is never substituted.
 */
const IAMLOCAL_CHECKS = {
  ALLOW_WITH_NOTACTION: ['SECURITY_WARNING', 'reference_policies_elements_notaction.html'],
  ALLOW_WITH_NOTRESOURCE: ['SECURITY_WARNING', 'reference_policies_elements_notresource.html'],
  IAM_POLICY_REJECTED: ['ERROR', 'access_policies_policy-validator.html'],
  VARIABLE_UNSUPPORTED_IN_ARN_FIELD: ['ERROR', 'reference_policies_variables.html#policy-vars-resourceelement'],
} as const satisfies Record<string, readonly [FindingType, string]>;

export type IssueCode = keyof typeof CHECKS | keyof typeof IAMLOCAL_CHECKS;

export function findingTypeOf(code: IssueCode): FindingType {
  if (code in IAMLOCAL_CHECKS) return IAMLOCAL_CHECKS[code as keyof typeof IAMLOCAL_CHECKS][0];
  return TYPE_OF[CHECKS[code as keyof typeof CHECKS][0]];
}

export function learnMoreLink(code: IssueCode): string {
  if (code in IAMLOCAL_CHECKS) return USER_GUIDE + IAMLOCAL_CHECKS[code as keyof typeof IAMLOCAL_CHECKS][1];
  const [kind, slug] = CHECKS[code as keyof typeof CHECKS];
  return `${REFERENCE}#access-analyzer-reference-policy-checks-${ANCHOR_PREFIX[kind]}-${slug}`;
}

/** Our JSON path (['Statement', 0, 'Action']) as Access Analyzer's path elements. */
export function toPathElements(path: JsonPath): PathElement[] {
  return path.map((p) => (typeof p === 'number' ? { index: p } : { value: p }));
}

/** The location of a value in the document. */
export function valueAt(node: { span: Span; path: JsonPath }): FindingLocation {
  return { path: toPathElements(node.path), span: node.span };
}

/** The location of an object member's name (the key itself, not its value). */
export function keyAt(parentPath: JsonPath, key: string, keySpan: Span): FindingLocation {
  return { path: [...toPathElements(parentPath), { key }], span: keySpan };
}

/** Collects findings; checks only say what and where. */
export class Findings {
  readonly list: Finding[] = [];

  add(code: IssueCode, details: string, where: FindingLocation | FindingLocation[], hint?: string): void {
    const finding: Finding = {
      findingType: findingTypeOf(code),
      issueCode: code,
      findingDetails: details,
      learnMoreLink: learnMoreLink(code),
      locations: Array.isArray(where) ? where : [where],
    };
    if (hint !== undefined) finding.hint = hint;
    this.list.push(finding);
  }

  hasErrors(): boolean {
    return this.list.some((f) => f.findingType === 'ERROR');
  }
}
