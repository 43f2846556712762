import { operation } from '../../operation.js';
import type { RequestContext } from '../../types.js';
import { parsePolicy, PolicyError } from '../../../policy/index.js';
import { awsManagedPolicy } from '../../../identity/aws-managed-catalog.js';
import { pageOf } from '../../identitystore/shared/paging.js';
import { conflict, notFound, onInstance, requireInstance, requirePermissionSet, touch, validation, type PermissionSetRow } from '../shared/sso.js';
import type { InstanceRow } from '../../identitystore/shared/rows.js';

/**
 * What a permission set grants: AWS managed policies, references to customer managed
 * policies (resolved by name and path in each account it is provisioned to), one inline
 * policy, and a permissions boundary. Each edit leaves the provisioned roles outdated until
 * ProvisionPermissionSet, as on AWS.
 */

/** AWS's quota: 20 managed policies and customer managed references together per permission set. */
const MAX_ATTACHED = 20;
/** The inline policy may be up to 32,768 characters (the model's limit). */
const MAX_INLINE = 32768;

interface PsRef {
  InstanceArn: string;
  PermissionSetArn: string;
}

function resolve(ctx: RequestContext, input: PsRef): { instance: InstanceRow; ps: PermissionSetRow } {
  const instance = requireInstance(ctx, input.InstanceArn);
  return { instance, ps: requirePermissionSet(ctx, instance, input.PermissionSetArn) };
}

const entries = (action: string) => (_ctx: RequestContext, input: PsRef) => onInstance(action, input.InstanceArn, input.PermissionSetArn);

function attachedCount(ctx: RequestContext, ps: PermissionSetRow): number {
  const q = (t: string) => ctx.store.prepare<{ n: number }>(`SELECT count(*) AS n FROM ${t} WHERE permission_set_id = ?`).get(ps.permission_set_id)!.n;
  return q('sso_ps_managed_policies') + q('sso_ps_customer_policies');
}

function checkRoom(ctx: RequestContext, ps: PermissionSetRow): void {
  if (attachedCount(ctx, ps) >= MAX_ATTACHED) {
    throw validation(`A permission set can have at most ${MAX_ATTACHED} managed policies and customer managed policy references.`);
  }
}

// ---- AWS managed policies

export const AttachManagedPolicyToPermissionSet = operation({
  writes: true,
  authorize: entries('sso:AttachManagedPolicyToPermissionSet'),
  run: (ctx: RequestContext, input: PsRef & { ManagedPolicyArn: string }) => {
    const { ps } = resolve(ctx, input);
    if (!awsManagedPolicy(input.ManagedPolicyArn)) throw validation(`ARN ${input.ManagedPolicyArn} is not a valid AWS managed policy.`);
    const there = ctx.store.prepare('SELECT 1 AS one FROM sso_ps_managed_policies WHERE permission_set_id = ? AND policy_arn = ?').get(ps.permission_set_id, input.ManagedPolicyArn);
    if (there) throw conflict(`Managed policy ${input.ManagedPolicyArn} is already attached to the permission set.`);
    checkRoom(ctx, ps);
    ctx.store
      .prepare('INSERT INTO sso_ps_managed_policies (account_id, permission_set_id, policy_arn, attached_at) VALUES (?, ?, ?, ?)')
      .run(ctx.accountId, ps.permission_set_id, input.ManagedPolicyArn, ctx.now);
    touch(ctx, ps);
    return {};
  },
});

export const DetachManagedPolicyFromPermissionSet = operation({
  writes: true,
  authorize: entries('sso:DetachManagedPolicyFromPermissionSet'),
  run: (ctx: RequestContext, input: PsRef & { ManagedPolicyArn: string }) => {
    const { ps } = resolve(ctx, input);
    const done = ctx.store.prepare('DELETE FROM sso_ps_managed_policies WHERE permission_set_id = ? AND policy_arn = ?').run(ps.permission_set_id, input.ManagedPolicyArn);
    if (done.changes === 0) throw notFound(`Managed policy ${input.ManagedPolicyArn} is not attached to the permission set.`);
    touch(ctx, ps);
    return {};
  },
});

export const ListManagedPoliciesInPermissionSet = operation({
  writes: false,
  authorize: entries('sso:ListManagedPoliciesInPermissionSet'),
  run: (ctx: RequestContext, input: PsRef & { MaxResults?: number; NextToken?: string }) => {
    const { ps } = resolve(ctx, input);
    const rows = ctx.store
      .prepare<{ policy_arn: string }>('SELECT policy_arn FROM sso_ps_managed_policies WHERE permission_set_id = ? ORDER BY attached_at, policy_arn')
      .all(ps.permission_set_id);
    const { items, next } = pageOf(rows, input.NextToken, input.MaxResults);
    return { AttachedManagedPolicies: items.map((r) => ({ Arn: r.policy_arn, Name: r.policy_arn.slice(r.policy_arn.lastIndexOf('/') + 1) })), NextToken: next };
  },
});

// ---- customer managed policy references

interface CustomerRef {
  Name: string;
  Path?: string;
}

function refPath(ref: CustomerRef): string {
  const path = ref.Path ?? '/';
  if (!path.startsWith('/') || !path.endsWith('/')) throw validation('The Path of a customer managed policy reference must begin and end with /.');
  return path;
}

export const AttachCustomerManagedPolicyReferenceToPermissionSet = operation({
  writes: true,
  authorize: entries('sso:AttachCustomerManagedPolicyReferenceToPermissionSet'),
  run: (ctx: RequestContext, input: PsRef & { CustomerManagedPolicyReference: CustomerRef }) => {
    const { ps } = resolve(ctx, input);
    const ref = input.CustomerManagedPolicyReference;
    const path = refPath(ref);
    const there = ctx.store.prepare('SELECT 1 AS one FROM sso_ps_customer_policies WHERE permission_set_id = ? AND name = ? AND path = ?').get(ps.permission_set_id, ref.Name, path);
    if (there) throw conflict(`Customer managed policy reference ${path}${ref.Name} is already attached to the permission set.`);
    checkRoom(ctx, ps);
    ctx.store
      .prepare('INSERT INTO sso_ps_customer_policies (account_id, permission_set_id, name, path, attached_at) VALUES (?, ?, ?, ?, ?)')
      .run(ctx.accountId, ps.permission_set_id, ref.Name, path, ctx.now);
    touch(ctx, ps);
    return {};
  },
});

export const DetachCustomerManagedPolicyReferenceFromPermissionSet = operation({
  writes: true,
  authorize: entries('sso:DetachCustomerManagedPolicyReferenceFromPermissionSet'),
  run: (ctx: RequestContext, input: PsRef & { CustomerManagedPolicyReference: CustomerRef }) => {
    const { ps } = resolve(ctx, input);
    const ref = input.CustomerManagedPolicyReference;
    const done = ctx.store.prepare('DELETE FROM sso_ps_customer_policies WHERE permission_set_id = ? AND name = ? AND path = ?').run(ps.permission_set_id, ref.Name, refPath(ref));
    if (done.changes === 0) throw notFound(`Customer managed policy reference ${refPath(ref)}${ref.Name} is not attached to the permission set.`);
    touch(ctx, ps);
    return {};
  },
});

export const ListCustomerManagedPolicyReferencesInPermissionSet = operation({
  writes: false,
  authorize: entries('sso:ListCustomerManagedPolicyReferencesInPermissionSet'),
  run: (ctx: RequestContext, input: PsRef & { MaxResults?: number; NextToken?: string }) => {
    const { ps } = resolve(ctx, input);
    const rows = ctx.store
      .prepare<{ name: string; path: string }>('SELECT name, path FROM sso_ps_customer_policies WHERE permission_set_id = ? ORDER BY attached_at, name')
      .all(ps.permission_set_id);
    const { items, next } = pageOf(rows, input.NextToken, input.MaxResults);
    return { CustomerManagedPolicyReferences: items.map((r) => ({ Name: r.name, Path: r.path })), NextToken: next };
  },
});

// ---- the inline policy

export const PutInlinePolicyToPermissionSet = operation({
  writes: true,
  authorize: entries('sso:PutInlinePolicyToPermissionSet'),
  run: (ctx: RequestContext, input: PsRef & { InlinePolicy: string }) => {
    const { ps } = resolve(ctx, input);
    try {
      parsePolicy(input.InlinePolicy, { kind: 'identity', maxLength: MAX_INLINE });
    } catch (err) {
      if (err instanceof PolicyError) throw validation(`The inline policy is not a valid IAM policy: ${err.message}`);
      throw err;
    }
    ctx.store.prepare('UPDATE sso_permission_sets SET inline_policy = ? WHERE permission_set_id = ?').run(input.InlinePolicy, ps.permission_set_id);
    touch(ctx, ps);
    return {};
  },
});

export const GetInlinePolicyForPermissionSet = operation({
  writes: false,
  authorize: entries('sso:GetInlinePolicyForPermissionSet'),
  run: (ctx: RequestContext, input: PsRef) => ({ InlinePolicy: resolve(ctx, input).ps.inline_policy ?? '' }),
});

export const DeleteInlinePolicyFromPermissionSet = operation({
  writes: true,
  authorize: entries('sso:DeleteInlinePolicyFromPermissionSet'),
  run: (ctx: RequestContext, input: PsRef) => {
    const { ps } = resolve(ctx, input);
    ctx.store.prepare('UPDATE sso_permission_sets SET inline_policy = NULL WHERE permission_set_id = ?').run(ps.permission_set_id);
    touch(ctx, ps);
    return {};
  },
});

// ---- the permissions boundary

interface Boundary {
  ManagedPolicyArn?: string;
  CustomerManagedPolicyReference?: CustomerRef;
}

export const PutPermissionsBoundaryToPermissionSet = operation({
  writes: true,
  authorize: entries('sso:PutPermissionsBoundaryToPermissionSet'),
  run: (ctx: RequestContext, input: PsRef & { PermissionsBoundary: Boundary }) => {
    const { ps } = resolve(ctx, input);
    const b = input.PermissionsBoundary;
    if ((b.ManagedPolicyArn === undefined) === (b.CustomerManagedPolicyReference === undefined)) {
      throw validation('A permissions boundary names either a ManagedPolicyArn or a CustomerManagedPolicyReference.');
    }
    let stored: Boundary;
    if (b.ManagedPolicyArn !== undefined) {
      if (!awsManagedPolicy(b.ManagedPolicyArn)) throw validation(`ARN ${b.ManagedPolicyArn} is not a valid AWS managed policy.`);
      stored = { ManagedPolicyArn: b.ManagedPolicyArn };
    } else {
      stored = { CustomerManagedPolicyReference: { Name: b.CustomerManagedPolicyReference!.Name, Path: refPath(b.CustomerManagedPolicyReference!) } };
    }
    ctx.store.prepare('UPDATE sso_permission_sets SET boundary = ? WHERE permission_set_id = ?').run(JSON.stringify(stored), ps.permission_set_id);
    touch(ctx, ps);
    return {};
  },
});

export const GetPermissionsBoundaryForPermissionSet = operation({
  writes: false,
  authorize: entries('sso:GetPermissionsBoundaryForPermissionSet'),
  run: (ctx: RequestContext, input: PsRef) => {
    const { ps } = resolve(ctx, input);
    if (!ps.boundary) throw notFound('Permissions boundary does not exist for the permission set.');
    return { PermissionsBoundary: JSON.parse(ps.boundary) as Boundary };
  },
});

export const DeletePermissionsBoundaryFromPermissionSet = operation({
  writes: true,
  authorize: entries('sso:DeletePermissionsBoundaryFromPermissionSet'),
  run: (ctx: RequestContext, input: PsRef) => {
    const { ps } = resolve(ctx, input);
    if (!ps.boundary) throw notFound('Permissions boundary does not exist for the permission set.');
    ctx.store.prepare('UPDATE sso_permission_sets SET boundary = NULL WHERE permission_set_id = ?').run(ps.permission_set_id);
    touch(ctx, ps);
    return {};
  },
});
