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

/**
 * Where XML is written: text, and byte chunks kept from earlier writes (encodeOnce) that
 * are copied as they are, never turned into text again.
 */
class XmlSink {
  private text = '';
  private readonly chunks: Buffer[] = [];

  write(text: string): void {
    this.text += text;
  }

  writeBytes(bytes: Buffer): void {
    if (this.text !== '') this.chunks.push(Buffer.from(this.text));
    this.text = '';
    this.chunks.push(bytes);
  }

  toString(): string {
    return this.chunks.length === 0 ? this.text : Buffer.concat([...this.chunks, Buffer.from(this.text)]).toString();
  }

  toBuffer(): Buffer {
    return Buffer.concat([...this.chunks, Buffer.from(this.text)]);
  }
}

/**
 * Structures whose XML is kept once written: values a handler promises never to change
 * (it marks them with `encodeOnce`), listed again and again (DescribeInstances' instances).
 * Their XML is kept as UTF-8 bytes per element name, shape and flavor, for as long as the
 * value lives: a page of a thousand of them is a copy of kept bytes.
 */
const kept = new WeakMap<object, { name: string; shape: Shape; flavor: XmlFlavor; xml: Buffer } | null>();

/** Marks a structure as immutable: its XML is written once and reused while it lives. */
export function encodeOnce<T extends object>(value: T): T {
  if (!kept.has(value)) kept.set(value, null);
  return value;
}

/** The child elements of a structure, in model order; absent members are left out. */
export function structureBody(shape: Shape, value: Record<string, unknown>, flavor: XmlFlavor): string {
  const sink = new XmlSink();
  writeStructureBody(sink, shape, value, flavor);
  return sink.toString();
}

/** The same as UTF-8 bytes between `before` and `after` (kept structures are copied, not written again). */
export function structureBodyBytes(shape: Shape, value: Record<string, unknown>, flavor: XmlFlavor, before: string, after: string): Buffer {
  const sink = new XmlSink();
  sink.write(before);
  writeStructureBody(sink, shape, value, flavor);
  sink.write(after);
  return sink.toBuffer();
}

/** One value as an element named `name` (or, for flattened lists and maps, as repeated elements). */
export function writeElement(name: string, shape: Shape, member: Member | undefined, value: unknown, flavor: XmlFlavor, extraAttrs = ''): string {
  const sink = new XmlSink();
  element(sink, name, shape, member, value, flavor, extraAttrs);
  return sink.toString();
}

function writeStructureBody(sink: XmlSink, shape: Shape, value: Record<string, unknown>, flavor: XmlFlavor): void {
  for (const m of shape.members) {
    if (m.xmlAttribute || m.location) continue;
    const v = value[m.name];
    if (v === undefined || v === null) continue;
    element(sink, m.xmlName, m.shape, m, v, flavor, '');
  }
}

function element(sink: XmlSink, name: string, shape: Shape, member: Member | undefined, value: unknown, flavor: XmlFlavor, extraAttrs: string): void {
  switch (shape.type) {
    case 'structure': {
      const record = value as Record<string, unknown>;
      if (extraAttrs === '' && kept.has(record)) {
        const k = kept.get(record);
        if (k && k.name === name && k.shape === shape && k.flavor === flavor) return sink.writeBytes(k.xml);
        const own = new XmlSink();
        structure(own, name, shape, member, record, flavor, '');
        const xml = own.toBuffer();
        kept.set(record, { name, shape, flavor, xml });
        return sink.writeBytes(xml);
      }
      return structure(sink, name, shape, member, record, flavor, extraAttrs);
    }
    case 'list': {
      const item = shape.member!;
      const items = value as unknown[];
      if (member?.flattened || shape.flattened) {
        const itemName = item.locationName ?? name;
        for (const v of items) if (v !== undefined && v !== null) element(sink, itemName, item.shape, item, v, flavor, '');
        return;
      }
      const itemName = item.locationName ?? flavor.listItemName;
      if (!items.some((v) => v !== undefined && v !== null)) return sink.write(`<${name}${extraAttrs}/>`);
      sink.write(`<${name}${extraAttrs}>`);
      for (const v of items) if (v !== undefined && v !== null) element(sink, itemName, item.shape, item, v, flavor, '');
      return sink.write(`</${name}>`);
    }
    case 'map': {
      const keyName = shape.key!.locationName ?? 'key';
      const valueName = shape.value!.locationName ?? 'value';
      const flattened = member?.flattened || shape.flattened;
      if (!flattened) sink.write(`<${name}${extraAttrs}>`);
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (v === undefined || v === null) continue;
        sink.write(`${flattened ? `<${name}>` : '<entry>'}<${keyName}>${escapeXml(k)}</${keyName}>`);
        element(sink, valueName, shape.value!.shape, shape.value, v, flavor, '');
        sink.write(flattened ? `</${name}>` : '</entry>');
      }
      if (!flattened) sink.write(`</${name}>`);
      return;
    }
    default:
      return sink.write(`<${name}${extraAttrs}>${scalarText(shape, member, value, flavor)}</${name}>`);
  }
}

function structure(sink: XmlSink, name: string, shape: Shape, member: Member | undefined, record: Record<string, unknown>, flavor: XmlFlavor, extraAttrs: string): void {
  const attrs = extraAttrs + namespaceAttr(member?.xmlNamespace ?? shape.xmlNamespace) + attributesOf(shape, record, flavor);
  sink.write(`<${name}${attrs}>`);
  writeStructureBody(sink, shape, record, flavor);
  sink.write(`</${name}>`);
}

/** Text of a scalar for a header or query value (timestamps in the given default format). */
export function scalarHeaderText(shape: Shape, member: Member, value: unknown, timestamp: TimestampFormat): string {
  if (shape.type === 'timestamp') return formatTimestamp(value, modelTimestampFormat(member.timestampFormat, timestamp));
  if (shape.type === 'blob') return blobToBase64(value);
  if (shape.type === 'boolean') return value ? 'true' : 'false';
  return String(value);
}
