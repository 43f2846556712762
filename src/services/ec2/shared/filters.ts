import { ec2Errors } from './errors.js';

/** A Filters member as decoded: [{Name, Values}]. */
export interface Filter {
  Name?: string;
  Values?: string[];
}

/**
 * What a resource shows to a filter: the values of each filter name it supports
 * (undefined: the resource has no value there, so the filter does not match).
 * Tags: 'tag:KEY' and 'tag-key'/'tag-value' are answered from `tags`.
 */
export type FilterValues = (name: string) => string | string[] | undefined;

/**
 * EC2's filter semantics: every filter must match (AND); within one filter, any of its
 * values (OR); values may hold * and ? wildcards. An unknown filter name is EC2's
 * InvalidParameterValue.
 */
export function matchesFilters(filters: Filter[] | undefined, values: FilterValues, tags: Record<string, string>, known: ReadonlySet<string>): boolean {
  for (const f of filters ?? []) {
    const name = f.Name ?? '';
    const patterns = f.Values ?? [];
    let have: string | string[] | undefined;
    if (name.startsWith('tag:')) have = tags[name.slice(4)];
    else if (name === 'tag-key') have = Object.keys(tags);
    else if (name === 'tag-value') have = Object.values(tags);
    else if (known.has(name)) have = values(name);
    else throw ec2Errors.invalidParameterValue(`The filter '${name}' is invalid`);
    if (have === undefined) return false;
    const list = Array.isArray(have) ? have : [have];
    if (!patterns.some((p) => list.some((v) => wildcard(p).test(v)))) return false;
  }
  return true;
}

const compiled = new Map<string, RegExp>();
function wildcard(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (!re) {
    re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's');
    if (compiled.size < 10_000) compiled.set(pattern, re);
  }
  return re;
}

/** Opaque pagination tokens: the last ID of the page before, in base64. */
export function encodeNextToken(lastId: string): string {
  return Buffer.from(JSON.stringify({ after: lastId })).toString('base64');
}

export function decodeNextToken(token: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { after?: unknown };
    if (typeof parsed.after === 'string') return parsed.after;
  } catch {
    // fall through
  }
  throw ec2Errors.invalidNextToken();
}
