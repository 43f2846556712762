import type { JsonPath } from './ast.js';

/**
 * Why the engine refuses a policy document. `code` is the error IAM answers with
 * (MalformedPolicyDocument, LimitExceeded); the HTTP status and the wire format belong to
 * the service that was called, so the layers above map this to their own error type.
 */
export class PolicyError extends Error {
  readonly code: 'MalformedPolicyDocument' | 'LimitExceeded';
  constructor(code: PolicyError['code'], message: string) {
    super(message);
    this.name = 'PolicyError';
    this.code = code;
  }
}

/**
 * IAM's refusal of a policy document. `message` is IAM's own wording (clients and tools
 * match on it); `detail` says precisely what and where, for our logs, CLI and tests.
 */
export class MalformedPolicyError extends PolicyError {
  /** 1-based line/column of the offending element (0 when not tied to a place). */
  readonly line: number;
  readonly column: number;
  readonly jsonPath: JsonPath;
  readonly detail: string;

  constructor(message: string, where: { line: number; column: number; path?: JsonPath; detail?: string } = { line: 0, column: 0 }) {
    super('MalformedPolicyDocument', message);
    this.name = 'MalformedPolicyError';
    this.line = where.line;
    this.column = where.column;
    this.jsonPath = where.path ?? [];
    const at = where.line > 0 ? `line ${where.line}, column ${where.column}: ` : '';
    this.detail = `${at}${where.detail ?? message}`;
  }
}

/** A policy over its size quota. IAM answers LimitExceeded, not MalformedPolicyDocument. */
export class PolicySizeError extends PolicyError {
  readonly size: number;
  readonly limit: number;
  constructor(message: string, size: number, limit: number) {
    super('LimitExceeded', message);
    this.name = 'PolicySizeError';
    this.size = size;
    this.limit = limit;
  }
}

/** IAM's messages, in one place so tests and callers name them rather than retype them. */
export const MSG = {
  syntax: 'Syntax errors in policy.',
  legacy: 'The policy failed legacy parsing',
  noPrincipalAllowed: 'Policy document should not specify a principal.',
  missingPrincipal: 'Missing required field Principal',
  noActions: 'Policy statement must contain actions.',
  noResources: 'Policy statement must contain resources.',
  versionTooOld: 'Policy document must be version 2012-10-17 or greater.',
  duplicateSid: 'Statement IDs (SID) in a single policy must be unique.',
  sidNotAlphanumeric: 'Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*',
  actionNeedsVendor: 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.',
  actionOneColon: 'Actions/Condition can contain only one colon.',
  vendorInvalid: (vendor: string) => `Vendor ${vendor} is not valid`,
  resourceNotArn: (r: string) => `Resource ${r} must be in ARN format or "*".`,
  resourceVendor: 'Resource vendor must be fully qualified and cannot contain regexes.',
  partitionInvalid: (partition: string, rest: string) => `Partition "${partition}" is not valid for resource "arn:${partition}:${rest}".`,
  iamRegion: (r: string) => `IAM resource ${r} cannot contain region information.`,
  s3Region: (r: string) => `Resource ${r} can not contain region information.`,
  iamResourcePath: 'IAM resource path must either be "*", root, or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/.',
  prohibitedField: (field: string) => `Has prohibited field ${field}.`,
  invalidPrincipal: (type: string, value: string) => `Invalid principal in policy: "${type}":"${value}"`,
} as const;
