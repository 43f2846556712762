import { AwsError } from '../../../protocol/errors.js';
import type { Store } from '../../../store/store.js';
import type { AuthzEntry, RequestContext } from '../../types.js';

/** The identity store's rows, ARNs and errors, shared by its operations, sso-admin and the portal. */

export interface InstanceRow {
  instance_id: string;
  account_id: string;
  identity_store_id: string;
  name: string | null;
  region: string;
  created_at: number;
}

export interface UserRow {
  user_id: string;
  account_id: string;
  identity_store_id: string;
  user_name: string;
  display_name: string | null;
  attributes: string;
  password_hash: string | null;
  created_at: number;
  updated_at: number;
}

export interface GroupRow {
  group_id: string;
  account_id: string;
  identity_store_id: string;
  display_name: string;
  description: string | null;
  created_at: number;
  updated_at: number;
}

export interface MembershipRow {
  membership_id: string;
  account_id: string;
  identity_store_id: string;
  group_id: string;
  user_id: string;
  created_at: number;
}

export const identityStoreArn = (accountId: string, id: string) => `arn:aws:identitystore::${accountId}:identitystore/${id}`;
export const userArn = (id: string) => `arn:aws:identitystore:::user/${id}`;
export const groupArn = (id: string) => `arn:aws:identitystore:::group/${id}`;
export const membershipArn = (id: string) => `arn:aws:identitystore:::membership/${id}`;
export const ALL_USERS = 'arn:aws:identitystore:::user/*';
export const ALL_GROUPS = 'arn:aws:identitystore:::group/*';
export const ALL_MEMBERSHIPS = 'arn:aws:identitystore:::membership/*';

/** Entries for an action on the identity store and, first, on the resources it names (AWS lists them in that order). */
export function onStore(ctx: RequestContext, action: string, storeId: string, ...resources: string[]): AuthzEntry[] {
  return [...resources.map((resource) => ({ action, resource })), { action, resource: identityStoreArn(ctx.accountId, storeId) }];
}

export type ResourceType = 'USER' | 'GROUP' | 'IDENTITY_STORE' | 'GROUP_MEMBERSHIP';

export function notFound(type: ResourceType, id: string, message?: string): AwsError {
  const label = { USER: 'USER', GROUP: 'GROUP', IDENTITY_STORE: 'IDENTITY_STORE', GROUP_MEMBERSHIP: 'GROUP_MEMBERSHIP' }[type];
  return new AwsError('ResourceNotFoundException', message ?? `${label} not found.`, 400, { extra: { ResourceType: type, ResourceId: id } });
}

export function conflict(message: string, reason = 'UNIQUENESS_CONSTRAINT_VIOLATION'): AwsError {
  return new AwsError('ConflictException', message, 400, { extra: { Reason: reason } });
}

export function validation(message: string): AwsError {
  return new AwsError('ValidationException', message, 400);
}

/** The Identity Center instance whose identity store this is, when the caller's account owns it. */
export function instanceByStore(store: Store, accountId: string, identityStoreId: string): InstanceRow | undefined {
  return store.prepare<InstanceRow>('SELECT * FROM sso_instances WHERE identity_store_id = ? AND account_id = ?').get(identityStoreId, accountId);
}

export function requireStore(ctx: RequestContext, identityStoreId: string): InstanceRow {
  const row = instanceByStore(ctx.store, ctx.accountId, identityStoreId);
  if (!row) throw notFound('IDENTITY_STORE', identityStoreId, `Identity store ${identityStoreId} does not exist.`);
  return row;
}

export function findUser(store: Store, identityStoreId: string, userId: string): UserRow | undefined {
  return store.prepare<UserRow>('SELECT * FROM ids_users WHERE user_id = ? AND identity_store_id = ?').get(userId, identityStoreId);
}

export function requireUser(store: Store, identityStoreId: string, userId: string): UserRow {
  const row = findUser(store, identityStoreId, userId);
  if (!row) throw notFound('USER', userId);
  return row;
}

export function findGroup(store: Store, identityStoreId: string, groupId: string): GroupRow | undefined {
  return store.prepare<GroupRow>('SELECT * FROM ids_groups WHERE group_id = ? AND identity_store_id = ?').get(groupId, identityStoreId);
}

export function requireGroup(store: Store, identityStoreId: string, groupId: string): GroupRow {
  const row = findGroup(store, identityStoreId, groupId);
  if (!row) throw notFound('GROUP', groupId);
  return row;
}

/** The groups a user belongs to (assignments to them are the user's too). */
export function groupIdsOf(store: Store, userId: string): string[] {
  return store.prepare<{ group_id: string }>('SELECT group_id FROM ids_memberships WHERE user_id = ?').all(userId).map((r) => r.group_id);
}
