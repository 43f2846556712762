import { validation } from './rows.js';

/**
 * Attribute paths as the identity store spells them ("displayName", "name.givenName",
 * "emails.value"): UpdateUser/UpdateGroup operations and GetUserId/GetGroupId's unique
 * attributes. Segments match the API's member names case-insensitively.
 */
export interface AttributeOperation {
  AttributePath: string;
  AttributeValue?: unknown;
}

function memberName(allowed: readonly string[], segment: string): string {
  const found = allowed.find((a) => a.toLowerCase() === segment.toLowerCase());
  if (!found) throw validation(`Invalid attribute path: ${segment}`);
  return found;
}

/** The record with each operation applied: a value replaces the attribute, none removes it. */
export function applyOperations(current: Record<string, unknown>, operations: AttributeOperation[], allowed: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...current };
  for (const op of operations) {
    const [head, ...rest] = op.AttributePath.split('.');
    const name = memberName(allowed, head);
    if (rest.length === 0) {
      if (op.AttributeValue === undefined || op.AttributeValue === null) delete out[name];
      else out[name] = op.AttributeValue;
      continue;
    }
    // One level down (name.givenName): the sub-member, capitalised as the API's.
    const sub = rest.join('.');
    const key = sub.charAt(0).toUpperCase() + sub.slice(1);
    const inner = { ...((out[name] as Record<string, unknown> | undefined) ?? {}) };
    if (op.AttributeValue === undefined || op.AttributeValue === null) delete inner[key];
    else inner[key] = op.AttributeValue;
    out[name] = inner;
  }
  return out;
}

/** The values at a unique attribute's path in a user or group shape ("emails.value" gives every email's value). */
export function uniqueAttributeValue(shape: Record<string, unknown>, path: string): unknown[] {
  const [head, ...rest] = path.split('.');
  const key = Object.keys(shape).find((k) => k.toLowerCase() === head.toLowerCase());
  if (key === undefined) return [];
  let values: unknown[] = Array.isArray(shape[key]) ? (shape[key] as unknown[]) : [shape[key]];
  for (const segment of rest) {
    values = values.flatMap((v) => {
      if (!v || typeof v !== 'object') return [];
      const k = Object.keys(v).find((x) => x.toLowerCase() === segment.toLowerCase());
      return k === undefined ? [] : [(v as Record<string, unknown>)[k]];
    });
  }
  return values;
}
