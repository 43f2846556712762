import type { XMLParser } from 'fast-xml-parser';
import { xmlLibrary } from './xml-library.js';
import { scalarFromText, WireTypeError } from './scalars.js';
import type { Member, Shape } from './shapes.js';

const ATTR = '@_';
const TEXT = '#text';

let parser: XMLParser | undefined;
const parserOptions = {
  ignoreAttributes: false,
  attributeNamePrefix: ATTR,
  textNodeName: TEXT,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  removeNSPrefix: false,
  processEntities: true,
  // Also decodes numeric references such as &#13;, which SDKs send for carriage returns.
  htmlEntities: true,
};

/** Thrown for a body that is not well-formed XML. */
export class XmlSyntaxError extends Error {}

type XmlNode = string | { [name: string]: XmlNode | XmlNode[] };

/** Parses a document; returns its root element's name and content. */
export function parseXmlDocument(text: string): { name: string; node: XmlNode } | undefined {
  if (text.trim() === '') return undefined;
  const { XMLParser, XMLValidator } = xmlLibrary();
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new XmlSyntaxError(valid.err.msg);
  parser ??= new XMLParser(parserOptions);
  const doc = parser.parse(text) as Record<string, XmlNode>;
  const name = Object.keys(doc).find((k) => k !== TEXT && !k.startsWith('?'));
  if (name === undefined) throw new XmlSyntaxError('no root element');
  const node = doc[name];
  return { name, node: Array.isArray(node) ? node[0] : node };
}

function asArray(v: XmlNode | XmlNode[] | undefined): XmlNode[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

function textOf(node: XmlNode): string {
  if (typeof node === 'string') return node;
  const t = node[TEXT];
  return typeof t === 'string' ? t : '';
}

function childrenOf(node: XmlNode): Record<string, XmlNode | XmlNode[]> {
  return typeof node === 'string' ? {} : node;
}

function readValue(member: Member, node: XmlNode, path: string): unknown {
  const shape = member.shape;
  switch (shape.type) {
    case 'structure':
      return readStructure(shape, node, path);
    case 'list': {
      const item = shape.member!;
      const items = asArray(childrenOf(node)[item.locationName ?? 'member']);
      return items.map((n, i) => readValue(item, n, `${path}.${i + 1}.member`));
    }
    case 'map':
      return readMapEntries(shape, asArray(childrenOf(node).entry), path);
    default:
      try {
        return scalarFromText(shape.type, textOf(node));
      } catch (e) {
        if (e instanceof WireTypeError) e.path ??= path;
        throw e;
      }
  }
}

function readMapEntries(shape: Shape, entries: XmlNode[], path: string): Record<string, unknown> {
  const keyName = shape.key!.locationName ?? 'key';
  const valueName = shape.value!.locationName ?? 'value';
  const out: Record<string, unknown> = {};
  for (const entry of entries) {
    const children = childrenOf(entry);
    const keyNode = asArray(children[keyName])[0];
    const valueNode = asArray(children[valueName])[0];
    if (keyNode === undefined || valueNode === undefined) continue;
    const key = textOf(keyNode);
    out[key] = readValue(shape.value!, valueNode, `${path}.${key}`);
  }
  return out;
}

/** An element's content → structure by shape; members without an element stay absent. */
export function readStructure(shape: Shape, node: XmlNode, path = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const children = childrenOf(node);
  for (const m of shape.members) {
    if (m.location) continue;
    const memberPath = path ? `${path}.${m.pathName}` : m.pathName;
    if (m.xmlAttribute) {
      const attr = children[ATTR + m.xmlName];
      if (typeof attr === 'string') out[m.name] = scalarFromText(m.shape.type, attr);
      continue;
    }
    if (m.flattened && m.shape.type === 'list') {
      const item = m.shape.member!;
      const items = asArray(children[item.locationName ?? m.xmlName]);
      if (items.length > 0) out[m.name] = items.map((n, i) => readValue(item, n, `${memberPath}.${i + 1}.member`));
      continue;
    }
    if (m.flattened && m.shape.type === 'map') {
      const entries = asArray(children[m.xmlName]);
      if (entries.length > 0) out[m.name] = readMapEntries(m.shape, entries, memberPath);
      continue;
    }
    const child = children[m.xmlName];
    if (child === undefined) continue;
    out[m.name] = readValue(m, asArray(child)[0], memberPath);
  }
  return out;
}
