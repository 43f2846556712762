import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT, asRoot, call, contextFor, openTestStore, throwsAws, userWithKey } from './context.js';
import { AWS_ARN, createPolicy, decide, decideAction, doc, EC2_TRUST, entriesOf, LOCAL_ARN, sessionOf } from './managed-policies-support.js';
import { listAwsManagedPolicies } from '../../src/identity/aws-managed-catalog.js';
import { identityPoliciesFor } from '../../src/identity/effective-policies.js';
import type { Store } from '../../src/store/store.js';

let t: ReturnType<typeof openTestStore>;
let store: Store;
beforeEach(() => {
  t = openTestStore();
  store = t.store;
});
afterEach(() => t.dispose());

const root = () => asRoot(store);
const KINDS = [
  { kind: 'User', create: (n: string) => call(root(), 'CreateUser', { UserName: n }), member: 'UserName', noun: 'user' },
  { kind: 'Group', create: (n: string) => call(root(), 'CreateGroup', { GroupName: n }), member: 'GroupName', noun: 'group' },
  { kind: 'Role', create: (n: string) => call(root(), 'CreateRole', { RoleName: n, AssumeRolePolicyDocument: EC2_TRUST }), member: 'RoleName', noun: 'role' },
] as const;

function attachedArns(kind: string, member: string, name: string): string[] {
  return call(root(), `ListAttached${kind}Policies`, { [member]: name }).AttachedPolicies.map((p: any) => p.PolicyArn);
}

for (const k of KINDS) {
  describe(`Attach/Detach/ListAttached${k.kind}Policies`, () => {
    test('attaches AWS and customer managed policies; listing names them; detaching removes them', () => {
      k.create('x');
      const mine = createPolicy(root(), 'Mine', { Path: '/team/' });
      call(root(), `Attach${k.kind}Policy`, { [k.member]: 'x', PolicyArn: AWS_ARN('AmazonS3FullAccess') });
      call(root(), `Attach${k.kind}Policy`, { [k.member]: 'X', PolicyArn: mine.Arn });
      const listed = call(root(), `ListAttached${k.kind}Policies`, { [k.member]: 'x' });
      assert.deepEqual(listed.AttachedPolicies, [
        { PolicyName: 'AmazonS3FullAccess', PolicyArn: AWS_ARN('AmazonS3FullAccess') },
        { PolicyName: 'Mine', PolicyArn: mine.Arn },
      ]);
      assert.equal(listed.IsTruncated, false);
      assert.deepEqual(
        call(root(), `ListAttached${k.kind}Policies`, { [k.member]: 'x', PathPrefix: '/team/' }).AttachedPolicies.map((p: any) => p.PolicyName),
        ['Mine'],
      );
      call(root(), `Detach${k.kind}Policy`, { [k.member]: 'x', PolicyArn: AWS_ARN('AmazonS3FullAccess') });
      assert.deepEqual(attachedArns(k.kind, k.member, 'x'), [mine.Arn]);
    });

    test('attaching twice is not an error and attaches once', () => {
      k.create('x');
      call(root(), `Attach${k.kind}Policy`, { [k.member]: 'x', PolicyArn: AWS_ARN('ReadOnlyAccess') });
      call(root(), `Attach${k.kind}Policy`, { [k.member]: 'x', PolicyArn: AWS_ARN('ReadOnlyAccess') });
      assert.deepEqual(attachedArns(k.kind, k.member, 'x'), [AWS_ARN('ReadOnlyAccess')]);
      assert.equal(call(root(), 'GetPolicy', { PolicyArn: AWS_ARN('ReadOnlyAccess') }).Policy.AttachmentCount, 1);
    });

    test('missing identity, missing policy, not attached: NoSuchEntity in AWS words', () => {
      throwsAws(() => call(root(), `Attach${k.kind}Policy`, { [k.member]: 'ghost', PolicyArn: AWS_ARN('ReadOnlyAccess') }), 'NoSuchEntity', 404, `The ${k.noun} with name ghost cannot be found.`);
      k.create('x');
      const missing = LOCAL_ARN('NotThere');
      throwsAws(() => call(root(), `Attach${k.kind}Policy`, { [k.member]: 'x', PolicyArn: missing }), 'NoSuchEntity', 404, `Policy ${missing} does not exist or is not attachable.`);
      throwsAws(() => call(root(), `Detach${k.kind}Policy`, { [k.member]: 'x', PolicyArn: AWS_ARN('ReadOnlyAccess') }), 'NoSuchEntity', 404, `Policy ${AWS_ARN('ReadOnlyAccess')} was not found.`);
      throwsAws(() => call(root(), `ListAttached${k.kind}Policies`, { [k.member]: 'ghost' }), 'NoSuchEntity', 404);
    });

    test(`at most 10 managed policies (Cannot exceed quota for PoliciesPer${k.kind})`, () => {
      k.create('x');
      const arns = listAwsManagedPolicies().filter((p) => p.path === '/').slice(0, 11).map((p) => p.arn);
      for (const arn of arns.slice(0, 10)) call(root(), `Attach${k.kind}Policy`, { [k.member]: 'x', PolicyArn: arn });
      throwsAws(() => call(root(), `Attach${k.kind}Policy`, { [k.member]: 'x', PolicyArn: arns[10] }), 'LimitExceeded', 409, `Cannot exceed quota for PoliciesPer${k.kind}: 10`);
      // Re-attaching one already there is still fine at the quota.
      call(root(), `Attach${k.kind}Policy`, { [k.member]: 'x', PolicyArn: arns[0] });
      const page = call(root(), `ListAttached${k.kind}Policies`, { [k.member]: 'x', MaxItems: 4 });
      assert.equal(page.AttachedPolicies.length, 4);
      assert.equal(page.IsTruncated, true);
    });

    test('policies for service-linked roles are not attachable here', () => {
      k.create('x');
      const slrPolicy = listAwsManagedPolicies().find((p) => p.path === '/aws-service-role/')!.arn;
      throwsAws(() => call(root(), `Attach${k.kind}Policy`, { [k.member]: 'x', PolicyArn: slrPolicy }), 'PolicyNotAttachable', 400, /^Cannot attach a Service Role Policy to /);
    });

    test('an ARN that is not a policy ARN is InvalidInput', () => {
      k.create('x');
      throwsAws(() => call(root(), `Attach${k.kind}Policy`, { [k.member]: 'x', PolicyArn: 'arn:aws:s3:::bucket/key' }), 'InvalidInput', 400, 'ARN arn:aws:s3:::bucket/key is not valid.');
    });
  });
}

describe('attachments and deleting identities', () => {
  test('an identity with attached policies cannot be deleted', () => {
    for (const k of KINDS) k.create('x');
    for (const k of KINDS) call(root(), `Attach${k.kind}Policy`, { [k.member]: 'x', PolicyArn: AWS_ARN('ReadOnlyAccess') });
    throwsAws(() => call(root(), 'DeleteUser', { UserName: 'x' }), 'DeleteConflict', 409, 'Cannot delete entity, must detach all policies first.');
    throwsAws(() => call(root(), 'DeleteGroup', { GroupName: 'x' }), 'DeleteConflict', 409, 'Cannot delete entity, must detach all policies first.');
    throwsAws(() => call(root(), 'DeleteRole', { RoleName: 'x' }), 'DeleteConflict', 409, 'Cannot delete entity, must detach all policies first.');
    for (const k of KINDS) call(root(), `Detach${k.kind}Policy`, { [k.member]: 'x', PolicyArn: AWS_ARN('ReadOnlyAccess') });
    call(root(), 'DeleteUser', { UserName: 'x' });
    call(root(), 'DeleteGroup', { GroupName: 'x' });
    call(root(), 'DeleteRole', { RoleName: 'x' });
  });

  test('a service-linked role\'s policies are the service\'s: attach and detach are UnmodifiableEntity', () => {
    const { RoleName } = call(root(), 'CreateServiceLinkedRole', { AWSServiceName: 'autoscaling.amazonaws.com' }).Role;
    const message = `Cannot perform the operation on the protected role '${RoleName}' - this role is only modifiable by AWS`;
    throwsAws(() => call(root(), 'AttachRolePolicy', { RoleName, PolicyArn: AWS_ARN('ReadOnlyAccess') }), 'UnmodifiableEntity', 400, message);
    const [own] = attachedArns('Role', 'RoleName', RoleName);
    assert.ok(own, 'the service attached its policy');
    throwsAws(() => call(root(), 'DetachRolePolicy', { RoleName, PolicyArn: own }), 'UnmodifiableEntity', 400, message);
  });
});

describe('ListEntitiesForPolicy', () => {
  function setUp() {
    call(root(), 'CreateUser', { UserName: 'bob', Path: '/eng/' });
    call(root(), 'CreateUser', { UserName: 'amy' });
    call(root(), 'CreateGroup', { GroupName: 'devs' });
    call(root(), 'CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: EC2_TRUST });
    const p = createPolicy(root(), 'Shared');
    call(root(), 'AttachUserPolicy', { UserName: 'bob', PolicyArn: p.Arn });
    call(root(), 'AttachGroupPolicy', { GroupName: 'devs', PolicyArn: p.Arn });
    call(root(), 'AttachRolePolicy', { RoleName: 'app', PolicyArn: p.Arn });
    call(root(), 'PutUserPermissionsBoundary', { UserName: 'amy', PermissionsBoundary: p.Arn });
    return p.Arn as string;
  }
  const names = (r: any) => ({
    groups: r.PolicyGroups.map((g: any) => g.GroupName),
    users: r.PolicyUsers.map((u: any) => u.UserName),
    roles: r.PolicyRoles.map((x: any) => x.RoleName),
  });

  test('lists every user, group and role using the policy, with their ids', () => {
    const arn = setUp();
    const r = call(root(), 'ListEntitiesForPolicy', { PolicyArn: arn });
    assert.deepEqual(names(r), { groups: ['devs'], users: ['amy', 'bob'], roles: ['app'] });
    assert.match(r.PolicyGroups[0].GroupId, /^AGPA/);
    assert.match(r.PolicyUsers[0].UserId, /^AIDA/);
    assert.match(r.PolicyRoles[0].RoleId, /^AROA/);
  });

  test('PolicyUsageFilter, EntityFilter and PathPrefix narrow it', () => {
    const arn = setUp();
    assert.deepEqual(names(call(root(), 'ListEntitiesForPolicy', { PolicyArn: arn, PolicyUsageFilter: 'PermissionsPolicy' })), { groups: ['devs'], users: ['bob'], roles: ['app'] });
    assert.deepEqual(names(call(root(), 'ListEntitiesForPolicy', { PolicyArn: arn, PolicyUsageFilter: 'PermissionsBoundary' })), { groups: [], users: ['amy'], roles: [] });
    assert.deepEqual(names(call(root(), 'ListEntitiesForPolicy', { PolicyArn: arn, EntityFilter: 'Role' })), { groups: [], users: [], roles: ['app'] });
    assert.deepEqual(names(call(root(), 'ListEntitiesForPolicy', { PolicyArn: arn, EntityFilter: 'LocalManagedPolicy' })), { groups: [], users: [], roles: [] });
    assert.deepEqual(names(call(root(), 'ListEntitiesForPolicy', { PolicyArn: arn, PathPrefix: '/eng/' })), { groups: [], users: ['bob'], roles: [] });
  });

  test('pages across the three lists', () => {
    const arn = setUp();
    const seen: string[] = [];
    let marker: string | undefined;
    do {
      const r = call(root(), 'ListEntitiesForPolicy', { PolicyArn: arn, MaxItems: 1, ...(marker ? { Marker: marker } : {}) });
      const n = names(r);
      seen.push(...n.groups, ...n.users, ...n.roles);
      marker = r.IsTruncated ? r.Marker : undefined;
    } while (marker);
    assert.deepEqual(seen, ['devs', 'amy', 'bob', 'app']);
  });

  test('works for AWS managed policies; a missing policy is NoSuchEntity', () => {
    call(root(), 'CreateGroup', { GroupName: 'EC2Admins' });
    call(root(), 'AttachGroupPolicy', { GroupName: 'EC2Admins', PolicyArn: AWS_ARN('AmazonEC2FullAccess') });
    assert.deepEqual(names(call(root(), 'ListEntitiesForPolicy', { PolicyArn: AWS_ARN('AmazonEC2FullAccess') })).groups, ['EC2Admins']);
    throwsAws(() => call(root(), 'ListEntitiesForPolicy', { PolicyArn: LOCAL_ARN('Nope') }), 'NoSuchEntity', 404);
  });
});

describe('attached policies in effect', () => {
  test('seed 000: a user in EC2Admins (AmazonEC2FullAccess) may use EC2, not S3, at once after each change', () => {
    const { principal } = userWithKey(store, 'ec2user');
    call(root(), 'CreateGroup', { GroupName: 'EC2Admins' });
    call(root(), 'AddUserToGroup', { GroupName: 'EC2Admins', UserName: 'ec2user' });
    assert.equal(decideAction(store, principal, 'ec2:RunInstances', '*').decision.decision, 'implicitDeny');

    call(root(), 'AttachGroupPolicy', { GroupName: 'EC2Admins', PolicyArn: AWS_ARN('AmazonEC2FullAccess') });
    const v = decideAction(store, principal, 'ec2:RunInstances', '*');
    assert.equal(v.decision.decision, 'allowed');
    assert.match(v.decision.matched[0].policyName, /^AmazonEC2FullAccess \(managed, attached to group EC2Admins\)$/);
    assert.equal(decideAction(store, principal, 's3:GetObject', 'arn:aws:s3:::b/k').decision.decision, 'implicitDeny');

    call(root(), 'RemoveUserFromGroup', { GroupName: 'EC2Admins', UserName: 'ec2user' });
    assert.equal(decideAction(store, principal, 'ec2:RunInstances', '*').decision.decision, 'implicitDeny');
  });

  test('a customer managed policy attached to the user applies, and stops applying when detached', () => {
    const { principal } = userWithKey(store, 'dev');
    const p = createPolicy(root(), 'ListOnly', { PolicyDocument: doc([{ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' }]) });
    call(root(), 'AttachUserPolicy', { UserName: 'dev', PolicyArn: p.Arn });
    assert.equal(decide(store, principal, 'ListUsers', {}), 'allowed');
    call(root(), 'DetachUserPolicy', { UserName: 'dev', PolicyArn: p.Arn });
    assert.equal(decide(store, principal, 'ListUsers', {}), 'implicitDeny');
  });

  test('a Deny in an attached policy wins over an Allow elsewhere', () => {
    const { principal } = userWithKey(store, 'dev');
    call(root(), 'AttachUserPolicy', { UserName: 'dev', PolicyArn: AWS_ARN('AdministratorAccess') });
    const deny = createPolicy(root(), 'NoUsers', { PolicyDocument: doc([{ Effect: 'Deny', Action: 'iam:CreateUser', Resource: '*' }]) });
    call(root(), 'CreateGroup', { GroupName: 'g' });
    call(root(), 'AddUserToGroup', { GroupName: 'g', UserName: 'dev' });
    call(root(), 'AttachGroupPolicy', { GroupName: 'g', PolicyArn: deny.Arn });
    assert.equal(decide(store, principal, 'ListUsers', {}), 'allowed');
    assert.equal(decide(store, principal, 'CreateUser', { UserName: 'x' }), 'explicitDeny');
  });

  test('one policy attached to the user and its groups is evaluated once', () => {
    const { principal } = userWithKey(store, 'dev');
    call(root(), 'CreateGroup', { GroupName: 'g1' });
    call(root(), 'CreateGroup', { GroupName: 'g2' });
    for (const g of ['g1', 'g2']) {
      call(root(), 'AddUserToGroup', { GroupName: g, UserName: 'dev' });
      call(root(), 'AttachGroupPolicy', { GroupName: g, PolicyArn: AWS_ARN('ReadOnlyAccess') });
    }
    call(root(), 'AttachUserPolicy', { UserName: 'dev', PolicyArn: AWS_ARN('ReadOnlyAccess') });
    const names = identityPoliciesFor(store, principal).identity.map((p) => p.name);
    assert.deepEqual(names, ['ReadOnlyAccess (managed, attached to user dev)']);
  });

  test('seed 000: a role session gets the role\'s attached AmazonS3FullAccess and AmazonDynamoDBFullAccess', () => {
    call(root(), 'CreateRole', { RoleName: 'ec2-app', AssumeRolePolicyDocument: EC2_TRUST });
    call(root(), 'AttachRolePolicy', { RoleName: 'ec2-app', PolicyArn: AWS_ARN('AmazonS3FullAccess') });
    call(root(), 'AttachRolePolicy', { RoleName: 'ec2-app', PolicyArn: AWS_ARN('AmazonDynamoDBFullAccess') });
    const session = sessionOf(store, 'ec2-app');
    assert.equal(decideAction(store, session, 's3:PutObject', 'arn:aws:s3:::bucket/key').decision.decision, 'allowed');
    assert.equal(decideAction(store, session, 'dynamodb:PutItem', `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/t`).decision.decision, 'allowed');
    assert.equal(decideAction(store, session, 'ec2:RunInstances', '*').decision.decision, 'implicitDeny');
    call(root(), 'DetachRolePolicy', { RoleName: 'ec2-app', PolicyArn: AWS_ARN('AmazonS3FullAccess') });
    assert.equal(decideAction(store, session, 's3:PutObject', 'arn:aws:s3:::bucket/key').decision.decision, 'implicitDeny');
  });
});

describe('authorization of attachment operations', () => {
  test('Attach*Policy acts on the identity and carries iam:PolicyARN (and the boundary)', () => {
    call(root(), 'CreateUser', { UserName: 'u', PermissionsBoundary: AWS_ARN('PowerUserAccess'), Tags: [{ Key: 'team', Value: 'a' }] });
    const [e] = entriesOf(root(), 'AttachUserPolicy', { UserName: 'u', PolicyArn: AWS_ARN('ReadOnlyAccess') });
    assert.equal(e.action, 'iam:AttachUserPolicy');
    assert.equal(e.resource, `arn:aws:iam::${ACCOUNT}:user/u`);
    assert.equal(e.context?.['iam:PolicyARN'], AWS_ARN('ReadOnlyAccess'));
    assert.equal(e.context?.['iam:PermissionsBoundary'], AWS_ARN('PowerUserAccess'));
    assert.equal(e.context?.['iam:ResourceTag/team'], 'a');
    const [g] = entriesOf(root(), 'DetachGroupPolicy', { GroupName: 'nobody', PolicyArn: AWS_ARN('ReadOnlyAccess') });
    assert.equal(g.resource, `arn:aws:iam::${ACCOUNT}:group/nobody`);
  });

  test('an admin allowed to attach only some policies (iam:PolicyARN) is held to them', () => {
    const { principal } = userWithKey(store, 'delegate');
    call(root(), 'CreateUser', { UserName: 'target' });
    call(root(), 'PutUserPolicy', {
      UserName: 'delegate',
      PolicyName: 'attach-readonly',
      PolicyDocument: doc([{ Effect: 'Allow', Action: 'iam:AttachUserPolicy', Resource: '*', Condition: { ArnEquals: { 'iam:PolicyARN': AWS_ARN('ReadOnlyAccess') } } }]),
    });
    assert.equal(decide(store, principal, 'AttachUserPolicy', { UserName: 'target', PolicyArn: AWS_ARN('ReadOnlyAccess') }), 'allowed');
    assert.equal(decide(store, principal, 'AttachUserPolicy', { UserName: 'target', PolicyArn: AWS_ARN('AdministratorAccess') }), 'implicitDeny');
  });

  test('policy operations act on the policy ARN; AWS managed policies can be read, never changed', () => {
    const { principal } = userWithKey(store, 'admin');
    call(root(), 'AttachUserPolicy', { UserName: 'admin', PolicyArn: AWS_ARN('AdministratorAccess') });
    const p = createPolicy(root(), 'Mine', { Tags: [{ Key: 'owner', Value: 'me' }] });
    assert.equal(decide(store, principal, 'GetPolicy', { PolicyArn: AWS_ARN('ReadOnlyAccess') }), 'allowed');
    assert.equal(decide(store, principal, 'GetPolicyVersion', { PolicyArn: AWS_ARN('ReadOnlyAccess'), VersionId: 'v1' }), 'allowed');
    assert.equal(decide(store, principal, 'DeletePolicy', { PolicyArn: AWS_ARN('ReadOnlyAccess') }), 'implicitDeny');
    assert.equal(decide(store, principal, 'CreatePolicyVersion', { PolicyArn: AWS_ARN('ReadOnlyAccess'), PolicyDocument: '{}' }), 'implicitDeny');
    assert.equal(decide(store, principal, 'DeletePolicy', { PolicyArn: p.Arn }), 'allowed');
    // The root user, too, cannot change what AWS owns.
    assert.equal(decide(store, root().principal, 'DeletePolicy', { PolicyArn: AWS_ARN('ReadOnlyAccess') }), 'implicitDeny');
    const [e] = entriesOf(contextFor(store, principal), 'TagPolicy', { PolicyArn: p.Arn, Tags: [{ Key: 'env', Value: 'x' }] });
    assert.equal(e.resource, p.Arn);
    assert.equal(e.context?.['aws:ResourceTag/owner'], 'me');
    assert.equal(e.context?.['aws:RequestTag/env'], 'x');
    assert.deepEqual(e.context?.['aws:TagKeys'], ['env']);
  });
});
