/**
 * Checks on Resource and NotResource values: each is "*" or an ARN whose partition,
 * service, Region, account and resource part fit the ARN formats the service documents.
 * Also: values made redundant by a wildcard next to them.
 */
import type { JsonString } from './ast.js';
import type { ActionCatalog } from './catalog.js';
import { catalogMemo } from './catalog-queries.js';
import type { LooseList, LoosePolicy } from './validate-document.js';
import { Findings, valueAt } from './validate-findings.js';
import { hasWildcard, redundantIndexes } from './validate-match.js';

const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc'];
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?|-eusc)?-[a-z]+-\d{1,2}$/;
/** Stands in for a policy variable, which may itself contain colons. */
const VARIABLE = '\u0001';

export function checkResources(policy: LoosePolicy, f: Findings, catalog: ActionCatalog): void {
  for (const s of policy.statements) {
    for (const list of [s.resource, s.notResource]) {
      if (!list) continue;
      for (const v of list.values) checkArn(v, f, catalog);
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

function checkArn(v: JsonString, f: Findings, catalog: ActionCatalog): void {
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
  if (a.service !== a.service.toLowerCase() && catalog.isKnownService(a.service)) {
    f.add('INVALID_ARN_SERVICE_CASE', `Update the service name ${a.service} in the resource ARN to use all lowercase letters.`, valueAt(v));
    return;
  }
  if (!catalog.isKnownService(a.service)) {
    f.add('INVALID_SERVICE', `The service ${a.service} does not exist. Use a valid service name.`, valueAt(v));
    return;
  }
  if (!isOpen(a.partition) && !PARTITIONS.includes(a.partition)) {
    f.add('INVALID_PARTITION', `The resource ARN for the service ${a.service} does not support the partition ${a.partition}. Use the supported values: ${PARTITIONS.join(', ')}`, valueAt(v));
  }
  checkAgainstResourceTypes(v, a, f, catalog);
}

interface TemplateFields {
  region: string;
  account: string;
  /** The resource part's literal first segment (before "/" or ":"), or undefined when it starts with a variable. */
  head: string | undefined;
  resource: RegExp;
}

function templatesOf(catalog: ActionCatalog, service: string): TemplateFields[] {
  const templateCache = catalogMemo<TemplateFields[]>(catalog, 'resourceTemplates');
  let list = templateCache.get(service);
  if (list === undefined) {
    list = [];
    for (const rt of catalog.resourceTypesOfService(service)) {
      const parts = rt.arn.split(':');
      if (parts.length < 6) continue;
      const resource = parts.slice(5).join(':');
      const body = resource.replace(/[.+*?^()|[\]\\]/g, '\\$&').replace(/\$\{[^}]*\}/g, '\u0000').replace(/[{}$]/g, '\\$&').replace(/\u0000/g, '.+');
      list.push({ region: parts[3], account: parts[4], head: headOf(resource), resource: new RegExp(`^${body}$`, 's') });
    }
    templateCache.set(service, list);
  }
  return list;
}

/** "stack/name/id" → "stack"; undefined when the first segment is not plain text. */
function headOf(resource: string): string | undefined {
  const head = resource.split(/[/:]/)[0];
  return head === '' || head.includes('${') || isOpen(head) ? undefined : head;
}

interface Candidates {
  types: TemplateFields[];
  /** True when some resource type at least starts like this ARN's resource part. */
  familiar: boolean;
}

/**
 * The resource types this ARN could name. Types whose resource part starts with the same
 * word ("stack/…") are preferred; a wildcard or variable stands for any text, so we try it
 * as a word, a path and a colon-separated name.
 */
function candidateTypes(catalog: ActionCatalog, service: string, resource: string): Candidates | undefined {
  const all = templatesOf(catalog, service);
  if (all.length === 0) return undefined;
  if (/^[*\u0001]+$/.test(resource)) return { types: all, familiar: true };
  const head = headOf(resource);
  const sameHead = head === undefined ? [] : all.filter((t) => t.head === head);
  const pool = sameHead.length > 0 ? sameHead : all;
  const samples = isOpen(resource)
    ? ['x', 'x/x', 'x:x', ''].map((w) => resource.replace(/[*?\u0001]/g, w))
    : [resource];
  const types = pool.filter((t) => samples.some((sample) => t.resource.test(sample)));
  if (types.length === 0 && sameHead.length > 0) return { types: sameHead, familiar: true };
  return { types, familiar: sameHead.length > 0 };
}

function checkAgainstResourceTypes(v: JsonString, a: ArnFields, f: Findings, catalog: ActionCatalog): void {
  const found = candidateTypes(catalog, a.service, a.resource);
  if (found === undefined) return; // the service documents no resource types
  const candidates = found.types;
  if (candidates.length === 0) {
    // Only a resource part unlike anything the service documents is reported: the data
    // lags new resource types, and IAM's own resources are checked by IAM's parser.
    if (!isOpen(a.resource) && !found.familiar && a.resource !== '' && !a.resource.startsWith('/') && a.service !== 'iam') {
      f.add('INVALID_ARN_RESOURCE', 'Resource ARN does not match the expected ARN format. Update the resource portion of the ARN.', valueAt(v));
    }
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
