/** The tokenizer shared by every expression kind. */

export type TokenKind =
  /** A bare word: attribute name, keyword (AND, SET, ...) or function name. */
  | 'word'
  /** #placeholder */
  | 'alias'
  /** :placeholder */
  | 'value'
  /** Digits (list indexes). */
  | 'number'
  /** ( ) [ ] , . = <> < <= > >= + - */
  | 'punct'
  /** A character no token starts with. */
  | 'invalid'
  | 'eof';

export interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
}

/** Bare names start with a letter ("_a" is a syntax error on DynamoDB). */
const WORD_START = /[A-Za-z]/;
const WORD_PART = /[A-Za-z0-9_]/;
const DIGIT = /[0-9]/;
const SPACE = /\s/;

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (SPACE.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (WORD_START.test(c)) {
      while (i < n && WORD_PART.test(text[i])) i++;
      tokens.push({ kind: 'word', text: text.slice(start, i), start, end: i });
    } else if (DIGIT.test(c)) {
      while (i < n && DIGIT.test(text[i])) i++;
      tokens.push({ kind: 'number', text: text.slice(start, i), start, end: i });
    } else if ((c === '#' || c === ':') && i + 1 < n && WORD_PART.test(text[i + 1])) {
      i++;
      while (i < n && WORD_PART.test(text[i])) i++;
      tokens.push({ kind: c === '#' ? 'alias' : 'value', text: text.slice(start, i), start, end: i });
    } else if ((c === '<' && (text[i + 1] === '>' || text[i + 1] === '=')) || (c === '>' && text[i + 1] === '=')) {
      i += 2;
      tokens.push({ kind: 'punct', text: text.slice(start, i), start, end: i });
    } else if ('()[],.=<>+-'.includes(c)) {
      i++;
      tokens.push({ kind: 'punct', text: c, start, end: i });
    } else {
      const cp = text.codePointAt(i)!;
      i += cp > 0xffff ? 2 : 1;
      tokens.push({ kind: 'invalid', text: text.slice(start, i), start, end: i });
    }
  }
  tokens.push({ kind: 'eof', text: '<EOF>', start: n, end: n });
  return tokens;
}
