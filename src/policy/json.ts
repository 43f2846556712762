/**
 * A strict JSON reader (RFC 8259) that records where every value sits.
 *
 * JSON.parse loses positions and silently keeps the last of duplicate keys; IAM findings
 * and errors need line/column, and IAM refuses duplicate keys, so we read the text
 * ourselves. One pass, no backtracking.
 */
import type { JsonArray, JsonEntry, JsonNode, JsonObject, JsonPath, Position, Span } from './ast.js';

export class JsonSyntaxError extends Error {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
  /** The problem without the position, e.g. "trailing comma before ']'". */
  readonly reason: string;
  constructor(reason: string, pos: Position) {
    super(`${reason} at line ${pos.line}, column ${pos.column}`);
    this.name = 'JsonSyntaxError';
    this.reason = reason;
    this.line = pos.line;
    this.column = pos.column;
    this.offset = pos.offset;
  }
}

export interface JsonReadOptions {
  /** Refuse objects that repeat a key (IAM does). Default true. */
  rejectDuplicateKeys?: boolean;
}

export function parseJson(text: string, opts: JsonReadOptions = {}): JsonNode {
  return new Reader(text, opts.rejectDuplicateKeys ?? true).document();
}

function describeChar(ch: string | undefined): string {
  if (ch === undefined) return 'end of input';
  if (ch === '\n') return 'end of line';
  return `'${ch}'`;
}

class Reader {
  private i = 0;
  private line = 1;
  private lineStart = 0;

  constructor(private readonly text: string, private readonly rejectDuplicates: boolean) {}

  document(): JsonNode {
    // A UTF-8 byte order mark is not part of the document.
    if (this.text.charCodeAt(0) === 0xfeff) { this.i = 1; this.lineStart = 1; }
    this.skipWhitespace();
    if (this.i >= this.text.length) this.fail('empty document');
    const node = this.value([]);
    this.skipWhitespace();
    if (this.i < this.text.length) this.fail(`unexpected ${describeChar(this.text[this.i])} after the end of the document`);
    return node;
  }

  private pos(): Position {
    return { line: this.line, column: this.i - this.lineStart + 1, offset: this.i };
  }

  private fail(reason: string, at: Position = this.pos()): never {
    throw new JsonSyntaxError(reason, at);
  }

  private skipWhitespace(): void {
    const t = this.text;
    while (this.i < t.length) {
      const c = t.charCodeAt(this.i);
      if (c === 0x20 || c === 0x09 || c === 0x0d) this.i++;
      else if (c === 0x0a) { this.i++; this.line++; this.lineStart = this.i; }
      else break;
    }
  }

  private value(path: JsonPath): JsonNode {
    const ch = this.text[this.i];
    switch (ch) {
      case '{': return this.object(path);
      case '[': return this.array(path);
      case '"': {
        const start = this.pos();
        const value = this.string();
        return { type: 'string', value, span: { start, end: this.pos() }, path };
      }
      case 't': return this.literal('true', true, path);
      case 'f': return this.literal('false', false, path);
      case 'n': return this.literal('null', null, path);
      default:
        if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return this.number(path);
        if (ch === '\'') this.fail('strings must use double quotes');
        return this.fail(`unexpected ${describeChar(ch)}, expected a value`);
    }
  }

  private literal(word: string, value: boolean | null, path: JsonPath): JsonNode {
    const start = this.pos();
    if (this.text.startsWith(word, this.i)) {
      this.i += word.length;
      const span = { start, end: this.pos() };
      return value === null ? { type: 'null', value: null, span, path } : { type: 'boolean', value, span, path };
    }
    return this.fail(`unexpected ${describeChar(this.text[this.i])}, expected a value`);
  }

  private number(path: JsonPath): JsonNode {
    const start = this.pos();
    const m = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    m.lastIndex = this.i;
    const found = m.exec(this.text);
    if (!found) this.fail('invalid number');
    this.i += found[0].length;
    const next = this.text[this.i];
    if (next !== undefined && /[0-9A-Za-z.]/.test(next)) this.fail('invalid number');
    return { type: 'number', value: Number(found[0]), raw: found[0], span: { start, end: this.pos() }, path };
  }

  private string(): string {
    const t = this.text;
    this.i++; // opening quote
    let out = '';
    let runStart = this.i;
    for (;;) {
      if (this.i >= t.length) this.fail('unterminated string');
      const c = t.charCodeAt(this.i);
      if (c === 0x22) { out += t.slice(runStart, this.i); this.i++; return out; }
      if (c < 0x20) this.fail(c === 0x0a ? 'unterminated string (line break inside a string)' : 'control character inside a string');
      if (c === 0x5c) {
        out += t.slice(runStart, this.i);
        const esc = t[this.i + 1];
        switch (esc) {
          case '"': out += '"'; break;
          case '\\': out += '\\'; break;
          case '/': out += '/'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          case 'u': {
            const hex = t.slice(this.i + 2, this.i + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('invalid \\u escape');
            out += String.fromCharCode(parseInt(hex, 16));
            this.i += 4;
            break;
          }
          default: this.fail(`invalid escape \\${esc ?? ''}`);
        }
        this.i += 2;
        runStart = this.i;
        continue;
      }
      this.i++;
    }
  }

  private array(path: JsonPath): JsonArray {
    const start = this.pos();
    this.i++;
    const items: JsonNode[] = [];
    this.skipWhitespace();
    if (this.text[this.i] === ']') {
      this.i++;
      return { type: 'array', items, span: { start, end: this.pos() }, path };
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.i] === ']') this.fail("trailing comma before ']'", this.lastCommaOr(start));
      items.push(this.value([...path, items.length]));
      this.skipWhitespace();
      const ch = this.text[this.i];
      if (ch === ',') { this.commaAt = this.pos(); this.i++; continue; }
      if (ch === ']') { this.i++; return { type: 'array', items, span: { start, end: this.pos() }, path }; }
      this.fail(`unexpected ${describeChar(ch)}, expected ',' or ']'`);
    }
  }

  private commaAt: Position | undefined;
  private lastCommaOr(fallback: Position): Position {
    return this.commaAt ?? fallback;
  }

  private object(path: JsonPath): JsonObject {
    const start = this.pos();
    this.i++;
    const entries: JsonEntry[] = [];
    const seen = new Set<string>();
    this.skipWhitespace();
    if (this.text[this.i] === '}') {
      this.i++;
      return { type: 'object', entries, span: { start, end: this.pos() }, path };
    }
    for (;;) {
      this.skipWhitespace();
      const ch = this.text[this.i];
      if (ch === '}') this.fail("trailing comma before '}'", this.lastCommaOr(start));
      if (ch !== '"') this.fail(ch === '\'' ? 'strings must use double quotes' : `unexpected ${describeChar(ch)}, expected a quoted key`);
      const keyStart = this.pos();
      const key = this.string();
      const keySpan: Span = { start: keyStart, end: this.pos() };
      if (this.rejectDuplicates && seen.has(key)) this.fail(`duplicate key "${key}"`, keyStart);
      seen.add(key);
      this.skipWhitespace();
      if (this.text[this.i] !== ':') this.fail(`unexpected ${describeChar(this.text[this.i])}, expected ':' after key "${key}"`);
      this.i++;
      this.skipWhitespace();
      const value = this.value([...path, key]);
      entries.push({ key, keySpan, value });
      this.skipWhitespace();
      const next = this.text[this.i];
      if (next === ',') { this.commaAt = this.pos(); this.i++; continue; }
      if (next === '}') { this.i++; return { type: 'object', entries, span: { start, end: this.pos() }, path }; }
      this.fail(`unexpected ${describeChar(next)}, expected ',' or '}'`);
    }
  }
}

/** Look up an object member by exact key. */
export function member(obj: JsonObject, key: string): JsonEntry | undefined {
  for (const e of obj.entries) if (e.key === key) return e;
  return undefined;
}
