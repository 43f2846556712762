/**
 * Items in memory and in the store. In memory an item is what the json codec decodes
 * (binary values as Buffers); in the store it is wire JSON (binary values as base64), so
 * an error body (ConditionalCheckFailedException's Item) can carry it as it is.
 */
import { RawJson } from '../../../protocol/index.js';
import type { AttributeValue, Item } from '../values/attribute-values.js';

export type { AttributeValue, Item };

/** The item as stored: JSON text with binary values in base64. */
export function itemToText(item: Item): string {
  // A replacer takes JSON.stringify off its fast path: only items with binaries need it.
  return hasBinary(item) ? JSON.stringify(item, binaryAsBase64) : JSON.stringify(item);
}

function hasBinary(values: Record<string, AttributeValue> | AttributeValue[]): boolean {
  for (const k in values) {
    const v = (values as Record<string, AttributeValue>)[k] as { B?: unknown; BS?: unknown; M?: Record<string, AttributeValue>; L?: AttributeValue[] };
    if (v.B !== undefined || v.BS !== undefined || (v.M !== undefined && hasBinary(v.M)) || (v.L !== undefined && hasBinary(v.L))) return true;
  }
  return false;
}

// JSON.stringify hands a replacer Buffer's toJSON() result ({type:'Buffer', data}) unless it
// sees the Buffer first: it does, as the holder's property, before calling toJSON.
function binaryAsBase64(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  if (Buffer.isBuffer(raw)) return raw.toString('base64');
  return value;
}

/** A stored item back in memory: base64 binaries become Buffers again. */
export function itemFromText(text: string): Item {
  const item = JSON.parse(text) as Record<string, WireValue>;
  // Only binaries differ between the two forms: without any, the parsed JSON is the item.
  if (!text.includes('"B')) return item as unknown as Item;
  for (const name in item) item[name] = fromWire(item[name]) as WireValue;
  return item as unknown as Item;
}

/** The stored item written into a response as it is (its text is the wire form): nothing parsed or re-encoded. */
export function rawItem(text: string): RawJson {
  return new RawJson(text);
}

/** The stored item as wire JSON (what error bodies carry). */
export function wireItem(text: string): Record<string, unknown> {
  return JSON.parse(text) as Record<string, unknown>;
}

/** Wire JSON of an in-memory item (binaries in base64). */
export function toWire(item: Item): Record<string, unknown> {
  return JSON.parse(itemToText(item)) as Record<string, unknown>;
}

type WireValue = Record<string, unknown>;

function fromWire(v: WireValue): AttributeValue {
  if (v.B !== undefined) return { B: Buffer.from(v.B as string, 'base64') };
  if (v.BS !== undefined) return { BS: (v.BS as string[]).map((b) => Buffer.from(b, 'base64')) };
  if (v.M !== undefined) {
    const m = v.M as Record<string, WireValue>;
    for (const k in m) m[k] = fromWire(m[k]) as WireValue;
    return v as AttributeValue;
  }
  if (v.L !== undefined) {
    const l = v.L as WireValue[];
    for (let i = 0; i < l.length; i++) l[i] = fromWire(l[i]) as WireValue;
    return v as AttributeValue;
  }
  return v as AttributeValue;
}

