import type { WireResponse } from '../protocol/errors.js';

/** A JSON answer of an operator endpoint (/_iamlocal/*). */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): WireResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) + '\n' };
}
