import type { ActionCatalog } from '../policy/index.js';

/**
 * The policy summary the console shows beside a policy's JSON, as AWS's does: for each
 * service and effect, the access levels the statements grant (all of a level, or some of
 * it), the resources and whether a condition applies. Actions are expanded against the
 * action catalogue; what the catalogue does not know is listed as unrecognized.
 */
export interface ServiceSummary {
  service: string;
  serviceName: string;
  effect: 'Allow' | 'Deny';
  /** Access level → [actions granted, actions of that level in the service]. */
  levels: Record<string, [number, number]>;
  /** "Full access", "Full: List, Read", "Limited: Write"… */
  access: string;
  resources: string[];
  conditions: boolean;
  notAction: boolean;
}

const ORDER = ['List', 'Read', 'Write', 'Permissions management', 'Tagging'];

function asList(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)];
}

function glob(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
}

export function summarizePolicy(text: string, catalog: ActionCatalog & { serviceDisplayName?(prefix: string): string | undefined }): { services: ServiceSummary[]; unrecognized: string[] } {
  const doc = JSON.parse(text) as { Statement?: unknown };
  const statements = (Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]).filter((s): s is Record<string, unknown> => typeof s === 'object' && s !== null);
  const byKey = new Map<string, { effect: 'Allow' | 'Deny'; service: string; actions: Set<string>; resources: Set<string>; conditions: boolean; notAction: boolean }>();
  const unrecognized = new Set<string>();
  for (const st of statements) {
    const effect = st.Effect === 'Deny' ? 'Deny' : 'Allow';
    const notAction = st.NotAction !== undefined;
    const patterns = asList(notAction ? st.NotAction : st.Action);
    const resources = asList(st.Resource ?? st.NotResource);
    const services = new Set<string>();
    const matched = new Map<string, Set<string>>();
    for (const p of patterns) {
      if (p === '*') {
        for (const s of catalog.allServices()) services.add(s);
        continue;
      }
      const [service, name = ''] = p.split(':', 2);
      if (!catalog.isKnownService(service.toLowerCase())) {
        unrecognized.add(p);
        continue;
      }
      const re = glob(name);
      const hits = catalog.actionsOfService(service.toLowerCase()).filter((a) => re.test(a.name));
      if (hits.length === 0) unrecognized.add(p);
      const set = matched.get(service.toLowerCase()) ?? new Set<string>();
      for (const a of hits) set.add(a.name);
      matched.set(service.toLowerCase(), set);
    }
    // NotAction: every action of every service except those named.
    const all = notAction || services.size > 0;
    const targets = all ? catalog.allServices() : [...matched.keys()];
    for (const service of targets) {
      const actions = catalog.actionsOfService(service);
      const named = matched.get(service) ?? new Set<string>();
      const granted = notAction ? actions.filter((a) => !named.has(a.name)) : services.has(service) ? actions : actions.filter((a) => named.has(a.name));
      if (granted.length === 0) continue;
      const key = `${effect} ${service}`;
      const entry = byKey.get(key) ?? { effect, service, actions: new Set<string>(), resources: new Set<string>(), conditions: false, notAction: false };
      for (const a of granted) entry.actions.add(a.name);
      for (const r of resources) entry.resources.add(r);
      entry.conditions ||= st.Condition !== undefined;
      entry.notAction ||= notAction;
      byKey.set(key, entry);
    }
  }
  const services = [...byKey.values()].map((e): ServiceSummary => {
    const levels: Record<string, [number, number]> = {};
    for (const a of catalog.actionsOfService(e.service)) {
      const l = levels[a.accessLevel] ?? [0, 0];
      l[1]++;
      if (e.actions.has(a.name)) l[0]++;
      levels[a.accessLevel] = l;
    }
    const used = ORDER.filter((l) => levels[l]?.[0]);
    const fullLevels = used.filter((l) => levels[l][0] === levels[l][1]);
    const full = used.length > 0 && Object.values(levels).every(([n, total]) => n === total);
    const access = full ? 'Full access'
      : fullLevels.length === used.length ? `Full: ${used.join(', ')}`
      : `${fullLevels.length ? `Full: ${fullLevels.join(', ')}; ` : ''}Limited: ${used.filter((l) => !fullLevels.includes(l)).join(', ')}`;
    return {
      service: e.service, serviceName: catalog.serviceDisplayName?.(e.service) ?? e.service, effect: e.effect, levels, access,
      resources: [...e.resources], conditions: e.conditions, notAction: e.notAction,
    };
  });
  services.sort((a, b) => a.effect.localeCompare(b.effect) || a.serviceName.localeCompare(b.serviceName));
  return { services, unrecognized: [...unrecognized] };
}
