/**
 * The one entry point the DynamoDB service calls per request: parses (through a cache keyed
 * by text) and binds every expression of the request, checks that each
 * ExpressionAttributeNames/Values entry is used by one of them, and returns objects that
 * evaluate, apply or project. Every problem is AWS's ValidationException with its message.
 */
import { AwsError } from '../../../protocol/errors.js';
import { normalizeAttributeValue, type AttributeValue, type Item } from '../values/attribute-values.js';
import type { BoundCondition, BoundUpdateAction, Path } from './ast.js';
import { Binder, type BindIssues } from './bind.js';
import { evaluateCondition } from './evaluate.js';
import { keyPredicates, resolveKeyQuery, type KeyPredicate, type KeyQuery, type KeySchema } from './key-condition.js';
import { ExpressionSyntaxError, parseCondition, parseProjection, parseUpdate, type Parsed, type StaticIssues } from './parser.js';
import type { ConditionNode, ProjectionNode, UpdateNode } from './ast.js';
import { projectPaths } from './paths.js';
import { applyUpdate, type UpdateResult } from './update.js';

export interface ExpressionInput {
  ConditionExpression?: string;
  FilterExpression?: string;
  KeyConditionExpression?: string;
  UpdateExpression?: string;
  ProjectionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  /** As the json codec decoded them (validated and normalized here). */
  ExpressionAttributeValues?: Record<string, unknown>;
  /**
   * The operation's expression parameters that take values, in AWS's order (UpdateItem:
   * ['UpdateExpression', 'ConditionExpression']; Query: ['KeyConditionExpression',
   * 'FilterExpression']), named in the error for values sent without any of them.
   */
  valueExpressionParameters?: string[];
}

export class CompiledCondition {
  constructor(
    readonly tree: BoundCondition,
    /** Every document path the condition reads. */
    readonly paths: Path[],
  ) {}

  /** Whether the item (undefined: no item) satisfies the condition. */
  test(item: Item | undefined): boolean {
    return evaluateCondition(this.tree, item ?? {});
  }

  /** Top-level attribute names read (dynamodb:Attributes, filters on key attributes). */
  get attributes(): string[] {
    return topLevel(this.paths);
  }
}

export class CompiledUpdate {
  constructor(readonly actions: BoundUpdateAction[]) {}

  /**
   * The updated copy of the item, with what changed. For an item that does not exist yet pass
   * undefined and its key: the update starts from the key, and REMOVE of nested paths is ignored.
   */
  apply(item: Item | undefined, key?: Item): UpdateResult {
    return applyUpdate(this.actions, item ?? { ...key }, item !== undefined);
  }

  get paths(): Path[] {
    return this.actions.map((a) => a.path);
  }

  /** Only REMOVE and DELETE: on an item that does not exist, DynamoDB then creates nothing. */
  get removesOnly(): boolean {
    return this.actions.length > 0 && this.actions.every((a) => a.kind === 'REMOVE' || a.kind === 'DELETE');
  }

  /** Top-level attribute names written or removed. */
  get attributes(): string[] {
    return topLevel(this.paths);
  }
}

export class CompiledProjection {
  constructor(readonly paths: Path[]) {}

  project(item: Item): Item {
    return projectPaths(item, this.paths);
  }

  get attributes(): string[] {
    return topLevel(this.paths);
  }
}

export class CompiledKeyCondition {
  constructor(
    readonly predicates: KeyPredicate[],
    readonly condition: CompiledCondition,
  ) {}

  /** The partition and sort-key range for a table's or index's key schema (Query's messages on mismatch). */
  resolve(schema: KeySchema): KeyQuery {
    return resolveKeyQuery(this.predicates, schema);
  }

  get attributes(): string[] {
    return this.predicates.map((p) => p.name);
  }
}

export interface CompiledExpressions {
  condition?: CompiledCondition;
  filter?: CompiledCondition;
  keyCondition?: CompiledKeyCondition;
  update?: CompiledUpdate;
  projection?: CompiledProjection;
}

function validation(message: string): AwsError {
  return new AwsError('ValidationException', message, 400);
}

function topLevel(paths: Path[]): string[] {
  return [...new Set(paths.map((p) => p[0] as string))];
}

// ---- the parse cache ----

type Kind = 'condition' | 'update' | 'projection';
const CACHE_LIMIT = 1000;
/** One cache per kind, keyed by the text itself (no key building on the hot path). */
const caches: Record<Kind, Map<string, Parsed<unknown> | ExpressionSyntaxError>> = {
  condition: new Map(),
  update: new Map(),
  projection: new Map(),
};
const PARSERS: Record<Kind, (text: string) => Parsed<unknown>> = {
  condition: parseCondition,
  update: parseUpdate,
  projection: parseProjection,
};

function cachedParse(kind: Kind, text: string): Parsed<unknown> {
  const cache = caches[kind];
  let hit = cache.get(text);
  if (hit === undefined) {
    try {
      hit = PARSERS[kind](text);
    } catch (e) {
      if (!(e instanceof ExpressionSyntaxError)) throw e;
      hit = e;
    }
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(text, hit);
  }
  if (hit instanceof ExpressionSyntaxError) throw hit;
  return hit;
}

/** Entries in the parse caches (for tests and the bench). */
export function parseCacheSize(): number {
  return caches.condition.size + caches.update.size + caches.projection.size;
}

// ---- error order ----

type Issue = keyof StaticIssues | keyof BindIssues;

/** DynamoDB reports one problem per expression, choosing by category in this order. */
const ORDER: Record<Kind, Issue[]> = {
  condition: ['parens', 'unknownFunction', 'misusedFunction', 'reserved', 'attrNameVal', 'operands', 'distinct', 'function'],
  update: ['reserved', 'unknownFunction', 'section', 'misusedFunction', 'attrName', 'attrVal', 'overlap', 'conflict', 'operand', 'operands', 'function'],
  projection: ['reserved', 'attrNameVal', 'overlap', 'conflict'],
};

function firstIssue(order: Issue[], parsed: StaticIssues, bound: BindIssues): string | undefined {
  for (const category of order) {
    const message = (parsed as Record<string, string | undefined>)[category] ?? (bound as Record<string, string | undefined>)[category];
    if (message !== undefined) return message;
  }
  return undefined;
}

// ---- the entry point ----

const UNWRAPPED = /numeric value|significant digits|supported range|Nesting Levels/;
/** Expressions are limited to 4 KB (UTF-8). */
const MAX_EXPRESSION_BYTES = 4096;
const NAME_KEY = /^#[A-Za-z0-9_]+$/;
const VALUE_KEY = /^:[A-Za-z0-9_]+$/;

/** One request's placeholders and what its expressions used of them. */
interface RequestContext {
  names: Record<string, string> | undefined;
  values: Record<string, AttributeValue> | undefined;
  usedNames: Set<string>;
  usedValues: Set<string>;
}

/** Parses (cached) and binds one expression; throws its first problem as DynamoDB orders them. */
function compileOne(ctx: RequestContext, param: string, text: string, kind: Kind): { binder: Binder; ast: unknown; finish: () => void } {
  if (text.length === 0 || text.trim() === '') throw validation(`Invalid ${param}: The expression can not be empty;`);
  if (text.length > MAX_EXPRESSION_BYTES / 3 && Buffer.byteLength(text, 'utf8') > MAX_EXPRESSION_BYTES) {
    throw validation(`Invalid ${param}: Expression size has exceeded the maximum allowed size;`);
  }
  let parsed: Parsed<unknown>;
  try {
    parsed = cachedParse(kind, text);
  } catch (e) {
    if (e instanceof ExpressionSyntaxError) throw validation(`Invalid ${param}: ${e.message}`);
    throw e;
  }
  const binder = new Binder(ctx.names, ctx.values, ctx.usedNames, ctx.usedValues);
  const finish = () => {
    if (parsed.clean && binder.clean) return;
    const problem = firstIssue(ORDER[kind], parsed.issues, binder.issues);
    if (problem !== undefined) throw validation(`Invalid ${param}: ${problem}`);
  };
  return { binder, ast: parsed.ast, finish };
}

function compileCondition(ctx: RequestContext, param: string, text: string): CompiledCondition {
  const { binder, ast, finish } = compileOne(ctx, param, text, 'condition');
  const tree = binder.condition(ast as ConditionNode);
  finish();
  return new CompiledCondition(tree, conditionPaths(tree));
}

/**
 * Compiles every expression of one request. Throws AwsError('ValidationException') with
 * DynamoDB's message for the first problem, in DynamoDB's order: the placeholder maps, then
 * UpdateExpression, ConditionExpression, KeyConditionExpression, FilterExpression,
 * ProjectionExpression, then unused names, then unused values.
 */
export function compileExpressions(input: ExpressionInput): CompiledExpressions {
  const names = input.ExpressionAttributeNames;
  const rawValues = input.ExpressionAttributeValues;
  const usesValueExpressions =
    input.ConditionExpression !== undefined || input.FilterExpression !== undefined || input.KeyConditionExpression !== undefined || input.UpdateExpression !== undefined;
  const usesExpressions = usesValueExpressions || input.ProjectionExpression !== undefined;

  if (names !== undefined) {
    if (!usesExpressions) throw validation('ExpressionAttributeNames can only be specified when using expressions');
    let count = 0;
    for (const k in names) {
      count++;
      if (!NAME_KEY.test(k)) throw validation(`ExpressionAttributeNames contains invalid key: Syntax error; key: "${k}"`);
    }
    if (count === 0) throw validation('ExpressionAttributeNames must not be empty');
  }
  let values: Record<string, AttributeValue> | undefined;
  if (rawValues !== undefined) {
    if (!usesValueExpressions) {
      const params = input.valueExpressionParameters;
      if (!params?.length) throw validation('ExpressionAttributeValues can only be specified when using expressions');
      throw validation(`ExpressionAttributeValues can only be specified when using expressions: ${params.join(' and ')} ${params.length > 1 ? 'are' : 'is'} null`);
    }
    values = {};
    let count = 0;
    for (const k in rawValues) {
      count++;
      if (!VALUE_KEY.test(k)) throw validation(`ExpressionAttributeValues contains invalid key: Syntax error; key: "${k}"`);
    }
    if (count === 0) throw validation('ExpressionAttributeValues must not be empty');
    // Every key is checked before any value.
    for (const k in rawValues) {
      try {
        values[k] = normalizeAttributeValue(rawValues[k]);
      } catch (e) {
        // Number and nesting problems surface while the request is read, before the envelope.
        if (e instanceof AwsError && UNWRAPPED.test(e.message)) throw e;
        if (e instanceof AwsError) throw validation(`ExpressionAttributeValues contains invalid value: ${e.message} for key ${k}`);
        throw e;
      }
    }
  }

  const ctx: RequestContext = { names, values, usedNames: new Set(), usedValues: new Set() };
  const out: CompiledExpressions = {};

  if (input.UpdateExpression !== undefined) {
    const { binder, ast, finish } = compileOne(ctx, 'UpdateExpression', input.UpdateExpression, 'update');
    const actions = binder.update(ast as UpdateNode);
    finish();
    out.update = new CompiledUpdate(actions);
  }
  if (input.ConditionExpression !== undefined) out.condition = compileCondition(ctx, 'ConditionExpression', input.ConditionExpression);
  if (input.KeyConditionExpression !== undefined) {
    const key = compileCondition(ctx, 'KeyConditionExpression', input.KeyConditionExpression);
    const predicates = keyPredicates(key.tree);
    if (typeof predicates === 'string') throw validation(`Invalid KeyConditionExpression: ${predicates}`);
    if (predicates.length > 2) throw validation('Conditions can be of length 1 or 2 only');
    out.keyCondition = new CompiledKeyCondition(predicates, key);
  }
  if (input.FilterExpression !== undefined) out.filter = compileCondition(ctx, 'FilterExpression', input.FilterExpression);
  if (input.ProjectionExpression !== undefined) {
    const { binder, ast, finish } = compileOne(ctx, 'ProjectionExpression', input.ProjectionExpression, 'projection');
    const paths = binder.projection(ast as ProjectionNode);
    finish();
    out.projection = new CompiledProjection(paths);
  }

  if (names) {
    const unused = Object.keys(names).filter((k) => !ctx.usedNames.has(k));
    if (unused.length) throw validation(`Value provided in ExpressionAttributeNames unused in expressions: keys: {${unused.join(', ')}}`);
  }
  if (values) {
    const unused = Object.keys(values).filter((k) => !ctx.usedValues.has(k));
    if (unused.length) throw validation(`Value provided in ExpressionAttributeValues unused in expressions: keys: {${unused.join(', ')}}`);
  }
  return out;
}

/** Every path a bound condition reads. */
function conditionPaths(tree: BoundCondition): Path[] {
  const paths: Path[] = [];
  const operand = (o: import('./ast.js').BoundOperand): void => {
    switch (o.kind) {
      case 'path':
        paths.push(o.path);
        break;
      case 'size':
        operand(o.arg);
        break;
      case 'if_not_exists':
        paths.push(o.path);
        operand(o.fallback);
        break;
      case 'list_append':
      case 'arith':
        operand(o.left);
        operand(o.right);
        break;
      case 'value':
        break;
    }
  };
  const visit = (c: BoundCondition): void => {
    switch (c.kind) {
      case 'and':
      case 'or':
        visit(c.left);
        visit(c.right);
        break;
      case 'not':
        visit(c.operand);
        break;
      case 'compare':
        operand(c.left);
        operand(c.right);
        break;
      case 'between':
        [c.operand, c.low, c.high].forEach(operand);
        break;
      case 'in':
        [c.operand, ...c.list].forEach(operand);
        break;
      case 'attribute_exists':
      case 'attribute_not_exists':
        paths.push(c.path);
        break;
      case 'attribute_type':
        operand(c.operand);
        break;
      case 'begins_with':
      case 'contains':
        operand(c.left);
        operand(c.right);
        break;
    }
  };
  visit(tree);
  return paths;
}
