/** Reading and writing document paths (a.b[2].c) in items. */
import type { AttributeValue, Item } from '../values/attribute-values.js';
import type { Path } from './ast.js';

/** The value at a path, or undefined when any step is missing or of the wrong type. */
export function getPath(item: Item, path: Path): AttributeValue | undefined {
  let current: AttributeValue | undefined = item[path[0] as string];
  for (let i = 1; i < path.length && current !== undefined; i++) {
    const step = path[i];
    if (typeof step === 'number') current = 'L' in current ? current.L[step] : undefined;
    else current = 'M' in current ? current.M[step] : undefined;
  }
  return current;
}

/** DynamoDB's text for a path in messages: [a, b, [0]]. */
export function pathText(path: Path): string {
  return `[${path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join(', ')}]`;
}

/**
 * How two paths of one request relate: 'overlap' when one is a prefix of the other (or they
 * are equal), 'conflict' when they reach the same place as a map key in one and a list
 * index in the other, undefined when they are independent.
 */
export function pathRelation(a: Path, b: Path): 'overlap' | 'conflict' | undefined {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (typeof a[i] !== typeof b[i]) return 'conflict';
    if (a[i] !== b[i]) return undefined;
  }
  return 'overlap';
}

/** The first overlapping or conflicting pair among paths, as DynamoDB words it. */
export function pathsProblem(paths: Path[]): { overlap?: string; conflict?: string } {
  const out: { overlap?: string; conflict?: string } = {};
  for (let j = 1; j < paths.length; j++) {
    for (let i = 0; i < j; i++) {
      const relation = pathRelation(paths[i], paths[j]);
      if (relation === 'overlap' && !out.overlap) {
        out.overlap = `Two document paths overlap with each other; must remove or rewrite one of these paths; path one: ${pathText(paths[i])}, path two: ${pathText(paths[j])}`;
      } else if (relation === 'conflict' && !out.conflict) {
        out.conflict = `Two document paths conflict with each other; must remove or rewrite one of these paths; path one: ${pathText(paths[i])}, path two: ${pathText(paths[j])}`;
      }
    }
  }
  return out;
}

/**
 * Copies the given paths of an item, keeping the document structure (ProjectionExpression,
 * ReturnValues UPDATED_*): a.b gives {a: {M: {b}}}, a[2] and a[0] give {a: {L: [a[0], a[2]]}}.
 * Missing paths are left out.
 */
export function projectPaths(item: Item, paths: Path[]): Item {
  // Fast path: only top-level names.
  if (paths.every((p) => p.length === 1)) {
    const out: Item = {};
    for (const p of paths) {
      const v = item[p[0] as string];
      if (v !== undefined) out[p[0] as string] = v;
    }
    return out;
  }
  // Build a tree of requested steps, then copy what exists along it.
  type Node = { whole: boolean; children: Map<string | number, Node> };
  const root: Node = { whole: false, children: new Map() };
  for (const p of paths) {
    let node = root;
    for (const step of p) {
      let child = node.children.get(step);
      if (!child) node.children.set(step, (child = { whole: false, children: new Map() }));
      node = child;
    }
    node.whole = true;
  }
  const copy = (value: AttributeValue, node: Node): AttributeValue | undefined => {
    if (node.whole) return value;
    if ('M' in value) {
      const m: Record<string, AttributeValue> = {};
      let any = false;
      for (const [step, child] of node.children) {
        if (typeof step !== 'string' || value.M[step] === undefined) continue;
        const v = copy(value.M[step], child);
        if (v !== undefined) (m[step] = v), (any = true);
      }
      return any ? { M: m } : undefined;
    }
    if ('L' in value) {
      const indexes = [...node.children.keys()].filter((k): k is number => typeof k === 'number').sort((a, b) => a - b);
      const l: AttributeValue[] = [];
      for (const i of indexes) {
        if (value.L[i] === undefined) continue;
        const v = copy(value.L[i], node.children.get(i)!);
        if (v !== undefined) l.push(v);
      }
      return l.length ? { L: l } : undefined;
    }
    return undefined;
  };
  const out: Item = {};
  for (const [name, child] of root.children) {
    const v = item[name as string];
    if (v === undefined) continue;
    const projected = copy(v, child);
    if (projected !== undefined) out[name as string] = projected;
  }
  return out;
}
