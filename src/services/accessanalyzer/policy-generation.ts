import { randomUUID } from 'node:crypto';
import { AwsError } from '../../protocol/errors.js';
import { operation } from '../operation.js';
import type { RequestContext } from '../types.js';
import { readEvents } from '../cloudtrail/event-history.js';

interface GenerationRow {
  job_id: string;
  principal_arn: string;
  started_at: number;
  completed_at: number | null;
  status: string;
  start_time: number;
  end_time: number;
  result: string | null;
}

interface Generated {
  policies: string[];
  trails: Array<{ cloudTrailArn: string; regions?: string[]; allRegions?: boolean }>;
}

/** Access Analyzer generates at most this many characters of policy per document (IAM's inline limit). */
const MAX_POLICY = 10_240;

/**
 * A least-privilege policy from what the principal did: the [action, resource] pairs its
 * recorded calls were authorized for (a role's sessions count as the role), in the time
 * window. Actions touching the same resources share a statement, as AWS's generator
 * groups them; an action that names no resource type keeps "*".
 */
export function generatePolicies(ctx: RequestContext, principalArn: string, start: number, end: number): string[] {
  const byAction = new Map<string, Set<string>>();
  const byPrincipal = { accountId: ctx.accountId, fromTime: start, toTime: end, where: (h: { principalArn: string | null }) => h.principalArn === principalArn };
  for (const e of readEvents(ctx.store, byPrincipal)) {
    if (!e.authz) continue;
    // A call that was refused is not access the principal has used.
    if (e.errorCode === 'AccessDenied' || e.errorCode === 'AccessDeniedException') continue;
    for (const [action, resource] of e.authz) {
      const set = byAction.get(action) ?? new Set();
      set.add(resource);
      byAction.set(action, set);
    }
  }
  const byResources = new Map<string, { actions: string[]; resources: string[] }>();
  for (const [action, set] of [...byAction].sort(([a], [b]) => a.localeCompare(b))) {
    const resources = set.has('*') ? ['*'] : [...set].sort();
    const key = resources.join('\n');
    const group = byResources.get(key) ?? { actions: [], resources };
    group.actions.push(action);
    byResources.set(key, group);
  }
  const statements = [...byResources.values()].map((g) => ({
    Effect: 'Allow',
    Action: g.actions.length === 1 ? g.actions[0] : g.actions,
    Resource: g.resources.length === 1 ? g.resources[0] : g.resources,
  }));
  // Split into documents that fit, as the generator does for large histories.
  const policies: string[] = [];
  let current: unknown[] = [];
  const text = (st: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement: st });
  for (const st of statements) {
    if (current.length > 0 && text([...current, st]).length > MAX_POLICY) {
      policies.push(text(current));
      current = [];
    }
    current.push(st);
  }
  if (current.length > 0) policies.push(text(current));
  return policies;
}

const PRINCIPAL = /^arn:aws[\w-]*:iam::(\d{12}):(role|user)\/.+$/;

export const StartPolicyGeneration = operation({
  writes: true,
  authorize: () => ({ action: 'access-analyzer:StartPolicyGeneration', resource: '*' }),
  run: (ctx, input) => {
    const principalArn: string = input.policyGenerationDetails.principalArn;
    const m = PRINCIPAL.exec(principalArn);
    if (!m) throw new AwsError('ValidationException', `Invalid principalArn: ${principalArn}. A role or user ARN is expected.`, 400);
    if (m[1] !== ctx.accountId) throw new AwsError('ValidationException', 'The principal must be in the account of the caller.', 400);
    const details = input.cloudTrailDetails;
    const start = details ? (details.startTime as Date).getTime() : ctx.now - 90 * 86_400_000;
    const end = details?.endTime ? (details.endTime as Date).getTime() : ctx.now;
    if (start > end) throw new AwsError('ValidationException', 'startTime must be before endTime.', 400);
    const jobId = randomUUID();
    // The history is local: the job is done by the time it is answered.
    const generated: Generated = { policies: generatePolicies(ctx, principalArn, start, end), trails: details?.trails ?? [] };
    ctx.store.prepare(`INSERT INTO accessanalyzer_generations (account_id, job_id, principal_arn, started_at, completed_at, status, start_time, end_time, result)
      VALUES (?, ?, ?, ?, ?, 'SUCCEEDED', ?, ?, ?)`).run(ctx.accountId, jobId, principalArn, ctx.now, ctx.now, start, end, JSON.stringify(generated));
    return { jobId };
  },
});

function requireJob(ctx: RequestContext, jobId: string): GenerationRow {
  const row = ctx.store.prepare<GenerationRow>('SELECT * FROM accessanalyzer_generations WHERE account_id = ? AND job_id = ?').get(ctx.accountId, jobId);
  if (!row) throw new AwsError('ResourceNotFoundException', `Policy generation job ${jobId} not found`, 404, { extra: { resourceId: jobId, resourceType: 'PolicyGeneration' } });
  return row;
}

export const GetGeneratedPolicy = operation({
  writes: false,
  authorize: () => ({ action: 'access-analyzer:GetGeneratedPolicy', resource: '*' }),
  run: (ctx, input) => {
    const row = requireJob(ctx, input.jobId);
    const generated = JSON.parse(row.result ?? '{"policies":[],"trails":[]}') as Generated;
    return {
      jobDetails: { jobId: row.job_id, status: row.status, startedOn: new Date(row.started_at), completedOn: row.completed_at ? new Date(row.completed_at) : undefined },
      generatedPolicyResult: {
        properties: {
          isComplete: true,
          principalArn: row.principal_arn,
          cloudTrailProperties: { trailProperties: generated.trails, startTime: new Date(row.start_time), endTime: new Date(row.end_time) },
        },
        generatedPolicies: generated.policies.map((policy) => ({ policy })),
      },
    };
  },
});

export const ListPolicyGenerations = operation({
  writes: false,
  authorize: () => ({ action: 'access-analyzer:ListPolicyGenerations', resource: '*' }),
  run: (ctx, input) => ({
    policyGenerations: ctx.store.prepare<GenerationRow>('SELECT * FROM accessanalyzer_generations WHERE account_id = ? ORDER BY started_at DESC').all(ctx.accountId)
      .filter((r) => !input.principalArn || r.principal_arn === input.principalArn)
      .slice(0, input.maxResults ?? 100)
      .map((r) => ({ jobId: r.job_id, principalArn: r.principal_arn, status: r.status, startedOn: new Date(r.started_at), completedOn: r.completed_at ? new Date(r.completed_at) : undefined })),
  }),
});

/** A job here is done before it can be cancelled: cancelling one only checks that it exists. */
export const CancelPolicyGeneration = operation({
  writes: false,
  authorize: () => ({ action: 'access-analyzer:CancelPolicyGeneration', resource: '*' }),
  run: (ctx, input) => {
    requireJob(ctx, input.jobId);
    return {};
  },
});
