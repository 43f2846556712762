import { indexedChildren, type FormNode } from './form.js';
import { scalarFromText, WireTypeError } from './scalars.js';
import type { Member, Shape } from './shapes.js';

/**
 * Form-encoded input → typed input, for the two query dialects:
 * - 'query' (IAM, STS): `Name.member.N`, maps `Name.entry.N.key`, empty list as `Name=`;
 * - 'ec2': capitalised locationName / queryName, every list flattened as `Name.N`.
 */
export type QueryDialect = 'query' | 'ec2';

function fieldName(m: Member, dialect: QueryDialect): string {
  if (dialect === 'ec2') return m.ec2Key;
  // A flattened list whose element has its own name is sent under that name.
  if (m.shape.type === 'list' && m.flattened && m.shape.member!.locationName) return m.shape.member!.locationName;
  return m.queryKey;
}

function decodeValue(m: Member, node: FormNode, dialect: QueryDialect, path: string, wirePath: string): unknown {
  const shape = m.shape;
  switch (shape.type) {
    case 'structure':
      return node.children ? decodeStructure(shape, node, dialect, path, wirePath) : undefined;
    case 'list':
      return decodeList(m, node, dialect, path, wirePath);
    case 'map':
      return decodeMap(m, node, dialect, path, wirePath);
    default: {
      if (node.value === undefined) return undefined;
      try {
        return scalarFromText(shape.type, node.value);
      } catch (e) {
        if (e instanceof WireTypeError) {
          e.path ??= path;
          e.wirePath ??= wirePath;
        }
        throw e;
      }
    }
  }
}

function decodeList(m: Member, node: FormNode, dialect: QueryDialect, path: string, wirePath: string): unknown[] | undefined {
  const item = m.shape.member!;
  let itemsNode: FormNode | undefined = node;
  if (dialect === 'query' && !m.flattened) itemsNode = node.children?.get(item.locationName ?? 'member');
  const items = itemsNode ? indexedChildren(itemsNode) : [];
  if (items.length === 0) return node.value !== undefined ? [] : undefined;
  const out: unknown[] = [];
  items.forEach((child, i) => {
    const v = decodeValue(item, child, dialect, `${path}.${i + 1}.member`, `${wirePath}.${i + 1}`);
    if (v !== undefined) out.push(v);
  });
  return out;
}

function decodeMap(m: Member, node: FormNode, dialect: QueryDialect, path: string, wirePath: string): Record<string, unknown> | undefined {
  const shape = m.shape;
  const entriesNode = m.flattened ? node : node.children?.get('entry');
  const entries = entriesNode ? indexedChildren(entriesNode) : [];
  if (entries.length === 0) return node.value !== undefined ? {} : undefined;
  const keyName = shape.key!.locationName ?? 'key';
  const valueName = shape.value!.locationName ?? 'value';
  const out: Record<string, unknown> = {};
  for (const entry of entries) {
    const key = entry.children?.get(keyName)?.value;
    const valueNode = entry.children?.get(valueName);
    if (key === undefined || !valueNode) continue;
    const v = decodeValue(shape.value!, valueNode, dialect, `${path}.${key}`, `${wirePath}.${key}`);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

/** Decodes a structure from its node; members not sent stay absent. */
export function decodeStructure(shape: Shape, node: FormNode, dialect: QueryDialect, path = '', wirePath = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const children = node.children;
  if (!children) return out;
  for (const m of shape.members) {
    const name = fieldName(m, dialect);
    const child = children.get(name);
    if (!child) continue;
    const v = decodeValue(m, child, dialect, path ? `${path}.${m.pathName}` : m.pathName, wirePath ? `${wirePath}.${name}` : name);
    if (v !== undefined) out[m.name] = v;
  }
  return out;
}
