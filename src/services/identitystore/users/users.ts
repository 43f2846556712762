import { randomUUID } from 'node:crypto';
import { operation } from '../../operation.js';
import type { RequestContext } from '../../types.js';
import { pageOf } from '../shared/paging.js';
import {
  ALL_USERS, conflict, notFound, onStore, requireStore, requireUser, userArn, validation, type UserRow,
} from '../shared/rows.js';
import { applyOperations, uniqueAttributeValue, type AttributeOperation } from '../shared/attributes.js';
import { removeAssignmentsOf } from '../../sso-admin/assignments/provisioning.js';

/** Identity store users: CreateUser, DescribeUser, ListUsers, UpdateUser, DeleteUser, GetUserId. */

type UserAttributes = Record<string, unknown>;

interface CreateUserInput extends UserAttributes {
  IdentityStoreId: string;
  UserName?: string;
}

/** Names AWS keeps for itself ("Administrator and AWSAdministrators are reserved names"). */
const RESERVED_USER_NAMES = new Set(['administrator', 'awsadministrators']);

function checkUserName(name: string | undefined): string {
  if (name === undefined || name.trim() === '') throw validation('UserName is a required attribute.');
  if (RESERVED_USER_NAMES.has(name.toLowerCase())) throw validation(`UserName ${name} is reserved.`);
  return name;
}

/** The model: "When used in IAM Identity Center, this parameter is required" (DisplayName, Name). */
function checkIdentityCenterAttributes(attributes: UserAttributes): void {
  if (typeof attributes.DisplayName !== 'string' || attributes.DisplayName.trim() === '') throw validation('DisplayName is a required attribute.');
  const name = attributes.Name as { GivenName?: unknown; FamilyName?: unknown } | undefined;
  if (!name || typeof name.GivenName !== 'string' || typeof name.FamilyName !== 'string') {
    throw validation('Name is a required attribute: give Name.GivenName and Name.FamilyName.');
  }
}

export function userShape(row: UserRow): Record<string, unknown> {
  const attributes = JSON.parse(row.attributes) as UserAttributes;
  return {
    ...attributes,
    IdentityStoreId: row.identity_store_id,
    UserId: row.user_id,
    UserName: row.user_name,
    UserStatus: 'ENABLED',
    CreatedAt: new Date(row.created_at),
    UpdatedAt: new Date(row.updated_at),
  };
}

function userNameTaken(ctx: RequestContext, storeId: string, name: string, except?: string): boolean {
  const row = ctx.store.prepare<{ user_id: string }>('SELECT user_id FROM ids_users WHERE identity_store_id = ? AND user_name = ?').get(storeId, name);
  return row !== undefined && row.user_id !== except;
}

export const CreateUser = operation({
  writes: true,
  authorize: (ctx: RequestContext, input: CreateUserInput) => onStore(ctx, 'identitystore:CreateUser', input.IdentityStoreId),
  run: (ctx: RequestContext, input: CreateUserInput) => {
    requireStore(ctx, input.IdentityStoreId);
    const { IdentityStoreId, UserName, ...attributes } = input;
    const name = checkUserName(UserName);
    checkIdentityCenterAttributes(attributes);
    if (userNameTaken(ctx, IdentityStoreId, name)) throw conflict('Duplicate UserName');
    const row: UserRow = {
      user_id: randomUUID(), account_id: ctx.accountId, identity_store_id: IdentityStoreId, user_name: name,
      display_name: typeof attributes.DisplayName === 'string' ? attributes.DisplayName : null,
      attributes: JSON.stringify(attributes), password_hash: null, created_at: ctx.now, updated_at: ctx.now,
    };
    ctx.store
      .prepare(
        `INSERT INTO ids_users (user_id, account_id, identity_store_id, user_name, display_name, attributes, password_hash, created_at, updated_at)
         VALUES (@user_id, @account_id, @identity_store_id, @user_name, @display_name, @attributes, @password_hash, @created_at, @updated_at)`,
      )
      .run(row);
    return { UserId: row.user_id, IdentityStoreId };
  },
});

interface UserRef {
  IdentityStoreId: string;
  UserId: string;
}

export const DescribeUser = operation({
  writes: false,
  authorize: (ctx: RequestContext, input: UserRef) => onStore(ctx, 'identitystore:DescribeUser', input.IdentityStoreId, userArn(input.UserId)),
  run: (ctx: RequestContext, input: UserRef) => {
    requireStore(ctx, input.IdentityStoreId);
    return userShape(requireUser(ctx.store, input.IdentityStoreId, input.UserId));
  },
});

interface Filter {
  AttributePath: string;
  AttributeValue: string;
}

interface ListUsersInput {
  IdentityStoreId: string;
  Filters?: Filter[];
  MaxResults?: number;
  NextToken?: string;
}

export const ListUsers = operation({
  writes: false,
  authorize: (ctx: RequestContext, input: ListUsersInput) => onStore(ctx, 'identitystore:ListUsers', input.IdentityStoreId, ALL_USERS),
  run: (ctx: RequestContext, input: ListUsersInput) => {
    requireStore(ctx, input.IdentityStoreId);
    let rows = ctx.store.prepare<UserRow>('SELECT * FROM ids_users WHERE identity_store_id = ? ORDER BY created_at, user_id').all(input.IdentityStoreId);
    for (const f of input.Filters ?? []) {
      // ListUsers filters on UserName only (deprecated in favour of GetUserId, still served).
      if (f.AttributePath.toLowerCase() !== 'username') throw validation(`Filter on ${f.AttributePath} is not supported; only UserName is.`);
      rows = rows.filter((r) => r.user_name.toLowerCase() === f.AttributeValue.toLowerCase());
    }
    const { items, next } = pageOf(rows, input.NextToken, input.MaxResults);
    return { Users: items.map(userShape), NextToken: next };
  },
});

interface UpdateUserInput extends UserRef {
  Operations: AttributeOperation[];
}

export const UpdateUser = operation({
  writes: true,
  authorize: (ctx: RequestContext, input: UpdateUserInput) => onStore(ctx, 'identitystore:UpdateUser', input.IdentityStoreId, userArn(input.UserId)),
  run: (ctx: RequestContext, input: UpdateUserInput) => {
    requireStore(ctx, input.IdentityStoreId);
    const row = requireUser(ctx.store, input.IdentityStoreId, input.UserId);
    const current: UserAttributes = { ...(JSON.parse(row.attributes) as UserAttributes), UserName: row.user_name };
    const updated = applyOperations(current, input.Operations, USER_ATTRIBUTES);
    const { UserName, ...attributes } = updated;
    const name = checkUserName(typeof UserName === 'string' ? UserName : undefined);
    if (userNameTaken(ctx, input.IdentityStoreId, name, row.user_id)) throw conflict('Duplicate UserName');
    ctx.store
      .prepare('UPDATE ids_users SET user_name = ?, display_name = ?, attributes = ?, updated_at = ? WHERE user_id = ?')
      .run(name, typeof attributes.DisplayName === 'string' ? attributes.DisplayName : null, JSON.stringify(attributes), ctx.now, row.user_id);
    return {};
  },
});

/** The attributes UpdateUser may set, by their lower-case path. */
const USER_ATTRIBUTES = [
  'UserName', 'Name', 'DisplayName', 'NickName', 'ProfileUrl', 'Emails', 'Addresses', 'PhoneNumbers', 'UserType', 'Title',
  'PreferredLanguage', 'Locale', 'Timezone', 'Photos', 'Website', 'Birthdate', 'Roles',
];

export const DeleteUser = operation({
  writes: true,
  authorize: (ctx: RequestContext, input: UserRef) => onStore(ctx, 'identitystore:DeleteUser', input.IdentityStoreId, userArn(input.UserId)),
  run: (ctx: RequestContext, input: UserRef) => {
    requireStore(ctx, input.IdentityStoreId);
    const row = requireUser(ctx.store, input.IdentityStoreId, input.UserId);
    // The user's memberships, sign-ins and assignments go with it, as in Identity Center.
    ctx.store.prepare('DELETE FROM ids_memberships WHERE user_id = ?').run(row.user_id);
    ctx.store.prepare('DELETE FROM sso_portal_tokens WHERE user_id = ?').run(row.user_id);
    removeAssignmentsOf(ctx, 'USER', row.user_id);
    ctx.store.prepare('DELETE FROM ids_users WHERE user_id = ?').run(row.user_id);
    return {};
  },
});

interface AlternateIdentifier {
  ExternalId?: { Issuer: string; Id: string };
  UniqueAttribute?: { AttributePath: string; AttributeValue: unknown };
}

export const GetUserId = operation({
  writes: false,
  authorize: (ctx: RequestContext, input: { IdentityStoreId: string }) => onStore(ctx, 'identitystore:GetUserId', input.IdentityStoreId, ALL_USERS),
  run: (ctx: RequestContext, input: { IdentityStoreId: string; AlternateIdentifier: AlternateIdentifier }) => {
    requireStore(ctx, input.IdentityStoreId);
    const rows = ctx.store.prepare<UserRow>('SELECT * FROM ids_users WHERE identity_store_id = ?').all(input.IdentityStoreId);
    const found = rows.find((r) => matchesAlternate(userShape(r), input.AlternateIdentifier));
    if (!found) throw notFound('USER', '', 'USER not found.');
    return { IdentityStoreId: input.IdentityStoreId, UserId: found.user_id };
  },
});

/** Whether a user or group answers to an alternate identifier (a unique attribute: userName, emails.value…). */
export function matchesAlternate(shape: Record<string, unknown>, alt: AlternateIdentifier): boolean {
  if (alt.UniqueAttribute) return uniqueAttributeValue(shape, alt.UniqueAttribute.AttributePath).some((v) => sameValue(v, alt.UniqueAttribute!.AttributeValue));
  if (alt.ExternalId) {
    const ids = (shape.ExternalIds as Array<{ Issuer: string; Id: string }> | undefined) ?? [];
    return ids.some((e) => e.Issuer === alt.ExternalId!.Issuer && e.Id === alt.ExternalId!.Id);
  }
  throw validation('AlternateIdentifier must name an ExternalId or a UniqueAttribute.');
}

function sameValue(a: unknown, b: unknown): boolean {
  return typeof a === 'string' && typeof b === 'string' ? a.toLowerCase() === b.toLowerCase() : JSON.stringify(a) === JSON.stringify(b);
}
