import { validationError } from '../../../identity/errors.js';

/** IAM's list paging: Marker (opaque, from the previous page) and MaxItems (default 100). */
export interface PageRequest {
  Marker?: string;
  MaxItems?: number;
}

/** The members every IAM list response carries: Marker only when IsTruncated. */
export interface PageMore {
  IsTruncated: boolean;
  Marker?: string;
}

export const DEFAULT_MAX_ITEMS = 100;
/** The model's bound for Marker values clients send back. */
const MAX_MARKER_LENGTH = 320;

/**
 * One page of items. With sortKey, the items are ordered by it (code-unit order) and the
 * marker remembers the last key returned, so a page stays right when items are added or
 * removed between calls. Without sortKey the order is the items' own and the marker is a
 * position (for short lists such as tags, whose keys can be too long for a marker).
 */
export function paginate<T>(all: T[], req: PageRequest, sortKey?: (item: T) => string): { items: T[]; more: PageMore } {
  const max = req.MaxItems ?? DEFAULT_MAX_ITEMS;
  let items = all;
  let start = 0;
  if (sortKey) {
    const keyed = all.map((item) => ({ item, key: sortKey(item) }));
    keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    items = keyed.map((k) => k.item);
    if (req.Marker !== undefined) {
      const m = decodeMarker(req.Marker);
      if (m.kind === 'key') {
        start = keyed.findIndex((k) => k.key > m.key);
        if (start < 0) start = keyed.length;
      } else {
        start = m.index;
      }
    }
  } else if (req.Marker !== undefined) {
    const m = decodeMarker(req.Marker);
    if (m.kind !== 'index') throw badMarker(req.Marker);
    start = m.index;
  }
  const page = items.slice(start, start + max);
  const end = start + page.length;
  if (end >= items.length) return { items: page, more: { IsTruncated: false } };
  const lastKey = sortKey ? sortKey(page[page.length - 1]) : undefined;
  return { items: page, more: { IsTruncated: true, Marker: encodeMarker(lastKey, end) } };
}

/** How listPage orders its items and shapes the page's. */
export interface ListPageOptions<T, U> {
  /** As paginate's sortKey: without it the items keep their own order. */
  sortKey?: (item: T) => string;
  /** The response shape of one item, made for the page's items only (it may read the store). */
  shape?: (item: T) => U;
}

/**
 * A list response: one page of `all` under the model's member name (Users, Policies,
 * AttachedPolicies…), with IsTruncated and Marker.
 */
export function listPage<M extends string, T, U = T>(member: M, all: T[], req: PageRequest, options: ListPageOptions<T, U> = {}): Record<M, U[]> & PageMore {
  const { items, more } = paginate(all, req, options.sortKey);
  const shaped = options.shape ? items.map(options.shape) : (items as unknown as U[]);
  return { [member]: shaped, ...more } as Record<M, U[]> & PageMore;
}

/**
 * One page read straight from the store, for lists that can be long (users, roles,
 * policies): `fetch(afterKey, limit)` returns up to `limit` rows ordered by sortKey and
 * strictly after afterKey (null for the first page), so a page costs its own size rather
 * than the whole list. Markers are the same as paginate's.
 */
export function paginateQuery<T>(req: PageRequest, fetch: (afterKey: string | null, limit: number) => T[], sortKey: (item: T) => string): { items: T[]; more: PageMore } {
  const max = req.MaxItems ?? DEFAULT_MAX_ITEMS;
  let after: string | null = null;
  if (req.Marker !== undefined) {
    const m = decodeMarker(req.Marker);
    if (m.kind !== 'key') throw badMarker(req.Marker);
    after = m.key;
  }
  const rows = fetch(after, max + 1);
  if (rows.length <= max) return { items: rows, more: { IsTruncated: false } };
  const items = rows.slice(0, max);
  return { items, more: { IsTruncated: true, Marker: encodeMarker(sortKey(items[max - 1]), max) } };
}

type Marker = { kind: 'key'; key: string } | { kind: 'index'; index: number };

function encodeMarker(lastKey: string | undefined, end: number): string {
  if (lastKey !== undefined) {
    const byKey = Buffer.from('k' + lastKey, 'utf8').toString('base64url');
    if (byKey.length <= MAX_MARKER_LENGTH) return byKey;
  }
  return Buffer.from('i' + end, 'utf8').toString('base64url');
}

function decodeMarker(marker: string): Marker {
  const text = Buffer.from(marker, 'base64url').toString('utf8');
  if (text.startsWith('k') && text.length > 1) return { kind: 'key', key: text.slice(1) };
  if (/^i\d{1,9}$/.test(text)) return { kind: 'index', index: Number(text.slice(1)) };
  throw badMarker(marker);
}

function badMarker(marker: string) {
  return validationError(`Invalid Marker: ${marker}`);
}
