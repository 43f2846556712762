/**
 * Questions answered from an ActionCatalog's plain lookups: which actions a pattern
 * covers, which condition keys an action carries. Answers that are slow to work out are
 * remembered per catalog (held weakly), so two catalogs never share an answer.
 */
import type { ActionCatalog, ActionInfo, ResourceTypeInfo } from './catalog.js';
import { globRegExp } from './validate-match.js';

const memos = new WeakMap<ActionCatalog, Map<string, Map<string, unknown>>>();

/** A table of remembered answers, one per catalog and table name. */
export function catalogMemo<T>(catalog: ActionCatalog, table: string): Map<string, T> {
  let tables = memos.get(catalog);
  if (tables === undefined) {
    tables = new Map();
    memos.set(catalog, tables);
  }
  let t = tables.get(table);
  if (t === undefined) {
    t = new Map();
    tables.set(table, t);
  }
  return t as Map<string, T>;
}

/**
 * The documented actions an action pattern ("s3:Get*", "*:ListTagsForResource", "*")
 * covers. Service wildcards scan every service, so callers use them sparingly.
 */
export function actionsMatching(catalog: ActionCatalog, pattern: string): ActionInfo[] {
  if (pattern === '*') pattern = '*:*';
  const colon = pattern.indexOf(':');
  if (colon < 0) return [];
  const servicePart = pattern.slice(0, colon);
  const namePart = globRegExp(pattern.slice(colon + 1), true);
  const services = /[*?]/.test(servicePart)
    ? catalog.allServices().filter((s) => globRegExp(servicePart, true).test(s))
    : catalog.isKnownService(servicePart) ? [servicePart.toLowerCase()] : [];
  const out: ActionInfo[] = [];
  for (const s of services) for (const a of catalog.actionsOfService(s)) if (namePart.test(a.name)) out.push(a);
  return out;
}

/**
 * A documented key name as a pattern: "${TagKey}", "<key>" and a trailing "tag-key" stand
 * for any non-empty text, so "aws:RequestTag/${TagKey}" matches "aws:RequestTag/team".
 */
export function conditionKeyTemplateToRegExp(template: string): RegExp {
  const body = template
    .replace(/[.+*?^()|[\]\\]/g, '\\$&')
    .replace(/\$\{[^}]*\}|<[^>]*>/g, '\u0000')
    .replace(/\/tag-key$/, '/\u0000')
    .replace(/[{}$]/g, '\\$&')
    .replace(/\u0000/g, '.+');
  return new RegExp(`^${body}$`, 'is');
}

export function isConditionKeyTemplate(key: string): boolean {
  return /\$\{|<[^>]*>|\/tag-key$/.test(key);
}

/** True when the key as written in a policy is an instance of the documented template. */
export function conditionKeyMatches(template: string, written: string): boolean {
  if (template.toLowerCase() === written.toLowerCase()) return true;
  return isConditionKeyTemplate(template) && conditionKeyTemplateToRegExp(template).test(written);
}

function resourceTypeTable(catalog: ActionCatalog, service: string): ReadonlyMap<string, ResourceTypeInfo> {
  const memo = catalogMemo<ReadonlyMap<string, ResourceTypeInfo>>(catalog, 'resourceTypeTable');
  const s = service.toLowerCase();
  let table = memo.get(s);
  if (table === undefined) {
    table = new Map(catalog.resourceTypesOfService(s).map((r) => [r.key.toLowerCase(), r]));
    memo.set(s, table);
  }
  return table;
}

/** The condition keys a request for this action can carry besides the global ones. */
export function conditionKeysOfAction(catalog: ActionCatalog, action: ActionInfo): string[] {
  const keys = new Set(action.conditionKeys);
  const types = resourceTypeTable(catalog, action.service);
  for (const rt of action.resourceTypes) {
    for (const k of rt.conditionKeys) keys.add(k);
    for (const k of types.get(rt.name.toLowerCase())?.conditionKeys ?? []) keys.add(k);
  }
  return [...keys];
}

/** Does a request for this action carry (or at least may carry) the written condition key? */
export function actionSupportsConditionKey(catalog: ActionCatalog, action: ActionInfo, written: string): boolean {
  return conditionKeysOfAction(catalog, action).some((template) => conditionKeyMatches(template, written));
}
