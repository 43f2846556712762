import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT, asRoot, call, contextFor, openTestStore, throwsAws, userWithKey } from './context.js';
import { iamService } from '../../src/services/iam/index.js';
import { MAX_GROUPS_PER_ACCOUNT } from '../../src/services/iam/groups/groups.js';
import { MAX_GROUPS_PER_USER } from '../../src/services/iam/groups/group-members.js';
import { identityPoliciesFor } from '../../src/identity/effective-policies.js';
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

const root = () => asRoot(store);

function policy(statements: unknown[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/** The decision for one operation by principal, as the pipeline reaches it. */
function decide(principal: Principal, op: string, input: Record<string, unknown>): string {
  const ctx = contextFor(store, principal);
  const rule = iamService.operations[op].authorize(ctx, input);
  const entries = rule === null ? [] : Array.isArray(rule) ? rule : [rule];
  const keys = globalConditionKeys(principal, { now: ctx.now, region: ctx.region, sourceIp: ctx.sourceIp, secureTransport: true });
  const verdicts = authorize(principal, entries, keys, policySetFor(store, principal));
  return verdicts.find((v) => v.decision.decision !== 'allowed')?.decision.decision ?? 'allowed';
}

describe('CreateGroup / GetGroup / ListGroups', () => {
  test('CreateGroup returns an AGPA id, the ARN with its path and the request time', () => {
    const now = Date.UTC(2026, 1, 3, 4, 5, 6);
    const { Group } = call(asRoot(store, now), 'CreateGroup', { GroupName: 'Admins', Path: '/ops/' });
    assert.match(Group.GroupId, /^AGPA[A-Z2-7]{17}$/);
    assert.equal(Group.Arn, `arn:aws:iam::${ACCOUNT}:group/ops/Admins`);
    assert.equal(Group.Path, '/ops/');
    assert.equal(Group.GroupName, 'Admins');
    assert.deepEqual(Group.CreateDate, new Date(now));
  });

  test('names are unique case-insensitively', () => {
    call(root(), 'CreateGroup', { GroupName: 'admins' });
    throwsAws(() => call(root(), 'CreateGroup', { GroupName: 'ADMINS' }), 'EntityAlreadyExists', 409, 'Group with name ADMINS already exists.');
  });

  test('the groups-per-account quota is enforced', () => {
    const insert = store.db.prepare("INSERT INTO groups (account_id, group_id, group_name, path, created_at) VALUES (?, ?, ?, '/', 0)");
    store.tx(() => {
      for (let i = 0; i < MAX_GROUPS_PER_ACCOUNT; i++) insert.run(ACCOUNT, `AGPAFILL${String(i).padStart(13, '0')}`, `g${i}`);
    });
    throwsAws(() => call(root(), 'CreateGroup', { GroupName: 'one-more' }), 'LimitExceeded', 409, 'Cannot exceed quota for GroupsPerAccount: 300');
  });

  test('GetGroup of a missing group is NoSuchEntity in IAM words', () => {
    throwsAws(() => call(root(), 'GetGroup', { GroupName: 'nope' }), 'NoSuchEntity', 404, 'The group with name nope cannot be found.');
  });

  test('GetGroup lists the members by name, a page at a time', () => {
    call(root(), 'CreateGroup', { GroupName: 'team' });
    for (const name of ['carol', 'alice', 'bob']) {
      call(root(), 'CreateUser', { UserName: name, Tags: [{ Key: 'k', Value: 'v' }] });
      call(root(), 'AddUserToGroup', { GroupName: 'team', UserName: name });
    }
    const first = call(root(), 'GetGroup', { GroupName: 'TEAM', MaxItems: 2 });
    assert.equal(first.Group.GroupName, 'team');
    assert.deepEqual(first.Users.map((u: any) => u.UserName), ['alice', 'bob']);
    assert.equal('Tags' in first.Users[0], false);
    assert.equal(first.IsTruncated, true);
    const second = call(root(), 'GetGroup', { GroupName: 'team', MaxItems: 2, Marker: first.Marker });
    assert.deepEqual(second.Users.map((u: any) => u.UserName), ['carol']);
    assert.equal(second.IsTruncated, false);
    assert.equal(second.Marker, undefined);
  });

  test('ListGroups filters by PathPrefix and paginates by name', () => {
    call(root(), 'CreateGroup', { GroupName: 'b', Path: '/eng/' });
    call(root(), 'CreateGroup', { GroupName: 'a', Path: '/eng/web/' });
    call(root(), 'CreateGroup', { GroupName: 'c', Path: '/sales/' });
    assert.deepEqual(call(root(), 'ListGroups', {}).Groups.map((g: any) => g.GroupName), ['a', 'b', 'c']);
    assert.deepEqual(call(root(), 'ListGroups', { PathPrefix: '/eng/' }).Groups.map((g: any) => g.GroupName), ['a', 'b']);
    const page = call(root(), 'ListGroups', { MaxItems: 1 });
    assert.equal(page.IsTruncated, true);
    const rest = call(root(), 'ListGroups', { Marker: page.Marker });
    assert.deepEqual(rest.Groups.map((g: any) => g.GroupName), ['b', 'c']);
  });
});

describe('UpdateGroup / DeleteGroup', () => {
  test('renaming and moving keeps the id and the members', () => {
    const { Group } = call(root(), 'CreateGroup', { GroupName: 'old' });
    call(root(), 'CreateUser', { UserName: 'u' });
    call(root(), 'AddUserToGroup', { GroupName: 'old', UserName: 'u' });
    call(root(), 'UpdateGroup', { GroupName: 'old', NewGroupName: 'new', NewPath: '/moved/' });
    throwsAws(() => call(root(), 'GetGroup', { GroupName: 'old' }), 'NoSuchEntity', 404);
    const got = call(root(), 'GetGroup', { GroupName: 'new' });
    assert.equal(got.Group.GroupId, Group.GroupId);
    assert.equal(got.Group.Arn, `arn:aws:iam::${ACCOUNT}:group/moved/new`);
    assert.deepEqual(got.Users.map((u: any) => u.UserName), ['u']);
  });

  test('renaming onto another group is EntityAlreadyExists; a case change of its own name is fine', () => {
    call(root(), 'CreateGroup', { GroupName: 'one' });
    call(root(), 'CreateGroup', { GroupName: 'two' });
    throwsAws(() => call(root(), 'UpdateGroup', { GroupName: 'one', NewGroupName: 'TWO' }), 'EntityAlreadyExists', 409, 'Group with name TWO already exists.');
    call(root(), 'UpdateGroup', { GroupName: 'one', NewGroupName: 'ONE' });
    assert.equal(call(root(), 'GetGroup', { GroupName: 'one' }).Group.GroupName, 'ONE');
  });

  test('DeleteGroup refuses while the group has members, inline policies or attached policies', () => {
    const { Group } = call(root(), 'CreateGroup', { GroupName: 'g' });
    call(root(), 'CreateUser', { UserName: 'u' });
    call(root(), 'AddUserToGroup', { GroupName: 'g', UserName: 'u' });
    call(root(), 'PutGroupPolicy', { GroupName: 'g', PolicyName: 'p', PolicyDocument: policy([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }]) });
    store.db
      .prepare('INSERT INTO group_policy_attachments (account_id, group_id, policy_arn, attached_at) VALUES (?, ?, ?, 0)')
      .run(ACCOUNT, Group.GroupId, 'arn:aws:iam::aws:policy/ReadOnlyAccess');
    throwsAws(() => call(root(), 'DeleteGroup', { GroupName: 'g' }), 'DeleteConflict', 409, 'Cannot delete entity, must remove users from group first.');
    call(root(), 'RemoveUserFromGroup', { GroupName: 'g', UserName: 'u' });
    throwsAws(() => call(root(), 'DeleteGroup', { GroupName: 'g' }), 'DeleteConflict', 409, 'Cannot delete entity, must delete policies first.');
    call(root(), 'DeleteGroupPolicy', { GroupName: 'g', PolicyName: 'p' });
    throwsAws(() => call(root(), 'DeleteGroup', { GroupName: 'g' }), 'DeleteConflict', 409, 'Cannot delete entity, must detach all policies first.');
    store.db.prepare('DELETE FROM group_policy_attachments WHERE group_id = ?').run(Group.GroupId);
    call(root(), 'DeleteGroup', { GroupName: 'g' });
    throwsAws(() => call(root(), 'GetGroup', { GroupName: 'g' }), 'NoSuchEntity', 404);
  });

  test('DeleteGroup of a missing group is NoSuchEntity', () => {
    throwsAws(() => call(root(), 'DeleteGroup', { GroupName: 'ghost' }), 'NoSuchEntity', 404, 'The group with name ghost cannot be found.');
  });
});

describe('membership', () => {
  test('AddUserToGroup names what is missing; adding twice changes nothing', () => {
    call(root(), 'CreateGroup', { GroupName: 'g' });
    call(root(), 'CreateUser', { UserName: 'u' });
    throwsAws(() => call(root(), 'AddUserToGroup', { GroupName: 'x', UserName: 'u' }), 'NoSuchEntity', 404, 'The group with name x cannot be found.');
    throwsAws(() => call(root(), 'AddUserToGroup', { GroupName: 'g', UserName: 'y' }), 'NoSuchEntity', 404, 'The user with name y cannot be found.');
    call(root(), 'AddUserToGroup', { GroupName: 'g', UserName: 'u' });
    call(root(), 'AddUserToGroup', { GroupName: 'G', UserName: 'U' });
    assert.equal(call(root(), 'GetGroup', { GroupName: 'g' }).Users.length, 1);
  });

  test('a user can be in at most 10 groups', () => {
    call(root(), 'CreateUser', { UserName: 'u' });
    for (let i = 0; i < MAX_GROUPS_PER_USER; i++) {
      call(root(), 'CreateGroup', { GroupName: `g${i}` });
      call(root(), 'AddUserToGroup', { GroupName: `g${i}`, UserName: 'u' });
    }
    call(root(), 'CreateGroup', { GroupName: 'eleventh' });
    throwsAws(() => call(root(), 'AddUserToGroup', { GroupName: 'eleventh', UserName: 'u' }), 'LimitExceeded', 409, 'Cannot exceed quota for GroupsPerUser: 10');
    // Re-adding to a group the user is already in is not a new membership.
    call(root(), 'AddUserToGroup', { GroupName: 'g0', UserName: 'u' });
  });

  test('RemoveUserFromGroup of a non-member succeeds and changes nothing, as in AWS', () => {
    // LS tests/aws/services/iam/test_iam_users.snapshot.json, "remove-nonmember-user-from-group": 200, empty body.
    call(root(), 'CreateGroup', { GroupName: 'g' });
    call(root(), 'CreateUser', { UserName: 'u' });
    assert.deepEqual(call(root(), 'RemoveUserFromGroup', { GroupName: 'g', UserName: 'u' }), {});
    assert.deepEqual(call(root(), 'GetGroup', { GroupName: 'g' }).Users, []);
  });

  test('ListGroupsForUser lists the user\'s groups by name, paginated', () => {
    call(root(), 'CreateUser', { UserName: 'u' });
    for (const g of ['zeta', 'alpha', 'mid']) {
      call(root(), 'CreateGroup', { GroupName: g, Path: '/p/' });
      call(root(), 'AddUserToGroup', { GroupName: g, UserName: 'u' });
    }
    call(root(), 'CreateGroup', { GroupName: 'other' });
    const page = call(root(), 'ListGroupsForUser', { UserName: 'u', MaxItems: 2 });
    assert.deepEqual(page.Groups.map((g: any) => g.GroupName), ['alpha', 'mid']);
    assert.equal(page.Groups[0].Arn, `arn:aws:iam::${ACCOUNT}:group/p/alpha`);
    const rest = call(root(), 'ListGroupsForUser', { UserName: 'u', Marker: page.Marker });
    assert.deepEqual(rest.Groups.map((g: any) => g.GroupName), ['zeta']);
    throwsAws(() => call(root(), 'ListGroupsForUser', { UserName: 'nobody' }), 'NoSuchEntity', 404, 'The user with name nobody cannot be found.');
  });

  test('DeleteUser refuses while the user is in a group', () => {
    call(root(), 'CreateGroup', { GroupName: 'g' });
    call(root(), 'CreateUser', { UserName: 'u' });
    call(root(), 'AddUserToGroup', { GroupName: 'g', UserName: 'u' });
    throwsAws(() => call(root(), 'DeleteUser', { UserName: 'u' }), 'DeleteConflict', 409, 'Cannot delete entity, must remove users from group first.');
    call(root(), 'RemoveUserFromGroup', { GroupName: 'g', UserName: 'u' });
    call(root(), 'DeleteUser', { UserName: 'u' });
  });
});

describe('group inline policies', () => {
  const doc = policy([{ Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' }]);

  test('Put / Get (URL-encoded, as sent) / List / Delete', () => {
    call(root(), 'CreateGroup', { GroupName: 'g' });
    call(root(), 'PutGroupPolicy', { GroupName: 'g', PolicyName: 'b', PolicyDocument: doc });
    call(root(), 'PutGroupPolicy', { GroupName: 'g', PolicyName: 'a', PolicyDocument: doc });
    const got = call(root(), 'GetGroupPolicy', { GroupName: 'G', PolicyName: 'B' });
    assert.deepEqual(got, { GroupName: 'g', PolicyName: 'b', PolicyDocument: encodeURIComponent(doc) });
    assert.deepEqual(call(root(), 'ListGroupPolicies', { GroupName: 'g' }).PolicyNames, ['a', 'b']);
    const page = call(root(), 'ListGroupPolicies', { GroupName: 'g', MaxItems: 1 });
    assert.deepEqual([page.PolicyNames, page.IsTruncated], [['a'], true]);
    call(root(), 'DeleteGroupPolicy', { GroupName: 'g', PolicyName: 'a' });
    assert.deepEqual(call(root(), 'ListGroupPolicies', { GroupName: 'g' }).PolicyNames, ['b']);
  });

  test('missing policy and missing group are NoSuchEntity in IAM words', () => {
    call(root(), 'CreateGroup', { GroupName: 'g' });
    throwsAws(() => call(root(), 'GetGroupPolicy', { GroupName: 'g', PolicyName: 'p' }), 'NoSuchEntity', 404, 'The group policy with name p cannot be found.');
    throwsAws(() => call(root(), 'DeleteGroupPolicy', { GroupName: 'g', PolicyName: 'p' }), 'NoSuchEntity', 404, 'The group policy with name p cannot be found.');
    throwsAws(() => call(root(), 'PutGroupPolicy', { GroupName: 'h', PolicyName: 'p', PolicyDocument: doc }), 'NoSuchEntity', 404, 'The group with name h cannot be found.');
  });

  test('a malformed document is MalformedPolicyDocument; a principal has no place in it', () => {
    call(root(), 'CreateGroup', { GroupName: 'g' });
    throwsAws(() => call(root(), 'PutGroupPolicy', { GroupName: 'g', PolicyName: 'p', PolicyDocument: '{"Version":' }), 'MalformedPolicyDocument', 400, 'Syntax errors in policy.');
    const withPrincipal = policy([{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }]);
    throwsAws(() => call(root(), 'PutGroupPolicy', { GroupName: 'g', PolicyName: 'p', PolicyDocument: withPrincipal }), 'MalformedPolicyDocument', 400);
  });

  test('the group inline quota (5,120 characters, white space not counted) spans all its policies', () => {
    call(root(), 'CreateGroup', { GroupName: 'g' });
    const big = (n: number) => policy([{ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${'x'.repeat(n)}` }]);
    const base = big(0).length;
    call(root(), 'PutGroupPolicy', { GroupName: 'g', PolicyName: 'one', PolicyDocument: big(3000 - base) });
    // Replacing a policy does not count its old text.
    call(root(), 'PutGroupPolicy', { GroupName: 'g', PolicyName: 'one', PolicyDocument: big(3000 - base) });
    throwsAws(
      () => call(root(), 'PutGroupPolicy', { GroupName: 'g', PolicyName: 'two', PolicyDocument: big(2200 - base) }),
      'LimitExceeded',
      409,
      'Maximum policy size of 5120 bytes exceeded for group g',
    );
    call(root(), 'PutGroupPolicy', { GroupName: 'g', PolicyName: 'two', PolicyDocument: big(2120 - base) });
  });
});

describe('group policies in a member\'s permissions', () => {
  test('a group\'s inline policy applies to its members at once, and stops when they leave', () => {
    const { principal } = userWithKey(store, 'dev');
    call(root(), 'CreateGroup', { GroupName: 'readers' });
    call(root(), 'PutGroupPolicy', { GroupName: 'readers', PolicyName: 'list', PolicyDocument: policy([{ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' }]) });
    assert.equal(decide(principal, 'ListUsers', {}), 'implicitDeny');
    call(root(), 'AddUserToGroup', { GroupName: 'readers', UserName: 'dev' });
    assert.equal(decide(principal, 'ListUsers', {}), 'allowed');
    assert.deepEqual(
      identityPoliciesFor(store, principal).identity.map((p) => p.name),
      ['list (inline, group readers)'],
    );
    call(root(), 'RemoveUserFromGroup', { GroupName: 'readers', UserName: 'dev' });
    assert.equal(decide(principal, 'ListUsers', {}), 'implicitDeny');
  });

  test('changing or deleting the group policy changes the member\'s permissions immediately', () => {
    const { principal } = userWithKey(store, 'dev');
    call(root(), 'CreateGroup', { GroupName: 'g' });
    call(root(), 'AddUserToGroup', { GroupName: 'g', UserName: 'dev' });
    call(root(), 'PutGroupPolicy', { GroupName: 'g', PolicyName: 'p', PolicyDocument: policy([{ Effect: 'Allow', Action: 'iam:GetGroup', Resource: '*' }]) });
    assert.equal(decide(principal, 'GetGroup', { GroupName: 'g' }), 'allowed');
    call(root(), 'PutGroupPolicy', { GroupName: 'g', PolicyName: 'p', PolicyDocument: policy([{ Effect: 'Deny', Action: 'iam:GetGroup', Resource: '*' }]) });
    assert.equal(decide(principal, 'GetGroup', { GroupName: 'g' }), 'explicitDeny');
    call(root(), 'DeleteGroupPolicy', { GroupName: 'g', PolicyName: 'p' });
    assert.equal(decide(principal, 'GetGroup', { GroupName: 'g' }), 'implicitDeny');
  });

  test('a deny in one group wins over an allow in another and in the user\'s own policy', () => {
    const { principal } = userWithKey(store, 'dev');
    call(root(), 'PutUserPolicy', { UserName: 'dev', PolicyName: 'own', PolicyDocument: policy([{ Effect: 'Allow', Action: 'iam:*', Resource: '*' }]) });
    call(root(), 'CreateGroup', { GroupName: 'no-delete' });
    call(root(), 'PutGroupPolicy', { GroupName: 'no-delete', PolicyName: 'd', PolicyDocument: policy([{ Effect: 'Deny', Action: 'iam:Delete*', Resource: '*' }]) });
    call(root(), 'AddUserToGroup', { GroupName: 'no-delete', UserName: 'dev' });
    assert.equal(decide(principal, 'ListUsers', {}), 'allowed');
    assert.equal(decide(principal, 'DeleteGroup', { GroupName: 'no-delete' }), 'explicitDeny');
  });
});

describe('authorization map for groups', () => {
  test('group actions act on the group ARN with its path; missing groups at /', () => {
    call(root(), 'CreateGroup', { GroupName: 'g', Path: '/team/' });
    const ctx = root();
    assert.deepEqual(iamService.operations.GetGroup.authorize(ctx, { GroupName: 'G' }), { action: 'iam:GetGroup', resource: `arn:aws:iam::${ACCOUNT}:group/team/g` });
    assert.deepEqual(iamService.operations.AddUserToGroup.authorize(ctx, { GroupName: 'g', UserName: 'u' }), {
      action: 'iam:AddUserToGroup',
      resource: `arn:aws:iam::${ACCOUNT}:group/team/g`,
    });
    assert.deepEqual(iamService.operations.DeleteGroup.authorize(ctx, { GroupName: 'none' }), { action: 'iam:DeleteGroup', resource: `arn:aws:iam::${ACCOUNT}:group/none` });
    assert.deepEqual(iamService.operations.CreateGroup.authorize(ctx, { GroupName: 'n', Path: '/x/' }), { action: 'iam:CreateGroup', resource: `arn:aws:iam::${ACCOUNT}:group/x/n` });
    assert.deepEqual(iamService.operations.ListGroups.authorize(ctx, { PathPrefix: '/team/' }), { action: 'iam:ListGroups', resource: `arn:aws:iam::${ACCOUNT}:group/team/` });
  });

  test('UpdateGroup needs permission on the group as it is and as it will be', () => {
    call(root(), 'CreateGroup', { GroupName: 'g', Path: '/a/' });
    assert.deepEqual(iamService.operations.UpdateGroup.authorize(root(), { GroupName: 'g', NewPath: '/b/' }), [
      { action: 'iam:UpdateGroup', resource: `arn:aws:iam::${ACCOUNT}:group/a/g` },
      { action: 'iam:UpdateGroup', resource: `arn:aws:iam::${ACCOUNT}:group/b/g` },
    ]);
  });

  test('ListGroupsForUser acts on the user, with the user\'s tags', () => {
    call(root(), 'CreateUser', { UserName: 'u', Path: '/p/', Tags: [{ Key: 'team', Value: 'red' }] });
    assert.deepEqual(iamService.operations.ListGroupsForUser.authorize(root(), { UserName: 'u' }), {
      action: 'iam:ListGroupsForUser',
      resource: `arn:aws:iam::${ACCOUNT}:user/p/u`,
      context: { 'aws:ResourceTag/team': 'red', 'iam:ResourceTag/team': 'red' },
    });
  });
});
