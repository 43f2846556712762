/**
 * Checks on Resource and NotResource values: each is "*" or an ARN whose partition,
 * service, Region, account and resource part fit the ARN formats the service documents.
 * Also: values made redundant by a wildcard next to them.
 */
import type { JsonString } from './ast.js';
import { isKnownService, resourceTypesOfService, type ResourceTypeInfo } from './actions-data.js';
import type { LooseList, LoosePolicy } from './validate-document.js';
import { Findings, valueAt } from './validate-findings.js';
import { hasWildcard, redundantIndexes } from './validate-match.js';

const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc'];
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?|-eusc)?-[a-z]+-\d{1,2}$/;
/** Stands in for a policy variable, which may itself contain colons. */
const VARIABLE = '\u0001';

export function checkResources(policy: LoosePolicy, f: Findings): void {
  for (const s of policy.statements) {
    for (const list of [s.resource, s.notResource]) {
      if (!list) continue;
      for (const v of list.values) checkArn(v, f);
      checkRedundantResources(list, f);
    }
  }
}

interface ArnFields {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

/** Split an ARN into its six fields; policy variables count as opaque text. */
export function splitArn(arn: string): ArnFields | undefined {
  const masked = arn.replace(/\$\{[^}]*\}/g, VARIABLE);
  const parts = masked.split(':');
  if (parts.length < 6) return undefined;
  return { partition: parts[1], service: parts[2], region: parts[3], account: parts[4], resource: parts.slice(5).join(':') };
}

/** Wildcards or variables: the field's value is not known until evaluation. */
function isOpen(field: string): boolean {
  return hasWildcard(field) || field.includes(VARIABLE);
}

function checkArn(v: JsonString, f: Findings): void {
  const arn = v.value;
  if (arn === '*') return;
  if (!arn.startsWith('arn:')) {
    f.add('INVALID_ARN_PREFIX', 'Add the required prefix (arn) to the resource ARN.', valueAt(v));
    return;
  }
  const a = splitArn(arn);
  if (!a) {
    f.add('MISSING_ARN_FIELD', 'Resource ARNs must include at least 6 fields in the following structure: arn:partition:service:region:account:resource', valueAt(v));
    return;
  }
  if (isOpen(a.service)) return; // IAM refuses this outright; the parser's finding says so.
  if (a.service !== a.service.toLowerCase() && isKnownService(a.service)) {
    f.add('INVALID_ARN_SERVICE_CASE', `Update the service name ${a.service} in the resource ARN to use all lowercase letters.`, valueAt(v));
    return;
  }
  if (!isKnownService(a.service)) {
    f.add('INVALID_SERVICE', `The service ${a.service} does not exist. Use a valid service name.`, valueAt(v));
    return;
  }
  if (!isOpen(a.partition) && !PARTITIONS.includes(a.partition)) {
    f.add('INVALID_PARTITION', `The resource ARN for the service ${a.service} does not support the partition ${a.partition}. Use the supported values: ${PARTITIONS.join(', ')}`, valueAt(v));
  }
  checkAgainstResourceTypes(v, a, f);
}

interface TemplateFields {
  region: string;
  account: string;
  resource: RegExp;
}

function templateFields(rt: ResourceTypeInfo): TemplateFields | undefined {
  const parts = rt.arn.split(':');
  if (parts.length < 6) return undefined;
  const resource = parts.slice(5).join(':');
  const body = resource.replace(/[.+*?^()|[\]\\]/g, '\\$&').replace(/\$\{[^}]*\}/g, '\u0000').replace(/[{}$]/g, '\\$&').replace(/\u0000/g, '.+');
  return { region: parts[3], account: parts[4], resource: new RegExp(`^${body}$`, 's') };
}

/**
 * The resource types this ARN could name. A wildcard or variable in the resource part
 * stands for any text, so we try it both as a plain word and as a path.
 */
function candidateTypes(service: string, resource: string): TemplateFields[] | undefined {
  const all = resourceTypesOfService(service).map(templateFields).filter((t): t is TemplateFields => t !== undefined);
  if (all.length === 0) return undefined;
  if (/^[*\u0001]+$/.test(resource)) return all;
  const samples = isOpen(resource)
    ? [resource.replace(/[*?\u0001]/g, 'x'), resource.replace(/[*?\u0001]/g, 'x/x'), resource.replace(/[*?\u0001]/g, '')]
    : [resource];
  return all.filter((t) => samples.some((sample) => t.resource.test(sample)));
}

function checkAgainstResourceTypes(v: JsonString, a: ArnFields, f: Findings): void {
  const candidates = candidateTypes(a.service, a.resource);
  if (candidates === undefined) return; // the service documents no resource types
  if (candidates.length === 0) {
    if (!isOpen(a.resource)) f.add('INVALID_ARN_RESOURCE', 'Resource ARN does not match the expected ARN format. Update the resource portion of the ARN.', valueAt(v));
    return;
  }
  if (!isOpen(a.region)) {
    const allowsRegion = candidates.some((t) => t.region !== '');
    const needsRegion = candidates.every((t) => t.region !== '');
    if (a.region === '' && needsRegion) {
      f.add('MISSING_ARN_REGION', `Add a Region to the ${a.service} resource ARN.`, valueAt(v));
    } else if (a.region !== '' && !allowsRegion) {
      f.add('ARN_REGION_NOT_ALLOWED', `The service ${a.service} does not support specifying a Region in the resource ARN.`, valueAt(v));
    } else if (a.region !== '' && !REGION.test(a.region)) {
      f.add('INVALID_ARN_REGION', `The Region ${a.region} is not valid for this resource. Update the resource ARN to include a supported Region.`, valueAt(v));
    }
  }
  if (!isOpen(a.account) && a.account !== '') {
    if (candidates.every((t) => t.account === '')) {
      f.add('ARN_ACCOUNT_NOT_ALLOWED', `The service ${a.service} does not support specifying an account ID in the resource ARN.`, valueAt(v));
    } else if (!/^\d{12}$/.test(a.account) && a.account !== 'aws') {
      f.add('INVALID_ARN_ACCOUNT', `The resource ARN account ID ${a.account} is not valid. Provide a 12-digit account ID.`, valueAt(v));
    }
  }
}

function checkRedundantResources(list: LooseList, f: Findings): void {
  const redundant = [...redundantIndexes(list.values.map((v) => v.value), false)];
  if (redundant.length === 0) return;
  f.add('REDUNDANT_RESOURCE',
    `The ${redundant.length} resource ARN(s) are redundant because they reference the same resource. Review the use of wildcards (*)`,
    redundant.map((i) => valueAt(list.values[i])));
}
