/**
 * Checks on Condition blocks: operators IAM knows, condition keys AWS documents, operators
 * that fit the key's type, values that fit the operator, set qualifiers that fit the
 * key's cardinality, and keys that the statement's actions never carry.
 */
import { parseDate } from './datetime.js';
import type { ActionCatalog, ConditionKeyInfo, ConditionKeyType } from './catalog.js';
import { type OperatorFamily, type OperatorName, parseOperatorName } from './operators.js';
import type { ConditionValue, LooseClause, LoosePolicy, LooseStatement } from './validate-document.js';
import { Findings, keyAt, valueAt } from './validate-findings.js';
import { cidrContains, parseCidr, parseIp, type Cidr } from './ip.js';
import { checkConditionKeysForActions } from './validate-condition-actions.js';

export function checkConditions(policy: LoosePolicy, f: Findings, catalog: ActionCatalog): void {
  for (const s of policy.statements) {
    if (!s.condition) continue;
    for (const block of s.condition.blocks) checkOperator(block.operator, s.condition.node.path, block.keySpan, f);
    checkDuplicateKeys(s, f);
    const known: { clause: LooseClause; info: ConditionKeyInfo }[] = [];
    for (const c of s.condition.clauses) {
      const op = parseOperatorName(c.operator);
      const info = checkKey(c, f, catalog);
      checkValues(c, op, f);
      if (!op) continue;
      checkEmpty(c, op, f);
      if (info) {
        known.push({ clause: c, info });
        checkFit(c, op, info, f);
      }
      checkKeySpecificValues(c, op, f);
    }
    checkConditionKeysForActions(s, known, f, catalog);
  }
}

function checkOperator(operator: string, conditionPath: readonly (string | number)[], keySpan: LooseClause['operatorSpan'], f: Findings): void {
  const op = parseOperatorName(operator);
  const at = keyAt(conditionPath, operator, keySpan);
  if (!op) {
    f.add('INVALID_CONDITION_OPERATOR', `The condition operator ${operator} is not valid. Use a valid condition operator.`, at);
    return;
  }
  if (op.family === 'Null' && op.ifExists) {
    f.add('NULL_WITH_IF_EXISTS', 'The Null condition operator cannot be used with the IfExists suffix. Update the operator or the suffix.', at);
  }
  if (op.family === 'Null' && op.set) {
    f.add('NULL_WITH_QUALIFIER', 'Avoid using the Null condition operator with the ForAllValues or ForAnyValue qualifiers because they always return a true or false respectively.', at);
  }
}

/** Keys compare case-insensitively, so two spellings of one key in a block are one key twice. */
function checkDuplicateKeys(s: LooseStatement, f: Findings): void {
  for (const block of s.condition?.blocks ?? []) {
    const seen = new Map<string, string>();
    for (const e of block.node.entries) {
      const lower = e.key.toLowerCase();
      const first = seen.get(lower);
      if (first !== undefined && first !== e.key) {
        f.add('DUPLICATE_KEYS_WITH_DIFFERENT_CASE',
          `The condition key ${e.key} appears more than once with different capitalization in the same condition block. Remove the duplicate condition keys.`,
          keyAt(block.node.path, e.key, e.keySpan));
      }
      if (first === undefined) seen.set(lower, e.key);
    }
  }
}

/** Identity providers' keys (accounts.google.com:aud, token.actions.githubusercontent.com:sub) are open-ended. */
function isIdentityProviderPrefix(prefix: string): boolean {
  return prefix.includes('.') || prefix.includes('/');
}

/** Tag keys that need a tag name after the slash. */
const TAG_KEY_PREFIXES = /^(aws:(RequestTag|ResourceTag|PrincipalTag)|[a-z0-9-]+:(ResourceTag|RequestTag|ExistingObjectTag|BucketTag|AccessPointTag))\/?$/i;

function checkKey(c: LooseClause, f: Findings, catalog: ActionCatalog): ConditionKeyInfo | undefined {
  const at = keyAt(c.operatorPath, c.key, c.keySpan);
  const colon = c.key.indexOf(':');
  if (colon <= 0 || colon === c.key.length - 1) {
    f.add('INVALID_CONDITION_KEY_FORMAT', 'The condition key format is not valid. Use the format service:keyname.', at);
    return undefined;
  }
  if (TAG_KEY_PREFIXES.test(c.key)) {
    const name = c.key.replace(/\/$/, '');
    f.add('MISSING_TAG_KEY_IN_CONDITION',
      `The condition key ${name} must include a tag key to control access based on tags. Use the format ${name}/tag-key and specify a key name for tag-key.`, at);
    return undefined;
  }
  const info = catalog.findConditionKey(c.key);
  if (info) return info;
  const prefix = c.key.slice(0, colon);
  if (prefix.toLowerCase() === 'aws') {
    if (c.key.toLowerCase() === 'aws:arn') {
      f.add('UNSUPPORTED_GLOBAL_CONDITION_KEY', 'The condition key aws:ARN is not supported. Use aws:PrincipalArn or aws:SourceArn instead.', at);
    } else {
      f.add('INVALID_GLOBAL_CONDITION_KEY', `The condition key ${c.key} does not exist. Use a valid condition key.`, at);
    }
  } else if (isIdentityProviderPrefix(prefix)) {
    return undefined;
  } else if (!catalog.isKnownService(prefix)) {
    f.add('INVALID_SERVICE', `The service ${prefix} does not exist. Use a valid service name.`, at);
  } else {
    f.add('INVALID_SERVICE_CONDITION_KEY', `The condition key ${c.key} does not exist in the service ${prefix}. Use a valid condition key.`, at);
  }
  return undefined;
}

function checkEmpty(c: LooseClause, op: OperatorName, f: Findings): void {
  if (!c.isArray || c.values.length > 0 || c.node.type !== 'array' || c.node.items.length > 0) return;
  const at = valueAt(c.node);
  if (op.set === 'ForAllValues') {
    f.add('EMPTY_ARRAY_CONDITION_FORALLVALUES', `The ForAllValues prefix with an empty condition key matches only if the key ${c.key} is missing from the request context. To determine if the request context is empty, we recommend that you use the Null condition operator with the value of true instead.`, at);
  } else if (op.set === 'ForAnyValue') {
    f.add('EMPTY_ARRAY_CONDITION_FORANYVALUE', `The ForAnyValue prefix with an empty condition key ${c.key} never matches the request context and it does not affect the policy. Specify conditions.`, at);
  } else if (op.ifExists) {
    f.add('EMPTY_ARRAY_CONDITION_IFEXISTS', `The IfExists suffix with an empty condition key matches only if the key ${c.key} is missing from the request context. To determine if the request context is empty, we recommend that you use the Null condition operator with the value of true instead.`, at);
  } else {
    f.add('EMPTY_ARRAY_CONDITION', `There are no values for the condition key ${c.key} and it does not affect the policy. Specify conditions.`, at);
  }
}

/** Which operator families suit a key of each documented type (Null suits every key). */
const FITTING_FAMILIES: Record<ConditionKeyType, OperatorFamily[]> = {
  // ARN operators on string keys are common (kms:EncryptionContext:aws:s3:arn) and work: both compare text.
  String: ['String', 'Arn'], ArrayOfString: ['String', 'Arn'],
  ARN: ['Arn', 'String'], ArrayOfARN: ['Arn', 'String'],
  Numeric: ['Numeric'], Date: ['Date'], Bool: ['Bool'], ArrayOfBool: ['Bool'], IPAddress: ['Ip'],
};
const FAMILY_NAME: Record<OperatorFamily, string> = {
  String: 'String', Arn: 'Arn', Numeric: 'Numeric', Date: 'Date', Bool: 'Bool', Ip: 'IpAddress', Binary: 'Binary', Null: 'Null',
};

function checkFit(c: LooseClause, op: OperatorName, info: ConditionKeyInfo, f: Findings): void {
  const at = keyAt(c.operatorPath, c.key, c.keySpan);
  const multiValued = info.type.startsWith('ArrayOf');
  if (op.family !== 'Null' && op.family !== 'Binary') {
    const fitting = [...(FITTING_FAMILIES[info.type] ?? [])];
    // aws:EpochTime is documented as a date but AWS compares it with numeric operators too.
    if (info.key.toLowerCase() === 'aws:epochtime') fitting.push('Numeric');
    if (fitting.length > 0 && !fitting.includes(op.family)) {
      f.add('TYPE_MISMATCH', `Use the operator type ${fitting.map((x) => FAMILY_NAME[x]).join(' or ')} instead of operator ${c.operator} for the condition key ${c.key}.`, at);
    }
  }
  if (op.family === 'Null') return;
  if (multiValued && !op.set) {
    f.add('MISSING_QUALIFIER', `The request context key ${c.key} has multiple values. Use the ForAllValues or ForAnyValue condition key qualifiers in your policy.`, at);
  }
  if (!multiValued && op.set === 'ForAllValues') {
    f.add('FORALLVALUES_WITH_SINGLE_VALUED_KEY', `Using ForAllValues qualifier with the single-valued condition key ${c.key} can be overly permissive. We recommend that you remove ForAllValues:.`, at);
  }
  if (op.family === 'Bool' && info.type === 'Bool' && c.values.length > 1) {
    f.add('INVALID_CONDITION_MULTIPLE_BOOLEAN', 'The condition key does not support multiple Boolean values. Use a single Boolean value.', valueAt(c.node));
  }
}

function valueText(v: ConditionValue): string {
  return v.type === 'number' ? v.raw : String(v.value);
}

/** A value with its policy variables removed (they are resolved per request). */
function withoutVariables(text: string): string {
  return text.replace(/\$\{[^}]*\}/g, '');
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function checkValues(c: LooseClause, op: OperatorName | undefined, f: Findings): void {
  const types = new Set(c.values.map((v) => v.type));
  if (types.size > 1) {
    f.add('INVALID_CONDITION_DATA_TYPE', 'The condition value data types do not match. Use condition values of the same JSON data type.', valueAt(c.node));
  }
  if (!op) return;
  for (const v of c.values) {
    const text = valueText(v);
    const at = valueAt(v);
    if (text.includes('${') && op.family !== 'String' && op.family !== 'Arn') {
      f.add('INVALID_VARIABLE_FOR_OPERATOR', 'Policy variables can only be used with String and ARN operators.', at);
      continue;
    }
    switch (op.family) {
      case 'Bool':
        if (!/^(true|false)$/i.test(text)) f.add('TYPE_MISMATCH_BOOLEAN', `Add a valid Boolean value (true or false) for the condition operator ${c.operator}.`, at);
        break;
      case 'Null':
        if (!/^(true|false)$/i.test(text)) f.add('TYPE_MISMATCH_BOOLEAN', `Add a valid Boolean value (true or false) for the condition operator ${c.operator}.`, at);
        break;
      case 'Numeric':
        if (!NUMBER.test(text)) f.add('TYPE_MISMATCH_NUMBER', `Add a valid numeric value for the condition operator ${c.operator}.`, at);
        break;
      case 'Date':
        if (parseDate(text) === undefined) {
          f.add('TYPE_MISMATCH_DATE', 'The date condition operator is used with an invalid value. Specify a valid date using YYYY-MM-DD or other ISO 8601 date/time format.', at);
        }
        break;
      case 'Binary':
        if (!BASE64.test(text)) f.add('TYPE_MISMATCH_STRING', `Add a valid base64-encoded string value for the condition operator ${c.operator}.`, at);
        break;
      case 'Ip':
        checkIpValue(text, c.operator, at, f);
        break;
      case 'String':
        if (/Equals/.test(op.base) && /[*?]/.test(withoutVariables(text))) {
          f.add('WILDCARD_WITHOUT_LIKE_OPERATOR', 'Your condition value includes a * or ? character. If you meant to use a wildcard (*, ?), update the condition operator to include Like.', at);
        }
        break;
    }
  }
}

function checkIpValue(text: string, operator: string, at: ReturnType<typeof valueAt>, f: Findings): void {
  const cidr = parseCidr(text);
  if (!cidr) {
    f.add('TYPE_MISMATCH_IP_RANGE', `The condition operator ${operator} is used with an invalid IP range value. Specify the IP range in standard CIDR format.`, at);
    return;
  }
  const slash = text.indexOf('/');
  const written = parseIp(slash >= 0 ? text.slice(0, slash) : text);
  if (written && slash >= 0 && written.value !== cidr.base) {
    f.add('IMPROVE_IP_RANGE', `The non-zero bits in the IP address after the masked bits are ignored. Replace address with ${formatCidr(cidr)}.`, at);
  }
}

function formatCidr(c: Cidr): string {
  if (c.version === 4) {
    const n = c.base as number;
    return `${[n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.')}/${c.prefix}`;
  }
  const n = c.base as bigint;
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((n >> BigInt(i * 16)) & 0xffffn).toString(16));
  return `${groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::')}/${c.prefix}`;
}

/** Private ranges (RFC 1918, loopback, link-local, IPv6 unique-local): aws:SourceIp never carries them. */
const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '127.0.0.0/8', '169.254.0.0/16', 'fc00::/7', 'fe80::/10', '::1/128']
  .map((r) => parseCidr(r) as Cidr);

function isPrivate(c: Cidr): boolean {
  const base = c.version === 4 ? { version: 4 as const, value: c.base as number } : { version: 6 as const, value: c.base as bigint };
  return PRIVATE_RANGES.some((r) => r.prefix <= c.prefix && cidrContains(r, base));
}

const VPC_ID = /^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/;
const VPCE_ID = /^vpce-([0-9a-f]{8}|[0-9a-f]{17})$/;
const REGION_NAME = /^[a-z]{2}(-gov|-iso[a-z]?|-eusc)?-[a-z]+-\d{1,2}$/;

function checkKeySpecificValues(c: LooseClause, op: OperatorName, f: Findings): void {
  const key = c.key.toLowerCase();
  const literal = c.values.filter((v) => { const t = valueText(v); return !/[*?]|\$\{/.test(t); });
  if (key === 'aws:sourceip' && op.family === 'Ip') {
    const ranges = c.values.map((v) => parseCidr(valueText(v))).filter((x): x is Cidr => x !== undefined);
    const privateCount = ranges.filter(isPrivate).length;
    const negated = op.base === 'NotIpAddress';
    if (ranges.length > 0 && privateCount === ranges.length) {
      if (negated) f.add('PRIVATE_NOTIPADDRESS', 'The values for condition key aws:SourceIp include only private IP addresses and has no effect. aws:SourceIp works only for public IP address ranges. Update the value to include only public IP addresses.', valueAt(c.node));
      else f.add('PRIVATE_IP_ADDRESS', 'aws:SourceIp works only for public IP address ranges. The values for condition key aws:SourceIp include only private IP addresses and will not have the desired effect. Update the value to include only public IP addresses.', valueAt(c.node));
    } else if (privateCount > 0) {
      if (negated) f.add('PRIVATE_NOTIPADDRESS_SUBSET', 'The values for condition key aws:SourceIp include a mix of private and public IP addresses. The private addresses have no effect. aws:SourceIp works only for public IP address ranges. To define permissions for private IP ranges, use aws:VpcSourceIp.', valueAt(c.node));
      else f.add('PRIVATE_IP_ADDRESS_SUBSET', 'The values for condition key aws:SourceIp include a mix of private and public IP addresses. The private addresses will not have the desired effect. aws:SourceIp works only for public IP address ranges. To define permissions for private IP ranges, use aws:VpcSourceIp.', valueAt(c.node));
    }
  }
  if (op.family !== 'String') return;
  for (const v of literal) {
    const t = valueText(v);
    if (key === 'aws:sourcevpc' && !VPC_ID.test(t)) {
      f.add('INVALID_VPC_FORMAT', "The VPC identifier in the condition key value is not valid. Use the prefix 'vpc-' followed by 8 or 17 alphanumeric characters.", valueAt(v));
    } else if (key === 'aws:sourcevpce' && !VPCE_ID.test(t)) {
      f.add('INVALID_VPCE_FORMAT', "The VPCE identifier in the condition key value is not valid.  Use the prefix 'vpce-' followed by 8 or 17 alphanumeric characters.", valueAt(v));
    } else if (key === 'aws:requestedregion' && !REGION_NAME.test(t)) {
      f.add('INVALID_REGION', `The Region ${t} is not valid. Update the condition value to a suported Region.`, valueAt(v));
    }
  }
}
