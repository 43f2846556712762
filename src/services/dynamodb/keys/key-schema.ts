/** A table's or index's key: its hash attribute and, when it has one, its range attribute. */
export interface KeyShape {
  hash: string;
  range?: string;
  /** Attribute types from AttributeDefinitions: 'S' | 'N' | 'B'. */
  hashType: KeyType;
  rangeType?: KeyType;
}

export type KeyType = 'S' | 'N' | 'B';

export interface KeySchemaElement {
  AttributeName: string;
  KeyType: 'HASH' | 'RANGE';
}

export interface AttributeDefinition {
  AttributeName: string;
  AttributeType: KeyType;
}

export function keyShape(schema: KeySchemaElement[], definitions: AttributeDefinition[]): KeyShape {
  const typeOf = (name: string) => definitions.find((d) => d.AttributeName === name)!.AttributeType;
  const hash = schema.find((k) => k.KeyType === 'HASH')!.AttributeName;
  const range = schema.find((k) => k.KeyType === 'RANGE')?.AttributeName;
  return range === undefined ? { hash, hashType: typeOf(hash) } : { hash, range, hashType: typeOf(hash), rangeType: typeOf(range) };
}

/** The key attribute names of a shape, hash first. */
export function keyNames(shape: KeyShape): string[] {
  return shape.range === undefined ? [shape.hash] : [shape.hash, shape.range];
}
