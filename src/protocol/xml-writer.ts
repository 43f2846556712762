import { blobToBase64, formatTimestamp, modelTimestampFormat, type TimestampFormat } from './scalars.js';
import type { Member, Shape } from './shapes.js';

/** What differs between the XML-speaking protocols when they write a shape. */
export interface XmlFlavor {
  /** Element name of list items whose model names none: 'member' (query, rest-xml) or 'item' (ec2). */
  listItemName: string;
  timestamp: TimestampFormat;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\r': '&#13;',
};
const NEEDS_ESCAPE = /[&<>"'\r]/;

/** Escapes text for an element body or attribute; CR as an entity so parsers keep it. */
export function escapeXml(text: string): string {
  return NEEDS_ESCAPE.test(text) ? text.replace(/[&<>"'\r]/g, (c) => ESCAPES[c]) : text;
}

function scalarText(shape: Shape, member: Member | undefined, value: unknown, flavor: XmlFlavor): string {
  switch (shape.type) {
    case 'timestamp':
      return formatTimestamp(value, modelTimestampFormat(member?.timestampFormat ?? shape.timestampFormat, flavor.timestamp));
    case 'blob':
      return blobToBase64(value);
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      return escapeXml(String(value));
  }
}

function namespaceAttr(ns: { prefix?: string; uri: string } | undefined): string {
  if (!ns) return '';
  return ns.prefix ? ` xmlns:${ns.prefix}="${escapeXml(ns.uri)}"` : ` xmlns="${escapeXml(ns.uri)}"`;
}

/** The attributes (xmlAttribute members) a structure carries on its own element. */
function attributesOf(shape: Shape, value: Record<string, unknown>, flavor: XmlFlavor): string {
  let attrs = '';
  for (const m of shape.members) {
    if (!m.xmlAttribute) continue;
    const v = value[m.name];
    if (v === undefined || v === null) continue;
    attrs += ` ${m.xmlName}="${scalarText(m.shape, m, v, flavor)}"`;
  }
  return attrs;
}

/** The child elements of a structure, in model order; absent members are left out. */
export function structureBody(shape: Shape, value: Record<string, unknown>, flavor: XmlFlavor): string {
  let xml = '';
  for (const m of shape.members) {
    if (m.xmlAttribute || m.location) continue;
    const v = value[m.name];
    if (v === undefined || v === null) continue;
    xml += writeElement(m.xmlName, m.shape, m, v, flavor);
  }
  return xml;
}

/**
 * Structures whose XML is kept once written: values a handler promises never to change
 * (it marks them with `encodeOnce`), listed again and again (DescribeInstances' instances).
 * The XML is kept per element name, shape and flavor, for as long as the value lives.
 */
const kept = new WeakMap<object, { name: string; shape: Shape; flavor: XmlFlavor; xml: string } | null>();

/** Marks a structure as immutable: its XML is written once and reused while it lives. */
export function encodeOnce<T extends object>(value: T): T {
  if (!kept.has(value)) kept.set(value, null);
  return value;
}

/** One value as an element named `name` (or, for flattened lists and maps, as repeated elements). */
export function writeElement(name: string, shape: Shape, member: Member | undefined, value: unknown, flavor: XmlFlavor, extraAttrs = ''): string {
  switch (shape.type) {
    case 'structure': {
      const record = value as Record<string, unknown>;
      if (extraAttrs === '' && kept.has(record)) {
        const k = kept.get(record);
        if (k && k.name === name && k.shape === shape && k.flavor === flavor) return k.xml;
        // Flattened into one sequential string: pages join many of these without re-walking a rope.
        const xml = flat(`<${name}${namespaceAttr(member?.xmlNamespace ?? shape.xmlNamespace)}${attributesOf(shape, record, flavor)}>${structureBody(shape, record, flavor)}</${name}>`);
        kept.set(record, { name, shape, flavor, xml });
        return xml;
      }
      const attrs = extraAttrs + namespaceAttr(member?.xmlNamespace ?? shape.xmlNamespace) + attributesOf(shape, record, flavor);
      return `<${name}${attrs}>${structureBody(shape, record, flavor)}</${name}>`;
    }
    case 'list': {
      const item = shape.member!;
      const items = value as unknown[];
      if (member?.flattened || shape.flattened) {
        const itemName = item.locationName ?? name;
        let xml = '';
        for (const v of items) if (v !== undefined && v !== null) xml += writeElement(itemName, item.shape, item, v, flavor);
        return xml;
      }
      const itemName = item.locationName ?? flavor.listItemName;
      let inner = '';
      for (const v of items) if (v !== undefined && v !== null) inner += writeElement(itemName, item.shape, item, v, flavor);
      return inner === '' ? `<${name}${extraAttrs}/>` : `<${name}${extraAttrs}>${inner}</${name}>`;
    }
    case 'map': {
      const keyName = shape.key!.locationName ?? 'key';
      const valueName = shape.value!.locationName ?? 'value';
      let entries = '';
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (v === undefined || v === null) continue;
        const pair = `<${keyName}>${escapeXml(k)}</${keyName}>${writeElement(valueName, shape.value!.shape, shape.value, v, flavor)}`;
        entries += member?.flattened || shape.flattened ? `<${name}>${pair}</${name}>` : `<entry>${pair}</entry>`;
      }
      if (member?.flattened || shape.flattened) return entries;
      return `<${name}${extraAttrs}>${entries}</${name}>`;
    }
    default:
      return `<${name}${extraAttrs}>${scalarText(shape, member, value, flavor)}</${name}>`;
  }
}

/** The same text as one flat string (V8 flattens a string it is asked to index by a regular expression). */
function flat(text: string): string {
  FLATTEN.test(text);
  return text;
}
const FLATTEN = /^/;

/** Text of a scalar for a header or query value (timestamps in the given default format). */
export function scalarHeaderText(shape: Shape, member: Member, value: unknown, timestamp: TimestampFormat): string {
  if (shape.type === 'timestamp') return formatTimestamp(value, modelTimestampFormat(member.timestampFormat, timestamp));
  if (shape.type === 'blob') return blobToBase64(value);
  if (shape.type === 'boolean') return value ? 'true' : 'false';
  return String(value);
}
