/**
 * Condition operator names: the base operators IAM defines and how a written operator
 * ("ForAllValues:StringLikeIfExists") decomposes. The matching logic lives in
 * conditions.ts; this file is only the vocabulary, shared by the parser and validator.
 */

export type OperatorFamily = 'String' | 'Numeric' | 'Date' | 'Bool' | 'Binary' | 'Ip' | 'Arn' | 'Null';

export const BASE_OPERATORS: Readonly<Record<string, OperatorFamily>> = {
  StringEquals: 'String',
  StringNotEquals: 'String',
  StringEqualsIgnoreCase: 'String',
  StringNotEqualsIgnoreCase: 'String',
  StringLike: 'String',
  StringNotLike: 'String',
  NumericEquals: 'Numeric',
  NumericNotEquals: 'Numeric',
  NumericLessThan: 'Numeric',
  NumericLessThanEquals: 'Numeric',
  NumericGreaterThan: 'Numeric',
  NumericGreaterThanEquals: 'Numeric',
  DateEquals: 'Date',
  DateNotEquals: 'Date',
  DateLessThan: 'Date',
  DateLessThanEquals: 'Date',
  DateGreaterThan: 'Date',
  DateGreaterThanEquals: 'Date',
  Bool: 'Bool',
  BinaryEquals: 'Binary',
  IpAddress: 'Ip',
  NotIpAddress: 'Ip',
  ArnEquals: 'Arn',
  ArnLike: 'Arn',
  ArnNotEquals: 'Arn',
  ArnNotLike: 'Arn',
  Null: 'Null',
};

/** Operators whose match is the negation of a positive operator (AWS's "negated matching"). */
export const NEGATED_OPERATORS: ReadonlySet<string> = new Set([
  'StringNotEquals', 'StringNotEqualsIgnoreCase', 'StringNotLike', 'NumericNotEquals',
  'DateNotEquals', 'NotIpAddress', 'ArnNotEquals', 'ArnNotLike',
]);

export type SetQualifier = 'ForAnyValue' | 'ForAllValues';

export interface OperatorName {
  /** As written. */
  text: string;
  set?: SetQualifier;
  base: string;
  family: OperatorFamily;
  ifExists: boolean;
  negated: boolean;
}

/** Decompose a written operator; undefined when IAM does not know it. Names are case-sensitive. */
export function parseOperatorName(text: string): OperatorName | undefined {
  let rest = text;
  let set: SetQualifier | undefined;
  if (rest.startsWith('ForAnyValue:')) { set = 'ForAnyValue'; rest = rest.slice('ForAnyValue:'.length); }
  else if (rest.startsWith('ForAllValues:')) { set = 'ForAllValues'; rest = rest.slice('ForAllValues:'.length); }
  let ifExists = false;
  if (rest.endsWith('IfExists') && rest !== 'IfExists') { ifExists = true; rest = rest.slice(0, -'IfExists'.length); }
  const family = Object.prototype.hasOwnProperty.call(BASE_OPERATORS, rest) ? BASE_OPERATORS[rest] : undefined;
  if (!family) return undefined;
  return { text, set, base: rest, family, ifExists, negated: NEGATED_OPERATORS.has(rest) };
}
