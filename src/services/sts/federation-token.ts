import { issueSession, type SessionRecord } from '../../identity/sessions.js';
import { operation } from '../operation.js';
import type { Tag } from '../../identity/tags.js';
import { stsAccessDenied } from './errors.js';
import { packedPolicySize, sessionPoliciesOf } from './session-policies.js';
import { sessionTagRequestKeys, sessionTagsOf } from './session-tags.js';
import { DEFAULT_SESSION_TOKEN_SECONDS, ROOT_SESSION_MAX_SECONDS } from './session-token.js';

/**
 * GetFederationToken: a federated-user session (arn:aws:sts::A:federated-user/NAME,
 * userid A:NAME) made by an IAM user (or the root user) with long-term credentials.
 * Its permissions are the intersection of the calling user's policies (read live) and the
 * session policies passed now — with no session policy it has none, except what
 * resource-based policies grant it by name.
 */
interface FederationInput {
  Name: string;
  Policy?: string;
  PolicyArns?: Array<{ arn?: string }>;
  DurationSeconds?: number;
  Tags?: Tag[];
}

export function federatedUserArn(accountId: string, name: string): string {
  return `arn:aws:sts::${accountId}:federated-user/${name}`;
}

/** Writes: the session is stored. */
export const GetFederationToken = operation({
  writes: true,
  authorize: (ctx, input: FederationInput) => {
    const context = sessionTagRequestKeys({ Tags: input.Tags });
    const resource = federatedUserArn(ctx.accountId, input.Name);
    return Object.keys(context).length > 0
      ? { action: 'sts:GetFederationToken', resource, context }
      : { action: 'sts:GetFederationToken', resource };
  },
  run: (ctx, input: FederationInput) => {
    const caller = ctx.principal;
    if (caller.tokenIssuedAt !== undefined || (caller.type !== 'user' && caller.type !== 'root')) {
      throw stsAccessDenied('Cannot call GetFederationToken with session credentials');
    }
    let seconds = input.DurationSeconds ?? DEFAULT_SESSION_TOKEN_SECONDS;
    if (caller.type === 'root') seconds = Math.min(seconds, ROOT_SESSION_MAX_SECONDS);
    const policies = sessionPoliciesOf(ctx.store, ctx.accountId, input);
    const tags = sessionTagsOf({ Tags: input.Tags });
    const packed = packedPolicySize(input.Policy, policies.arns, tags.tags);

    const arn = federatedUserArn(ctx.accountId, input.Name);
    const principal: SessionRecord['principal'] = {
      type: 'federated-user',
      accountId: ctx.accountId,
      arn,
      userId: `${ctx.accountId}:${input.Name}`,
      parentUserId: caller.userId,
      parentArn: caller.arn,
      tags: tags.tags,
      tokenIssuedAt: ctx.now,
    };
    if (policies.texts.length > 0) principal.sessionPolicies = policies.texts;
    if (policies.arns.length > 0) principal.sessionPolicyArns = policies.arns;
    const record: SessionRecord = { kind: 'federation', principal };
    if (caller.type === 'user') record.base = { kind: 'user', id: caller.userId };
    return {
      Credentials: issueSession(ctx.store, record, ctx.now, ctx.now + seconds * 1000),
      FederatedUser: { FederatedUserId: principal.userId, Arn: arn },
      PackedPolicySize: packed,
    };
  },
});
