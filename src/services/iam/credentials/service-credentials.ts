import { randomBytes } from 'node:crypto';
import { AwsError } from '../../../protocol/errors.js';
import { operation } from '../../operation.js';
import { insertRow } from '../shared/insert-row.js';
import type { RequestContext } from '../../types.js';
import { targetOf, type Target } from '../users/caller.js';
import { credentialOwnerRule } from './credential-owner.js';
import { onUser } from '../users/user-resource.js';
import { newServiceCredentialId, newServicePassword } from './credential-ids.js';
import { credentialDeletion, credentialStatusUpdate } from '../shared/credential-status.js';
import type { ConditionKeys } from '../shared/authz-entry.js';
import { invalidInput, noSuchEntity, quotaExceeded } from '../../../identity/errors.js';
import { paginate, type PageRequest } from '../shared/paginate.js';
import { findUserById, requireUser, type UserRow } from '../../../identity/users.js';

/**
 * Service-specific credentials of IAM users: a user name + password for CodeCommit (Git
 * over HTTPS) and Amazon Keyspaces, or an API key (alias + secret, optionally expiring)
 * for Bedrock and CloudWatch Logs. Create, list, reset, status, delete.
 */

/** IAM's fixed quota: per user, per service. */
export const MAX_SERVICE_CREDENTIALS_PER_SERVICE = 2;

/** The services IAM issues credentials for, and which kind each gets. */
const SERVICES: Record<string, 'password' | 'api-key'> = {
  'codecommit.amazonaws.com': 'password',
  'cassandra.amazonaws.com': 'password',
  'bedrock.amazonaws.com': 'api-key',
  'logs.amazonaws.com': 'api-key',
};

const DAY_MS = 86_400_000;

export interface ServiceCredentialRow {
  account_id: string;
  credential_id: string;
  user_id: string;
  service_name: string;
  service_user_name: string;
  secret: string;
  status: 'Active' | 'Inactive';
  created_at: number;
  expires_at: number | null;
}

function notSupported(): AwsError {
  return new AwsError('NotSupportedService', 'The specified service does not support service-specific credentials.', 404);
}

function kindOf(serviceName: string): 'password' | 'api-key' {
  const kind = SERVICES[serviceName];
  if (!kind) throw notSupported();
  return kind;
}

/** Password services sign in as NAME-at-ACCOUNT; API keys carry an alias of the same form with a suffix. */
function serviceUserName(kind: 'password' | 'api-key', user: UserRow): string {
  if (kind === 'password') return `${user.user_name}-at-${user.account_id}`;
  return `${user.user_name}+${randomBytes(3).toString('hex')}-at-${user.account_id}`;
}

function newSecret(kind: 'password' | 'api-key', alias: string): string {
  if (kind === 'password') return newServicePassword();
  return 'ABSK' + Buffer.from(`${alias}:${randomBytes(30).toString('base64')}`).toString('base64');
}

function credentialsOf(ctx: RequestContext, user: UserRow): ServiceCredentialRow[] {
  return ctx.store
    .prepare<ServiceCredentialRow>('SELECT * FROM service_specific_credentials WHERE account_id = ? AND user_id = ? ORDER BY created_at, credential_id')
    .all(user.account_id, user.user_id);
}

function credentialOf(ctx: RequestContext, target: Target, id: string): { user: UserRow; row: ServiceCredentialRow } {
  const row = target.kind === 'user' ? credentialsOf(ctx, target.row).find((c) => c.credential_id === id) : undefined;
  if (!row || target.kind !== 'user') throw noSuchEntity(`The Service Specific Credential with id ${id} cannot be found.`);
  return { user: target.row, row };
}

/** The metadata shape (ListServiceSpecificCredentials); withSecret adds what only Create and Reset show. */
function credentialShape(user: UserRow, c: ServiceCredentialRow, withSecret: boolean): Record<string, unknown> {
  const kind = kindOf(c.service_name);
  const out: Record<string, unknown> = {
    UserName: user.user_name,
    Status: c.status,
    CreateDate: new Date(c.created_at),
    ServiceSpecificCredentialId: c.credential_id,
    ServiceName: c.service_name,
  };
  if (kind === 'password') out.ServiceUserName = c.service_user_name;
  else out.ServiceCredentialAlias = c.service_user_name;
  if (c.expires_at !== null) out.ExpirationDate = new Date(c.expires_at);
  if (withSecret) out[kind === 'password' ? 'ServicePassword' : 'ServiceCredentialSecret'] = c.secret;
  return out;
}

interface CreateInput {
  UserName: string;
  ServiceName: string;
  CredentialAgeDays?: number;
}

export const CreateServiceSpecificCredential = operation({
  writes: true,
  authorize: (ctx, input: CreateInput) => {
    const extra: ConditionKeys = { 'iam:ServiceSpecificCredentialServiceName': input.ServiceName };
    if (input.CredentialAgeDays !== undefined) extra['iam:ServiceSpecificCredentialAgeDays'] = String(input.CredentialAgeDays);
    return onUser(ctx, 'iam:CreateServiceSpecificCredential', input.UserName, extra);
  },
  run: (ctx, input: CreateInput) => {
    const user = requireUser(ctx.store, ctx.accountId, input.UserName);
    const kind = kindOf(input.ServiceName);
    if (input.CredentialAgeDays !== undefined && kind === 'password') {
      throw invalidInput('CredentialAgeDays is only supported for Bedrock and CloudWatch Logs API keys.');
    }
    const sameService = credentialsOf(ctx, user).filter((c) => c.service_name === input.ServiceName);
    if (sameService.length >= MAX_SERVICE_CREDENTIALS_PER_SERVICE) {
      throw quotaExceeded('ServiceSpecificCredentialsPerUserPerService', MAX_SERVICE_CREDENTIALS_PER_SERVICE);
    }
    const name = serviceUserName(kind, user);
    const row: ServiceCredentialRow = {
      account_id: ctx.accountId,
      credential_id: newServiceCredentialId(),
      user_id: user.user_id,
      service_name: input.ServiceName,
      service_user_name: name,
      secret: newSecret(kind, name),
      status: 'Active',
      created_at: ctx.now,
      expires_at: input.CredentialAgeDays !== undefined ? ctx.now + input.CredentialAgeDays * DAY_MS : null,
    };
    insertRow(ctx.store, 'service_specific_credentials', row);
    return { ServiceSpecificCredential: credentialShape(user, row, true) };
  },
});

interface ListInput extends PageRequest {
  UserName?: string;
  ServiceName?: string;
  AllUsers?: boolean;
}

export const ListServiceSpecificCredentials = operation({
  writes: false,
  authorize: credentialOwnerRule('iam:ListServiceSpecificCredentials'),
  run: (ctx, input: ListInput) => {
    if (input.ServiceName !== undefined) kindOf(input.ServiceName);
    if (input.AllUsers && input.UserName !== undefined) throw invalidInput('AllUsers cannot be specified together with UserName.');
    let rows: Array<{ user: UserRow; row: ServiceCredentialRow }>;
    if (input.AllUsers) {
      const all = ctx.store
        .prepare<ServiceCredentialRow>('SELECT * FROM service_specific_credentials WHERE account_id = ? ORDER BY created_at, credential_id')
        .all(ctx.accountId);
      rows = all.flatMap((row) => {
        const user = findUserById(ctx.store, ctx.accountId, row.user_id);
        return user ? [{ user, row }] : [];
      });
    } else {
      const target = targetOf(ctx, input.UserName);
      // The root user has no service-specific credentials.
      rows = target.kind === 'user' ? credentialsOf(ctx, target.row).map((row) => ({ user: target.row, row })) : [];
    }
    if (input.ServiceName !== undefined) rows = rows.filter((r) => r.row.service_name === input.ServiceName);
    const { items, more } = paginate(rows, input);
    return { ServiceSpecificCredentials: items.map((r) => credentialShape(r.user, r.row, false)), ...more };
  },
});

export const ResetServiceSpecificCredential = operation({
  writes: true,
  authorize: credentialOwnerRule('iam:ResetServiceSpecificCredential'),
  run: (ctx, input: { UserName?: string; ServiceSpecificCredentialId: string }) => {
    const { user, row } = credentialOf(ctx, targetOf(ctx, input.UserName), input.ServiceSpecificCredentialId);
    const secret = newSecret(kindOf(row.service_name), row.service_user_name);
    ctx.store.prepare('UPDATE service_specific_credentials SET secret = ? WHERE account_id = ? AND credential_id = ?').run(secret, ctx.accountId, row.credential_id);
    return { ServiceSpecificCredential: credentialShape(user, { ...row, secret }, true) };
  },
});

/** The credential a request names, as its owner's. */
const namedCredential = (ctx: RequestContext, input: { UserName?: string; ServiceSpecificCredentialId: string }) =>
  credentialOf(ctx, targetOf(ctx, input.UserName), input.ServiceSpecificCredentialId).row.credential_id;

export const UpdateServiceSpecificCredential = credentialStatusUpdate(
  'service_specific_credentials',
  credentialOwnerRule('iam:UpdateServiceSpecificCredential'),
  namedCredential,
);

export const DeleteServiceSpecificCredential = credentialDeletion(
  'service_specific_credentials',
  credentialOwnerRule('iam:DeleteServiceSpecificCredential'),
  namedCredential,
);
