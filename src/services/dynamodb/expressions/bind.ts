/**
 * Binding: resolves a parsed expression's #names and :values against one request, checks
 * what depends on them (undefined placeholders, operand types, overlapping paths) and yields
 * the bound trees the evaluators run.
 */
import { compareAttributeValues, typeOf, type AttributeValue } from '../values/attribute-values.js';
import type {
  BoundCondition,
  BoundOperand,
  BoundUpdateAction,
  CallNode,
  ConditionNode,
  OperandNode,
  Path,
  PathNode,
  ProjectionNode,
  UpdateNode,
  ValueNode,
} from './ast.js';
import { pathsProblem, pathText } from './paths.js';

/** Errors found while binding, by category (each keeps its first message). */
export interface BindIssues {
  attrName?: string;
  attrVal?: string;
  /** The first undefined name or value, whichever came first (conditions report them together). */
  attrNameVal?: string;
  distinct?: string;
  overlap?: string;
  conflict?: string;
  /** ADD/DELETE given a value of a type they do not take. */
  operand?: string;
  /** A function or operator given a value of a type it does not take. */
  function?: string;
}

const NOTHING: AttributeValue = { NULL: true };
const SET_TYPES = new Set(['SS', 'NS', 'BS']);
const TYPE_WORDS: Record<string, string> = {
  S: 'STRING', N: 'NUMBER', B: 'BINARY', NULL: 'NULL', BOOL: 'BOOLEAN', L: 'LIST', M: 'MAP', SS: 'STRING_SET', NS: 'NUMBER_SET', BS: 'BINARY_SET',
};
const ORDERED = new Set(['S', 'N', 'B']);
const TYPE_NAMES = new Set(['S', 'N', 'B', 'NULL', 'SS', 'BOOL', 'L', 'BS', 'NS', 'M']);

export class Binder {
  readonly issues: BindIssues = {};
  /** Nothing noted so far. */
  clean = true;

  constructor(
    private readonly names: Record<string, string> | undefined,
    private readonly values: Record<string, AttributeValue> | undefined,
    /** Placeholders used, across every expression of the request. */
    readonly usedNames: Set<string>,
    readonly usedValues: Set<string>,
  ) {}

  private note(category: keyof BindIssues, message: string): void {
    this.clean = false;
    if (this.issues[category] === undefined) this.issues[category] = message;
  }

  path(node: PathNode): Path {
    const out: Path = [];
    for (const s of node.segments) {
      if (s.kind === 'name') out.push(s.name);
      else if (s.kind === 'index') out.push(s.index);
      else {
        const name = this.names?.[s.alias];
        this.usedNames.add(s.alias);
        if (name === undefined) {
          const message = `An expression attribute name used in the document path is not defined; attribute name: ${s.alias}`;
          this.note('attrName', message);
          this.note('attrNameVal', message);
        }
        out.push(name ?? s.alias);
      }
    }
    return out;
  }

  value(node: ValueNode): AttributeValue {
    const v = this.values?.[node.alias];
    this.usedValues.add(node.alias);
    if (v === undefined) {
      const message = `An expression attribute value used in expression is not defined; attribute value: ${node.alias}`;
      this.note('attrVal', message);
      this.note('attrNameVal', message);
      return NOTHING;
    }
    return v;
  }

  // ---- operands ----

  operand(node: OperandNode): BoundOperand {
    switch (node.kind) {
      case 'path':
        return { kind: 'path', path: this.path(node) };
      case 'value':
        return { kind: 'value', value: this.value(node) };
      case 'arith': {
        const left = this.operand(node.left);
        const right = this.operand(node.right);
        this.requireValueTypes(node.op, [left, right], ['N']);
        return { kind: 'arith', op: node.op, left, right };
      }
      case 'call':
        return this.call(node);
    }
  }

  private call(node: CallNode): BoundOperand {
    const args = node.args.map((a) => this.operand(a));
    switch (node.name) {
      case 'size':
        this.refuseValueTypes('size', args[0], ['N', 'BOOL', 'NULL']);
        return { kind: 'size', arg: args[0] };
      case 'if_not_exists':
        return { kind: 'if_not_exists', path: args[0].kind === 'path' ? args[0].path : [''], fallback: args[1] ?? { kind: 'value', value: NOTHING } };
      case 'list_append':
        this.requireValueTypes('list_append', args, ['L']);
        return { kind: 'list_append', left: args[0], right: args[1] ?? { kind: 'value', value: NOTHING } };
      default:
        // Unknown or misused functions were reported by the parser; this tree is never run.
        return { kind: 'value', value: NOTHING };
    }
  }

  /** Literal operands must be of one of these types. */
  private requireValueTypes(fn: string, args: BoundOperand[], types: string[]): void {
    for (const a of args) {
      if (a.kind !== 'value' || a.value === NOTHING) continue;
      const t = typeOf(a.value);
      if (!types.includes(t)) this.note('function', `Incorrect operand type for operator or function; operator or function: ${fn}, operand type: ${t}`);
    }
  }

  private refuseValueTypes(fn: string, arg: BoundOperand, types: string[]): void {
    if (arg.kind !== 'value' || arg.value === NOTHING) return;
    const t = typeOf(arg.value);
    if (types.includes(t)) this.note('function', `Incorrect operand type for operator or function; operator or function: ${fn}, operand type: ${t}`);
  }

  /** < <= > >= BETWEEN compare S, N and B: a literal of another type is refused outright. */
  private requireOrdered(operator: string, operands: BoundOperand[]): void {
    for (const o of operands) {
      if (o.kind !== 'value' || o.value === NOTHING) continue;
      const t = typeOf(o.value);
      if (!ORDERED.has(t)) this.note('function', `Incorrect operand type for operator or function; operator or function: ${operator}, operand type: ${TYPE_WORDS[t]}`);
    }
  }

  /** a = a, a BETWEEN a AND b, begins_with(a, a): DynamoDB refuses the same path twice. */
  private distinct(operator: string, first: BoundOperand, rest: BoundOperand[]): void {
    if (first.kind !== 'path') return;
    const text = pathText(first.path);
    for (const r of rest) {
      if (r.kind === 'path' && pathText(r.path) === text) {
        this.note('distinct', `The first operand must be distinct from the remaining operands for this operator or function; operator: ${operator}, first operand: ${text}`);
      }
    }
  }

  // ---- conditions ----

  condition(node: ConditionNode): BoundCondition {
    switch (node.kind) {
      case 'and':
      case 'or':
        return { kind: node.kind, left: this.condition(node.left), right: this.condition(node.right) };
      case 'not':
        return { kind: 'not', operand: this.condition(node.operand) };
      case 'compare': {
        const left = this.operand(node.left);
        const right = this.operand(node.right);
        this.distinct(node.op, left, [right]);
        if (node.op !== '=' && node.op !== '<>') this.requireOrdered(node.op, [left, right]);
        return { kind: 'compare', op: node.op, left, right };
      }
      case 'between': {
        const operand = this.operand(node.operand);
        const low = this.operand(node.low);
        const high = this.operand(node.high);
        this.distinct('BETWEEN', operand, [low, high]);
        this.requireOrdered('BETWEEN', [operand, low, high]);
        if (low.kind === 'value' && high.kind === 'value' && low.value !== NOTHING && high.value !== NOTHING) {
          const bounds = `lower bound operand: AttributeValue: {${show(low.value)}}, upper bound operand: AttributeValue: {${show(high.value)}}`;
          if (typeOf(low.value) !== typeOf(high.value)) {
            this.note('function', `The BETWEEN operator requires same data type for lower and upper bounds; ${bounds}`);
          } else if ((compareAttributeValues(low.value, high.value) ?? 0) > 0) {
            this.note('function', `The BETWEEN operator requires upper bound to be greater than or equal to lower bound; ${bounds}`);
          }
        }
        return { kind: 'between', operand, low, high };
      }
      case 'in': {
        const operand = this.operand(node.operand);
        const list = node.list.map((o) => this.operand(o));
        this.distinct('IN', operand, list);
        return { kind: 'in', operand, list };
      }
      case 'function':
        return this.conditionFunction(node.call);
    }
  }

  private conditionFunction(call: CallNode): BoundCondition {
    const args = call.args.map((a) => this.operand(a));
    switch (call.name) {
      case 'attribute_exists':
      case 'attribute_not_exists':
        return { kind: call.name, path: args[0].kind === 'path' ? args[0].path : [''] };
      case 'attribute_type': {
        this.distinct(call.name, args[0], args.slice(1));
        const t = args[1];
        let type = '';
        if (t?.kind === 'value' && t.value !== NOTHING) {
          const vt = typeOf(t.value);
          if (vt !== 'S') this.note('function', `Incorrect operand type for operator or function; operator or function: attribute_type, operand type: ${vt}`);
          else if (!TYPE_NAMES.has((t.value as { S: string }).S)) {
            this.note('function', `Invalid attribute type name found; type: ${(t.value as { S: string }).S}, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}`);
          } else type = (t.value as { S: string }).S;
        } else if (t && t.kind !== 'value') {
          this.note('function', 'Incorrect operand type for operator or function; operator or function: attribute_type, operand type: {NS,SS,L,BS,N,M,B,BOOL,NULL,S}');
        }
        return { kind: 'attribute_type', operand: args[0], type };
      }
      case 'begins_with':
        this.distinct(call.name, args[0], args.slice(1));
        this.requireValueTypes('begins_with', args, ['S', 'B']);
        return { kind: 'begins_with', left: args[0], right: args[1] };
      case 'contains':
        this.distinct(call.name, args[0], args.slice(1));
        return { kind: 'contains', left: args[0], right: args[1] };
      default:
        // size() alone and unknown functions were reported by the parser; never run.
        return { kind: 'attribute_exists', path: [''] };
    }
  }

  // ---- updates ----

  update(node: UpdateNode): BoundUpdateAction[] {
    const actions: BoundUpdateAction[] = [];
    for (const a of node.actions) {
      const path = this.path(a.path);
      switch (a.kind) {
        case 'SET':
          actions.push({ kind: 'SET', path, value: this.operand(a.value) });
          break;
        case 'REMOVE':
          actions.push({ kind: 'REMOVE', path });
          break;
        case 'ADD':
        case 'DELETE': {
          const value = this.value(a.value);
          if (value !== NOTHING) {
            const t = typeOf(value);
            const allowed = SET_TYPES.has(t) || (a.kind === 'ADD' && t === 'N');
            // DynamoDB names the ADD type set for DELETE too.
            if (!allowed) this.note('operand', `Incorrect operand type for operator or function; operator: ${a.kind}, operand type: ${TYPE_WORDS[t]}, typeSet: ALLOWED_FOR_ADD_OPERAND`);
          }
          actions.push({ kind: a.kind, path, value });
          break;
        }
      }
    }
    this.checkPaths(actions.map((a) => a.path));
    return actions;
  }

  // ---- projections ----

  projection(node: ProjectionNode): Path[] {
    const paths = node.paths.map((p) => this.path(p));
    this.checkPaths(paths);
    return paths;
  }

  private checkPaths(paths: Path[]): void {
    const { overlap, conflict } = pathsProblem(paths);
    if (overlap) this.note('overlap', overlap);
    if (conflict) this.note('conflict', conflict);
  }
}

/** {N:5} as DynamoDB shows a value inside messages. */
function show(value: AttributeValue): string {
  const t = typeOf(value);
  const v = (value as Record<string, unknown>)[t];
  return `${t}:${Buffer.isBuffer(v) ? v.toString('base64') : String(v)}`;
}
