import type { AuthzEntry, AuthzRule, RequestContext } from '../../types.js';
import { findRole, ROLE_KIND } from '../../../identity/roles.js';
import { resourceTagKeys, tagRecord } from '../../../identity/tags.js';
import { findUser, USER_KIND } from '../../../identity/users.js';

/**
 * What the account-wide operations and the simulation APIs ask the policy engine. The
 * Service Authorization Reference gives the account operations and the custom-policy
 * simulations no resource type ("*"); SimulatePrincipalPolicy and
 * GetContextKeysForPrincipalPolicy act on the user, group or role whose policies they
 * read, with that user's or role's tags as aws:ResourceTag/* and iam:ResourceTag/*.
 */

const onAccount =
  (action: string): AuthzRule =>
  () => ({ action, resource: '*' });

const ENTITY_ARN = /^arn:aws:iam::(\d{12}):(user|group|role)(\/(?:[^/]+\/)*)([^/]+)$/;

/** The source entity's ARN as given, with its tags when it is a user or role of this account. */
function onPolicySource(ctx: RequestContext, action: string, arn: string): AuthzEntry {
  const m = ENTITY_ARN.exec(arn);
  if (!m || m[1] !== ctx.accountId) return { action, resource: arn };
  const [, , kind, path, name] = m;
  let tags: Record<string, string> = {};
  if (kind === 'user') {
    const u = findUser(ctx.store, ctx.accountId, name);
    if (u && u.path === path) tags = tagRecord(ctx.store, ctx.accountId, USER_KIND, u.user_id);
  } else if (kind === 'role') {
    const r = findRole(ctx.store, ctx.accountId, name);
    if (r && r.path === path) tags = tagRecord(ctx.store, ctx.accountId, ROLE_KIND, r.role_id);
  }
  const context = resourceTagKeys(tags);
  return Object.keys(context).length > 0 ? { action, resource: arn, context } : { action, resource: arn };
}

const onSource =
  (action: string): AuthzRule =>
  (ctx, input: { PolicySourceArn: string }) =>
    onPolicySource(ctx, action, input.PolicySourceArn);

export const accountAuthz: Record<string, AuthzRule> = {
  CreateAccountAlias: onAccount('iam:CreateAccountAlias'),
  ListAccountAliases: onAccount('iam:ListAccountAliases'),
  DeleteAccountAlias: onAccount('iam:DeleteAccountAlias'),
  GetAccountSummary: onAccount('iam:GetAccountSummary'),
  GetAccountAuthorizationDetails: onAccount('iam:GetAccountAuthorizationDetails'),
  GenerateCredentialReport: onAccount('iam:GenerateCredentialReport'),
  GetCredentialReport: onAccount('iam:GetCredentialReport'),
  SimulateCustomPolicy: onAccount('iam:SimulateCustomPolicy'),
  GetContextKeysForCustomPolicy: onAccount('iam:GetContextKeysForCustomPolicy'),
  SimulatePrincipalPolicy: onSource('iam:SimulatePrincipalPolicy'),
  GetContextKeysForPrincipalPolicy: onSource('iam:GetContextKeysForPrincipalPolicy'),
};
