import { randomUUID } from 'node:crypto';
import { iamDataCatalog } from '../../catalog/iam-data-catalog.js';
import type { Store } from '../../store/store.js';
import type { Handler } from '../types.js';
import {
  actorArn,
  actorsOf,
  allowedNamespaces,
  grantingPolicies,
  lastUsesOf,
  resolveEntity,
  type Actor,
  type AdvisorEntity,
} from './access-advisor-sources.js';
import { invalidInput, noSuchEntity } from './errors.js';
import { paginate, type PageRequest } from './paginate.js';

/**
 * Service last accessed data ("access advisor"). A job completes as soon as it is made:
 * its report is computed then and kept, so later Gets see the data as of generation, as
 * AWS's do. The services reported are those the entity's policies allow; each carries
 * the latest use by any of the users or roles the report covers (their access keys' and
 * role sessions' last use). ACTION_LEVEL jobs report no tracked actions (approximation).
 */

interface ServiceReport {
  ServiceName: string;
  ServiceNamespace: string;
  LastAuthenticated?: number;
  LastAuthenticatedEntity?: string;
  LastAuthenticatedRegion?: string;
  TotalAuthenticatedEntities: number;
  entities: Array<{ Arn: string; Name: string; Type: 'USER' | 'ROLE'; Id: string; Path: string; LastAuthenticated?: number }>;
}

interface JobRow {
  job_id: string;
  entity_arn: string;
  granularity: string;
  created_at: number;
  report: string;
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

const generate: Handler = (ctx, input: { Arn: string; Granularity?: string }) => {
  const entity = resolveEntity(ctx.store, ctx.accountId, input.Arn);
  const jobId = randomUUID();
  ctx.store
    .prepare('INSERT INTO access_advisor_jobs (account_id, job_id, entity_arn, granularity, created_at, report) VALUES (?, ?, ?, ?, ?, ?)')
    .run(ctx.accountId, jobId, entity.arn, input.Granularity ?? 'SERVICE_LEVEL', ctx.now, JSON.stringify(computeReport(ctx.store, ctx.accountId, entity)));
  return { JobId: jobId };
};

function requireJob(store: Store, accountId: string, jobId: string): JobRow {
  const row = store.prepare<JobRow>('SELECT * FROM access_advisor_jobs WHERE account_id = ? AND job_id = ?').get(accountId, jobId);
  if (!row) throw noSuchEntity(`Job with id ${jobId} cannot be found.`);
  return row;
}

const date = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms));

const getDetails: Handler = (ctx, input: PageRequest & { JobId: string }) => {
  const job = requireJob(ctx.store, ctx.accountId, input.JobId);
  const services = JSON.parse(job.report) as ServiceReport[];
  const { items, more } = paginate(services, input, (s) => s.ServiceNamespace);
  return {
    JobStatus: 'COMPLETED',
    JobType: job.granularity,
    JobCreationDate: new Date(job.created_at),
    JobCompletionDate: new Date(job.created_at),
    ServicesLastAccessed: items.map((s) => ({
      ServiceName: s.ServiceName,
      ServiceNamespace: s.ServiceNamespace,
      ...(s.LastAuthenticated !== undefined ? { LastAuthenticated: date(s.LastAuthenticated) } : {}),
      ...(s.LastAuthenticatedEntity !== undefined ? { LastAuthenticatedEntity: s.LastAuthenticatedEntity } : {}),
      ...(s.LastAuthenticatedRegion !== undefined ? { LastAuthenticatedRegion: s.LastAuthenticatedRegion } : {}),
      TotalAuthenticatedEntities: s.TotalAuthenticatedEntities,
      ...(job.granularity === 'ACTION_LEVEL' ? { TrackedActionsLastAccessed: [] } : {}),
    })),
    ...more,
  };
};

const getDetailsWithEntities: Handler = (ctx, input: PageRequest & { JobId: string; ServiceNamespace: string }) => {
  const job = requireJob(ctx.store, ctx.accountId, input.JobId);
  const services = JSON.parse(job.report) as ServiceReport[];
  const service = services.find((s) => s.ServiceNamespace === input.ServiceNamespace.toLowerCase());
  const entities = service?.entities ?? [];
  const { items, more } = paginate(entities, input, (e) => e.Arn);
  return {
    JobStatus: 'COMPLETED',
    JobCreationDate: new Date(job.created_at),
    JobCompletionDate: new Date(job.created_at),
    EntityDetailsList: items.map((e) => ({
      EntityInfo: { Arn: e.Arn, Name: e.Name, Type: e.Type, Id: e.Id, Path: e.Path },
      ...(e.LastAuthenticated !== undefined ? { LastAuthenticated: date(e.LastAuthenticated) } : {}),
    })),
    ...more,
  };
};

const listPoliciesGranting: Handler = (ctx, input: { Arn: string; ServiceNamespaces: string[]; Marker?: string }) => {
  const entity = resolveEntity(ctx.store, ctx.accountId, input.Arn, false);
  if (input.ServiceNamespaces.length === 0) throw invalidInput('ServiceNamespaces must name at least one service.');
  const policies = grantingPolicies(ctx.store, entity).map((p) => ({ policy: p, allows: allowedNamespaces(p.document) }));
  const entries = input.ServiceNamespaces.map((ns) => ({
    ServiceNamespace: ns,
    Policies: policies
      .filter((p) => p.allows.has(ns.toLowerCase()))
      .map(({ policy: { document: _document, ...shape } }) => shape),
  }));
  const { items, more } = paginate(entries, { Marker: input.Marker });
  return { PoliciesGrantingServiceAccess: items, ...more };
};

export const accessAdvisorHandlers: Record<string, Handler> = {
  GenerateServiceLastAccessedDetails: generate,
  GetServiceLastAccessedDetails: getDetails,
  GetServiceLastAccessedDetailsWithEntities: getDetailsWithEntities,
  ListPoliciesGrantingServiceAccess: listPoliciesGranting,
};
