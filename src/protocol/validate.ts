import type { Member, Shape } from './shapes.js';

/** One broken model constraint, with what each protocol needs to word it. */
export interface Violation {
  kind: 'required' | 'enum' | 'length' | 'pattern' | 'range';
  /** AWS's validation path: lowerCamel members, list items as `tags.1.member`. */
  path: string;
  /** The same place named as the ec2 wire names it (e.g. `Filter.1.Name`). */
  wirePath: string;
  value: unknown;
  sensitive: boolean;
  /** The constraint sentence, e.g. "Member must not be null". */
  constraint: string;
  /**
   * Set when the value is a scalar item of a list: the list's path and every constraint
   * of the item shape, as IAM words such a violation ("Value at 'clientIDList' failed to
   * satisfy constraint: Member must satisfy constraint: [A, B]").
   */
  list?: { path: string; constraints: string[] };
}

function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) i++;
    n++;
  }
  return n;
}

function lengthOf(shape: Shape, value: unknown): number | undefined {
  if (typeof value === 'string') return codePointLength(value);
  if (Buffer.isBuffer(value)) return value.length;
  if (Array.isArray(value)) return value.length;
  if (shape.type === 'map' && value && typeof value === 'object') return Object.keys(value).length;
  return undefined;
}

function violation(kind: Violation['kind'], constraint: string, path: string, wirePath: string, value: unknown, sensitive: boolean): Violation {
  return { kind, path, wirePath, value, sensitive, constraint };
}

function checkScalar(shape: Shape, value: unknown, path: string, wirePath: string, sensitive: boolean, out: Violation[]): void {
  if (shape.enumSet && typeof value === 'string' && !shape.enumSet.has(value)) {
    out.push(violation('enum', `Member must satisfy enum value set: [${shape.enumValues!.join(', ')}]`, path, wirePath, value, sensitive));
  }
  const { min, max } = shape;
  if (min !== undefined || max !== undefined) {
    if (typeof value === 'number') {
      if (min !== undefined && value < min) {
        out.push(violation('range', `Member must have value greater than or equal to ${min}`, path, wirePath, value, sensitive));
      }
      if (max !== undefined && value > max) {
        out.push(violation('range', `Member must have value less than or equal to ${max}`, path, wirePath, value, sensitive));
      }
    } else {
      const length = lengthOf(shape, value);
      if (length !== undefined && min !== undefined && length < min) {
        out.push(violation('length', `Member must have length greater than or equal to ${min}`, path, wirePath, value, sensitive));
      }
      if (length !== undefined && max !== undefined && length > max) {
        out.push(violation('length', `Member must have length less than or equal to ${max}`, path, wirePath, value, sensitive));
      }
    }
  }
  if (shape.regex && typeof value === 'string' && !shape.regex.test(value)) {
    out.push(violation('pattern', `Member must satisfy regular expression pattern: ${shape.pattern}`, path, wirePath, value, sensitive));
  }
}

function walk(shape: Shape, value: unknown, path: string, wirePath: string, sensitive: boolean, out: Violation[]): void {
  checkScalar(shape, value, path, wirePath, sensitive || shape.sensitive, out);
  if (shape.type === 'structure' && value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const m of shape.members) walkMember(m, record[m.name], path, wirePath, out);
  } else if (shape.type === 'list' && Array.isArray(value)) {
    const item = shape.member!;
    const scalarItems = item.shape.type !== 'structure' && item.shape.type !== 'list' && item.shape.type !== 'map';
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (v === undefined || v === null) continue;
      const from = out.length;
      walk(item.shape, v, `${path}.${i + 1}.member`, `${wirePath}.${i + 1}`, sensitive || item.shape.sensitive, out);
      if (scalarItems) for (let j = from; j < out.length; j++) out[j].list = { path, constraints: shapeConstraints(item.shape) };
    }
  } else if (shape.type === 'map' && value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      walk(shape.key!.shape, k, `${path}.key`, `${wirePath}.${k}`, sensitive, out);
      if (v !== undefined && v !== null) walk(shape.value!.shape, v, `${path}.${k}.member`, `${wirePath}.${k}`, sensitive, out);
    }
  }
}

/**
 * Every constraint a scalar shape carries, as IAM lists them for a list's items: the upper
 * bound before the lower (recorded: "[Member must have length less than or equal to 40,
 * Member must have length greater than or equal to 40]"), then pattern and enum.
 */
function shapeConstraints(shape: Shape): string[] {
  const out: string[] = [];
  const measure = shape.type === 'integer' || shape.type === 'long' || shape.type === 'float' || shape.type === 'double' ? 'value' : 'length';
  if (shape.max !== undefined) out.push(`Member must have ${measure} less than or equal to ${shape.max}`);
  if (shape.min !== undefined) out.push(`Member must have ${measure} greater than or equal to ${shape.min}`);
  if (shape.regex) out.push(`Member must satisfy regular expression pattern: ${shape.pattern}`);
  if (shape.enumValues) out.push(`Member must satisfy enum value set: [${shape.enumValues.join(', ')}]`);
  return out;
}

function walkMember(m: Member, value: unknown, parentPath: string, parentWire: string, out: Violation[]): void {
  const absent = value === undefined || value === null;
  if (absent && !m.required) return; // the common case: no paths to build
  const path = parentPath ? `${parentPath}.${m.pathName}` : m.pathName;
  const wirePath = parentWire ? `${parentWire}.${m.ec2Key}` : m.ec2Key;
  if (absent) out.push(violation('required', 'Member must not be null', path, wirePath, null, false));
  else walk(m.shape, value, path, wirePath, m.shape.sensitive, out);
}

/** Every constraint the decoded input breaks, in model member order. */
export function validateInput(shape: Shape, input: Record<string, unknown>): Violation[] {
  const out: Violation[] = [];
  for (const m of shape.members) walkMember(m, input[m.name], '', '', out);
  return out;
}

/** How AWS's Java services print a value inside a validation message. */
function describeValue(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return `java.nio.HeapByteBuffer[pos=0 lim=${value.length} cap=${value.length}]`;
  if (Array.isArray(value)) return `[${value.map(describeValue).join(', ')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${k}: ${describeValue(v)}`).join(', ')}}`;
  }
  return String(value);
}

/**
 * How a service words its validation errors. STS and DynamoDB quote the value
 * ("Value 'Session1:2' at 'roleSessionName'"); IAM, as recorded in 2026, names none
 * ("Value at 'versionId'") and words a broken list item as a constraint on the list.
 */
export interface ValidationStyle {
  quoteValues: boolean;
  listItemsAsList: boolean;
  /**
   * The order AWS was recorded listing an operation's broken members in, where it is
   * neither the model's nor the request's; other operations list them in model order.
   */
  memberOrder?: Readonly<Record<string, readonly string[]>>;
  /**
   * Members whose pattern IAM checks itself, after the model's constraints, with its own
   * sentence: a broken pattern there is the answer only when nothing else is broken.
   */
  patternSentences?: Readonly<Record<string, string>>;
}

/** STS, DynamoDB: Coral's wording, values quoted. */
export const CORAL_STYLE: ValidationStyle = { quoteValues: true, listItemsAsList: false };

/**
 * IAM (LS tests/aws/services/iam/*.snapshot.json, recorded 2026: test_iam_policies'
 * versionId, test_iam_mfa's path, test_iam_account_password_policy's numbers,
 * test_iam_oidc's url and lists).
 */
export const IAM_STYLE: ValidationStyle = {
  quoteValues: false,
  listItemsAsList: true,
  memberOrder: {
    // LS test_iam_oidc.snapshot.json (model order: url, clientIDList, thumbprintList).
    CreateOpenIDConnectProvider: ['clientIDList', 'thumbprintList', 'url'],
    // LS test_iam_account_password_policy.snapshot.json, and moto's test copied from AWS
    // (requested MaxPasswordAge, MinimumPasswordLength, PasswordReusePrevention).
    UpdateAccountPasswordPolicy: ['minimumPasswordLength', 'passwordReusePrevention', 'maxPasswordAge'],
  },
  patternSentences: {
    // LS test_iam_mfa.snapshot.json (CreateVirtualMFADevice, 2026).
    path: 'The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.',
    // Real AWS, AttachUserPolicy (app-sre/qontract-reconcile PR #2640, 2022).
    userName: 'The specified value for userName is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-',
  },
};

/** One violation as Coral-based services (IAM, STS, DynamoDB) word it. */
export function violationText(v: Violation, style: ValidationStyle = CORAL_STYLE): string {
  if (style.listItemsAsList && v.list) {
    return `Value at '${v.list.path}' failed to satisfy constraint: Member must satisfy constraint: [${v.list.constraints.join(', ')}]`;
  }
  const shown = v.value === null ? 'Value null' : v.sensitive || !style.quoteValues ? 'Value' : `Value '${describeValue(v.value)}'`;
  return `${shown} at '${v.path}' failed to satisfy constraint: ${v.constraint}`;
}

/** "1 validation error detected: …" / "2 validation errors detected: …; …". */
export function validationMessage(violations: Violation[], style: ValidationStyle = CORAL_STYLE, operation?: string): string {
  const sentences = style.patternSentences;
  if (sentences) {
    const own = (v: Violation) => v.kind === 'pattern' && sentences[v.path] !== undefined;
    const rest = violations.filter((v) => !own(v));
    if (rest.length === 0) return sentences[violations[0].path];
    violations = rest;
  }
  const order = operation === undefined ? undefined : style.memberOrder?.[operation];
  if (order) {
    const rank = (v: Violation) => {
      const i = order.indexOf(v.path.split('.')[0]);
      return i < 0 ? order.length : i;
    };
    violations = [...violations].sort((a, b) => rank(a) - rank(b));
  }
  // Worded as one constraint on the list, a list's broken items are one error.
  const texts = [...new Set(violations.map((v) => violationText(v, style)))];
  const n = texts.length;
  return `${n} validation error${n === 1 ? '' : 's'} detected: ${texts.join('; ')}`;
}
