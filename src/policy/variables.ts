/**
 * Policy variables: ${aws:username}, ${aws:PrincipalTag/team, 'default'}, and the three
 * fixed ones ${*} ${?} ${$} that stand for a literal character. Only policies that say
 * Version 2012-10-17 substitute; older ones read "${…}" as plain text.
 */
import { escapeGlob } from './match.js';

/** How a compiled template is read by the request context. */
export interface VariableSource {
  /** A key's value, any case; arrays and undefined mean "no single value". */
  variable(keyLower: string, keyAsWritten: string): string | undefined;
}

type Part =
  | { kind: 'text'; text: string }
  | { kind: 'char'; char: string }
  | { kind: 'var'; key: string; keyLower: string; fallback?: string };

export interface Template {
  /** The text as written in the policy. */
  source: string;
  /** True when no variable needs the request (substitution can happen at compile time). */
  isStatic: boolean;
  /** Keys the template reads (as written), for missing-key reports. */
  keys: string[];
  /** Resolve to a glob (literal parts keep their wildcards; substituted text is escaped). */
  glob(src: VariableSource): string | undefined;
  /** Resolve to a plain string. */
  text(src: VariableSource): string | undefined;
}

const VAR = /\$\{([^}]*)\}/g;

function parseParts(source: string): Part[] {
  const parts: Part[] = [];
  let last = 0;
  for (const m of source.matchAll(VAR)) {
    const start = m.index ?? 0;
    if (start > last) parts.push({ kind: 'text', text: source.slice(last, start) });
    last = start + m[0].length;
    const inner = m[1].trim();
    if (inner === '*' || inner === '?' || inner === '$') { parts.push({ kind: 'char', char: inner }); continue; }
    const comma = inner.indexOf(',');
    if (comma < 0) {
      if (inner === '') { parts.push({ kind: 'text', text: m[0] }); continue; }
      parts.push({ kind: 'var', key: inner, keyLower: inner.toLowerCase() });
      continue;
    }
    const key = inner.slice(0, comma).trim();
    const def = inner.slice(comma + 1).trim();
    const quoted = /^'(.*)'$/s.exec(def);
    if (!key || !quoted) { parts.push({ kind: 'text', text: m[0] }); continue; }
    parts.push({ kind: 'var', key, keyLower: key.toLowerCase(), fallback: quoted[1] });
  }
  if (last < source.length) parts.push({ kind: 'text', text: source.slice(last) });
  return parts;
}

function escapeBackslashes(text: string): string {
  return text.includes('\\') ? text.replace(/\\/g, '\\\\') : text;
}


/** Compile a string that may hold variables. `substitute` is false for pre-2012 policies. */
export function compileTemplate(source: string, substitute: boolean): Template {
  const parts: Part[] = substitute && source.includes('${') ? parseParts(source) : [{ kind: 'text', text: source }];
  const vars = parts.filter((p): p is Extract<Part, { kind: 'var' }> => p.kind === 'var');
  if (vars.length === 0) {
    const plain = parts.map((p) => (p.kind === 'text' ? p.text : p.kind === 'char' ? p.char : '')).join('');
    const glob = parts.map((p) => (p.kind === 'text' ? escapeBackslashes(p.text) : p.kind === 'char' ? escapeGlob(p.char) : '')).join('');
    return { source, isStatic: true, keys: [], glob: () => glob, text: () => plain };
  }
  const resolve = (src: VariableSource, asGlob: boolean): string | undefined => {
    let out = '';
    for (const p of parts) {
      if (p.kind === 'text') out += asGlob ? escapeBackslashes(p.text) : p.text;
      else if (p.kind === 'char') out += asGlob ? escapeGlob(p.char) : p.char;
      else {
        const v = src.variable(p.keyLower, p.key) ?? p.fallback;
        if (v === undefined) return undefined;
        out += asGlob ? escapeGlob(v) : v;
      }
    }
    return out;
  };
  return {
    source,
    isStatic: false,
    keys: vars.map((v) => v.key),
    glob: (src) => resolve(src, true),
    text: (src) => resolve(src, false),
  };
}
