/** DynamoDB expressions: what the service imports. See README.md. */
export {
  compileExpressions,
  parseCacheSize,
  CompiledCondition,
  CompiledKeyCondition,
  CompiledProjection,
  CompiledUpdate,
  type CompiledExpressions,
  type ExpressionInput,
} from './compile.js';
export type { KeyOperator, KeyPredicate, KeyQuery, KeySchema } from './key-condition.js';
export type { UpdateResult } from './update.js';
export type { Path } from './ast.js';
export { getPath, pathText, projectPaths } from './paths.js';
export { isReservedWord, RESERVED_WORDS } from './reserved-words.js';
export { checkParameterMix, compileLegacy, type LegacyInput } from './legacy.js';
