/**
 * Recursive-descent parsers for condition (also filter and key condition), update and
 * projection expressions. A parse depends on the text alone, so its result is cached by text
 * (compile.ts); checks that need ExpressionAttributeNames/Values happen in bind.ts.
 *
 * Condition precedence, highest first (developer guide, "Comparison operator and function
 * reference"): comparators, IN, BETWEEN, functions, parentheses, NOT, AND, OR.
 */
import type {
  CallNode,
  Comparator,
  ConditionNode,
  OperandNode,
  PathNode,
  PathSegment,
  ProjectionNode,
  UpdateAction,
  UpdateNode,
  UpdateSection,
  ValueNode,
} from './ast.js';
import { isReservedWord } from './reserved-words.js';
import { tokenize, type Token } from './tokens.js';

/** A text DynamoDB cannot parse; the message is the part after "Invalid XExpression: ". */
export class ExpressionSyntaxError extends Error {}

/**
 * Problems found while parsing a syntactically valid text, by category. DynamoDB reports one
 * error per request, choosing by a fixed order of categories per expression kind.
 */
export interface StaticIssues {
  parens?: string;
  unknownFunction?: string;
  misusedFunction?: string;
  reserved?: string;
  section?: string;
  /** Wrong operand count, or a function that needs a document path given something else. */
  operands?: string;
}

export interface Parsed<T> {
  ast: T;
  issues: StaticIssues;
  /** No issues: binding alone decides. */
  clean: boolean;
}

const COMPARATORS = new Set(['=', '<>', '<', '<=', '>', '>=']);
const CONDITION_KEYWORDS = new Set(['AND', 'OR', 'NOT', 'BETWEEN', 'IN']);
const UPDATE_SECTIONS = new Set(['SET', 'REMOVE', 'ADD', 'DELETE']);

/** Functions by expression kind, with their operand counts. */
const CONDITION_FUNCTIONS: Record<string, number> = {
  attribute_exists: 1,
  attribute_not_exists: 1,
  attribute_type: 2,
  begins_with: 2,
  contains: 2,
  size: 1,
};
const UPDATE_FUNCTIONS: Record<string, number> = { if_not_exists: 2, list_append: 2 };
/** DynamoDB's quota: the values IN compares with (the operand before IN not counted). */
const MAX_IN_OPERANDS = 100;
/** Functions whose first operand must be a document path. */
const PATH_FIRST = new Set(['attribute_exists', 'attribute_not_exists', 'if_not_exists']);

class Parser {
  private readonly tokens: Token[];
  private pos = 0;
  readonly issues: StaticIssues = {};
  private readonly parenthesized = new WeakSet<ConditionNode>();

  constructor(
    private readonly text: string,
    private readonly functions: Record<string, number>,
    private readonly keywords: Set<string>,
  ) {
    this.tokens = tokenize(text);
  }

  // ---- token plumbing ----

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)];
  }

  private next(): Token {
    const t = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }

  private isPunct(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'punct' && t.text === text;
  }

  private isWord(upper: string): boolean {
    const t = this.peek();
    return t.kind === 'word' && t.text.toUpperCase() === upper;
  }

  private isKeyword(t: Token): boolean {
    return t.kind === 'word' && this.keywords.has(t.text.toUpperCase());
  }

  private expectPunct(text: string): void {
    if (!this.isPunct(text)) this.fail();
    this.next();
  }

  /** DynamoDB's syntax error: the offending token and the text from the token before it to the one after. */
  fail(): never {
    const i = Math.min(this.pos, this.tokens.length - 1);
    const token = this.tokens[i];
    const before = i > 0 ? this.tokens[i - 1] : undefined;
    const after = token.kind === 'eof' ? undefined : this.tokens[i + 1];
    const near = this.text.slice(before ? before.start : token.start, after ? after.end : token.end);
    throw new ExpressionSyntaxError(`Syntax error; token: "${token.text}", near: "${near}"`);
  }

  atEnd(): boolean {
    return this.peek().kind === 'eof';
  }

  expectEnd(): void {
    if (!this.atEnd()) this.fail();
  }

  private note(category: keyof StaticIssues, message: string): void {
    if (this.issues[category] === undefined) this.issues[category] = message;
  }

  // ---- shared pieces ----

  path(): PathNode {
    const segments: PathSegment[] = [this.pathName()];
    for (;;) {
      if (this.isPunct('.')) {
        this.next();
        segments.push(this.pathName());
      } else if (this.isPunct('[')) {
        this.next();
        const t = this.peek();
        if (t.kind !== 'number') this.fail();
        this.next();
        this.expectPunct(']');
        segments.push({ kind: 'index', index: Number(t.text) });
      } else {
        return { kind: 'path', segments };
      }
    }
  }

  private pathName(): PathSegment {
    const t = this.peek();
    if (t.kind === 'alias') {
      this.next();
      return { kind: 'alias', alias: t.text };
    }
    if (t.kind === 'word' && !this.isKeyword(t)) {
      this.next();
      if (isReservedWord(t.text)) this.note('reserved', `Attribute name is a reserved keyword; reserved keyword: ${t.text}`);
      return { kind: 'name', name: t.text };
    }
    this.fail();
  }

  private value(): ValueNode {
    const t = this.peek();
    if (t.kind !== 'value') this.fail();
    this.next();
    return { kind: 'value', alias: t.text };
  }

  /** path | :value | function(operand, ...) */
  operand(): OperandNode {
    const t = this.peek();
    if (t.kind === 'value') return this.value();
    if (t.kind === 'word' && !this.isKeyword(t) && this.isPunct('(', 1)) return this.call();
    return this.path();
  }

  private call(): CallNode {
    const name = this.next().text;
    this.expectPunct('(');
    const args = [this.operand()];
    while (this.isPunct(',')) {
      this.next();
      args.push(this.operand());
    }
    this.expectPunct(')');
    const count = this.functions[name];
    if (count === undefined) {
      this.note('unknownFunction', `Invalid function name; function: ${name}`);
    } else if (count !== args.length) {
      this.note('operands', `Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${args.length}`);
    } else if (PATH_FIRST.has(name) && args[0].kind !== 'path') {
      this.note('operands', `Operator or function requires a document path; operator or function: ${name}`);
    }
    if (this.functions === CONDITION_FUNCTIONS) for (const a of args) this.checkOperandUse(a);
    // In an update, only if_not_exists nests: list_append(if_not_exists(#l, :empty), :new) is
    // DynamoDB's usual idiom, while a list_append inside a function is refused.
    if (this.functions === UPDATE_FUNCTIONS) {
      for (const a of args) {
        if (a.kind === 'call' && a.name === 'list_append') this.note('misusedFunction', `The function is not allowed to be used this way in an expression; function: ${a.name}`);
      }
    }
    return { kind: 'call', name, args };
  }

  /** In conditions only size() may be used as a value; other functions only as conditions. */
  private checkOperandUse(operand: OperandNode): void {
    if (operand.kind === 'call' && operand.name !== 'size' && operand.name in CONDITION_FUNCTIONS) {
      this.note('misusedFunction', `The function is not allowed to be used this way in an expression; function: ${operand.name}`);
    }
  }

  // ---- conditions ----

  condition(): ConditionNode {
    let left = this.conjunction();
    while (this.isWord('OR')) {
      this.next();
      left = { kind: 'or', left, right: this.conjunction() };
    }
    return left;
  }

  private conjunction(): ConditionNode {
    let left = this.negation();
    while (this.isWord('AND')) {
      this.next();
      left = { kind: 'and', left, right: this.negation() };
    }
    return left;
  }

  private negation(): ConditionNode {
    if (this.isWord('NOT')) {
      this.next();
      return { kind: 'not', operand: this.negation() };
    }
    return this.primary();
  }

  private primary(): ConditionNode {
    if (this.isPunct('(')) {
      this.next();
      const inner = this.condition();
      this.expectPunct(')');
      if (this.parenthesized.has(inner)) this.note('parens', 'The expression has redundant parentheses;');
      this.parenthesized.add(inner);
      return inner;
    }
    const left = this.operand();
    const t = this.peek();
    if (t.kind === 'punct' && COMPARATORS.has(t.text)) {
      this.next();
      const right = this.operand();
      this.checkOperandUse(left);
      this.checkOperandUse(right);
      return { kind: 'compare', op: t.text as Comparator, left, right };
    }
    if (this.isWord('BETWEEN')) {
      this.next();
      const low = this.operand();
      if (!this.isWord('AND')) this.fail();
      this.next();
      const high = this.operand();
      for (const o of [left, low, high]) this.checkOperandUse(o);
      return { kind: 'between', operand: left, low, high };
    }
    if (this.isWord('IN')) {
      this.next();
      this.expectPunct('(');
      const list = [this.operand()];
      while (this.isPunct(',')) {
        this.next();
        list.push(this.operand());
      }
      this.expectPunct(')');
      if (list.length > MAX_IN_OPERANDS) this.note('operands', `The IN operator is provided with too many operands; number of operands: ${list.length}`);
      for (const o of [left, ...list]) this.checkOperandUse(o);
      return { kind: 'in', operand: left, list };
    }
    if (left.kind === 'call') {
      if (left.name === 'size') this.note('misusedFunction', 'The function is not allowed to be used this way in an expression; function: size');
      return { kind: 'function', call: left };
    }
    this.fail();
  }

  // ---- updates ----

  update(): UpdateNode {
    const actions: UpdateAction[] = [];
    const seen = new Set<UpdateSection>();
    do {
      const t = this.peek();
      const section = t.text.toUpperCase() as UpdateSection;
      if (t.kind !== 'word' || !UPDATE_SECTIONS.has(section)) this.fail();
      this.next();
      if (seen.has(section)) this.note('section', `The "${section}" section can only be used once in an update expression;`);
      seen.add(section);
      for (;;) {
        actions.push(this.updateAction(section));
        if (!this.isPunct(',')) break;
        this.next();
      }
    } while (!this.atEnd());
    return { actions };
  }

  private updateAction(section: UpdateSection): UpdateAction {
    const path = this.path();
    switch (section) {
      case 'SET': {
        this.expectPunct('=');
        let value = this.operand();
        if (this.isPunct('+') || this.isPunct('-')) {
          const op = this.next().text as '+' | '-';
          value = { kind: 'arith', op, left: value, right: this.operand() };
        }
        return { kind: 'SET', path, value };
      }
      case 'REMOVE':
        return { kind: 'REMOVE', path };
      case 'ADD':
      case 'DELETE':
        return { kind: section, path, value: this.value() };
    }
  }

  // ---- projections ----

  projection(): ProjectionNode {
    const paths = [this.path()];
    while (this.isPunct(',')) {
      this.next();
      paths.push(this.path());
    }
    return { paths };
  }
}

/** ConditionExpression, FilterExpression and KeyConditionExpression. */
export function parseCondition(text: string): Parsed<ConditionNode> {
  const p = new Parser(text, CONDITION_FUNCTIONS, CONDITION_KEYWORDS);
  const ast = p.condition();
  p.expectEnd();
  return { ast, issues: p.issues, clean: Object.keys(p.issues).length === 0 };
}

export function parseUpdate(text: string): Parsed<UpdateNode> {
  const p = new Parser(text, UPDATE_FUNCTIONS, UPDATE_SECTIONS);
  const ast = p.update();
  return { ast, issues: p.issues, clean: Object.keys(p.issues).length === 0 };
}

export function parseProjection(text: string): Parsed<ProjectionNode> {
  const p = new Parser(text, {}, new Set());
  const ast = p.projection();
  p.expectEnd();
  return { ast, issues: p.issues, clean: Object.keys(p.issues).length === 0 };
}
