/**
 * Applies bound update actions to an item. Every right-hand side and every ADD/DELETE reads
 * the item as it was before the update; the result is a new item (the input is not touched).
 */
import { AwsError } from '../../../protocol/errors.js';
import { cloneAttributeValue, type AttributeValue, type Item } from '../values/attribute-values.js';
import { addNumbers, subtractNumbers } from '../values/numbers.js';
import type { BoundOperand, BoundUpdateAction, Path } from './ast.js';
import { getPath } from './paths.js';

export const WRONG_OPERAND_TYPE = 'An operand in the update expression has an incorrect data type';
export const MISSING_ATTRIBUTE = 'The provided expression refers to an attribute that does not exist in the item';
export const INVALID_DOCUMENT_PATH = 'The document path provided in the update expression is invalid for update';

export interface UpdateResult {
  /** The item after the update. */
  item: Item;
  /** Every path the expression wrote or removed (for ReturnValues UPDATED_OLD/UPDATED_NEW). */
  paths: Path[];
  /** The top-level attributes those paths are in. */
  attributes: string[];
}

function fail(message: string): never {
  throw new AwsError('ValidationException', message, 400);
}

/** `exists` is false when UpdateItem creates the item (REMOVE of a nested path is then ignored). */
export function applyUpdate(actions: BoundUpdateAction[], original: Item, exists = true): UpdateResult {
  // Compute every new value against the original item first.
  const planned = actions.map((a) => {
    switch (a.kind) {
      case 'SET':
        return setValue(a.value, original);
      case 'ADD':
        return addValue(getPath(original, a.path), a.value);
      case 'DELETE':
        return deleteValue(getPath(original, a.path), a.value);
      case 'REMOVE':
        return undefined;
    }
  });

  // Copy-on-write: only the top-level attributes the update touches are cloned.
  const item: Item = { ...original };
  const attributes: string[] = [];
  for (const a of actions) {
    const name = a.path[0] as string;
    if (attributes.includes(name)) continue;
    attributes.push(name);
    if (item[name] !== undefined) item[name] = cloneAttributeValue(item[name]);
  }

  const removals: Path[] = [];
  const paths = actions.map((a) => a.path);
  // SETs past the end of a list append in index order, whatever order they were written in;
  // their paths are reported at the index the value landed on.
  const appends: { at: number; value: AttributeValue }[] = [];
  actions.forEach((a, i) => {
    const value = planned[i];
    if (a.kind === 'REMOVE' || (a.kind === 'DELETE' && value === undefined && getPath(original, a.path) !== undefined)) {
      removals.push(a.path);
    } else if (value !== undefined) {
      if (!setPath(item, a.path, value)) appends.push({ at: i, value });
    }
  });
  const lastIndex = (p: Path) => p[p.length - 1] as number;
  appends.sort((x, y) => lastIndex(paths[x.at]) - lastIndex(paths[y.at]));
  for (const { at, value } of appends) {
    const parent = paths[at].slice(0, -1);
    const list = (getPath(item, parent) as { L: AttributeValue[] }).L;
    paths[at] = [...parent, list.length];
    list.push(value);
  }
  removePaths(item, removals, exists);
  return { item, paths, attributes };
}

function setValue(op: BoundOperand, item: Item): AttributeValue {
  switch (op.kind) {
    case 'value':
      return op.value;
    case 'path': {
      const v = getPath(item, op.path);
      if (v === undefined) fail(MISSING_ATTRIBUTE);
      return v;
    }
    case 'if_not_exists':
      return getPath(item, op.path) ?? setValue(op.fallback, item);
    case 'list_append': {
      const a = setValue(op.left, item);
      const b = setValue(op.right, item);
      if (!('L' in a) || !('L' in b)) fail(WRONG_OPERAND_TYPE);
      return { L: [...a.L, ...b.L] };
    }
    case 'arith': {
      const a = setValue(op.left, item);
      const b = setValue(op.right, item);
      if (!('N' in a) || !('N' in b)) fail(WRONG_OPERAND_TYPE);
      return { N: op.op === '+' ? addNumbers(a.N, b.N) : subtractNumbers(a.N, b.N) };
    }
    case 'size':
      fail(WRONG_OPERAND_TYPE);
  }
}

function addValue(current: AttributeValue | undefined, value: AttributeValue): AttributeValue {
  if (current === undefined) return value;
  if ('N' in value && 'N' in current) return { N: addNumbers(current.N, value.N) };
  if ('SS' in value && 'SS' in current) return { SS: [...current.SS, ...value.SS.filter((s) => !current.SS.includes(s))] };
  if ('NS' in value && 'NS' in current) return { NS: [...current.NS, ...value.NS.filter((s) => !current.NS.includes(s))] };
  if ('BS' in value && 'BS' in current) return { BS: [...current.BS, ...value.BS.filter((b) => !current.BS.some((c) => c.equals(b)))] };
  // Only the legacy AttributeUpdates ADD gets here with a list (expressions refuse it when binding).
  if ('L' in value && 'L' in current) return { L: [...current.L, ...value.L] };
  fail(WRONG_OPERAND_TYPE);
}

/** The set left after DELETE, or undefined when nothing is left (the attribute goes away). */
function deleteValue(current: AttributeValue | undefined, value: AttributeValue): AttributeValue | undefined {
  if (current === undefined) return undefined;
  let left: AttributeValue;
  if ('SS' in value && 'SS' in current) left = { SS: current.SS.filter((s) => !value.SS.includes(s)) };
  else if ('NS' in value && 'NS' in current) left = { NS: current.NS.filter((s) => !value.NS.includes(s)) };
  else if ('BS' in value && 'BS' in current) left = { BS: current.BS.filter((b) => !value.BS.some((c) => c.equals(b))) };
  else fail(WRONG_OPERAND_TYPE);
  const size = 'SS' in left ? left.SS.length : 'NS' in left ? left.NS.length : (left as { BS: Buffer[] }).BS.length;
  return size === 0 ? undefined : left;
}

/** Writes a value; returns false for a list index past the end (the caller appends, as DynamoDB does). */
function setPath(item: Item, path: Path, value: AttributeValue): boolean {
  if (path.length === 1) {
    item[path[0] as string] = value;
    return true;
  }
  const parent = getPath(item, path.slice(0, -1));
  const last = path[path.length - 1];
  if (typeof last === 'number') {
    if (parent === undefined || !('L' in parent)) fail(INVALID_DOCUMENT_PATH);
    if (last >= parent.L.length) return false;
    parent.L[last] = value;
  } else {
    if (parent === undefined || !('M' in parent)) fail(INVALID_DOCUMENT_PATH);
    parent.M[last] = value;
  }
  return true;
}

/**
 * Removes paths that all refer to the item as it was: targets are found first, then list
 * elements are taken out from the highest index down so earlier removals do not shift later ones.
 * A missing leaf is ignored; a missing or mistyped parent is an error, except when the item
 * itself does not exist yet.
 */
function removePaths(item: Item, paths: Path[], exists: boolean): void {
  const fromLists = new Map<AttributeValue[], number[]>();
  const fromMaps: [Record<string, AttributeValue>, string][] = [];
  for (const path of paths) {
    if (path.length === 1) {
      delete item[path[0] as string];
      continue;
    }
    const parent = getPath(item, path.slice(0, -1));
    const last = path[path.length - 1];
    const fits = parent !== undefined && (typeof last === 'number' ? 'L' in parent : 'M' in parent);
    if (!fits) {
      if (exists) fail(INVALID_DOCUMENT_PATH);
      continue;
    }
    if (typeof last === 'number' && 'L' in parent) {
      if (last < parent.L.length) {
        const list = fromLists.get(parent.L) ?? [];
        list.push(last);
        fromLists.set(parent.L, list);
      }
    } else if (typeof last === 'string' && 'M' in parent) {
      fromMaps.push([parent.M, last]);
    }
  }
  for (const [map, key] of fromMaps) delete map[key];
  for (const [list, indexes] of fromLists) {
    for (const i of [...new Set(indexes)].sort((a, b) => b - a)) list.splice(i, 1);
  }
}
