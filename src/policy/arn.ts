/**
 * Resource ARNs as written in Resource and NotResource: arn:partition:service:region:
 * account:resource. The first five fields end at the first five colons; the resource part
 * is everything after the fifth colon and may hold colons itself.
 *
 * A policy variable "${…}" is one token wherever it stands: the colon inside
 * ${aws:PrincipalAccount} never ends a field. IAM substitutes variables only in the
 * resource part ("You can't use a variable to replace parts of the ARN before the fifth
 * colon", reference_policies_variables.md), so one written before it stays literal text,
 * and an ARN that holds it matches no real resource.
 */
import { escapeGlob } from './match.js';
import { compileTemplate, type Template } from './variables.js';

/** Where a "${…}" token starting at `i` ends (the index after "}"), or -1 when it is not one. */
function variableEnd(text: string, i: number): number {
  if (text.charCodeAt(i) !== 0x24 || text.charCodeAt(i + 1) !== 0x7b) return -1;
  const close = text.indexOf('}', i + 2);
  return close < 0 ? -1 : close + 1;
}

/** Indexes of the field-separating colons, at most `max`, variables read as one token. */
export function arnColons(text: string, max = 5): number[] {
  const cuts: number[] = [];
  for (let i = 0; i < text.length && cuts.length < max; i++) {
    const end = variableEnd(text, i);
    if (end > 0) { i = end - 1; continue; }
    if (text.charCodeAt(i) === 0x3a) cuts.push(i);
  }
  return cuts;
}

/** The fields before the fifth colon (as many as there are) and the resource part, if any. */
export function arnFields(text: string): { head: string[]; resource: string | undefined } {
  const cuts = arnColons(text);
  const head: string[] = [];
  let start = 0;
  for (const c of cuts) {
    head.push(text.slice(start, c));
    start = c + 1;
  }
  if (cuts.length < 5) return { head: [...head, text.slice(start)], resource: undefined };
  return { head, resource: text.slice(start) };
}

/** The names IAM's guide gives the fields before the resource part, for messages. */
export const ARN_FIELD_NAMES = ['prefix', 'partition', 'service', 'Region', 'account'] as const;

/** Variables written before the resource part: IAM leaves them unsubstituted. */
export function variablesBeforeResource(text: string): { variable: string; field: (typeof ARN_FIELD_NAMES)[number]; offset: number }[] {
  const cuts = arnColons(text);
  const limit = cuts.length < 5 ? text.length : cuts[4];
  const out: { variable: string; field: (typeof ARN_FIELD_NAMES)[number]; offset: number }[] = [];
  for (let i = 0; i < limit; i++) {
    const end = variableEnd(text, i);
    if (end < 0) continue;
    const field = cuts.filter((c) => c < i).length;
    out.push({ variable: text.slice(i, end), field: ARN_FIELD_NAMES[field], offset: i });
    i = end - 1;
  }
  return out;
}

/** Literal glob text for an ARN head: wildcards as written, a variable's own characters (colons too) literal. */
function literalHead(head: string): string {
  let out = '';
  for (let i = 0; i < head.length; i++) {
    const end = variableEnd(head, i);
    if (end > 0) {
      out += escapeGlob(head.slice(i, end)).replace(/:/g, '\\:');
      i = end - 1;
      continue;
    }
    const ch = head[i];
    out += ch === '\\' ? '\\\\' : ch;
  }
  return out;
}

/**
 * A Resource value as a template. With substitution on (Version 2012-10-17) only the
 * resource part reads variables; the fields before it are matched as written.
 */
export function resourceTemplate(source: string, substitute: boolean): Template {
  if (!substitute || !source.includes('${')) return compileTemplate(source, substitute);
  const cuts = arnColons(source);
  // Without five colons there is no resource part: nothing is substituted.
  const split = cuts.length < 5 ? source.length : cuts[4] + 1;
  if (!source.slice(0, split).includes('${')) return compileTemplate(source, substitute);
  const head = literalHead(source.slice(0, split));
  const tail = compileTemplate(source.slice(split), substitute);
  return {
    source,
    isStatic: tail.isStatic,
    keys: tail.keys,
    glob: (src) => { const g = tail.glob(src); return g === undefined ? undefined : head + g; },
    text: (src) => { const t = tail.text(src); return t === undefined ? undefined : source.slice(0, split) + t; },
  };
}
