/**
 * Small matching helpers shared by the validation checks: IAM's wildcard globs (does one
 * pattern cover another?) and "did you mean" suggestions.
 */

const regexCache = new Map<string, RegExp>();

/** IAM's glob: `*` any run of characters, `?` exactly one. Compiled patterns are kept. */
export function globRegExp(glob: string, caseInsensitive: boolean): RegExp {
  const id = (caseInsensitive ? 'i' : 's') + glob;
  let re = regexCache.get(id);
  if (re === undefined) {
    const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    re = new RegExp(`^${body}$`, caseInsensitive ? 'is' : 's');
    // Bounded: a long-running process validates many policies.
    if (regexCache.size >= 20_000) regexCache.clear();
    regexCache.set(id, re);
  }
  return re;
}

export function hasWildcard(text: string): boolean {
  return text.includes('*') || text.includes('?');
}

/**
 * True when every string `inner` matches is also matched by `outer`. For a literal inner
 * that is plain matching. For a glob inner, matching its text against outer is exact as
 * long as outer has no `?` (outer's `*` runs absorb inner's `*`); with `?` we do not claim
 * coverage.
 */
export function globCovers(outer: string, inner: string, caseInsensitive: boolean): boolean {
  if (!hasWildcard(outer)) return caseInsensitive ? outer.toLowerCase() === inner.toLowerCase() : outer === inner;
  if (hasWildcard(inner) && outer.includes('?')) return outer === inner;
  return globRegExp(outer, caseInsensitive).test(inner);
}

/**
 * Which values of a list are redundant because another value covers them (exact repeats
 * count once: the later copy is the redundant one). Only wildcards cover other values,
 * so the work is values × wildcards, not values².
 */
export function redundantIndexes(values: string[], caseInsensitive: boolean): Set<number> {
  const out = new Set<number>();
  const norm = (v: string) => (caseInsensitive ? v.toLowerCase() : v);
  const firstIndex = new Map<string, number>();
  values.forEach((v, i) => {
    const k = norm(v);
    if (firstIndex.has(k)) out.add(i);
    else firstIndex.set(k, i);
  });
  const wildcards = [...firstIndex].filter(([k]) => hasWildcard(k)).map(([, i]) => i);
  for (let i = 0; i < values.length; i++) {
    if (out.has(i)) continue;
    for (const j of wildcards) {
      if (j === i || out.has(j)) continue;
      if (globCovers(values[j], values[i], caseInsensitive)) { out.add(i); break; }
    }
  }
  return new Set([...out].sort((a, b) => a - b));
}

/** Levenshtein distance, case-insensitive, for "did you mean". */
export function editDistance(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/** The closest candidate when it is close enough to be a plausible typo. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const limit = Math.max(2, Math.floor(word.length / 3));
  for (const c of candidates) {
    if (Math.abs(c.length - word.length) > limit) continue;
    const d = editDistance(word, c);
    if (d < bestDistance) { best = c; bestDistance = d; }
  }
  return bestDistance <= limit ? best : undefined;
}
