/**
 * Wildcard matching as IAM does it, compiled ahead of time.
 *
 * Patterns here are "glob strings": `*` matches any run of characters, `?` exactly one,
 * and a backslash makes the next character literal. Literal text that came from policy
 * variables (a user name, ${*}) is escaped by variables.ts, so only wildcards the policy
 * author wrote act as wildcards.
 *
 * Three flavours:
 *  - plain globs (StringLike, actions): the wildcard spans the whole string;
 *  - ARN globs (Resource, ArnLike/ArnEquals): the first five colon-separated segments
 *    match separately (a wildcard there never crosses a colon); the sixth part, the
 *    resource, may contain colons and its wildcards match them;
 *  - either, case-insensitively (actions).
 */

export type Matcher = (value: string) => boolean;

const alwaysTrue: Matcher = () => true;

/** Escape text so a glob reads it literally. */
export function escapeGlob(text: string): string {
  let needs = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2a || c === 0x3f || c === 0x5c) { needs = true; break; }
  }
  return needs ? text.replace(/[*?\\]/g, '\\$&') : text;
}

function hasWildcard(glob: string): boolean {
  for (let i = 0; i < glob.length; i++) {
    const c = glob.charCodeAt(i);
    if (c === 0x5c) { i++; continue; }
    if (c === 0x2a || c === 0x3f) return true;
  }
  return false;
}

function unescapeGlob(glob: string): string {
  return glob.includes('\\') ? glob.replace(/\\(.)/gs, '$1') : glob;
}

const REGEX_SPECIAL = /[.*+?^${}()|[\]\\/]/g;

/** Regex source for a glob; `star`/`one` say what the wildcards may match. */
function globToRegexSource(glob: string, star: string, one: string): string {
  let out = '';
  let lit = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '\\' && i + 1 < glob.length) { lit += glob[++i]; continue; }
    if (ch === '*' || ch === '?') {
      if (lit) { out += lit.replace(REGEX_SPECIAL, '\\$&'); lit = ''; }
      // Collapse runs of '*' so the regex stays linear.
      if (ch === '*') { if (!out.endsWith(star)) out += star; } else out += one;
      continue;
    }
    lit += ch;
  }
  if (lit) out += lit.replace(REGEX_SPECIAL, '\\$&');
  return out;
}

/** Split on unescaped wildcards to spot the shapes that need no regex. */
function simpleShape(glob: string): { kind: 'exact' | 'prefix' | 'suffix' | 'contains'; text: string } | undefined {
  if (!hasWildcard(glob)) return { kind: 'exact', text: unescapeGlob(glob) };
  // Escapes and '?' are rare in practice; the regex path reads them exactly.
  if (glob.includes('?') || glob.includes('\\')) return undefined;
  const stars = [...glob.matchAll(/\*/g)].map((m) => m.index ?? 0);
  if (stars.length === 1 && stars[0] === glob.length - 1) return { kind: 'prefix', text: unescapeGlob(glob.slice(0, -1)) };
  if (stars.length === 1 && stars[0] === 0) return { kind: 'suffix', text: unescapeGlob(glob.slice(1)) };
  if (stars.length === 2 && stars[0] === 0 && stars[1] === glob.length - 1 && glob.length > 1) return { kind: 'contains', text: unescapeGlob(glob.slice(1, -1)) };
  return undefined;
}

/** A plain glob over the whole string (StringLike; action names when ignoreCase). */
export function compileGlob(glob: string, ignoreCase = false): Matcher {
  if (glob === '*') return alwaysTrue;
  const shape = simpleShape(glob);
  if (shape) {
    const t = ignoreCase ? shape.text.toLowerCase() : shape.text;
    // Callers that ignore case pass values already lower-cased (see compile.ts).
    switch (shape.kind) {
      case 'exact': return (v) => v === t;
      case 'prefix': return (v) => v.startsWith(t);
      case 'suffix': return (v) => v.endsWith(t);
      case 'contains': return (v) => v.includes(t);
    }
  }
  const re = new RegExp(`^${globToRegexSource(glob, '.*', '.')}$`, ignoreCase ? 'is' : 's');
  return (v) => re.test(v);
}

/** An ARN glob: five separately matched segments, then the resource part. */
export function compileArnGlob(glob: string): Matcher {
  if (glob === '*') return alwaysTrue;
  // Find the first five unescaped colons.
  const cuts: number[] = [];
  for (let i = 0; i < glob.length && cuts.length < 5; i++) {
    if (glob[i] === '\\') { i++; continue; }
    if (glob[i] === ':') cuts.push(i);
  }
  if (cuts.length < 5) {
    // Not a full ARN: wildcards in the earlier segments stay inside their segment, and
    // the last written segment covers whatever is left of the value.
    return compileShortArnGlob(glob, cuts);
  }
  const prefix = glob.slice(0, cuts[4] + 1);
  const rest = glob.slice(cuts[4] + 1);
  if (!hasWildcard(prefix)) {
    const literalPrefix = unescapeGlob(prefix);
    const tail = compileGlob(rest);
    return (v) => v.startsWith(literalPrefix) && tail(v.slice(literalPrefix.length));
  }
  const segments = splitAt(prefix.slice(0, -1), cuts.slice(0, 4));
  const src = segments.map((s) => globToRegexSource(s, '[^:]*', '[^:]')).join(':') + ':' + globToRegexSource(rest, '.*', '.');
  const re = new RegExp(`^${src}$`, 's');
  return (v) => re.test(v);
}

function compileShortArnGlob(glob: string, cuts: number[]): Matcher {
  const segments = splitAt(glob, cuts);
  const last = segments.pop() ?? '';
  const src = segments.map((s) => globToRegexSource(s, '[^:]*', '[^:]') + ':').join('') + globToRegexSource(last, '.*', '.');
  const re = new RegExp(`^${src}$`, 's');
  return (v) => re.test(v);
}

function splitAt(text: string, cuts: number[]): string[] {
  const parts: string[] = [];
  let start = 0;
  for (const c of cuts) {
    if (c >= text.length) break;
    parts.push(text.slice(start, c));
    start = c + 1;
  }
  parts.push(text.slice(start));
  return parts;
}

/**
 * Matchers for globs only known at request time (after variable substitution). A small
 * cache keeps the regex work off the hot path when the same user calls again.
 */
export class MatcherCache {
  private readonly map = new Map<string, Matcher>();
  constructor(private readonly build: (glob: string) => Matcher, private readonly limit = 256) {}
  get(glob: string): Matcher {
    let m = this.map.get(glob);
    if (m === undefined) {
      if (this.map.size >= this.limit) this.map.clear();
      m = this.build(glob);
      this.map.set(glob, m);
    }
    return m;
  }
}
