import { iamDataCatalog } from '../../../catalog/iam-data-catalog.js';
import type { Store } from '../../../store/store.js';
import { actorArn, actorsOf, allowedNamespaces, grantingPolicies, lastUsesOf, type Actor, type AdvisorEntity } from './access-advisor-sources.js';

/**
 * The report of a service last accessed job: the services the entity's policies allow,
 * each with the latest use by any of the users or roles the report covers (their access
 * keys' and role sessions' last use), computed once when the job is made.
 */

export interface ServiceReport {
  ServiceName: string;
  ServiceNamespace: string;
  LastAuthenticated?: number;
  LastAuthenticatedEntity?: string;
  LastAuthenticatedRegion?: string;
  TotalAuthenticatedEntities: number;
  entities: Array<{ Arn: string; Name: string; Type: 'USER' | 'ROLE'; Id: string; Path: string; LastAuthenticated?: number }>;
}

function actorInfo(actor: Actor) {
  return actor.kind === 'user'
    ? { Arn: actorArn(actor), Name: actor.row.user_name, Type: 'USER' as const, Id: actor.row.user_id, Path: actor.row.path }
    : { Arn: actorArn(actor), Name: actor.row.role_name, Type: 'ROLE' as const, Id: actor.row.role_id, Path: actor.row.path };
}

/** Actors of a group or policy report count for a service only if their own policies allow it. */
function actorAllows(store: Store, accountId: string, actor: Actor, namespace: string, cache: Map<Actor, Set<string>>): boolean {
  let set = cache.get(actor);
  if (!set) {
    set = new Set<string>();
    const entity: AdvisorEntity = actor.kind === 'user' ? { kind: 'user', arn: actorArn(actor), row: actor.row } : { kind: 'role', arn: actorArn(actor), row: actor.row };
    for (const p of grantingPolicies(store, entity)) for (const ns of allowedNamespaces(p.document)) set.add(ns);
    cache.set(actor, set);
  }
  return set.has(namespace);
}

export function computeReport(store: Store, accountId: string, entity: AdvisorEntity): ServiceReport[] {
  const namespaces = new Set<string>();
  for (const p of grantingPolicies(store, entity)) for (const ns of allowedNamespaces(p.document)) namespaces.add(ns);
  const actors = actorsOf(store, accountId, entity).map((a) => ({ actor: a, uses: lastUsesOf(store, a) }));
  const allowsCache = new Map<Actor, Set<string>>();
  const out: ServiceReport[] = [];
  for (const ns of [...namespaces].sort()) {
    const report: ServiceReport = { ServiceName: iamDataCatalog.serviceDisplayName(ns) ?? ns, ServiceNamespace: ns, TotalAuthenticatedEntities: 0, entities: [] };
    for (const { actor, uses } of actors) {
      if (entity.kind !== 'user' && entity.kind !== 'role' && !actorAllows(store, accountId, actor, ns, allowsCache)) continue;
      const use = uses.get(ns);
      report.entities.push({ ...actorInfo(actor), ...(use ? { LastAuthenticated: use.at } : {}) });
      if (!use) continue;
      report.TotalAuthenticatedEntities++;
      if (report.LastAuthenticated === undefined || use.at > report.LastAuthenticated) {
        report.LastAuthenticated = use.at;
        report.LastAuthenticatedEntity = actorArn(actor);
        if (use.region !== null) report.LastAuthenticatedRegion = use.region;
        else delete report.LastAuthenticatedRegion;
      }
    }
    out.push(report);
  }
  return out;
}
