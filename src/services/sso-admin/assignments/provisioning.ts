import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../../types.js';
import { memberRow, organizationOfAccount } from '../../../identity/organization.js';
import { findAccount } from '../../../identity/accounts.js';
import { findPolicyRow, policyArn } from '../../../identity/managed-policies.js';
import { findRole, type RoleRow } from '../../../identity/roles.js';
import { insertRole, removeRole } from '../../iam/roles/role-rows.js';
import { samlProviderArn } from '../../iam/providers/saml-provider-rows.js';
import type { InstanceRow } from '../../identitystore/shared/rows.js';
import { durationSeconds, hex, validation, type PermissionSetRow } from '../shared/sso.js';

/**
 * What an account assignment makes in the member account, as Identity Center makes it:
 * a role AWSReservedSSO_<permission set>_<16 hex> under /aws-reserved/sso.amazonaws.com/
 * (then the instance's region, outside us-east-1) holding the permission set's policies
 * and boundary, trusted through the account's SAML provider AWSSSO_<hex>_DO_NOT_DELETE
 * (sts:AssumeRoleWithSAML and sts:TagSession, for the SAML audience of the AWS sign-in
 * endpoint). The role goes when the last assignment of the set to the account does.
 */

/** The inline policy's name on the provisioned role. */
export const INLINE_POLICY_NAME = 'AwsSSOInlinePolicy';
const SAML_AUDIENCE = 'https://signin.aws.amazon.com/saml';

export function rolePath(instance: InstanceRow): string {
  return instance.region === 'us-east-1' ? '/aws-reserved/sso.amazonaws.com/' : `/aws-reserved/sso.amazonaws.com/${instance.region}/`;
}

/** The SAML provider Identity Center keeps in each account it provisions to, named after the instance. */
export function samlProviderName(instance: InstanceRow): string {
  return `AWSSSO_${instance.instance_id.slice('ssoins-'.length)}_DO_NOT_DELETE`;
}

/** The organization instance's member account, or AWS's refusal. */
export function requireMemberAccount(ctx: RequestContext, instance: InstanceRow, accountId: string): void {
  const org = organizationOfAccount(ctx.store, instance.account_id);
  if (!org || org.account_id !== instance.account_id) {
    throw validation('Account assignments need the organization instance of IAM Identity Center, in the management account of an organization.');
  }
  const member = memberRow(ctx.store, accountId);
  if (!findAccount(ctx.store, accountId) || !member || member.org_id !== org.org_id) {
    throw validation(`The account ${accountId} is not a member of the organization.`);
  }
}

function ensureSamlProvider(ctx: RequestContext, instance: InstanceRow, accountId: string): string {
  const name = samlProviderName(instance);
  const there = ctx.store.prepare('SELECT 1 AS one FROM saml_providers WHERE account_id = ? AND name = ?').get(accountId, name);
  if (!there) {
    const entity = `https://portal.sso.${instance.region}.amazonaws.com/saml/assertion/${instance.instance_id}`;
    const metadata = `<?xml version="1.0" encoding="UTF-8"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${entity}"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://portal.sso.${instance.region}.amazonaws.com/saml/logout/${instance.instance_id}"/></md:IDPSSODescriptor></md:EntityDescriptor>`;
    ctx.store
      .prepare(
        `INSERT INTO saml_providers (account_id, name, uuid, metadata, created_at, valid_until, assertion_encryption_mode, private_keys)
         VALUES (?, ?, ?, ?, ?, NULL, NULL, '[]')`,
      )
      .run(accountId, name, randomUUID(), metadata, ctx.now);
  }
  return samlProviderArn(accountId, name);
}

export function trustPolicy(providerArn: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: providerArn },
        Action: ['sts:AssumeRoleWithSAML', 'sts:TagSession'],
        Condition: { StringEquals: { 'SAML:aud': SAML_AUDIENCE } },
      },
    ],
  });
}

interface ResolvedPolicies {
  arns: string[];
  boundary: string | null;
}

/** The permission set's policies as ARNs in the target account; a missing customer managed policy fails the provisioning. */
function resolvePolicies(ctx: RequestContext, ps: PermissionSetRow, accountId: string): ResolvedPolicies | string {
  const arns = ctx.store
    .prepare<{ policy_arn: string }>('SELECT policy_arn FROM sso_ps_managed_policies WHERE permission_set_id = ? ORDER BY attached_at')
    .all(ps.permission_set_id)
    .map((r) => r.policy_arn);
  const refs = ctx.store
    .prepare<{ name: string; path: string }>('SELECT name, path FROM sso_ps_customer_policies WHERE permission_set_id = ? ORDER BY attached_at')
    .all(ps.permission_set_id);
  const customer = (name: string, path: string): string | undefined => {
    const arn = policyArn(accountId, path, name);
    return findPolicyRow(ctx.store, accountId, arn) ? arn : undefined;
  };
  for (const ref of refs) {
    const arn = customer(ref.name, ref.path);
    if (!arn) return missingPolicy(accountId, ref.path, ref.name);
    arns.push(arn);
  }
  let boundary: string | null = null;
  if (ps.boundary) {
    const b = JSON.parse(ps.boundary) as { ManagedPolicyArn?: string; CustomerManagedPolicyReference?: { Name: string; Path: string } };
    if (b.ManagedPolicyArn) boundary = b.ManagedPolicyArn;
    else {
      const ref = b.CustomerManagedPolicyReference!;
      boundary = customer(ref.Name, ref.Path) ?? null;
      if (!boundary) return missingPolicy(accountId, ref.Path, ref.Name);
    }
  }
  return { arns, boundary };
}

const missingPolicy = (accountId: string, path: string, name: string) =>
  `Received a 404 status error: Policy ${policyArn(accountId, path, name)} does not exist in the target account.`;

/**
 * Makes (or brings up to date) the permission set's role in the account. Returns the
 * reason it failed, or undefined: the failure is the request's FAILED status, as on AWS,
 * and leaves nothing behind.
 */
export function provision(ctx: RequestContext, instance: InstanceRow, ps: PermissionSetRow, accountId: string): string | undefined {
  const policies = resolvePolicies(ctx, ps, accountId);
  if (typeof policies === 'string') return policies;
  const provider = ensureSamlProvider(ctx, instance, accountId);
  const known = ctx.store
    .prepare<{ role_name: string }>('SELECT role_name FROM sso_provisioned WHERE permission_set_id = ? AND target_account = ?')
    .get(ps.permission_set_id, accountId);
  const roleName = known?.role_name ?? `AWSReservedSSO_${ps.name}_${hex(16)}`;
  const seconds = durationSeconds(ps.session_duration);
  let role: RoleRow | undefined = findRole(ctx.store, accountId, roleName);
  if (!role) {
    role = insertRole({ ...ctx, accountId }, {
      roleName, path: rolePath(instance), trustPolicy: trustPolicy(provider), maxSessionDuration: seconds, permissionsBoundary: policies.boundary ?? undefined,
    });
  } else {
    ctx.store
      .prepare('UPDATE roles SET assume_role_policy_document = ?, max_session_duration = ?, permissions_boundary_arn = ? WHERE account_id = ? AND role_id = ?')
      .run(trustPolicy(provider), seconds, policies.boundary, accountId, role.role_id);
  }
  ctx.store.prepare('DELETE FROM role_policies WHERE account_id = ? AND role_id = ?').run(accountId, role.role_id);
  ctx.store.prepare('DELETE FROM role_policy_attachments WHERE account_id = ? AND role_id = ?').run(accountId, role.role_id);
  const attach = ctx.store.prepare('INSERT INTO role_policy_attachments (account_id, role_id, policy_arn, attached_at) VALUES (?, ?, ?, ?)');
  for (const arn of policies.arns) attach.run(accountId, role.role_id, arn, ctx.now);
  if (ps.inline_policy) {
    ctx.store
      .prepare('INSERT INTO role_policies (account_id, role_id, policy_name, document, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(accountId, role.role_id, INLINE_POLICY_NAME, ps.inline_policy, ctx.now);
  }
  ctx.store
    .prepare(
      `INSERT INTO sso_provisioned (account_id, permission_set_id, target_account, role_name, provisioned_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (permission_set_id, target_account) DO UPDATE SET provisioned_at = excluded.provisioned_at`,
    )
    .run(instance.account_id, ps.permission_set_id, accountId, roleName, ctx.now);
  return undefined;
}

/** The provisioned role of a permission set in an account, when there is one. */
export function provisionedRole(ctx: RequestContext, ps: PermissionSetRow, accountId: string): RoleRow | undefined {
  const row = ctx.store
    .prepare<{ role_name: string }>('SELECT role_name FROM sso_provisioned WHERE permission_set_id = ? AND target_account = ?')
    .get(ps.permission_set_id, accountId);
  return row && findRole(ctx.store, accountId, row.role_name);
}

/** The last assignment of the set to the account went: so does its role. */
export function deprovisionIfUnassigned(ctx: RequestContext, ps: PermissionSetRow, accountId: string): void {
  const left = ctx.store
    .prepare('SELECT 1 AS one FROM sso_account_assignments WHERE permission_set_id = ? AND target_account = ? LIMIT 1')
    .get(ps.permission_set_id, accountId);
  if (left) return;
  const role = provisionedRole(ctx, ps, accountId);
  if (role) removeRole(ctx.store, role);
  ctx.store.prepare('DELETE FROM sso_provisioned WHERE permission_set_id = ? AND target_account = ?').run(ps.permission_set_id, accountId);
}

/**
 * A user or group left the identity store: its assignments go, and with them every role
 * no other assignment still needs (DeleteUser, DeleteGroup).
 */
export function removeAssignmentsOf(ctx: RequestContext, principalType: 'USER' | 'GROUP', principalId: string): void {
  const pairs = ctx.store
    .prepare<{ permission_set_id: string; target_account: string }>(
      'SELECT DISTINCT permission_set_id, target_account FROM sso_account_assignments WHERE principal_type = ? AND principal_id = ?',
    )
    .all(principalType, principalId);
  ctx.store.prepare('DELETE FROM sso_account_assignments WHERE principal_type = ? AND principal_id = ?').run(principalType, principalId);
  for (const pair of pairs) {
    const ps = ctx.store.prepare<PermissionSetRow>('SELECT * FROM sso_permission_sets WHERE permission_set_id = ?').get(pair.permission_set_id);
    if (ps) deprovisionIfUnassigned(ctx, ps, pair.target_account);
  }
}
