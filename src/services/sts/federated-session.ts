import { compilePolicy } from '../../policy/index.js';
import type { AuthzEntry, RequestContext } from '../types.js';
import { findRoleByArn, recordRoleUse, type RoleRecord } from '../../identity/roles.js';
import { issueSession, type SessionRecord } from '../../identity/sessions.js';
import { resourceTagKeys, type Tag } from '../../identity/tags.js';
import { stsValidationError } from './errors.js';
import { packedPolicySize, sessionPoliciesOf, type SessionPolicyInput } from './session-policies.js';
import { passesTags, sessionTagRequestKeys, sessionTagsOf } from './session-tags.js';

/**
 * What AssumeRoleWithWebIdentity and AssumeRoleWithSAML share once the token or
 * assertion is verified: the trust policy decides, with the caller seen as the provider's
 * federated identity (Principal {"Federated": PROVIDER-ARN}) and the provider's keys in
 * the context; then a role session like AssumeRole's, which also keeps the provider
 * (aws:FederatedProvider) and the keys AWS carries into the session's own requests.
 */
export interface FederatedClaims {
  providerArn: string;
  /** The identity's keys for the trust policy (<issuer>:sub…, saml:*). */
  keys: Record<string, string | string[]>;
  /** The keys that stay in the session's request context. */
  sessionKeys: Record<string, string | string[]>;
  tags: Tag[];
  transitiveTagKeys: string[];
  sourceIdentity?: string;
}

export interface FederatedAssume extends SessionPolicyInput {
  action: 'sts:AssumeRoleWithWebIdentity' | 'sts:AssumeRoleWithSAML';
  /** AWS's AccessDenied text for this call. */
  denial: string;
  roleArn: string;
  sessionName: string;
  /** Seconds asked for (DurationSeconds), and a shorter limit the identity sets (SAML SessionDuration). */
  durationSeconds?: number;
  limitSeconds?: number;
  claims: FederatedClaims;
}

export const DEFAULT_FEDERATED_SESSION_SECONDS = 3600;
const ROLE_ARN_ACCOUNT = /^arn:aws:iam::(\d{12}):role\//;

/** The trust policy's entries: the assume action, and sts:TagSession / sts:SetSourceIdentity when the identity passes those. */
export function federatedTrustEntries(ctx: RequestContext, f: FederatedAssume): AuthzEntry[] {
  const role = findRoleByArn(ctx.store, f.roleArn);
  const tags = { Tags: f.claims.tags, TransitiveTagKeys: f.claims.transitiveTagKeys };
  const context: Record<string, string | string[]> = { ...f.claims.keys, 'sts:RoleSessionName': f.sessionName, ...sessionTagRequestKeys(tags) };
  if (f.claims.sourceIdentity !== undefined) context['sts:SourceIdentity'] = f.claims.sourceIdentity;
  if (role) Object.assign(context, resourceTagKeys(role.tags));
  // A role that does not exist is a trust policy that allows no one: the same AccessDenied.
  const base: Omit<AuthzEntry, 'action'> = {
    resource: role?.arn ?? f.roleArn,
    resourceAccount: role?.account_id ?? ROLE_ARN_ACCOUNT.exec(f.roleArn)?.[1],
    resourcePolicies: role ? [compilePolicy(role.assume_role_policy_document, { kind: 'trust', name: `trust policy of role ${role.role_name}` })] : [],
    resourcePolicyRequired: true,
    identityProvider: f.claims.providerArn,
    denial: f.denial,
    context,
  };
  const entries: AuthzEntry[] = [{ action: f.action, ...base }];
  if (passesTags(tags)) entries.push({ action: 'sts:TagSession', ...base });
  if (f.claims.sourceIdentity !== undefined) entries.push({ action: 'sts:SetSourceIdentity', ...base });
  return entries;
}

function durationOf(role: RoleRecord, f: FederatedAssume): number {
  const seconds = f.durationSeconds ?? DEFAULT_FEDERATED_SESSION_SECONDS;
  if (seconds > role.max_session_duration) throw stsValidationError('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  return f.limitSeconds !== undefined ? Math.min(seconds, f.limitSeconds) : seconds;
}

function checkSourceIdentity(value: string | undefined): void {
  if (value === undefined) return;
  if (value.toLowerCase().startsWith('aws:')) throw stsValidationError("SourceIdentity values beginning with 'aws:' are reserved.");
  if (!/^[\w+=,.@-]{2,64}$/.test(value)) throw stsValidationError('SourceIdentity must be 2 to 64 characters of [\\w+=,.@-].');
}

/** The session: its credentials and the members every assume-role answer has. */
export function issueFederatedSession(ctx: RequestContext, f: FederatedAssume, notAuthorized: () => Error): Record<string, unknown> {
  const role = findRoleByArn(ctx.store, f.roleArn);
  if (!role) throw notAuthorized();
  const seconds = durationOf(role, f);
  const policies = sessionPoliciesOf(ctx.store, role.account_id, f);
  const tags = sessionTagsOf({ Tags: f.claims.tags, TransitiveTagKeys: f.claims.transitiveTagKeys });
  const packed = packedPolicySize(f.Policy, policies.arns, tags.tags);
  checkSourceIdentity(f.claims.sourceIdentity);

  const principal: SessionRecord['principal'] = {
    type: 'assumed-role',
    accountId: role.account_id,
    arn: `arn:aws:sts::${role.account_id}:assumed-role/${role.role_name}/${f.sessionName}`,
    userId: `${role.role_id}:${f.sessionName}`,
    roleArn: role.arn,
    roleName: role.role_name,
    roleId: role.role_id,
    sessionName: f.sessionName,
    tags: tags.tags,
    tokenIssuedAt: ctx.now,
    federation: { provider: f.claims.providerArn, keys: f.claims.sessionKeys },
  };
  if (f.claims.sourceIdentity !== undefined) principal.sourceIdentity = f.claims.sourceIdentity;
  if (policies.texts.length > 0) principal.sessionPolicies = policies.texts;
  if (policies.arns.length > 0) principal.sessionPolicyArns = policies.arns;
  const record: SessionRecord = { kind: 'role', principal, base: { kind: 'role', id: role.role_id } };
  if (tags.transitiveKeys.length > 0) record.transitiveTagKeys = tags.transitiveKeys;

  const credentials = issueSession(ctx.store, record, ctx.now, ctx.now + seconds * 1000);
  recordRoleUse(ctx.store, role.account_id, role.role_id, ctx.now, ctx.region);
  const out: Record<string, unknown> = { Credentials: credentials, AssumedRoleUser: { AssumedRoleId: principal.userId, Arn: principal.arn } };
  if (f.Policy !== undefined || policies.arns.length > 0 || Object.keys(tags.tags).length > 0) out.PackedPolicySize = packed;
  if (f.claims.sourceIdentity !== undefined) out.SourceIdentity = f.claims.sourceIdentity;
  return out;
}
