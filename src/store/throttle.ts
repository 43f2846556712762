import type { Store } from './store.js';

const INTERVAL_MS = 60_000;
const lastWritten = new WeakMap<Store, Map<string, number>>();

/**
 * Bookkeeping written on every authenticated request (key and role last use) only needs
 * minute precision: true at most once a minute per key, so the hot path rarely writes.
 */
export function dueForWrite(store: Store, key: string, now: number): boolean {
  let written = lastWritten.get(store);
  if (!written) {
    written = new Map();
    lastWritten.set(store, written);
  }
  const prev = written.get(key);
  if (prev !== undefined && now - prev < INTERVAL_MS && now >= prev) return false;
  written.set(key, now);
  return true;
}
