import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accessDeniedMessage, denialReason, evaluate, explain, type PolicySet } from '../../src/policy/index.js';
import { ACCOUNT, pol, req, root, roleSession, user } from './support.js';

const denyCreateUser = pol([
  { Sid: 'AllowIam', Effect: 'Allow', Action: 'iam:*', Resource: '*' },
  { Sid: 'DenyCreateUser', Effect: 'Deny', Action: 'iam:CreateUser', Resource: '*' },
], 'identity', 'deny-iam-users');
const createUser = req('iam:CreateUser', `arn:aws:iam::${ACCOUNT}:user/bob`, user('alice'));

test('explain names the deciding statement, its line and its policy', () => {
  const d = evaluate(createUser, { identity: [denyCreateUser] });
  assert.equal(explain(d), 'explicitly denied by statement "DenyCreateUser" (line 10) of policy "deny-iam-users"');
  assert.equal(explain(d, createUser), `iam:CreateUser on arn:aws:iam::${ACCOUNT}:user/bob: explicitly denied by statement "DenyCreateUser" (line 10) of policy "deny-iam-users"`);
  const ok = evaluate(req('iam:ListUsers', '*', user('alice')), { identity: [denyCreateUser] });
  assert.equal(explain(ok), 'allowed by statement "AllowIam" (line 4) of policy "deny-iam-users"');
});

test('explain says which policy type failed to allow and which keys were missing', () => {
  const none = evaluate(createUser, { identity: [] });
  assert.equal(explain(none, createUser), `iam:CreateUser on arn:aws:iam::${ACCOUNT}:user/bob: implicitly denied: no identity-based policy allows the action`);
  assert.equal(explain(none), 'implicitly denied: no identity-based policy allows the action');
  const boundary = pol([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }], 'boundary', 'b');
  assert.equal(explain(evaluate(createUser, { identity: [denyCreateUser], boundary })), 'explicitly denied by statement "DenyCreateUser" (line 10) of policy "deny-iam-users"');
  const listUsers = req('iam:ListUsers', '*', user('alice'));
  assert.equal(explain(evaluate(listUsers, { identity: [denyCreateUser], boundary }), listUsers), 'iam:ListUsers on *: implicitly denied: no permissions boundary allows the action');
  const mfa = pol([{ Effect: 'Allow', Action: 'iam:*', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }], 'identity', 'mfa');
  assert.equal(explain(evaluate(listUsers, { identity: [mfa] }), listUsers), 'iam:ListUsers on *: implicitly denied: no identity-based policy allows the action; the request lacked condition key aws:MultiFactorAuthPresent');
  const unnamed = pol([{ Effect: 'Deny', Action: 'iam:*', Resource: '*' }], 'identity', 'anonymous-statements');
  assert.equal(explain(evaluate(listUsers, { identity: [unnamed] })), 'explicitly denied by statement #1 (line 4) of policy "anonymous-statements"');
  const scp = pol([{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }], 'scp', 'only-ec2');
  assert.equal(explain(evaluate(listUsers, { identity: [denyCreateUser], scps: [[scp]] }), listUsers), 'iam:ListUsers on *: implicitly denied: no service control policy at organization level 0 allows the action');
  const rootOk = req('iam:ListUsers', '*', root());
  assert.equal(explain(evaluate(rootOk, { identity: [] }), rootOk), 'iam:ListUsers on *: allowed: the account root user has full access in its own account');
});

test('denialReason and accessDeniedMessage use AWS\'s wording for every policy type', () => {
  const s = roleSession('r', 'sess');
  const allowAll = pol([{ Effect: 'Allow', Action: '*', Resource: '*' }]);
  const cases: [PolicySet, string][] = [
    [{ identity: [] }, 'because no identity-based policy allows the iam:CreateUser action'],
    [{ identity: [denyCreateUser] }, 'with an explicit deny in an identity-based policy'],
    [{ identity: [allowAll], boundary: pol([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }], 'boundary', 'b') }, 'because no permissions boundary allows the iam:CreateUser action'],
    [{ identity: [allowAll], boundary: pol([{ Effect: 'Deny', Action: 'iam:*', Resource: '*' }], 'boundary', 'b') }, 'with an explicit deny in a permissions boundary'],
    [{ identity: [allowAll], session: [pol([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }], 'session', 's')] }, 'because no session policy allows the iam:CreateUser action'],
    [{ identity: [allowAll], session: [pol([{ Effect: 'Deny', Action: '*', Resource: '*' }], 'session', 's')] }, 'with an explicit deny in a session policy'],
    [{ identity: [allowAll], scps: [[pol([{ Effect: 'Deny', Action: 'iam:*', Resource: '*' }, { Effect: 'Allow', Action: '*', Resource: '*' }], 'scp', 'scp')]] }, 'with an explicit deny in a service control policy'],
    [{ identity: [allowAll], scps: [[pol([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }], 'scp', 'scp')]] }, 'because no service control policy allows the iam:CreateUser action'],
    [{ identity: [allowAll], resource: [pol([{ Effect: 'Deny', Principal: '*', Action: '*', Resource: '*' }], 'resource', 'rp')] }, 'with an explicit deny in a resource-based policy'],
    [{ identity: [allowAll], rcps: [[pol([{ Effect: 'Deny', Principal: '*', Action: '*', Resource: '*' }], 'rcp', 'rcp')]] }, 'with an explicit deny in a resource control policy'],
  ];
  const r = req('iam:CreateUser', `arn:aws:iam::${ACCOUNT}:user/bob`, s);
  for (const [set, reason] of cases) {
    const d = evaluate(r, set);
    assert.equal(denialReason(d, r.action), reason);
    assert.equal(
      accessDeniedMessage(d, { principalArn: s.arn, action: r.action, resource: r.resource }),
      `User: ${s.arn} is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::${ACCOUNT}:user/bob ${reason}`,
    );
  }
  const crossAccount = evaluate(req('s3:GetObject', 'arn:aws:s3:::b/k', user('x', '444455556666'), {}, ACCOUNT), { identity: [allowAll] });
  assert.equal(denialReason(crossAccount, 's3:GetObject'), 'because no resource-based policy allows the s3:GetObject action');
  assert.equal(denialReason(evaluate(r, { identity: [allowAll] }), r.action), '');
});
