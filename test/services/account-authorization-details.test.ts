import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT, asRoot, call, openTestStore } from './context.js';
import type { RequestContext } from '../../src/services/types.js';
import type { Store } from '../../src/store/store.js';

let t: ReturnType<typeof openTestStore>;
let store: Store;
let root: RequestContext;
beforeEach(() => {
  t = openTestStore();
  store = t.store;
  root = asRoot(store);
});
afterEach(() => t.dispose());

const doc = (statements: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const S3_READ = doc([{ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }]);
const TRUST = doc([{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
const LOCAL = `arn:aws:iam::${ACCOUNT}:policy/team/local-one`;
const BOUNDARY = 'arn:aws:iam::aws:policy/PowerUserAccess';

/** Seed 000's shapes and then some: users in a group, a role in an instance profile, policies of both kinds. */
function populate() {
  call(root, 'CreatePolicy', { PolicyName: 'local-one', Path: '/team/', PolicyDocument: S3_READ, Description: 'read S3' });
  call(root, 'CreatePolicyVersion', { PolicyArn: LOCAL, PolicyDocument: doc([{ Effect: 'Allow', Action: 's3:List*', Resource: '*' }]), SetAsDefault: true });
  call(root, 'CreatePolicy', { PolicyName: 'unused', PolicyDocument: S3_READ });
  call(root, 'CreateGroup', { GroupName: 'EC2Admins' });
  call(root, 'AttachGroupPolicy', { GroupName: 'EC2Admins', PolicyArn: 'arn:aws:iam::aws:policy/AmazonEC2FullAccess' });
  call(root, 'PutGroupPolicy', { GroupName: 'EC2Admins', PolicyName: 'group-inline', PolicyDocument: S3_READ });
  call(root, 'CreateUser', { UserName: 'bob', Tags: [{ Key: 'team', Value: 'blue' }], PermissionsBoundary: BOUNDARY });
  call(root, 'CreateUser', { UserName: 'alice' });
  call(root, 'AddUserToGroup', { GroupName: 'EC2Admins', UserName: 'bob' });
  call(root, 'PutUserPolicy', { UserName: 'bob', PolicyName: 'bob-inline', PolicyDocument: S3_READ });
  call(root, 'AttachUserPolicy', { UserName: 'bob', PolicyArn: LOCAL });
  call(root, 'CreateRole', { RoleName: 'ec2-role', AssumeRolePolicyDocument: TRUST, Tags: [{ Key: 'env', Value: 'dev' }] });
  call(root, 'AttachRolePolicy', { RoleName: 'ec2-role', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3FullAccess' });
  call(root, 'PutRolePolicy', { RoleName: 'ec2-role', PolicyName: 'role-inline', PolicyDocument: S3_READ });
  call(root, 'CreateInstanceProfile', { InstanceProfileName: 'ec2-profile' });
  call(root, 'AddRoleToInstanceProfile', { InstanceProfileName: 'ec2-profile', RoleName: 'ec2-role' });
}

describe('GetAccountAuthorizationDetails', () => {
  test('an empty account lists nothing (no unused AWS managed policy)', () => {
    assert.deepEqual(call(root, 'GetAccountAuthorizationDetails'), {
      UserDetailList: [],
      GroupDetailList: [],
      RoleDetailList: [],
      Policies: [],
      IsTruncated: false,
    });
  });

  test('users with inline policies (URL-encoded), groups, attached policies, boundary and tags', () => {
    populate();
    const out = call(root, 'GetAccountAuthorizationDetails');
    assert.deepEqual(out.UserDetailList.map((u: { UserName: string }) => u.UserName), ['alice', 'bob']);
    const bob = out.UserDetailList[1];
    assert.equal(bob.Arn, `arn:aws:iam::${ACCOUNT}:user/bob`);
    assert.match(bob.UserId, /^AIDA/);
    assert.deepEqual(bob.UserPolicyList, [{ PolicyName: 'bob-inline', PolicyDocument: encodeURIComponent(S3_READ) }]);
    assert.deepEqual(bob.GroupList, ['EC2Admins']);
    assert.deepEqual(bob.AttachedManagedPolicies, [{ PolicyName: 'local-one', PolicyArn: LOCAL }]);
    assert.deepEqual(bob.PermissionsBoundary, { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: BOUNDARY });
    assert.deepEqual(bob.Tags, [{ Key: 'team', Value: 'blue' }]);
    const alice = out.UserDetailList[0];
    // As recorded (LS test_iam_account_authorization_details.snapshot.json): no UserPolicyList
    // when the user has no inline policy, Tags even when empty.
    assert.deepEqual([alice.GroupList, alice.AttachedManagedPolicies, alice.Tags], [[], [], []]);
    assert.equal('UserPolicyList' in alice, false);
  });

  test('groups and roles: inline and attached policies, trust policy, instance profiles, last use', () => {
    populate();
    const out = call(root, 'GetAccountAuthorizationDetails');
    const [group] = out.GroupDetailList;
    assert.equal(group.GroupName, 'EC2Admins');
    assert.deepEqual(group.GroupPolicyList, [{ PolicyName: 'group-inline', PolicyDocument: encodeURIComponent(S3_READ) }]);
    assert.deepEqual(group.AttachedManagedPolicies, [{ PolicyName: 'AmazonEC2FullAccess', PolicyArn: 'arn:aws:iam::aws:policy/AmazonEC2FullAccess' }]);
    const [role] = out.RoleDetailList;
    assert.equal(role.RoleName, 'ec2-role');
    assert.equal(role.AssumeRolePolicyDocument, encodeURIComponent(TRUST));
    assert.deepEqual(role.RolePolicyList, [{ PolicyName: 'role-inline', PolicyDocument: encodeURIComponent(S3_READ) }]);
    assert.deepEqual(role.AttachedManagedPolicies, [{ PolicyName: 'AmazonS3FullAccess', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3FullAccess' }]);
    assert.deepEqual(role.Tags, [{ Key: 'env', Value: 'dev' }]);
    assert.deepEqual(role.RoleLastUsed, {});
    assert.equal(role.InstanceProfileList.length, 1);
    const profile = role.InstanceProfileList[0];
    assert.equal(profile.InstanceProfileName, 'ec2-profile');
    assert.equal(profile.Arn, `arn:aws:iam::${ACCOUNT}:instance-profile/ec2-profile`);
    assert.deepEqual(profile.Roles.map((r: { RoleName: string }) => r.RoleName), ['ec2-role']);
  });

  test('policies: every customer managed one with all versions; AWS managed ones only when in use', () => {
    populate();
    const out = call(root, 'GetAccountAuthorizationDetails');
    const names = out.Policies.map((p: { PolicyName: string }) => p.PolicyName);
    assert.deepEqual(names, ['local-one', 'unused', 'AmazonEC2FullAccess', 'AmazonS3FullAccess', 'PowerUserAccess']);
    const local = out.Policies[0];
    assert.equal(local.Arn, LOCAL);
    assert.equal(local.Path, '/team/');
    assert.equal(local.DefaultVersionId, 'v2');
    assert.equal(local.AttachmentCount, 1);
    assert.equal(local.PermissionsBoundaryUsageCount, 0);
    assert.equal('Description' in local, false);
    assert.deepEqual(
      local.PolicyVersionList.map((v: { VersionId: string; IsDefaultVersion: boolean }) => [v.VersionId, v.IsDefaultVersion]),
      [['v2', true], ['v1', false]],
    );
    assert.equal(decodeURIComponent(local.PolicyVersionList[1].Document), S3_READ);
    // An AWS managed policy with every version, newest first, as AWS lists AmazonS3FullAccess
    // (LS test_iam_account_authorization_details.snapshot.json: v2 default, v1 "s3:*").
    const s3 = out.Policies[3];
    assert.equal(s3.PolicyName, 'AmazonS3FullAccess');
    assert.deepEqual(s3.PolicyVersionList.map((v: { VersionId: string; IsDefaultVersion: boolean }) => [v.VersionId, v.IsDefaultVersion]), [['v2', true], ['v1', false]]);
    assert.deepEqual(JSON.parse(decodeURIComponent(s3.PolicyVersionList[1].Document)).Statement, [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }]);
    const power = out.Policies[4];
    assert.equal(power.Arn, BOUNDARY);
    assert.equal(power.AttachmentCount, 0);
    assert.equal(power.PermissionsBoundaryUsageCount, 1);
    assert.ok(power.PolicyVersionList.length > 1);
    assert.equal(power.PolicyVersionList[0].IsDefaultVersion, true);
    assert.ok(JSON.parse(decodeURIComponent(power.PolicyVersionList[0].Document)).Statement);
  });

  test('Filter keeps the entity types named', () => {
    populate();
    const roles = call(root, 'GetAccountAuthorizationDetails', { Filter: ['Role'] });
    assert.equal(roles.RoleDetailList.length, 1);
    assert.deepEqual([roles.UserDetailList, roles.GroupDetailList, roles.Policies], [[], [], []]);
    const local = call(root, 'GetAccountAuthorizationDetails', { Filter: ['LocalManagedPolicy'] });
    assert.deepEqual(local.Policies.map((p: { PolicyName: string }) => p.PolicyName), ['local-one', 'unused']);
    const aws = call(root, 'GetAccountAuthorizationDetails', { Filter: ['AWSManagedPolicy', 'Group'] });
    assert.deepEqual(aws.Policies.map((p: { PolicyName: string }) => p.PolicyName), ['AmazonEC2FullAccess', 'AmazonS3FullAccess', 'PowerUserAccess']);
    assert.equal(aws.GroupDetailList.length, 1);
    assert.equal(aws.UserDetailList.length, 0);
  });

  test('MaxItems and Marker page across the combined lists without loss or repeat', () => {
    populate();
    const whole = call(root, 'GetAccountAuthorizationDetails');
    const seen: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = call(root, 'GetAccountAuthorizationDetails', { MaxItems: 2, ...(marker ? { Marker: marker } : {}) });
      const items = [...page.UserDetailList, ...page.GroupDetailList, ...page.RoleDetailList, ...page.Policies];
      assert.ok(items.length <= 2);
      seen.push(...items.map((i: { Arn: string }) => i.Arn));
      marker = page.IsTruncated ? page.Marker : undefined;
      assert.equal(page.IsTruncated, marker !== undefined);
      pages++;
    } while (marker);
    const all = [...whole.UserDetailList, ...whole.GroupDetailList, ...whole.RoleDetailList, ...whole.Policies].map((i: { Arn: string }) => i.Arn);
    assert.deepEqual(seen, all);
    assert.equal(pages, Math.ceil(all.length / 2));
  });
});
