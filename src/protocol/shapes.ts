import type { RawMemberRef, RawModel, RawShape } from './raw-model.js';

export type ShapeType =
  | 'structure' | 'list' | 'map' | 'string' | 'integer' | 'long' | 'float' | 'double' | 'boolean' | 'timestamp' | 'blob';

/**
 * A model shape with every reference resolved to an object, so codecs walk pointers
 * instead of looking names up per request. Built once per shape, shared by all codecs.
 */
export interface Shape {
  name: string;
  type: ShapeType;
  /** Structure members in model order. */
  members: Member[];
  memberByName: Map<string, Member>;
  /** List element / map key / map value. */
  member?: Member;
  key?: Member;
  value?: Member;
  min?: number;
  max?: number;
  pattern?: string;
  /** The pattern compiled to match the whole value (AWS validates with a full match). */
  regex?: RegExp;
  enumValues?: string[];
  enumSet?: Set<string>;
  sensitive: boolean;
  flattened: boolean;
  /** rest-xml: the member that is the whole HTTP body. */
  payload?: Member;
  locationName?: string;
  xmlNamespace?: { prefix?: string; uri: string };
  timestampFormat?: string;
  streaming: boolean;
  eventstream: boolean;
  /** A JSON document (any value), not a structure: codecs pass it through untouched. */
  document?: boolean;
  /** Error shapes: the wire code and status the model declares. */
  error?: { code: string; status: number; senderFault: boolean };
}

/** A reference to a shape from a structure member, list element or map key/value. */
export interface Member {
  name: string;
  shape: Shape;
  required: boolean;
  location?: RawMemberRef['location'];
  locationName?: string;
  queryName?: string;
  flattened: boolean;
  xmlAttribute: boolean;
  xmlNamespace?: { prefix?: string; uri: string };
  streaming: boolean;
  idempotencyToken: boolean;
  timestampFormat?: string;
  jsonvalue: boolean;
  /** Validation path segment AWS prints: the member name with a lower-case first letter. */
  pathName: string;
  /** query protocol field name. */
  queryKey: string;
  /** ec2 protocol field name (queryName, else locationName capitalised, else the name). */
  ec2Key: string;
  /** XML element (or attribute) name. */
  xmlName: string;
}

/** Java regex syntax AWS models use that JavaScript spells differently. */
function toJsPattern(pattern: string): string {
  return pattern.replace(/\\p\{Print\}/g, '[\\x20-\\x7E]');
}

function compilePattern(pattern: string): RegExp | undefined {
  const source = `^(?:${toJsPattern(pattern)})$`;
  try {
    return new RegExp(source, 'u');
  } catch {
    try {
      return new RegExp(source);
    } catch {
      return undefined; // a pattern JavaScript cannot express is not enforced
    }
  }
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function upperFirst(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function namespaceOf(ns: RawMemberRef['xmlNamespace']): Member['xmlNamespace'] {
  if (ns === undefined) return undefined;
  return typeof ns === 'string' ? { uri: ns } : ns;
}

/** Resolves a service model's shapes lazily; each shape is compiled once. */
export class ShapeGraph {
  private readonly cache = new Map<string, Shape>();

  constructor(private readonly raw: RawModel) {}

  get(name: string): Shape {
    const cached = this.cache.get(name);
    if (cached) return cached;
    const raw = this.raw.shapes[name];
    if (!raw) throw new Error(`model has no shape ${name}`);
    const shape = this.compile(name, raw);
    return shape;
  }

  private compile(name: string, raw: RawShape): Shape {
    const shape: Shape = {
      name,
      type: raw.type as ShapeType,
      members: [],
      memberByName: new Map(),
      min: raw.min,
      max: raw.max,
      pattern: raw.pattern,
      regex: raw.pattern !== undefined ? compilePattern(raw.pattern) : undefined,
      enumValues: raw.enum,
      enumSet: raw.enum ? new Set(raw.enum) : undefined,
      sensitive: raw.sensitive === true,
      flattened: raw.flattened === true,
      locationName: raw.locationName,
      xmlNamespace: raw.xmlNamespace,
      timestampFormat: raw.timestampFormat,
      streaming: raw.streaming === true,
      eventstream: raw.eventstream === true,
      ...(raw.document ? { document: true } : {}),
    };
    if (raw.error || raw.exception) {
      shape.error = {
        code: raw.error?.code ?? name,
        status: raw.error?.httpStatusCode ?? 400,
        senderFault: raw.error?.senderFault ?? true,
      };
    }
    // Registered before members resolve so recursive shapes (e.g. AttributeValue) terminate.
    this.cache.set(name, shape);
    if (raw.type === 'structure' && raw.members) {
      const required = new Set(raw.required ?? []);
      for (const [memberName, ref] of Object.entries(raw.members)) {
        const member = this.member(memberName, ref, required.has(memberName));
        shape.members.push(member);
        shape.memberByName.set(memberName, member);
      }
      if (raw.payload) shape.payload = shape.memberByName.get(raw.payload);
    } else if (raw.type === 'list' && raw.member) {
      shape.member = this.member('member', raw.member, false);
    } else if (raw.type === 'map' && raw.key && raw.value) {
      shape.key = this.member('key', raw.key, false);
      shape.value = this.member('value', raw.value, false);
    }
    return shape;
  }

  private member(name: string, ref: RawMemberRef, required: boolean): Member {
    const target = this.get(ref.shape);
    return {
      name,
      shape: target,
      required,
      location: ref.location,
      locationName: ref.locationName,
      queryName: ref.queryName,
      flattened: ref.flattened === true || target.flattened,
      xmlAttribute: ref.xmlAttribute === true,
      xmlNamespace: namespaceOf(ref.xmlNamespace),
      streaming: ref.streaming === true || target.streaming,
      idempotencyToken: ref.idempotencyToken === true,
      timestampFormat: ref.timestampFormat ?? target.timestampFormat,
      jsonvalue: ref.jsonvalue === true,
      pathName: lowerFirst(name),
      queryKey: ref.locationName ?? name,
      ec2Key: ref.queryName ?? (ref.locationName !== undefined ? upperFirst(ref.locationName) : name),
      xmlName: ref.locationName ?? name,
    };
  }
}
