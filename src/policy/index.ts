/** iamlocal/policy — the IAM policy language: parse, compile, evaluate, explain. */
export type * from './ast.js';
export { parsePolicy, policySize, type ParseOptions } from './parse.js';
export { MalformedPolicyError, PolicySizeError, MSG as MALFORMED_POLICY_MESSAGES } from './errors.js';
export { parseJson, JsonSyntaxError } from './json.js';
export { parseOperatorName, BASE_OPERATORS, type OperatorName, type OperatorFamily } from './operators.js';
export { parseDate } from './datetime.js';
