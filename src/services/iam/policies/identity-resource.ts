import type { AuthzEntry, RequestContext } from '../../types.js';
import { assertModifiable, findTarget, requireTarget, type AttachmentTarget, type IdentityKind } from '../../../identity/attachment-targets.js';
import { groupArn } from '../../../identity/groups.js';
import { ROLE_KIND, roleArn } from '../../../identity/roles.js';
import { resourceTagKeys, tagRecord } from '../../../identity/tags.js';
import { USER_KIND, userArn } from '../../../identity/users.js';
import { entry, type Context } from './policy-resource.js';

/**
 * The user, group or role an attachment or boundary operation names:
 *   - for authorization, its ARN with aws:ResourceTag/* and iam:ResourceTag/* from the
 *     tags of a user or role; Attach/Detach*Policy add iam:PolicyARN and (users and
 *     roles) iam:PermissionsBoundary when the identity has one; Put*PermissionsBoundary
 *     carries the boundary requested, Delete*PermissionsBoundary the one in place. An
 *     identity that does not exist is checked at path /, so the caller learns nothing;
 *   - for the handler, its row, which must exist (and not be a service-linked role when
 *     the operation changes it).
 */

export const NAME_MEMBER: Record<IdentityKind, 'UserName' | 'GroupName' | 'RoleName'> = { user: 'UserName', group: 'GroupName', role: 'RoleName' };

const TAG_KIND: Record<IdentityKind, string | undefined> = { user: USER_KIND, role: ROLE_KIND, group: undefined };

function unknownArn(kind: IdentityKind, accountId: string, name: string): string {
  return kind === 'user' ? userArn(accountId, '/', name) : kind === 'group' ? groupArn(accountId, '/', name) : roleArn(accountId, '/', name);
}

/** An action on the user, group or role the request names. */
export function onIdentity(ctx: RequestContext, kind: IdentityKind, action: string, input: Record<string, string>, extra: Context, opts: { boundary?: boolean } = {}): AuthzEntry {
  const name = input[NAME_MEMBER[kind]];
  const t = findTarget(ctx.store, ctx.accountId, kind, name);
  if (!t) return entry(action, unknownArn(kind, ctx.accountId, name), extra);
  const tagKind = TAG_KIND[kind];
  const context: Context = tagKind ? resourceTagKeys(tagRecord(ctx.store, t.accountId, tagKind, t.id)) : {};
  if (opts.boundary && t.boundaryArn !== null) context['iam:PermissionsBoundary'] = t.boundaryArn;
  return entry(action, t.arn, { ...context, ...extra });
}

/** The identity the request names, which must exist. */
export function namedTarget(ctx: RequestContext, kind: IdentityKind, input: Record<string, string>): AttachmentTarget {
  return requireTarget(ctx.store, ctx.accountId, kind, input[NAME_MEMBER[kind]]);
}

/** The identity the request names, which must exist and may be changed. */
export function changeableTarget(ctx: RequestContext, kind: IdentityKind, input: Record<string, string>): AttachmentTarget {
  const target = namedTarget(ctx, kind, input);
  assertModifiable(target);
  return target;
}
