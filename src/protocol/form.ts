import { AwsError } from './errors.js';

/**
 * A form (or query string) as a tree of its dotted keys: `Tags.member.1.Key=a` becomes
 * Tags → member → 1 → Key = 'a'. Decoders then walk it by shape, never scanning keys.
 */
export interface FormNode {
  value?: string;
  children?: Map<string, FormNode>;
}

function decodeComponent(text: string): string {
  if (text.indexOf('+') !== -1) text = text.replace(/\+/g, ' ');
  if (text.indexOf('%') === -1) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    throw new AwsError('MalformedQueryString', `Invalid percent-encoding in '${text}'`, 400);
  }
}

/** Splits `a=1&b=2` into decoded pairs, in order; a key without '=' has the value ''. */
export function parseFormPairs(text: string): [string, string][] {
  const pairs: [string, string][] = [];
  if (text === '') return pairs;
  for (const part of text.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = decodeComponent(eq === -1 ? part : part.slice(0, eq));
    pairs.push([key, eq === -1 ? '' : decodeComponent(part.slice(eq + 1))]);
  }
  return pairs;
}

/** Builds the key tree from one or more urlencoded texts (query string, then body). */
export function parseFormTree(...texts: string[]): FormNode {
  const root: FormNode = {};
  for (const text of texts) {
    for (const [key, value] of parseFormPairs(text)) {
      let node = root;
      for (const part of key.split('.')) {
        node.children ??= new Map();
        let next = node.children.get(part);
        if (!next) {
          next = {};
          node.children.set(part, next);
        }
        node = next;
      }
      node.value = value;
    }
  }
  return root;
}

/** The children whose keys are list positions (1, 2, …), in numeric order. */
export function indexedChildren(node: FormNode): FormNode[] {
  if (!node.children) return [];
  const entries: [number, FormNode][] = [];
  for (const [k, child] of node.children) {
    const n = Number(k);
    if (Number.isInteger(n) && n > 0) entries.push([n, child]);
  }
  entries.sort((a, b) => a[0] - b[0]);
  return entries.map((e) => e[1]);
}
