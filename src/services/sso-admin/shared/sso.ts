import { randomBytes } from 'node:crypto';
import { AwsError } from '../../../protocol/errors.js';
import type { Store } from '../../../store/store.js';
import type { AuthzEntry, RequestContext } from '../../types.js';
import type { InstanceRow } from '../../identitystore/shared/rows.js';

/** IDs, ARNs, rows and errors every sso-admin operation shares. */

export const hex = (n: number) => randomBytes(Math.ceil(n / 2)).toString('hex').slice(0, n);

export const instanceArn = (id: string) => `arn:aws:sso:::instance/${id}`;
export const permissionSetArn = (instanceId: string, psId: string) => `arn:aws:sso:::permissionSet/${instanceId}/${psId}`;
export const accountArn = (accountId: string) => `arn:aws:sso:::account/${accountId}`;

export interface PermissionSetRow {
  permission_set_id: string;
  account_id: string;
  instance_id: string;
  name: string;
  description: string | null;
  session_duration: string;
  relay_state: string | null;
  inline_policy: string | null;
  boundary: string | null;
  created_at: number;
  changed_at: number;
}

export const notFound = (message: string) => new AwsError('ResourceNotFoundException', message, 400);
export const conflict = (message: string) => new AwsError('ConflictException', message, 400);
export const validation = (message: string) => new AwsError('ValidationException', message, 400);

const INSTANCE_ARN = /^arn:aws:sso:::instance\/(ssoins-[0-9a-f]{16})$/;
const PS_ARN = /^arn:aws:sso:::permissionSet\/(ssoins-[0-9a-f]{16})\/(ps-[0-9a-f]{16})$/;

/** The caller's instance an ARN names (an instance of another account is not found, as on AWS). */
export function requireInstance(ctx: RequestContext, arn: string): InstanceRow {
  const id = INSTANCE_ARN.exec(arn)?.[1];
  const row = id && ctx.store.prepare<InstanceRow>('SELECT * FROM sso_instances WHERE instance_id = ? AND account_id = ?').get(id, ctx.accountId);
  if (!row) throw notFound(`Instance ${arn} does not exist.`);
  return row;
}

export function findPermissionSet(store: Store, instance: InstanceRow, arn: string): PermissionSetRow | undefined {
  const m = PS_ARN.exec(arn);
  if (!m || m[1] !== instance.instance_id) return undefined;
  return store.prepare<PermissionSetRow>('SELECT * FROM sso_permission_sets WHERE permission_set_id = ? AND instance_id = ?').get(m[2], instance.instance_id);
}

export function requirePermissionSet(ctx: RequestContext, instance: InstanceRow, arn: string): PermissionSetRow {
  const row = findPermissionSet(ctx.store, instance, arn);
  if (!row) throw notFound(`Could not find PermissionSet with arn ${arn}.`);
  return row;
}

export const psArnOf = (row: PermissionSetRow) => permissionSetArn(row.instance_id, row.permission_set_id);

/** One action on the instance and the permission set (and an account): the resource types the reference lists for it. */
export function onInstance(action: string, instance: string, ...more: string[]): AuthzEntry[] {
  return [instance, ...more].map((resource) => ({ action, resource }));
}

/** A permission set was edited: roles provisioned before now are outdated until ProvisionPermissionSet. */
export function touch(ctx: RequestContext, ps: PermissionSetRow): void {
  ctx.store.prepare('UPDATE sso_permission_sets SET changed_at = ? WHERE permission_set_id = ?').run(ctx.now, ps.permission_set_id);
}

/** ISO-8601 duration (PT1H, PT12H, PT90M) → seconds; permission sets allow 1 to 12 hours. */
export function durationSeconds(text: string): number {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(text);
  if (!m || (!m[1] && !m[2] && !m[3])) throw validation(`Invalid SessionDuration ${text}.`);
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

export function checkSessionDuration(text: string | undefined): string {
  const value = text ?? 'PT1H';
  const seconds = durationSeconds(value);
  if (seconds < 3600 || seconds > 43200) throw validation('SessionDuration must be between PT1H and PT12H.');
  return value;
}
