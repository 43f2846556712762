import { AwsError } from '../../protocol/errors.js';
import { operation } from '../operation.js';
import type { RequestContext } from '../types.js';
import { externalFindings, type ExternalFinding } from './external-access.js';

interface AnalyzerRow {
  account_id: string;
  name: string;
  type: string;
  region: string;
  created_at: number;
  analyzed_at: number | null;
  tags: string | null;
}

function analyzerArn(row: Pick<AnalyzerRow, 'region' | 'account_id' | 'name'>): string {
  return `arn:aws:access-analyzer:${row.region}:${row.account_id}:analyzer/${row.name}`;
}

function findAnalyzer(ctx: RequestContext, name: string): AnalyzerRow | undefined {
  return ctx.store.prepare<AnalyzerRow>('SELECT * FROM accessanalyzer_analyzers WHERE account_id = ? AND name = ?').get(ctx.accountId, name);
}

function notFound(name: string): AwsError {
  return new AwsError('ResourceNotFoundException', `Analyzer ${name} not found`, 404, { extra: { resourceId: name, resourceType: 'AWS::AccessAnalyzer::Analyzer' } });
}

/** The analyzer an ARN names (ListFindings, GetFinding take ARNs). */
function analyzerByArn(ctx: RequestContext, arn: string): AnalyzerRow {
  const name = /analyzer\/(.+)$/.exec(arn)?.[1];
  const row = name ? findAnalyzer(ctx, name) : undefined;
  if (!row) throw notFound(arn);
  return row;
}

const EXTERNAL = new Set(['ACCOUNT', 'ORGANIZATION']);

function summary(row: AnalyzerRow, ctx: RequestContext) {
  return {
    arn: analyzerArn(row), name: row.name, type: row.type, createdAt: new Date(row.created_at), status: 'ACTIVE',
    lastResourceAnalyzedAt: new Date(ctx.now), tags: row.tags ? JSON.parse(row.tags) : {},
  };
}

const arnOf = (ctx: RequestContext, name: string) => analyzerArn({ region: ctx.region, account_id: ctx.accountId, name });

export const CreateAnalyzer = operation({
  writes: true,
  authorize: (ctx, input) => ({ action: 'access-analyzer:CreateAnalyzer', resource: arnOf(ctx, input.analyzerName) }),
  run: (ctx, input) => {
    if (!EXTERNAL.has(input.type)) {
      throw new AwsError('ValidationException', `iamlocal serves external-access analyzers (ACCOUNT, ORGANIZATION); not ${input.type} yet.`, 400);
    }
    if (findAnalyzer(ctx, input.analyzerName)) {
      throw new AwsError('ConflictException', `Analyzer ${input.analyzerName} already exists`, 409, { extra: { resourceId: input.analyzerName, resourceType: 'AWS::AccessAnalyzer::Analyzer' } });
    }
    const same = ctx.store.prepare<{ name: string }>('SELECT name FROM accessanalyzer_analyzers WHERE account_id = ? AND region = ? AND type = ?').get(ctx.accountId, ctx.region, input.type);
    if (same) throw new AwsError('ServiceQuotaExceededException', `Only one analyzer of type ${input.type} is allowed per account per Region.`, 402, { extra: { resourceId: input.analyzerName, resourceType: 'AWS::AccessAnalyzer::Analyzer' } });
    ctx.store.prepare('INSERT INTO accessanalyzer_analyzers (account_id, name, type, region, created_at, analyzed_at, tags) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(ctx.accountId, input.analyzerName, input.type, ctx.region, ctx.now, ctx.now, input.tags ? JSON.stringify(input.tags) : null);
    return { arn: arnOf(ctx, input.analyzerName) };
  },
});

export const GetAnalyzer = operation({
  writes: false,
  authorize: (ctx, input) => ({ action: 'access-analyzer:GetAnalyzer', resource: arnOf(ctx, input.analyzerName) }),
  run: (ctx, input) => {
    const row = findAnalyzer(ctx, input.analyzerName);
    if (!row) throw notFound(input.analyzerName);
    return { analyzer: summary(row, ctx) };
  },
});

export const ListAnalyzers = operation({
  writes: false,
  authorize: () => ({ action: 'access-analyzer:ListAnalyzers', resource: '*' }),
  run: (ctx, input) => ({
    analyzers: ctx.store.prepare<AnalyzerRow>('SELECT * FROM accessanalyzer_analyzers WHERE account_id = ? ORDER BY name').all(ctx.accountId)
      .filter((r) => !input.type || r.type === input.type)
      .map((r) => summary(r, ctx)),
  }),
});

export const DeleteAnalyzer = operation({
  writes: true,
  authorize: (ctx, input) => ({ action: 'access-analyzer:DeleteAnalyzer', resource: arnOf(ctx, input.analyzerName) }),
  run: (ctx, input) => {
    if (!findAnalyzer(ctx, input.analyzerName)) throw notFound(input.analyzerName);
    ctx.store.prepare('DELETE FROM accessanalyzer_analyzers WHERE account_id = ? AND name = ?').run(ctx.accountId, input.analyzerName);
    return {};
  },
});

/** Findings are analysed when asked for: always those of the resources' current policies. */
function findingsOf(ctx: RequestContext, row: AnalyzerRow, filter?: Record<string, { eq?: string[]; neq?: string[]; exists?: boolean }>): ExternalFinding[] {
  const all = externalFindings(ctx.store, ctx.accountId, row.name);
  if (!filter) return all;
  return all.filter((f) => Object.entries(filter).every(([key, c]) => {
    const value = key === 'status' ? 'ACTIVE' : String((f as unknown as Record<string, unknown>)[key] ?? '');
    if (c.eq && !c.eq.includes(value)) return false;
    if (c.neq && c.neq.includes(value)) return false;
    return true;
  }));
}

function findingShape(f: ExternalFinding, row: AnalyzerRow, ctx: RequestContext) {
  const at = new Date(row.created_at);
  return { ...f, createdAt: at, updatedAt: at, analyzedAt: new Date(ctx.now), status: 'ACTIVE', sources: [{ type: 'POLICY' }] };
}

function page<T>(items: T[], maxResults: number | undefined, nextToken: string | undefined): { items: T[]; next?: string } {
  const start = nextToken ? Number(Buffer.from(nextToken, 'base64url').toString('utf8')) : 0;
  if (!Number.isInteger(start) || start < 0) throw new AwsError('ValidationException', 'Invalid nextToken.', 400);
  const max = maxResults ?? 100;
  const slice = items.slice(start, start + max);
  return { items: slice, next: start + slice.length < items.length ? Buffer.from(String(start + slice.length)).toString('base64url') : undefined };
}

export const ListFindings = operation({
  writes: false,
  authorize: (ctx, input) => ({ action: 'access-analyzer:ListFindings', resource: input.analyzerArn }),
  run: (ctx, input) => {
    const row = analyzerByArn(ctx, input.analyzerArn);
    const { items, next } = page(findingsOf(ctx, row, input.filter), input.maxResults, input.nextToken);
    return { findings: items.map((f) => findingShape(f, row, ctx)), nextToken: next };
  },
});

export const ListFindingsV2 = operation({
  writes: false,
  authorize: (ctx, input) => ({ action: 'access-analyzer:ListFindings', resource: input.analyzerArn }),
  run: (ctx, input) => {
    const row = analyzerByArn(ctx, input.analyzerArn);
    const { items, next } = page(findingsOf(ctx, row, input.filter), input.maxResults, input.nextToken);
    const at = new Date(row.created_at);
    return {
      findings: items.map((f) => ({
        id: f.id, resource: f.resource, resourceType: f.resourceType, resourceOwnerAccount: f.resourceOwnerAccount, status: 'ACTIVE',
        createdAt: at, updatedAt: at, analyzedAt: new Date(ctx.now), findingType: 'ExternalAccess',
      })),
      nextToken: next,
    };
  },
});

function oneFinding(ctx: RequestContext, analyzerArnText: string, id: string) {
  const row = analyzerByArn(ctx, analyzerArnText);
  const f = findingsOf(ctx, row).find((x) => x.id === id);
  if (!f) throw new AwsError('ResourceNotFoundException', `Finding ${id} not found`, 404, { extra: { resourceId: id, resourceType: 'AWS::AccessAnalyzer::Finding' } });
  return { row, f };
}

export const GetFinding = operation({
  writes: false,
  authorize: (ctx, input) => ({ action: 'access-analyzer:GetFinding', resource: input.analyzerArn }),
  run: (ctx, input) => {
    const { row, f } = oneFinding(ctx, input.analyzerArn, input.id);
    return { finding: findingShape(f, row, ctx) };
  },
});

export const GetFindingV2 = operation({
  writes: false,
  authorize: (ctx, input) => ({ action: 'access-analyzer:GetFinding', resource: input.analyzerArn }),
  run: (ctx, input) => {
    const { row, f } = oneFinding(ctx, input.analyzerArn, input.id);
    const at = new Date(row.created_at);
    return {
      id: f.id, resource: f.resource, resourceType: f.resourceType, resourceOwnerAccount: f.resourceOwnerAccount, status: 'ACTIVE',
      createdAt: at, updatedAt: at, analyzedAt: new Date(ctx.now), findingType: 'ExternalAccess',
      findingDetails: [{ externalAccessDetails: { action: f.action, condition: f.condition, isPublic: f.isPublic, principal: f.principal, sources: [{ type: 'POLICY' }] } }],
    };
  },
});

/** Findings are always current; a scan request only checks that the analyzer exists. */
export const StartResourceScan = operation({
  writes: false,
  authorize: (ctx, input) => ({ action: 'access-analyzer:StartResourceScan', resource: input.analyzerArn }),
  run: (ctx, input) => {
    analyzerByArn(ctx, input.analyzerArn);
    return {};
  },
});
