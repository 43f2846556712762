import { AwsError } from '../../protocol/errors.js';
import { operation } from '../operation.js';
import type { RequestContext } from '../types.js';
import { memberRow } from '../../identity/organization.js';
import { findRole, roleArn, recordRoleUse } from '../../identity/roles.js';
import { issueSession, type SessionRecord } from '../../identity/sessions.js';
import { samlProviderArn } from '../iam/providers/saml-provider-rows.js';
import { pageOf } from '../identitystore/shared/paging.js';
import { durationSeconds } from '../sso-admin/shared/sso.js';
import { samlProviderName } from '../sso-admin/assignments/provisioning.js';
import { entitlements } from './access.js';
import { portalSession, revokePortalToken } from './tokens.js';

/**
 * The AWS access portal's API (the "sso" model): what a signed-in Identity Center user
 * sees and the role credentials it hands out. Requests carry the access token, never a
 * signature; the portal, not IAM, decides them (no IAM action authorizes them).
 */

const noAccess = () => new AwsError('ForbiddenException', 'No access', 403);

export const ListAccounts = operation({
  writes: false,
  authorize: () => null,
  run: (ctx: RequestContext, input: { accessToken?: string; nextToken?: string; maxResults?: number }) => {
    const { instance, user } = portalSession(ctx.store, input.accessToken, ctx.now);
    const accounts = [...new Set(entitlements(ctx.store, instance, user).map((e) => e.accountId))];
    const { items, next } = pageOf(accounts, input.nextToken, input.maxResults);
    return {
      accountList: items.map((id) => {
        const member = memberRow(ctx.store, id);
        return { accountId: id, accountName: member?.name ?? id, emailAddress: member?.email };
      }),
      nextToken: next,
    };
  },
});

export const ListAccountRoles = operation({
  writes: false,
  authorize: () => null,
  run: (ctx: RequestContext, input: { accessToken?: string; accountId: string; nextToken?: string; maxResults?: number }) => {
    const { instance, user } = portalSession(ctx.store, input.accessToken, ctx.now);
    const roles = entitlements(ctx.store, instance, user).filter((e) => e.accountId === input.accountId);
    const { items, next } = pageOf(roles, input.nextToken, input.maxResults);
    return { roleList: items.map((e) => ({ roleName: e.permissionSet.name, accountId: e.accountId })), nextToken: next };
  },
});

/**
 * Credentials for the permission set's role in the account: a session of the provisioned
 * AWSReservedSSO_… role named after the user, as its SAML sign-in would make, lasting the
 * permission set's session duration. Everything it does is decided like any role session.
 */
export const GetRoleCredentials = operation({
  writes: true,
  authorize: () => null,
  run: (ctx: RequestContext, input: { accessToken?: string; roleName: string; accountId: string }) => {
    const { instance, user } = portalSession(ctx.store, input.accessToken, ctx.now);
    const entitlement = entitlements(ctx.store, instance, user).find((e) => e.accountId === input.accountId && e.permissionSet.name === input.roleName);
    if (!entitlement) throw noAccess();
    const provisioned = ctx.store
      .prepare<{ role_name: string }>('SELECT role_name FROM sso_provisioned WHERE permission_set_id = ? AND target_account = ?')
      .get(entitlement.permissionSet.permission_set_id, input.accountId);
    const role = provisioned && findRole(ctx.store, input.accountId, provisioned.role_name);
    if (!role) throw noAccess();
    const sessionName = user.user_name;
    const provider = samlProviderArn(input.accountId, samlProviderName(instance));
    const principal: SessionRecord['principal'] = {
      type: 'assumed-role',
      accountId: role.account_id,
      arn: `arn:aws:sts::${role.account_id}:assumed-role/${role.role_name}/${sessionName}`,
      userId: `${role.role_id}:${sessionName}`,
      roleArn: roleArn(role.account_id, role.path, role.role_name),
      roleName: role.role_name,
      roleId: role.role_id,
      sessionName,
      tags: {},
      tokenIssuedAt: ctx.now,
      federation: { provider, keys: { 'saml:aud': 'https://signin.aws.amazon.com/saml', 'saml:sub': user.user_name } },
    };
    const record: SessionRecord = { kind: 'role', principal, base: { kind: 'role', id: role.role_id } };
    const seconds = durationSeconds(entitlement.permissionSet.session_duration);
    const issued = issueSession(ctx.store, record, ctx.now, ctx.now + seconds * 1000);
    recordRoleUse(ctx.store, role.account_id, role.role_id, ctx.now, ctx.region);
    return {
      roleCredentials: {
        accessKeyId: issued.AccessKeyId,
        secretAccessKey: issued.SecretAccessKey,
        sessionToken: issued.SessionToken,
        expiration: issued.Expiration.getTime(),
      },
    };
  },
});

export const Logout = operation({
  writes: true,
  authorize: () => null,
  run: (ctx: RequestContext, input: { accessToken?: string }) => {
    const { tokenHash } = portalSession(ctx.store, input.accessToken, ctx.now);
    revokePortalToken(ctx.store, tokenHash, ctx.now);
    return {};
  },
});
