import { randomUUID } from 'node:crypto';
import type { Store } from '../../../store/store.js';
import { operation } from '../../operation.js';
import { resolveEntity } from './access-advisor-sources.js';
import { computeReport, type ServiceReport } from './service-report.js';
import { noSuchEntity } from '../../../identity/errors.js';
import { accountWide } from '../shared/account-wide.js';
import { paginate, type PageRequest } from '../shared/paginate.js';

/**
 * Service last accessed data ("access advisor"). A job completes as soon as it is made:
 * its report is computed then and kept, so later Gets see the data as of generation, as
 * AWS's do (service-report.ts computes it). ACTION_LEVEL jobs report no tracked actions
 * (approximation).
 *
 * Generating a report acts on the user, group, role or managed policy the ARN names (it
 * writes: the job is stored); reading a finished job is on "*", as the Service
 * Authorization Reference scopes them.
 */

interface JobRow {
  job_id: string;
  entity_arn: string;
  granularity: string;
  created_at: number;
  report: string;
}

export const GenerateServiceLastAccessedDetails = operation({
  writes: true,
  authorize: (_ctx, input: { Arn: string }) => ({ action: 'iam:GenerateServiceLastAccessedDetails', resource: input.Arn }),
  run: (ctx, input: { Arn: string; Granularity?: string }) => {
    const entity = resolveEntity(ctx.store, ctx.accountId, input.Arn);
    const jobId = randomUUID();
    ctx.store
      .prepare('INSERT INTO access_advisor_jobs (account_id, job_id, entity_arn, granularity, created_at, report) VALUES (?, ?, ?, ?, ?, ?)')
      .run(ctx.accountId, jobId, entity.arn, input.Granularity ?? 'SERVICE_LEVEL', ctx.now, JSON.stringify(computeReport(ctx.store, ctx.accountId, entity)));
    return { JobId: jobId };
  },
});

function requireJob(store: Store, accountId: string, jobId: string): JobRow {
  const row = store.prepare<JobRow>('SELECT * FROM access_advisor_jobs WHERE account_id = ? AND job_id = ?').get(accountId, jobId);
  if (!row) throw noSuchEntity(`Job with id ${jobId} cannot be found.`);
  return row;
}

const date = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms));

export const GetServiceLastAccessedDetails = operation({
  writes: false,
  authorize: accountWide('iam:GetServiceLastAccessedDetails'),
  run: (ctx, input: PageRequest & { JobId: string }) => {
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
  },
});

export const GetServiceLastAccessedDetailsWithEntities = operation({
  writes: false,
  authorize: accountWide('iam:GetServiceLastAccessedDetailsWithEntities'),
  run: (ctx, input: PageRequest & { JobId: string; ServiceNamespace: string }) => {
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
  },
});
