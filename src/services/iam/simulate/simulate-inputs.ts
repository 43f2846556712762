import { compilePolicy, parseDate, PolicyError, type CompiledPolicy, type Policy, type PolicyKind } from '../../../policy/index.js';
import { parseIp } from '../../../policy/ip.js';
import { invalidInput } from '../../../identity/errors.js';

/**
 * The inputs the simulation APIs share, read and checked: policy texts, context entries,
 * the simulated caller and the resource owner. Malformed input is InvalidInput, worded
 * with the policy engine's own (IAM's) message for policy documents.
 */

export interface ContextEntry {
  ContextKeyName?: string;
  ContextKeyValues?: string[];
  ContextKeyType?: string;
}

/** A policy given as text, compiled (and cached) by the engine that enforces. */
export function compileInputPolicy(text: string, kind: PolicyKind, name: string): CompiledPolicy {
  try {
    return compilePolicy(text, { kind, name });
  } catch (err) {
    // Malformed documents and size refusals alike: the simulator reports bad input.
    if (err instanceof PolicyError) throw invalidInput(err.message);
    throw err;
  }
}

export function parseInputPolicy(text: string, kind: PolicyKind): Policy {
  return compileInputPolicy(text, kind, 'input').policy;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Whether a value reads as its declared type (list types check each value). */
function fitsType(type: string, value: string): boolean {
  switch (type.replace(/List$/, '')) {
    case 'numeric':
      return NUMBER.test(value.trim());
    case 'boolean':
      return /^(true|false)$/i.test(value);
    case 'date':
      return parseDate(value) !== undefined;
    case 'ip':
      return parseIp(value) !== undefined || /^[0-9a-f.:]+\/\d{1,3}$/i.test(value);
    case 'binary':
      return /^[A-Za-z0-9+/]*={0,2}$/.test(value);
    default:
      return true;
  }
}

/**
 * ContextEntries as the engine's request context: list types (and any entry with several
 * values) become multivalued keys; others a single value. Later entries for the same
 * key (any case) replace earlier ones.
 */
export function contextFromEntries(entries: readonly ContextEntry[] | undefined): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const byFold = new Map<string, string>();
  for (const e of entries ?? []) {
    const name = e.ContextKeyName;
    if (name === undefined) continue;
    const values = e.ContextKeyValues ?? [];
    const type = e.ContextKeyType ?? 'string';
    for (const v of values) {
      if (!fitsType(type, v)) throw invalidInput(`Invalid value ${v} for context key ${name} of type ${type}.`);
    }
    const previous = byFold.get(name.toLowerCase());
    if (previous !== undefined) delete out[previous];
    byFold.set(name.toLowerCase(), name);
    out[name] = type.endsWith('List') || values.length !== 1 ? [...values] : values[0];
  }
  return out;
}

const USER_ARN = /^arn:aws:iam::(\d{12}):user\/(?:[^/]+\/)*[^/]+$/;

/** CallerArn: only an IAM user's ARN (the user need not exist). Returns its account. */
export function callerAccount(callerArn: string): string {
  const m = USER_ARN.exec(callerArn);
  if (!m) throw invalidInput(`Invalid CallerArn: ${callerArn}. The simulated caller must be an IAM user.`);
  return m[1];
}

/** ResourceOwner: an account ARN (arn:aws:iam::ACCOUNT:root) or a bare account id. */
export function ownerAccount(resourceOwner: string): string {
  const m = /^(?:arn:aws:iam::(\d{12}):root|(\d{12}))$/.exec(resourceOwner);
  if (!m) throw invalidInput(`Invalid ResourceOwner: ${resourceOwner}. Specify an account as arn:aws:iam::ACCOUNT-ID:root.`);
  return m[1] ?? m[2];
}

/** The account a resource ARN names, when it names one (S3 buckets, for one, do not). */
export function accountInArn(resource: string): string | undefined {
  const parts = resource.split(':');
  return parts.length >= 6 && parts[0] === 'arn' && /^\d{12}$/.test(parts[4]) ? parts[4] : undefined;
}

/** ResourceHandlingOption values the simulator knows (EC2 scenarios). */
export const RESOURCE_HANDLING_OPTIONS = new Set([
  'EC2-Classic-InstanceStore',
  'EC2-Classic-EBS',
  'EC2-VPC-InstanceStore',
  'EC2-VPC-InstanceStore-Subnet',
  'EC2-VPC-EBS',
  'EC2-VPC-EBS-Subnet',
]);
