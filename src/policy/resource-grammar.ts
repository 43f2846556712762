/**
 * IAM's grammar for Resource and NotResource values, with IAM's messages.
 *
 * What IAM refuses and how it words it, as recorded from AWS (the sources are listed in
 * test/policy/aws-messages.test.ts). IAM reads a value field by field and reports:
 *   - no colon at all:                 Resource X must be in ARN format or "*".
 *   - a partition other than aws (*):  Partition "p" is not valid for resource "arn:p:…".
 *     (the first field is not read: "aws:s3:::b" has partition "s3")
 *   - nothing after the partition:     Resource vendor must be fully qualified …
 *   - a wildcard in the service:       the same
 *   - iam and s3 must have an empty Region field (s3 access points, jobs and the like
 *     excepted); iam's resource part must start with a known entity type.
 * Those are "format" errors, reported late. Independently, a value with fewer than five
 * colons that still contains "::", an empty service field or an account field that is no
 * account fails IAM's "legacy parsing", reported early. A variable "${…}" is one token
 * (see arn.ts).
 */
import { arnColons } from './arn.js';
import { MSG } from './errors.js';

export interface ResourceProblem {
  message: string;
  /** Why, in our words, for logs and the CLI. */
  detail: string;
}

/** Entity types IAM's parser knows, plus the newer ones AWS's own managed policies name. */
const IAM_RESOURCE_PATH = /^(user|federated-user|role|group|instance-profile|mfa|server-certificate|policy|sms-mfa|saml-provider|oidc-provider|report|access-report|assumed-role|delegation-request|role-template)\//;

/** S3 resources that live in a Region: access points, batch jobs, Storage Lens, Access Grants. */
const S3_REGIONAL = /^(accesspoint|job|storage-lens|storage-lens-group|access-grants|async-request)\b|^\*/;

/** Fields split at token-aware colons: [0] the "arn" slot, [1] partition, [2] service, … */
function fields(text: string): string[] {
  const cuts = arnColons(text, Infinity);
  const out: string[] = [];
  let start = 0;
  for (const c of cuts) {
    out.push(text.slice(start, c));
    start = c + 1;
  }
  out.push(text.slice(start));
  return out;
}

/** IAM's format check of one value; undefined when it passes. */
export function resourceFormatProblem(value: string): ResourceProblem | undefined {
  if (value === '*') return undefined;
  const f = fields(value);
  if (f.length < 2) return { message: MSG.resourceNotArn(value), detail: 'a resource is "*" or an ARN: arn:partition:service:region:account:resource' };
  const partition = f[1];
  if (partition !== 'aws' && partition !== '*') {
    // Missing fields print as '*'; empty ones stay empty.
    const rem = f.length > 2 ? f.slice(2) : [''];
    const part = (i: number) => (rem.length > i ? rem[i] : '*');
    const first = rem[0] !== '' || rem.length > 1 ? rem[0] : '*';
    const last = rem.length > 3 ? rem.slice(3).join(':') : '*';
    return {
      message: MSG.partitionInvalid(partition, `${first}:${part(1)}:${part(2)}:${last}`),
      detail: partition.includes('${')
        ? 'IAM does not substitute policy variables before the fifth colon of an ARN; this server is the aws partition'
        : 'this server is the aws partition',
    };
  }
  if (f.length < 3) return { message: MSG.resourceVendor, detail: 'the ARN ends before its service field' };
  const service = f[2];
  if (/[*?]/.test(service)) return { message: MSG.resourceVendor, detail: `the service field ${JSON.stringify(service)} cannot hold a wildcard` };
  if (service === 'iam' || service === 's3') {
    // IAM reads these two as global: the field after the service must be there, and empty.
    const resourcePart = f.length > 5 ? f.slice(5).join(':') : '';
    const regionless = f.length > 4 && f[3] === '';
    if (!regionless && !(service === 's3' && S3_REGIONAL.test(resourcePart))) {
      return service === 'iam'
        ? { message: MSG.iamRegion(value), detail: 'IAM resources are global: write arn:aws:iam::account:…' }
        : { message: MSG.s3Region(value), detail: 'buckets and objects are global: write arn:aws:s3:::bucket/key' };
    }
    if (service === 'iam' && resourcePart !== '*' && resourcePart !== 'root' && !IAM_RESOURCE_PATH.test(resourcePart) && !resourcePart.includes('${')) {
      return { message: MSG.iamResourcePath, detail: `${JSON.stringify(resourcePart)} names no IAM entity type` };
    }
  }
  return undefined;
}

/**
 * The account field as IAM's legacy parser takes it: an account ID (wildcards allowed, as
 * in any field), "aws" for AWS-owned resources, or empty. Recorded refusals: a placeholder
 * ("ACCOUNT_ID", "<ACCOUNT_ID>") and a policy variable ("${aws:PrincipalAccount}").
 */
const ACCOUNT = /^(?:[0-9*?]*|aws)$/;

/** Why a value fails IAM's "legacy parsing", or undefined when it does not. */
export function legacyProblem(value: string): string | undefined {
  if (value === '*') return undefined;
  const f = fields(value);
  const colons = f.length - 1;
  if (colons < 5 && value.includes('::')) return `${JSON.stringify(value)} is not a complete ARN (arn:partition:service:region:account:resource)`;
  if (colons >= 2 && f[2] === '') return `${JSON.stringify(value)} has an empty service field`;
  if (f.length >= 5 && !ACCOUNT.test(f[4])) {
    return f[4].includes('${')
      ? `IAM does not substitute policy variables before the fifth colon of an ARN: ${f[4]} cannot stand in the account field`
      : `the account field ${JSON.stringify(f[4])} must be an account ID, "aws", a wildcard or empty`;
  }
  return undefined;
}
