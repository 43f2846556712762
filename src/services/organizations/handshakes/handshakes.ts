import { AwsError } from '../../../protocol/errors.js';
import { findAccount } from '../../../identity/accounts.js';
import { memberRow, type OrganizationRow } from '../../../identity/organization.js';
import { operation } from '../../operation.js';
import type { RequestContext } from '../../types.js';
import { accountEmail, accountName, joinOrganization } from '../accounts/account-rows.js';
import { accountNotFound, handshakeConstraintViolation, handshakeNotFound, invalidInput } from '../shared/errors.js';
import { newHandshakeId, onOrg, orgResourceArn, page, requireManagement, type PageInput } from '../shared/org.js';

/**
 * Invitations (handshakes): the management account invites an account of this server
 * (one made with POST /_iamlocal/accounts); that account's principals accept, decline,
 * or the management account cancels. An invitation is open for 15 days, as on AWS.
 */

const OPEN_FOR_MS = 15 * 24 * 3600 * 1000;

interface HandshakeRow {
  handshake_id: string;
  account_id: string;
  org_id: string;
  target: string;
  action: string;
  state: string;
  notes: string | null;
  requested_at: number;
  expires_at: number;
}

function orgOf(ctx: RequestContext, orgId: string): OrganizationRow | undefined {
  return ctx.store.prepare<OrganizationRow>('SELECT * FROM org_organizations WHERE org_id = ?').get(orgId);
}

function handshakeArn(h: HandshakeRow): string {
  return orgResourceArn({ org_id: h.org_id, account_id: h.account_id }, 'handshake', `${h.action.toLowerCase()}/${h.handshake_id}`);
}

function state(ctx: RequestContext, h: HandshakeRow): string {
  return h.state === 'OPEN' && ctx.now >= h.expires_at ? 'EXPIRED' : h.state;
}

function handshakeShape(ctx: RequestContext, h: HandshakeRow): Record<string, unknown> {
  const org = orgOf(ctx, h.org_id);
  const management = org ? memberRow(ctx.store, org.account_id) : undefined;
  const orgResources = [
    { Type: 'MASTER_EMAIL', Value: management?.email ?? accountEmail(h.account_id) },
    { Type: 'MASTER_NAME', Value: management?.name ?? h.account_id },
    { Type: 'ORGANIZATION_FEATURE_SET', Value: org?.feature_set === 'CONSOLIDATED_BILLING' ? 'CONSOLIDATED_BILLING' : 'FULL' },
  ];
  const resources: Array<Record<string, unknown>> = [
    { Type: 'ORGANIZATION', Value: h.org_id, Resources: orgResources },
    { Type: 'ACCOUNT', Value: h.target },
  ];
  if (h.notes !== null) resources.push({ Type: 'NOTES', Value: h.notes });
  return {
    Id: h.handshake_id,
    Arn: handshakeArn(h),
    Parties: [
      { Id: h.org_id.slice(2), Type: 'ORGANIZATION' },
      { Id: h.target, Type: 'ACCOUNT' },
    ],
    State: state(ctx, h),
    RequestedTimestamp: new Date(h.requested_at),
    ExpirationTimestamp: new Date(h.expires_at),
    Action: h.action,
    Resources: resources,
  };
}

interface InviteInput {
  Target: { Id: string; Type: 'ACCOUNT' | 'EMAIL' | 'ORGANIZATION' };
  Notes?: string;
}

export const InviteAccountToOrganization = operation({
  writes: true,
  authorize: (ctx: RequestContext, input: InviteInput) =>
    onOrg(ctx, 'organizations:InviteAccountToOrganization', (org) => `arn:aws:organizations::${org.account_id}:account/${org.org_id}/${input.Target.Id}`),
  run: (ctx: RequestContext, input: InviteInput) => {
    const org = requireManagement(ctx);
    if (input.Target.Type !== 'ACCOUNT') {
      // iamlocal's accounts have no email addresses to be found by: invite them by ID.
      throw invalidInput('INVALID_PARTY_TYPE_TARGET', 'You specified the wrong type for the handshake party.');
    }
    const target = input.Target.Id;
    if (!/^\d{12}$/.test(target)) throw invalidInput('INVALID_PARTY_TYPE_TARGET', 'You specified the wrong type for the handshake party.');
    if (!findAccount(ctx.store, target)) throw accountNotFound();
    if (memberRow(ctx.store, target)) throw handshakeConstraintViolation('ALREADY_IN_AN_ORGANIZATION', 'The account is already a member of an organization.');
    const open = ctx.store
      .prepare<HandshakeRow>("SELECT * FROM org_handshakes WHERE org_id = ? AND target = ? AND state = 'OPEN'")
      .all(org.org_id, target)
      .some((h) => state(ctx, h) === 'OPEN');
    if (open) throw new AwsError('DuplicateHandshakeException', 'A handshake with the same action and target already exists.', 400);
    const row: HandshakeRow = {
      handshake_id: newHandshakeId(), account_id: org.account_id, org_id: org.org_id, target, action: 'INVITE', state: 'OPEN',
      notes: input.Notes ?? null, requested_at: ctx.now, expires_at: ctx.now + OPEN_FOR_MS,
    };
    ctx.store
      .prepare(
        `INSERT INTO org_handshakes (handshake_id, account_id, org_id, target, action, state, notes, requested_at, expires_at)
         VALUES (@handshake_id, @account_id, @org_id, @target, @action, @state, @notes, @requested_at, @expires_at)`,
      )
      .run(row);
    return { Handshake: handshakeShape(ctx, row) };
  },
});

/** A handshake the caller's account is a party to (the invited account, or the inviting management account). */
function visibleHandshake(ctx: RequestContext, id: string): HandshakeRow {
  const h = ctx.store.prepare<HandshakeRow>('SELECT * FROM org_handshakes WHERE handshake_id = ?').get(id);
  if (!h || (h.target !== ctx.accountId && h.account_id !== ctx.accountId)) throw handshakeNotFound();
  return h;
}

const wrongState = () => new AwsError('InvalidHandshakeTransitionException', "You can't perform the operation on the handshake in its current state.", 400);

function transition(ctx: RequestContext, h: HandshakeRow, to: string): Record<string, unknown> {
  if (state(ctx, h) !== 'OPEN') throw wrongState();
  ctx.store.prepare('UPDATE org_handshakes SET state = ? WHERE handshake_id = ?').run(to, h.handshake_id);
  return { Handshake: handshakeShape(ctx, { ...h, state: to }) };
}

const handshakeResource = (ctx: RequestContext, id: string, action: string) => {
  const h = ctx.store.prepare<HandshakeRow>('SELECT * FROM org_handshakes WHERE handshake_id = ?').get(id);
  return { action, resource: h ? handshakeArn(h) : '*' };
};

export const AcceptHandshake = operation({
  writes: true,
  authorize: (ctx: RequestContext, input: { HandshakeId: string }) => handshakeResource(ctx, input.HandshakeId, 'organizations:AcceptHandshake'),
  run: (ctx: RequestContext, input: { HandshakeId: string }) => {
    const h = visibleHandshake(ctx, input.HandshakeId);
    if (h.target !== ctx.accountId) throw handshakeNotFound();
    if (state(ctx, h) !== 'OPEN') throw wrongState();
    if (memberRow(ctx.store, ctx.accountId)) throw handshakeConstraintViolation('ALREADY_IN_AN_ORGANIZATION', 'The account is already a member of an organization.');
    const org = orgOf(ctx, h.org_id);
    if (!org) throw handshakeNotFound();
    joinOrganization(ctx, org, ctx.accountId, { name: accountName(ctx.store, ctx.accountId), email: accountEmail(ctx.accountId), method: 'INVITED' });
    return transition(ctx, h, 'ACCEPTED');
  },
});

export const DeclineHandshake = operation({
  writes: true,
  authorize: (ctx: RequestContext, input: { HandshakeId: string }) => handshakeResource(ctx, input.HandshakeId, 'organizations:DeclineHandshake'),
  run: (ctx: RequestContext, input: { HandshakeId: string }) => {
    const h = visibleHandshake(ctx, input.HandshakeId);
    if (h.target !== ctx.accountId) throw handshakeNotFound();
    return transition(ctx, h, 'DECLINED');
  },
});

export const CancelHandshake = operation({
  writes: true,
  authorize: (ctx: RequestContext, input: { HandshakeId: string }) => handshakeResource(ctx, input.HandshakeId, 'organizations:CancelHandshake'),
  run: (ctx: RequestContext, input: { HandshakeId: string }) => {
    const h = visibleHandshake(ctx, input.HandshakeId);
    if (h.account_id !== ctx.accountId) throw handshakeNotFound();
    return transition(ctx, h, 'CANCELED');
  },
});

export const DescribeHandshake = operation({
  writes: false,
  authorize: (ctx: RequestContext, input: { HandshakeId: string }) => handshakeResource(ctx, input.HandshakeId, 'organizations:DescribeHandshake'),
  run: (ctx: RequestContext, input: { HandshakeId: string }) => ({ Handshake: handshakeShape(ctx, visibleHandshake(ctx, input.HandshakeId)) }),
});

interface ListHandshakesInput extends PageInput {
  Filter?: { ActionType?: string; ParentHandshakeId?: string };
}

function listed(ctx: RequestContext, rows: HandshakeRow[], input: ListHandshakesInput) {
  const filtered = rows.filter((h) => !input.Filter?.ActionType || h.action === input.Filter.ActionType);
  const { items, NextToken } = page(filtered, input);
  return { Handshakes: items.map((h) => handshakeShape(ctx, h)), NextToken };
}

export const ListHandshakesForAccount = operation({
  writes: false,
  authorize: () => ({ action: 'organizations:ListHandshakesForAccount', resource: '*' }),
  run: (ctx: RequestContext, input: ListHandshakesInput) =>
    listed(ctx, ctx.store.prepare<HandshakeRow>('SELECT * FROM org_handshakes WHERE target = ? ORDER BY requested_at, handshake_id').all(ctx.accountId), input),
});

export const ListHandshakesForOrganization = operation({
  writes: false,
  authorize: () => ({ action: 'organizations:ListHandshakesForOrganization', resource: '*' }),
  run: (ctx: RequestContext, input: ListHandshakesInput) => {
    const org = requireManagement(ctx);
    return listed(ctx, ctx.store.prepare<HandshakeRow>('SELECT * FROM org_handshakes WHERE org_id = ? ORDER BY requested_at, handshake_id').all(org.org_id), input);
  },
});
