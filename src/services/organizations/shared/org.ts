import { randomBytes } from 'node:crypto';
import type { AuthzEntry, RequestContext } from '../../types.js';
import type { Store } from '../../../store/store.js';
import { memberRow, type OrganizationRow, type OrgAccountRow, type PolicyTypeName } from '../../../identity/organization.js';
import { accountNotFound, invalidInput, notInUse, notManagementAccount } from './errors.js';

/** What every Organizations operation shares: IDs, ARNs, the caller's organization, paging. */

const LOWER = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** n characters of [a-z0-9], as AWS's IDs are made. */
export function randomId(n: number): string {
  const bytes = randomBytes(n);
  let out = '';
  for (let i = 0; i < n; i++) out += LOWER[bytes[i] % LOWER.length];
  return out;
}

export const newOrganizationId = () => `o-${randomId(10)}`;
export const newRootId = () => `r-${randomId(4)}`;
/** An OU's ID carries its root's: ou-<root suffix>-<8>. */
export const newOuId = (rootId: string) => `ou-${rootId.slice(2)}-${randomId(8)}`;
export const newPolicyId = () => `p-${randomId(8)}`;
export const newHandshakeId = () => `h-${randomId(10)}`;
export const newCreateAccountRequestId = () => `car-${randomId(32)}`;

/** arn:aws:organizations::<management>:<kind>/o-…[/rest] */
export function orgResourceArn(org: { org_id: string; account_id: string }, kind: string, rest?: string): string {
  return kind === 'organization'
    ? `arn:aws:organizations::${org.account_id}:organization/${org.org_id}`
    : `arn:aws:organizations::${org.account_id}:${kind}/${org.org_id}/${rest}`;
}

export const accountArn = (org: OrganizationRow, accountId: string) => orgResourceArn(org, 'account', accountId);
export const rootArn = (org: OrganizationRow, rootId: string) => orgResourceArn(org, 'root', rootId);
export const ouArn = (org: OrganizationRow, ouId: string) => orgResourceArn(org, 'ou', ouId);

/** A policy's ARN; AWS's own live under account "aws". */
export function policyArn(org: OrganizationRow, type: PolicyTypeName, policyId: string, awsManaged: boolean): string {
  const t = type.toLowerCase();
  return awsManaged ? `arn:aws:organizations::aws:policy/${t}/${policyId}` : orgResourceArn(org, 'policy', `${t}/${policyId}`);
}

/** The organization the caller's account belongs to, read fresh (handlers may run after a write of their own). */
export function callerOrganization(store: Store, accountId: string): OrganizationRow | undefined {
  const member = memberRow(store, accountId);
  return member && store.prepare<OrganizationRow>('SELECT * FROM org_organizations WHERE org_id = ?').get(member.org_id);
}

export function requireOrganization(ctx: RequestContext): OrganizationRow {
  const org = callerOrganization(ctx.store, ctx.accountId);
  if (!org) throw notInUse();
  return org;
}

/** The organization, when the caller is its management account (most writes and lists). */
export function requireManagement(ctx: RequestContext): OrganizationRow {
  const org = requireOrganization(ctx);
  if (org.account_id !== ctx.accountId) throw notManagementAccount();
  return org;
}

export function requireMember(store: Store, org: OrganizationRow, accountId: string): OrgAccountRow {
  const row = memberRow(store, accountId);
  if (!row || row.org_id !== org.org_id) throw accountNotFound();
  return row;
}

/**
 * An authorization entry on an organization resource. Before there is an organization
 * (or for a caller outside it) the ARN cannot be formed: the request is decided on "*",
 * and the handler then answers AWSOrganizationsNotInUseException.
 */
export function onOrg(ctx: RequestContext, action: string, arn: (org: OrganizationRow) => string, context?: AuthzEntry['context']): AuthzEntry {
  const org = callerOrganization(ctx.store, ctx.accountId);
  return { action, resource: org ? arn(org) : '*', ...(context ? { context } : {}) };
}

/** The ARN of any target (root, OU, account) by its ID. */
export function targetArn(org: OrganizationRow, id: string): string {
  if (id.startsWith('r-')) return rootArn(org, id);
  if (id.startsWith('ou-')) return ouArn(org, id);
  return accountArn(org, id);
}

// ---------------------------------------------------------------------------------------
// Paging: NextToken (opaque) and MaxResults (1–20)

export interface PageInput {
  NextToken?: string;
  MaxResults?: number;
}

/** One page of items (already in their order); NextToken only when more follow. */
export function page<T>(items: T[], input: PageInput): { items: T[]; NextToken?: string } {
  const max = input.MaxResults ?? 20;
  let start = 0;
  if (input.NextToken !== undefined) {
    const decoded = /^\d+$/.test(Buffer.from(input.NextToken, 'base64').toString('utf8')) ? Number(Buffer.from(input.NextToken, 'base64').toString('utf8')) : NaN;
    if (!Number.isSafeInteger(decoded)) throw invalidToken();
    start = decoded;
  }
  const slice = items.slice(start, start + max);
  const next = start + max < items.length ? Buffer.from(String(start + max)).toString('base64') : undefined;
  return next === undefined ? { items: slice } : { items: slice, NextToken: next };
}

const invalidToken = () => invalidInput('INVALID_NEXT_TOKEN', 'You specified an invalid value for nextToken. You must get the value from the response to a previous call to the API.');
