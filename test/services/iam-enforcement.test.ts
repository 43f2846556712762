/**
 * The IAM authorization map, effective policies and the policy engine together, as the
 * pipeline runs them (src/server/authorize.ts): do AWS's documented policies allow and
 * deny what AWS says they do?
 */
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT, asRoot, call, contextFor, openTestStore, userWithKey } from './context.js';
import { iamService } from '../../src/services/iam/index.js';
import { authorize, policySetFor } from '../../src/server/authorize.js';
import { globalConditionKeys } from '../../src/server/request-facts.js';
import type { Principal } from '../../src/identity/principal.js';
import type { Store } from '../../src/store/store.js';

let t: ReturnType<typeof openTestStore>;
let store: Store;
beforeEach(() => {
  t = openTestStore();
  store = t.store;
});
afterEach(() => t.dispose());

/** The decision for one operation by principal, as the pipeline reaches it. */
function decide(principal: Principal, op: string, input: Record<string, unknown>): string {
  const ctx = contextFor(store, principal);
  const rule = iamService.operations[op].authorize(ctx, input);
  const entries = rule === null ? [] : Array.isArray(rule) ? rule : [rule];
  const keys = globalConditionKeys(principal, { now: ctx.now, region: ctx.region, sourceIp: ctx.sourceIp, secureTransport: true });
  const verdicts = authorize(principal, entries, keys, policySetFor(store, principal));
  return verdicts.find((v) => v.decision.decision !== 'allowed')?.decision.decision ?? 'allowed';
}

function put(userName: string, statements: unknown[]) {
  call(asRoot(store), 'PutUserPolicy', { UserName: userName, PolicyName: 'p', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: statements }) });
}

describe('enforcement of user policies on IAM operations', () => {
  test('no policy: everything is implicitly denied; root is allowed', () => {
    const { principal } = userWithKey(store, 'none');
    assert.equal(decide(principal, 'ListUsers', {}), 'implicitDeny');
    assert.equal(decide(principal, 'GetUser', {}), 'implicitDeny');
    assert.equal(decide(asRoot(store).principal, 'CreateUser', { UserName: 'x' }), 'allowed');
  });

  test('manage your own access keys (user/${aws:username}), not anyone else\'s', () => {
    const { principal } = userWithKey(store, 'self');
    call(asRoot(store), 'CreateUser', { UserName: 'other' });
    put('self', [{ Effect: 'Allow', Action: ['iam:CreateAccessKey', 'iam:ListAccessKeys', 'iam:DeleteAccessKey'], Resource: 'arn:aws:iam::*:user/${aws:username}' }]);
    assert.equal(decide(principal, 'CreateAccessKey', {}), 'allowed');
    assert.equal(decide(principal, 'ListAccessKeys', { UserName: 'self' }), 'allowed');
    assert.equal(decide(principal, 'CreateAccessKey', { UserName: 'other' }), 'implicitDeny');
  });

  test('a user path in the policy scopes ListUsers to that path', () => {
    const { principal } = userWithKey(store, 'dev-admin');
    put('dev-admin', [{ Effect: 'Allow', Action: ['iam:ListUsers', 'iam:GetUser'], Resource: 'arn:aws:iam::*:user/Department/Development/*' }]);
    call(asRoot(store), 'CreateUser', { UserName: 'coder', Path: '/Department/Development/' });
    call(asRoot(store), 'CreateUser', { UserName: 'seller', Path: '/Department/Sales/' });
    assert.equal(decide(principal, 'ListUsers', { PathPrefix: '/Department/Development/' }), 'allowed');
    assert.equal(decide(principal, 'ListUsers', {}), 'implicitDeny');
    assert.equal(decide(principal, 'GetUser', { UserName: 'coder' }), 'allowed');
    assert.equal(decide(principal, 'GetUser', { UserName: 'seller' }), 'implicitDeny');
  });

  test('resource tags against principal tags: same team only', () => {
    const { principal } = userWithKey(store, 'lead', { Tags: [{ Key: 'team', Value: 'blue' }] });
    put('lead', [{
      Effect: 'Allow', Action: 'iam:GetUser', Resource: '*',
      Condition: { StringEquals: { 'iam:ResourceTag/team': '${aws:PrincipalTag/team}' } },
    }]);
    call(asRoot(store), 'CreateUser', { UserName: 'mate', Tags: [{ Key: 'team', Value: 'blue' }] });
    call(asRoot(store), 'CreateUser', { UserName: 'rival', Tags: [{ Key: 'Team', Value: 'red' }] });
    call(asRoot(store), 'CreateUser', { UserName: 'loner' });
    assert.equal(decide(principal, 'GetUser', { UserName: 'mate' }), 'allowed');
    assert.equal(decide(principal, 'GetUser', { UserName: 'rival' }), 'implicitDeny');
    assert.equal(decide(principal, 'GetUser', { UserName: 'loner' }), 'implicitDeny');
  });

  test('aws:TagKeys limits which tags may be added', () => {
    const { principal } = userWithKey(store, 'tagger');
    put('tagger', [{
      Effect: 'Allow', Action: ['iam:TagUser', 'iam:CreateUser'], Resource: '*',
      Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['project', 'cost'] } },
    }]);
    call(asRoot(store), 'CreateUser', { UserName: 'target' });
    assert.equal(decide(principal, 'TagUser', { UserName: 'target', Tags: [{ Key: 'project', Value: 'x' }] }), 'allowed');
    assert.equal(decide(principal, 'TagUser', { UserName: 'target', Tags: [{ Key: 'admin', Value: 'yes' }] }), 'implicitDeny');
    assert.equal(decide(principal, 'CreateUser', { UserName: 'n', Tags: [{ Key: 'cost', Value: '1' }, { Key: 'owner', Value: 'me' }] }), 'implicitDeny');
  });

  test('renaming needs permission on the new name too', () => {
    const { principal } = userWithKey(store, 'renamer');
    call(asRoot(store), 'CreateUser', { UserName: 'bob' });
    put('renamer', [{ Effect: 'Allow', Action: 'iam:UpdateUser', Resource: `arn:aws:iam::${ACCOUNT}:user/bob` }]);
    assert.equal(decide(principal, 'UpdateUser', { UserName: 'bob', NewUserName: 'robert' }), 'implicitDeny');
    put('renamer', [{ Effect: 'Allow', Action: 'iam:UpdateUser', Resource: [`arn:aws:iam::${ACCOUNT}:user/bob`, `arn:aws:iam::${ACCOUNT}:user/robert`] }]);
    assert.equal(decide(principal, 'UpdateUser', { UserName: 'bob', NewUserName: 'robert' }), 'allowed');
  });

  test('an explicit deny wins over an allow', () => {
    const { principal } = userWithKey(store, 'denied');
    put('denied', [
      { Effect: 'Allow', Action: 'iam:*', Resource: '*' },
      { Effect: 'Deny', Action: 'iam:DeleteUser', Resource: '*' },
    ]);
    assert.equal(decide(principal, 'ListUsers', {}), 'allowed');
    assert.equal(decide(principal, 'DeleteUser', { UserName: 'anyone' }), 'explicitDeny');
  });

  test('an AWS managed boundary caps what the user\'s policies allow', () => {
    const { principal } = userWithKey(store, 'capped', { PermissionsBoundary: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' });
    put('capped', [{ Effect: 'Allow', Action: 'iam:*', Resource: '*' }]);
    assert.equal(decide(principal, 'ListUsers', {}), 'allowed');
    assert.equal(decide(principal, 'GetUser', {}), 'allowed');
    assert.equal(decide(principal, 'CreateUser', { UserName: 'nope' }), 'implicitDeny');
  });

  test('a boundary that cannot be resolved blocks everything the policies allow', () => {
    const { principal, user } = userWithKey(store, 'bounded');
    put('bounded', [{ Effect: 'Allow', Action: 'iam:*', Resource: '*' }]);
    assert.equal(decide(principal, 'ListUsers', {}), 'allowed');
    store.tx(() => store.db.prepare("UPDATE users SET permissions_boundary_arn = 'arn:aws:iam::aws:policy/Gone' WHERE user_id = ?").run(user.UserId));
    assert.notEqual(decide(principal, 'ListUsers', {}), 'allowed');
  });
});
