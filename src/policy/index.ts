/**
 * iamlocal/policy — the IAM policy language: parse, validate, compile, evaluate, explain.
 * Pure: no I/O, no clock, nothing imported from outside this folder; what AWS says exists
 * (the action catalogue) is passed in to validatePolicy. The only global state is the
 * bounded compile cache.
 */
export type * from './ast.js';
export { parsePolicy, policySize, namedAwsPrincipals, type ParseOptions } from './parse.js';
export { PolicyError, MalformedPolicyError, PolicySizeError, MSG as MALFORMED_POLICY_MESSAGES } from './errors.js';
export { parseJson, JsonSyntaxError } from './json.js';
export { parseOperatorName, BASE_OPERATORS, type OperatorName, type OperatorFamily } from './operators.js';
export { parseDate } from './datetime.js';
export { compilePolicy, compileParsed, clearCompileCache, type CompiledPolicy, type CompiledStatement, type CompileOptions } from './compile.js';
export { DecisionMemo } from './decision-memo.js';
export { evaluate, DERIVED_KEYS, type EvalRequest, type PolicySet, type Decision, type MatchedStatement, type PolicyType } from './evaluate.js';
export type { EvalPrincipal, OrgPlace, RequesterType } from './principals.js';
export { explain, denialReason, accessDeniedMessage, describeStatement } from './explain.js';
export { POLICY_LIMITS, type PolicyLimitTarget } from './limits.js';
export type { ActionCatalog, ActionInfo, ActionResourceType, ConditionKeyInfo, ConditionKeyType, ResourceTypeInfo } from './catalog.js';
export { actionsMatching, actionSupportsConditionKey, conditionKeyMatches, conditionKeysOfAction } from './catalog-queries.js';
export { validatePolicy, type ValidateOptions, type Finding, type FindingLocation, type FindingType, type IssueCode, type PathElement } from './validate.js';
