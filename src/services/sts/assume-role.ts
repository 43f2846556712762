import { findSessionRecord, issueSession, type SessionRecord } from '../../identity/sessions.js';
import { compilePolicy } from '../../policy/index.js';
import { operation } from '../operation.js';
import type { AuthzEntry, RequestContext } from '../types.js';
import { findRoleByArn, recordRoleUse, type RoleRecord } from '../../identity/roles.js';
import { resourceTagKeys, type Tag } from '../../identity/tags.js';
import { notAuthorizedToAssume, stsAccessDenied, stsValidationError } from './errors.js';
import { consumeMfa, mfaRequestKeys, verifyRequestMfa } from './mfa.js';
import { packedPolicySize, sessionPoliciesOf } from './session-policies.js';
import { passesTags, sessionTagRequestKeys, sessionTagsOf, type InheritedTags } from './session-tags.js';

/**
 * AssumeRole: temporary credentials for a role session.
 *
 * Who may: the role's trust policy is the resource-based policy on the role and must
 * allow sts:AssumeRole (and sts:TagSession when tags are passed, sts:SetSourceIdentity
 * with a source identity) for the caller, with this request's context (sts:ExternalId,
 * sts:RoleSessionName, the MFA of this very request…). When the trust policy names the
 * account rather than the caller, the caller's own policies must allow it too; across
 * accounts both sides must. The pipeline evaluates this from the rule below.
 *
 * The session: AROA…:SESSION / arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION, the
 * role's policies (read live) narrowed by session policies, the role's tags under the
 * session tags, MFA and source identity carried along a role chain.
 */
export interface AssumeRoleInput {
  RoleArn: string;
  RoleSessionName: string;
  PolicyArns?: Array<{ arn?: string }>;
  Policy?: string;
  DurationSeconds?: number;
  Tags?: Tag[];
  TransitiveTagKeys?: string[];
  ExternalId?: string;
  SerialNumber?: string;
  TokenCode?: string;
  SourceIdentity?: string;
}

export const DEFAULT_ROLE_SESSION_SECONDS = 3600;
/** A role session assuming another role (role chaining) is limited to one hour. */
export const ROLE_CHAINING_MAX_SECONDS = 3600;

const ARN_ACCOUNT = /^arn:aws:iam::(\d{12}):/;

/** Callers STS refuses before any policy is read (with --auth off every caller is root: allowed). */
function assertCanAssume(ctx: RequestContext, roleArn: string): void {
  const caller = ctx.principal;
  if (ctx.authMode === 'off') return;
  if (caller.type === 'root') throw stsAccessDenied('Roles may not be assumed by root accounts.');
  // GetFederationToken sessions may call no STS operation but GetCallerIdentity.
  if (caller.type === 'federated-user' || caller.type === 'anonymous') throw notAuthorizedToAssume(caller.arn, roleArn);
}

/** What the calling session passes along a role chain. */
function inheritedFrom(ctx: RequestContext): { tags?: InheritedTags; sourceIdentity?: string } {
  const caller = ctx.principal;
  const record = caller.accessKeyId && caller.tokenIssuedAt !== undefined ? findSessionRecord(ctx.store, caller.accessKeyId) : undefined;
  const out: { tags?: InheritedTags; sourceIdentity?: string } = {};
  if (record?.transitiveTagKeys?.length) out.tags = { tags: record.principal.tags, transitiveKeys: record.transitiveTagKeys };
  if (caller.sourceIdentity !== undefined) out.sourceIdentity = caller.sourceIdentity;
  return out;
}

/** The source identity of the new session: set once, then fixed along the chain. */
function sourceIdentityOf(requested: string | undefined, inherited: string | undefined): string | undefined {
  if (requested !== undefined && requested.toLowerCase().startsWith('aws:')) {
    throw stsValidationError("SourceIdentity values beginning with 'aws:' are reserved.");
  }
  if (inherited !== undefined && requested !== undefined && requested !== inherited) {
    throw stsValidationError('The source identity of a role session cannot be changed: the calling session already has one.');
  }
  return inherited ?? requested;
}

function durationOf(ctx: RequestContext, role: RoleRecord, requested: number | undefined): number {
  const seconds = requested ?? DEFAULT_ROLE_SESSION_SECONDS;
  if (ctx.principal.type === 'assumed-role' && seconds > ROLE_CHAINING_MAX_SECONDS) {
    throw stsValidationError('The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
  }
  if (seconds > role.max_session_duration) {
    throw stsValidationError('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  }
  return seconds;
}

/** Writes: the session is stored, the role's last use recorded (and an MFA code marked used). */
export const AssumeRole = operation({
  writes: true,
  authorize: (ctx, input: AssumeRoleInput) => {
    assertCanAssume(ctx, input.RoleArn);
    const proof = verifyRequestMfa(ctx, input.SerialNumber, input.TokenCode);
    const role = findRoleByArn(ctx.store, input.RoleArn);
    const context: Record<string, string | string[]> = {
      'sts:RoleSessionName': input.RoleSessionName,
      ...sessionTagRequestKeys(input),
      ...mfaRequestKeys(proof),
    };
    if (input.ExternalId !== undefined) context['sts:ExternalId'] = input.ExternalId;
    if (input.SourceIdentity !== undefined) context['sts:SourceIdentity'] = input.SourceIdentity;
    if (role) Object.assign(context, resourceTagKeys(role.tags));
    // A role that does not exist is checked like one whose trust policy allows no one:
    // the caller learns nothing it could not learn otherwise.
    const base: Omit<AuthzEntry, 'action'> = {
      resource: role?.arn ?? input.RoleArn,
      resourceAccount: role?.account_id ?? ARN_ACCOUNT.exec(input.RoleArn)?.[1] ?? ctx.accountId,
      resourcePolicies: role ? [compilePolicy(role.assume_role_policy_document, { kind: 'trust', name: `trust policy of role ${role.role_name}` })] : [],
      resourcePolicyRequired: true,
      context,
    };
    const entries: AuthzEntry[] = [{ action: 'sts:AssumeRole', ...base }];
    // Transitive tags inherited along a role chain are session tags of the new session too.
    if (passesTags(input) || inheritedFrom(ctx).tags) entries.push({ action: 'sts:TagSession', ...base });
    if (input.SourceIdentity !== undefined) entries.push({ action: 'sts:SetSourceIdentity', ...base });
    return entries;
  },
  run: (ctx, input: AssumeRoleInput) => {
    const caller = ctx.principal;
    assertCanAssume(ctx, input.RoleArn);
    const proof = verifyRequestMfa(ctx, input.SerialNumber, input.TokenCode);
    const role = findRoleByArn(ctx.store, input.RoleArn);
    if (!role) throw notAuthorizedToAssume(caller.arn, input.RoleArn);
    const seconds = durationOf(ctx, role, input.DurationSeconds);
    const policies = sessionPoliciesOf(ctx.store, role.account_id, input);
    const inherited = inheritedFrom(ctx);
    const tags = sessionTagsOf(input, inherited.tags);
    const packed = packedPolicySize(input.Policy, policies.arns, tags.tags);
    const sourceIdentity = sourceIdentityOf(input.SourceIdentity, inherited.sourceIdentity);
    consumeMfa(ctx.store, proof);

    const session = input.RoleSessionName;
    const principal: SessionRecord['principal'] = {
      type: 'assumed-role',
      accountId: role.account_id,
      arn: `arn:aws:sts::${role.account_id}:assumed-role/${role.role_name}/${session}`,
      userId: `${role.role_id}:${session}`,
      roleArn: role.arn,
      roleName: role.role_name,
      roleId: role.role_id,
      sessionName: session,
      tags: tags.tags,
      tokenIssuedAt: ctx.now,
    };
    // MFA: this request's code, else the calling session's own MFA authentication.
    const mfaAt = proof ? ctx.now : caller.mfaAuthenticatedAt;
    if (mfaAt !== undefined) principal.mfaAuthenticatedAt = mfaAt;
    if (sourceIdentity !== undefined) principal.sourceIdentity = sourceIdentity;
    if (policies.texts.length > 0) principal.sessionPolicies = policies.texts;
    if (policies.arns.length > 0) principal.sessionPolicyArns = policies.arns;
    const record: SessionRecord = { kind: 'role', principal, base: { kind: 'role', id: role.role_id } };
    if (tags.transitiveKeys.length > 0) record.transitiveTagKeys = tags.transitiveKeys;

    const credentials = issueSession(ctx.store, record, ctx.now, ctx.now + seconds * 1000);
    recordRoleUse(ctx.store, role.account_id, role.role_id, ctx.now, ctx.region);
    const out: Record<string, unknown> = {
      Credentials: credentials,
      AssumedRoleUser: { AssumedRoleId: principal.userId, Arn: principal.arn },
    };
    if (input.Policy !== undefined || policies.arns.length > 0 || Object.keys(tags.tags).length > 0) out.PackedPolicySize = packed;
    if (sourceIdentity !== undefined) out.SourceIdentity = sourceIdentity;
    return out;
  },
});
