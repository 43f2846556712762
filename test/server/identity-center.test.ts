import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  SSOAdminClient, CreateInstanceCommand, ListInstancesCommand, DescribeInstanceCommand, CreatePermissionSetCommand, DescribePermissionSetCommand,
  ListPermissionSetsCommand, UpdatePermissionSetCommand, DeletePermissionSetCommand, AttachManagedPolicyToPermissionSetCommand,
  ListManagedPoliciesInPermissionSetCommand, PutInlinePolicyToPermissionSetCommand, GetInlinePolicyForPermissionSetCommand,
  PutPermissionsBoundaryToPermissionSetCommand, GetPermissionsBoundaryForPermissionSetCommand, AttachCustomerManagedPolicyReferenceToPermissionSetCommand,
  ListCustomerManagedPolicyReferencesInPermissionSetCommand, CreateAccountAssignmentCommand, DescribeAccountAssignmentCreationStatusCommand,
  ListAccountAssignmentsCommand, ListAccountAssignmentsForPrincipalCommand, DeleteAccountAssignmentCommand, DescribeAccountAssignmentDeletionStatusCommand, ProvisionPermissionSetCommand,
  DescribePermissionSetProvisioningStatusCommand, ListPermissionSetsProvisionedToAccountCommand, ListAccountsForProvisionedPermissionSetCommand,
  TagResourceCommand, UntagResourceCommand, ListTagsForResourceCommand,
} from '@aws-sdk/client-sso-admin';
import {
  IdentitystoreClient, CreateUserCommand, DescribeUserCommand, ListUsersCommand, UpdateUserCommand, DeleteUserCommand, CreateGroupCommand,
  DescribeGroupCommand, ListGroupsCommand, DeleteGroupCommand, CreateGroupMembershipCommand, ListGroupMembershipsCommand, DeleteGroupMembershipCommand,
  GetUserIdCommand, GetGroupIdCommand,
} from '@aws-sdk/client-identitystore';
import { SSOClient, GetRoleCredentialsCommand, ListAccountsCommand, ListAccountRolesCommand, LogoutCommand } from '@aws-sdk/client-sso';
import { AttachPolicyCommand, CreatePolicyCommand as CreateScpCommand, EnablePolicyTypeCommand, ListRootsCommand } from '@aws-sdk/client-organizations';
import {
  GetRoleCommand, ListRolesCommand, ListAttachedRolePoliciesCommand, GetRolePolicyCommand, CreatePolicyCommand, GetSAMLProviderCommand, ListUsersCommand as IamListUsers,
  DeleteRoleCommand, DetachRolePolicyCommand, AttachRolePolicyCommand, PutRolePolicyCommand, DeleteRolePolicyCommand, UpdateAssumeRolePolicyCommand,
  PutRolePermissionsBoundaryCommand, DeleteRolePermissionsBoundaryCommand, UpdateRoleCommand, CreateUserCommand as IamCreateUser,
} from '@aws-sdk/client-iam';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { ListBucketsCommand, CreateBucketCommand } from '@aws-sdk/client-s3';
import { clientConfig, startTestServer, type TestServer } from '../helpers/server.js';
import { rejects, doc } from '../helpers/aws.js';
import { iam, s3, userWith, type Creds } from './s3-support.js';
import { adminPost } from './sts-support.js';
import { createAccount, managementAdmin, memberAdmin, newOrganization, orgs } from './organizations-support.js';

const ssoAdmin = (server: TestServer, creds: Creds = server.root) => new SSOAdminClient(clientConfig(server, creds));
const ids = (server: TestServer, creds: Creds = server.root) => new IdentitystoreClient(clientConfig(server, creds));
const portal = (server: TestServer) => new SSOClient({ endpoint: server.url, region: 'us-east-1', maxAttempts: 1 });

/** Signs an Identity Center user in the iamlocal way: a password set by the root, exchanged for a portal token. */
async function signIn(server: TestServer, userName: string, password = 'correct horse battery'): Promise<string> {
  const set = await adminPost(server, '/_iamlocal/sso/password', { userName, password }, server.root);
  assert.equal(set.status, 200, JSON.stringify(set.json));
  const res = await fetch(`${server.url}/_iamlocal/sso/token`, { method: 'POST', body: JSON.stringify({ userName, password }) });
  const body = (await res.json()) as { accessToken: string };
  assert.equal(res.status, 200, JSON.stringify(body));
  return body.accessToken;
}

describe('IAM Identity Center', () => {
  let server: TestServer;
  let member: string;
  let memberCreds: Creds;
  let instanceArn: string;
  let storeId: string;
  let alice: string;
  let developers: string;

  before(async () => {
    server = await startTestServer({ logFormat: 'json' });
    await newOrganization(server);
    member = await createAccount(server, 'workload', 'workload@example.com');
    memberCreds = await memberAdmin(server, await managementAdmin(server), member);
    ({ InstanceArn: instanceArn } = (await ssoAdmin(server).send(new CreateInstanceCommand({ Name: 'corp' }))) as { InstanceArn: string });
    const described = await ssoAdmin(server).send(new DescribeInstanceCommand({ InstanceArn: instanceArn }));
    storeId = described.IdentityStoreId!;
    alice = (await ids(server).send(new CreateUserCommand({
      IdentityStoreId: storeId, UserName: 'alice', DisplayName: 'Alice Liddell', Name: { GivenName: 'Alice', FamilyName: 'Liddell' },
      Emails: [{ Value: 'alice@example.com', Type: 'work', Primary: true }],
    }))).UserId!;
    developers = (await ids(server).send(new CreateGroupCommand({ IdentityStoreId: storeId, DisplayName: 'Developers' }))).GroupId!;
  });
  after(() => server.stop());

  test('an instance has AWS ARN and identity store ID formats, one per account', async () => {
    assert.match(instanceArn, /^arn:aws:sso:::instance\/ssoins-[0-9a-f]{16}$/);
    assert.match(storeId, /^d-[0-9a-f]{10}$/);
    const { Instances } = await ssoAdmin(server).send(new ListInstancesCommand({}));
    assert.deepEqual(Instances!.map((i) => [i.InstanceArn, i.IdentityStoreId, i.OwnerAccountId, i.Status]), [[instanceArn, storeId, '000000000000', 'ACTIVE']]);
    await rejects(ssoAdmin(server).send(new CreateInstanceCommand({})), 'ConflictException');
  });

  test('identity store users and groups: describe, list with a UserName filter, update, ids by unique attribute', async () => {
    const user = await ids(server).send(new DescribeUserCommand({ IdentityStoreId: storeId, UserId: alice }));
    assert.equal(user.UserName, 'alice');
    assert.equal(user.Name?.GivenName, 'Alice');
    assert.equal(user.Emails?.[0].Value, 'alice@example.com');
    const bob = (await ids(server).send(new CreateUserCommand({ IdentityStoreId: storeId, UserName: 'bob', DisplayName: 'Bob', Name: { GivenName: 'Bob', FamilyName: 'Builder' } }))).UserId!;
    const { Users } = await ids(server).send(new ListUsersCommand({ IdentityStoreId: storeId, Filters: [{ AttributePath: 'UserName', AttributeValue: 'bob' }] }));
    assert.deepEqual(Users!.map((u) => u.UserId), [bob]);
    await ids(server).send(new UpdateUserCommand({ IdentityStoreId: storeId, UserId: bob, Operations: [{ AttributePath: 'displayName', AttributeValue: 'Robert' }] }));
    assert.equal((await ids(server).send(new DescribeUserCommand({ IdentityStoreId: storeId, UserId: bob }))).DisplayName, 'Robert');
    const byName = await ids(server).send(new GetUserIdCommand({ IdentityStoreId: storeId, AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: 'alice' } } }));
    assert.equal(byName.UserId, alice);
    const byEmail = await ids(server).send(new GetUserIdCommand({ IdentityStoreId: storeId, AlternateIdentifier: { UniqueAttribute: { AttributePath: 'emails.value', AttributeValue: 'alice@example.com' } } }));
    assert.equal(byEmail.UserId, alice);
    const group = await ids(server).send(new GetGroupIdCommand({ IdentityStoreId: storeId, AlternateIdentifier: { UniqueAttribute: { AttributePath: 'displayName', AttributeValue: 'Developers' } } }));
    assert.equal(group.GroupId, developers);
    assert.equal((await ids(server).send(new DescribeGroupCommand({ IdentityStoreId: storeId, GroupId: developers }))).DisplayName, 'Developers');
    const temp = (await ids(server).send(new CreateGroupCommand({ IdentityStoreId: storeId, DisplayName: 'Temp' }))).GroupId!;
    const m = await ids(server).send(new CreateGroupMembershipCommand({ IdentityStoreId: storeId, GroupId: temp, MemberId: { UserId: bob } }));
    assert.deepEqual((await ids(server).send(new ListGroupMembershipsCommand({ IdentityStoreId: storeId, GroupId: temp }))).GroupMemberships!.map((g) => g.MemberId), [{ UserId: bob }]);
    await ids(server).send(new DeleteGroupMembershipCommand({ IdentityStoreId: storeId, MembershipId: m.MembershipId! }));
    await ids(server).send(new DeleteGroupCommand({ IdentityStoreId: storeId, GroupId: temp }));
    await ids(server).send(new DeleteUserCommand({ IdentityStoreId: storeId, UserId: bob }));
    const left = await ids(server).send(new ListGroupsCommand({ IdentityStoreId: storeId }));
    assert.deepEqual(left.Groups!.map((g) => g.DisplayName), ['Developers']);
  });

  test('identity store errors: ConflictException, ResourceNotFoundException with its ResourceType, ValidationException', async () => {
    await rejects(ids(server).send(new CreateUserCommand({ IdentityStoreId: storeId, UserName: 'alice', DisplayName: 'Again', Name: { GivenName: 'A', FamilyName: 'L' } })), 'ConflictException');
    // The model: "When used in IAM Identity Center, this parameter is required" (DisplayName, Name).
    await rejects(ids(server).send(new CreateUserCommand({ IdentityStoreId: storeId, UserName: 'nameless', DisplayName: 'Nameless' })), 'ValidationException');
    await rejects(ids(server).send(new CreateUserCommand({ IdentityStoreId: storeId, UserName: 'faceless', Name: { GivenName: 'F', FamilyName: 'L' } })), 'ValidationException');
    await assert.rejects(ids(server).send(new DescribeUserCommand({ IdentityStoreId: storeId, UserId: '00000000-0000-0000-0000-000000000000' })), (err: any) => {
      assert.equal(err.name, 'ResourceNotFoundException');
      assert.equal(err.ResourceType, 'USER');
      assert.equal(err.ResourceId, '00000000-0000-0000-0000-000000000000');
      return true;
    });
    await rejects(ids(server).send(new DescribeUserCommand({ IdentityStoreId: storeId, UserId: 'not-a-uuid' })), 'ValidationException', /userId/);
    await rejects(ids(server).send(new ListUsersCommand({ IdentityStoreId: 'd-0000000000' })), 'ResourceNotFoundException');
    await rejects(ids(server).send(new CreateUserCommand({ IdentityStoreId: storeId, UserName: 'Administrator' })), 'ValidationException');
    await rejects(ids(server).send(new CreateGroupMembershipCommand({ IdentityStoreId: storeId, GroupId: developers, MemberId: { UserId: '00000000-0000-0000-0000-000000000000' } })), 'ResourceNotFoundException');
  });

  test('permission set errors: ConflictException, ResourceNotFoundException, ValidationException', async () => {
    await ssoAdmin(server).send(new CreatePermissionSetCommand({ InstanceArn: instanceArn, Name: 'Dup' }));
    await rejects(ssoAdmin(server).send(new CreatePermissionSetCommand({ InstanceArn: instanceArn, Name: 'Dup' })), 'ConflictException', 'PermissionSet with name Dup already exists.');
    await rejects(ssoAdmin(server).send(new CreatePermissionSetCommand({ InstanceArn: instanceArn, Name: 'bad name!' })), 'ValidationException', /name/);
    await rejects(ssoAdmin(server).send(new CreatePermissionSetCommand({ InstanceArn: instanceArn, Name: 'TooLong', SessionDuration: 'PT13H' })), 'ValidationException');
    const missing = `${instanceArn.replace(':instance/', ':permissionSet/')}/ps-0000000000000000`;
    await rejects(ssoAdmin(server).send(new DescribePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: missing })), 'ResourceNotFoundException');
    await rejects(ssoAdmin(server).send(new DescribeInstanceCommand({ InstanceArn: 'arn:aws:sso:::instance/ssoins-0000000000000000' })), 'ResourceNotFoundException');
    const dup = (await ssoAdmin(server).send(new ListPermissionSetsCommand({ InstanceArn: instanceArn }))).PermissionSets!;
    for (const arn of dup) {
      const ps = await ssoAdmin(server).send(new DescribePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: arn }));
      if (ps.PermissionSet?.Name === 'Dup') await ssoAdmin(server).send(new DeletePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: arn }));
    }
    await rejects(ssoAdmin(server).send(new AttachManagedPolicyToPermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: missing, ManagedPolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' })), 'ResourceNotFoundException');
  });

  test('permission sets and instances take tags: on create, TagResource, UntagResource, ListTagsForResource', async () => {
    const { PermissionSet } = await ssoAdmin(server).send(new CreatePermissionSetCommand({ InstanceArn: instanceArn, Name: 'Tagged', Tags: [{ Key: 'team', Value: 'data' }] }));
    const arn = PermissionSet!.PermissionSetArn!;
    await ssoAdmin(server).send(new TagResourceCommand({ InstanceArn: instanceArn, ResourceArn: arn, Tags: [{ Key: 'cost', Value: '42' }] }));
    assert.deepEqual((await ssoAdmin(server).send(new ListTagsForResourceCommand({ InstanceArn: instanceArn, ResourceArn: arn }))).Tags, [{ Key: 'team', Value: 'data' }, { Key: 'cost', Value: '42' }]);
    await ssoAdmin(server).send(new UntagResourceCommand({ InstanceArn: instanceArn, ResourceArn: arn, TagKeys: ['team'] }));
    assert.deepEqual((await ssoAdmin(server).send(new ListTagsForResourceCommand({ InstanceArn: instanceArn, ResourceArn: arn }))).Tags, [{ Key: 'cost', Value: '42' }]);
    await rejects(ssoAdmin(server).send(new TagResourceCommand({ InstanceArn: instanceArn, ResourceArn: arn, Tags: [{ Key: 'aws:x', Value: 'y' }] })), 'ValidationException');
    await ssoAdmin(server).send(new TagResourceCommand({ ResourceArn: instanceArn, Tags: [{ Key: 'env', Value: 'prod' }] }));
    assert.deepEqual((await ssoAdmin(server).send(new ListTagsForResourceCommand({ ResourceArn: instanceArn }))).Tags, [{ Key: 'env', Value: 'prod' }]);
    await ssoAdmin(server).send(new DeletePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: arn }));
    await rejects(ssoAdmin(server).send(new ListTagsForResourceCommand({ InstanceArn: instanceArn, ResourceArn: arn })), 'ResourceNotFoundException');
  });

  test('sso-admin and identitystore are authorized by IAM: a user without sso:/identitystore: permissions is refused', async () => {
    const nobody = await userWith(server, 'nobody', undefined);
    await rejects(ssoAdmin(server, nobody).send(new ListPermissionSetsCommand({ InstanceArn: instanceArn })), 'AccessDeniedException',
      `User: arn:aws:iam::000000000000:user/nobody is not authorized to perform: sso:ListPermissionSets on resource: ${instanceArn} because no identity-based policy allows the sso:ListPermissionSets action`);
    await rejects(ids(server, nobody).send(new DescribeUserCommand({ IdentityStoreId: storeId, UserId: alice })), 'AccessDeniedException',
      `User: arn:aws:iam::000000000000:user/nobody is not authorized to perform: identitystore:DescribeUser on resource: arn:aws:identitystore:::user/${alice} because no identity-based policy allows the identitystore:DescribeUser action`);
    const reader = await userWith(server, 'reader', [{ Effect: 'Allow', Action: ['sso:ListPermissionSets', 'sso:DescribePermissionSet'], Resource: '*' }]);
    await ssoAdmin(server, reader).send(new ListPermissionSetsCommand({ InstanceArn: instanceArn }));
  });

  test('an Identity Center permission set assigned to a group yields the provisioned role, whose policies bind the GetRoleCredentials keys', async () => {
    const { PermissionSet } = await ssoAdmin(server).send(new CreatePermissionSetCommand({
      InstanceArn: instanceArn, Name: 'S3Reader', Description: 'read S3', SessionDuration: 'PT2H', RelayState: 'https://console.aws.amazon.com/s3/',
    }));
    const psArn = PermissionSet!.PermissionSetArn!;
    assert.match(psArn, /^arn:aws:sso:::permissionSet\/ssoins-[0-9a-f]{16}\/ps-[0-9a-f]{16}$/);
    await ssoAdmin(server).send(new AttachManagedPolicyToPermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: psArn, ManagedPolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' }));
    const inline = doc([{ Effect: 'Allow', Action: 'sts:GetCallerIdentity', Resource: '*' }]);
    await ssoAdmin(server).send(new PutInlinePolicyToPermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: psArn, InlinePolicy: inline }));
    await ssoAdmin(server).send(new PutPermissionsBoundaryToPermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: psArn, PermissionsBoundary: { ManagedPolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' } }));
    assert.equal((await ssoAdmin(server).send(new GetInlinePolicyForPermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: psArn }))).InlinePolicy, inline);
    assert.deepEqual((await ssoAdmin(server).send(new GetPermissionsBoundaryForPermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: psArn }))).PermissionsBoundary,
      { ManagedPolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
    assert.deepEqual((await ssoAdmin(server).send(new ListManagedPoliciesInPermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: psArn }))).AttachedManagedPolicies,
      [{ Arn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess', Name: 'AmazonS3ReadOnlyAccess' }]);

    await ids(server).send(new CreateGroupMembershipCommand({ IdentityStoreId: storeId, GroupId: developers, MemberId: { UserId: alice } }));
    const created = await ssoAdmin(server).send(new CreateAccountAssignmentCommand({
      InstanceArn: instanceArn, TargetId: member, TargetType: 'AWS_ACCOUNT', PermissionSetArn: psArn, PrincipalType: 'GROUP', PrincipalId: developers,
    }));
    assert.equal(created.AccountAssignmentCreationStatus?.Status, 'IN_PROGRESS');
    const status = await ssoAdmin(server).send(new DescribeAccountAssignmentCreationStatusCommand({
      InstanceArn: instanceArn, AccountAssignmentCreationRequestId: created.AccountAssignmentCreationStatus!.RequestId!,
    }));
    assert.equal(status.AccountAssignmentCreationStatus?.Status, 'SUCCEEDED');
    const { AccountAssignments } = await ssoAdmin(server).send(new ListAccountAssignmentsCommand({ InstanceArn: instanceArn, AccountId: member, PermissionSetArn: psArn }));
    assert.deepEqual(AccountAssignments, [{ AccountId: member, PermissionSetArn: psArn, PrincipalType: 'GROUP', PrincipalId: developers }]);

    // The role, as the member account's administrator sees it in IAM.
    const memberIam = iam(server, memberCreds);
    const { Roles } = await memberIam.send(new ListRolesCommand({ PathPrefix: '/aws-reserved/sso.amazonaws.com/' }));
    assert.equal(Roles!.length, 1);
    const roleName = Roles![0].RoleName!;
    assert.match(roleName, /^AWSReservedSSO_S3Reader_[0-9a-f]{16}$/);
    const { Role } = await memberIam.send(new GetRoleCommand({ RoleName: roleName }));
    assert.equal(Role!.Path, '/aws-reserved/sso.amazonaws.com/');
    assert.equal(Role!.MaxSessionDuration, 7200);
    assert.equal(Role!.PermissionsBoundary?.PermissionsBoundaryArn, 'arn:aws:iam::aws:policy/ReadOnlyAccess');
    const trust = JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!));
    const provider = trust.Statement[0].Principal.Federated as string;
    assert.match(provider, new RegExp(`^arn:aws:iam::${member}:saml-provider/AWSSSO_[0-9a-f]{16}_DO_NOT_DELETE$`));
    assert.deepEqual(trust.Statement[0].Action, ['sts:AssumeRoleWithSAML', 'sts:TagSession']);
    assert.deepEqual(trust.Statement[0].Condition, { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } });
    await memberIam.send(new GetSAMLProviderCommand({ SAMLProviderArn: provider }));
    assert.deepEqual((await memberIam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }))).AttachedPolicies!.map((p) => p.PolicyName), ['AmazonS3ReadOnlyAccess']);
    assert.equal(decodeURIComponent((await memberIam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: 'AwsSSOInlinePolicy' }))).PolicyDocument!), inline);

    // alice signs in: the portal lists the account and the permission set, and hands out the role's credentials.
    const token = await signIn(server, 'alice');
    const accounts = await portal(server).send(new ListAccountsCommand({ accessToken: token }));
    assert.deepEqual(accounts.accountList!.map((a) => [a.accountId, a.accountName, a.emailAddress]), [[member, 'workload', 'workload@example.com']]);
    const roles = await portal(server).send(new ListAccountRolesCommand({ accessToken: token, accountId: member }));
    assert.deepEqual(roles.roleList, [{ roleName: 'S3Reader', accountId: member }]);
    const { roleCredentials } = await portal(server).send(new GetRoleCredentialsCommand({ accessToken: token, accountId: member, roleName: 'S3Reader' }));
    assert.match(roleCredentials!.accessKeyId!, /^ASIA/);
    const expiresIn = roleCredentials!.expiration! - Date.now();
    assert.ok(expiresIn > 7000_000 && expiresIn <= 7200_000, `expires in ${expiresIn} ms`);
    const keys: Creds = { accessKeyId: roleCredentials!.accessKeyId!, secretAccessKey: roleCredentials!.secretAccessKey!, sessionToken: roleCredentials!.sessionToken! };
    const me = await new STSClient(clientConfig(server, keys)).send(new GetCallerIdentityCommand({}));
    assert.equal(me.Arn, `arn:aws:sts::${member}:assumed-role/${roleName}/alice`);
    assert.equal(me.Account, member);

    // Its policies decide: S3 reads allowed, writes and IAM refused (not in the set; the boundary too).
    await s3(server, keys).send(new ListBucketsCommand({}));
    await rejects(s3(server, keys).send(new CreateBucketCommand({ Bucket: 'alice-was-here' })), 'AccessDenied');
    await rejects(iam(server, keys).send(new IamListUsers({})), 'AccessDenied',
      new RegExp(`assumed-role/${roleName}/alice is not authorized to perform: iam:ListUsers`));

    // The member account's SCPs apply to it as to any of its principals.
    const rootId = (await orgs(server).send(new ListRootsCommand({}))).Roots![0].Id!;
    await orgs(server).send(new EnablePolicyTypeCommand({ RootId: rootId, PolicyType: 'SERVICE_CONTROL_POLICY' }));
    const scp = await orgs(server).send(new CreateScpCommand({ Name: 'NoBucketListing', Description: 'x', Type: 'SERVICE_CONTROL_POLICY', Content: doc([{ Effect: 'Deny', Action: 's3:ListAllMyBuckets', Resource: '*' }]) }));
    await orgs(server).send(new AttachPolicyCommand({ PolicyId: scp.Policy!.PolicySummary!.Id!, TargetId: member }));
    await rejects(s3(server, keys).send(new ListBucketsCommand({})), 'AccessDenied', /service control policy/);

    // Leaving the group takes the access away; Logout ends the sign-in.
    const [membership] = (await ids(server).send(new ListGroupMembershipsCommand({ IdentityStoreId: storeId, GroupId: developers }))).GroupMemberships!;
    await ids(server).send(new DeleteGroupMembershipCommand({ IdentityStoreId: storeId, MembershipId: membership.MembershipId! }));
    await rejects(portal(server).send(new GetRoleCredentialsCommand({ accessToken: token, accountId: member, roleName: 'S3Reader' })), 'ForbiddenException', 'No access', 403);
    await portal(server).send(new LogoutCommand({ accessToken: token }));
    await rejects(portal(server).send(new ListAccountsCommand({ accessToken: token })), 'UnauthorizedException', 'Session token not found or invalid', 401);

    // Deleting the last assignment removes the role from the member account.
    const deleted = await ssoAdmin(server).send(new DeleteAccountAssignmentCommand({
      InstanceArn: instanceArn, TargetId: member, TargetType: 'AWS_ACCOUNT', PermissionSetArn: psArn, PrincipalType: 'GROUP', PrincipalId: developers,
    }));
    const gone = await ssoAdmin(server).send(new DescribeAccountAssignmentDeletionStatusCommand({ InstanceArn: instanceArn, AccountAssignmentDeletionRequestId: deleted.AccountAssignmentDeletionStatus!.RequestId! }));
    assert.equal(gone.AccountAssignmentDeletionStatus?.Status, 'SUCCEEDED');
    await rejects(memberIam.send(new GetRoleCommand({ RoleName: roleName })), 'NoSuchEntity');
  });

  test('customer managed policy references resolve in the member account; edits wait for ProvisionPermissionSet', async () => {
    const { PermissionSet } = await ssoAdmin(server).send(new CreatePermissionSetCommand({ InstanceArn: instanceArn, Name: 'Custom' }));
    const psArn = PermissionSet!.PermissionSetArn!;
    await ssoAdmin(server).send(new AttachCustomerManagedPolicyReferenceToPermissionSetCommand({
      InstanceArn: instanceArn, PermissionSetArn: psArn, CustomerManagedPolicyReference: { Name: 'TeamPolicy', Path: '/teams/' },
    }));
    assert.deepEqual((await ssoAdmin(server).send(new ListCustomerManagedPolicyReferencesInPermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: psArn }))).CustomerManagedPolicyReferences,
      [{ Name: 'TeamPolicy', Path: '/teams/' }]);
    const assign = { InstanceArn: instanceArn, TargetId: member, TargetType: 'AWS_ACCOUNT' as const, PermissionSetArn: psArn, PrincipalType: 'USER' as const, PrincipalId: alice };
    // The policy does not exist in the member account yet: the assignment fails, and says why.
    const first = await ssoAdmin(server).send(new CreateAccountAssignmentCommand(assign));
    const failed = await ssoAdmin(server).send(new DescribeAccountAssignmentCreationStatusCommand({ InstanceArn: instanceArn, AccountAssignmentCreationRequestId: first.AccountAssignmentCreationStatus!.RequestId! }));
    assert.equal(failed.AccountAssignmentCreationStatus?.Status, 'FAILED');
    assert.match(failed.AccountAssignmentCreationStatus!.FailureReason!, new RegExp(`arn:aws:iam::${member}:policy/teams/TeamPolicy`));
    assert.deepEqual((await ssoAdmin(server).send(new ListAccountAssignmentsCommand({ InstanceArn: instanceArn, AccountId: member, PermissionSetArn: psArn }))).AccountAssignments, []);

    const memberIam = iam(server, memberCreds);
    await memberIam.send(new CreatePolicyCommand({ PolicyName: 'TeamPolicy', Path: '/teams/', PolicyDocument: doc([{ Effect: 'Allow', Action: 'sts:GetCallerIdentity', Resource: '*' }]) }));
    const second = await ssoAdmin(server).send(new CreateAccountAssignmentCommand(assign));
    const ok = await ssoAdmin(server).send(new DescribeAccountAssignmentCreationStatusCommand({ InstanceArn: instanceArn, AccountAssignmentCreationRequestId: second.AccountAssignmentCreationStatus!.RequestId! }));
    assert.equal(ok.AccountAssignmentCreationStatus?.Status, 'SUCCEEDED');
    assert.deepEqual((await ssoAdmin(server).send(new ListAccountsForProvisionedPermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: psArn }))).AccountIds, [member]);

    // An edit leaves the role as it was until the permission set is provisioned again.
    await ssoAdmin(server).send(new UpdatePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: psArn, SessionDuration: 'PT4H' }));
    const stale = await ssoAdmin(server).send(new ListPermissionSetsProvisionedToAccountCommand({ InstanceArn: instanceArn, AccountId: member, ProvisioningStatus: 'LATEST_PERMISSION_SET_NOT_PROVISIONED' }));
    assert.deepEqual(stale.PermissionSets, [psArn]);
    const before = await memberIam.send(new ListRolesCommand({ PathPrefix: '/aws-reserved/' }));
    const role = before.Roles!.find((r) => r.RoleName!.startsWith('AWSReservedSSO_Custom_'))!;
    assert.equal(role.MaxSessionDuration, 3600);
    const provisioned = await ssoAdmin(server).send(new ProvisionPermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: psArn, TargetType: 'ALL_PROVISIONED_ACCOUNTS' }));
    const done = await ssoAdmin(server).send(new DescribePermissionSetProvisioningStatusCommand({ InstanceArn: instanceArn, ProvisionPermissionSetRequestId: provisioned.PermissionSetProvisioningStatus!.RequestId! }));
    assert.equal(done.PermissionSetProvisioningStatus?.Status, 'SUCCEEDED');
    assert.equal((await memberIam.send(new GetRoleCommand({ RoleName: role.RoleName! }))).Role!.MaxSessionDuration, 14400);
    assert.deepEqual((await ssoAdmin(server).send(new ListPermissionSetsProvisionedToAccountCommand({ InstanceArn: instanceArn, AccountId: member, ProvisioningStatus: 'LATEST_PERMISSION_SET_NOT_PROVISIONED' }))).PermissionSets, []);
    // The user-assigned set's credentials carry the customer managed policy (and nothing else).
    const token = await signIn(server, 'alice');
    const { roleCredentials } = await portal(server).send(new GetRoleCredentialsCommand({ accessToken: token, accountId: member, roleName: 'Custom' }));
    const keys: Creds = { accessKeyId: roleCredentials!.accessKeyId!, secretAccessKey: roleCredentials!.secretAccessKey!, sessionToken: roleCredentials!.sessionToken! };
    assert.equal((await new STSClient(clientConfig(server, keys)).send(new GetCallerIdentityCommand({}))).Arn, `arn:aws:sts::${member}:assumed-role/${role.RoleName}/alice`);
    await rejects(iam(server, keys).send(new IamListUsers({})), 'AccessDenied', /because no identity-based policy allows the iam:ListUsers action/);
    // A permission set still assigned cannot go.
    await rejects(ssoAdmin(server).send(new DeletePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: psArn })), 'ConflictException');
  });

  test('assignments need a member account of the organization and an existing principal', async () => {
    const psArn = (await ssoAdmin(server).send(new CreatePermissionSetCommand({ InstanceArn: instanceArn, Name: 'Nowhere' }))).PermissionSet!.PermissionSetArn!;
    await rejects(ssoAdmin(server).send(new CreateAccountAssignmentCommand({
      InstanceArn: instanceArn, TargetId: '123456789012', TargetType: 'AWS_ACCOUNT', PermissionSetArn: psArn, PrincipalType: 'USER', PrincipalId: alice,
    })), 'ValidationException');
    await rejects(ssoAdmin(server).send(new CreateAccountAssignmentCommand({
      InstanceArn: instanceArn, TargetId: member, TargetType: 'AWS_ACCOUNT', PermissionSetArn: psArn, PrincipalType: 'GROUP', PrincipalId: '00000000-0000-0000-0000-000000000000',
    })), 'ResourceNotFoundException');
  });

  test('the console: an Identity Center user signs in, picks account and permission set, and acts as the provisioned role', async () => {
    const { PermissionSet } = await ssoAdmin(server).send(new CreatePermissionSetCommand({ InstanceArn: instanceArn, Name: 'ConsoleReader' }));
    await ssoAdmin(server).send(new AttachManagedPolicyToPermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: PermissionSet!.PermissionSetArn!, ManagedPolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }));
    await ssoAdmin(server).send(new CreateAccountAssignmentCommand({
      InstanceArn: instanceArn, TargetId: member, TargetType: 'AWS_ACCOUNT', PermissionSetArn: PermissionSet!.PermissionSetArn!, PrincipalType: 'USER', PrincipalId: alice,
    }));
    await signIn(server, 'alice', 'console password');
    const console = `${server.url}/_iamlocal/console/`;
    const post = (path: string, body: unknown) => fetch(`${console}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const wrong = await post('session/identity-center', { userName: 'alice', password: 'not it at all' });
    assert.equal(wrong.status, 401);
    const choose = await post('session/identity-center', { userName: 'alice', password: 'console password' });
    const listed = (await choose.json()) as { state: string; accounts: Array<{ accountId: string; permissionSets: string[] }> };
    assert.equal(listed.state, 'choose');
    assert.deepEqual(listed.accounts.find((a) => a.accountId === member)?.permissionSets.includes('ConsoleReader'), true);
    const refused = await post('session/identity-center', { userName: 'alice', password: 'console password', accountId: member, permissionSet: 'NotMine' });
    assert.equal(refused.status, 403);
    const signedIn = await post('session/identity-center', { userName: 'alice', password: 'console password', accountId: member, permissionSet: 'ConsoleReader' });
    const session = (await signedIn.json()) as { actingArn: string; csrfToken: string; accountId: string };
    assert.equal(signedIn.status, 200, JSON.stringify(session));
    assert.match(session.actingArn, new RegExp(`^arn:aws:sts::${member}:assumed-role/AWSReservedSSO_ConsoleReader_[0-9a-f]{16}/alice$`));
    const cookie = signedIn.headers.get('set-cookie')!.split(';')[0];
    const call = (action: string) => fetch(`${console}api/iam/`, {
      method: 'POST', headers: { cookie, 'x-iamlocal-csrf': session.csrfToken, 'content-type': 'application/x-www-form-urlencoded' },
      body: `Action=${action}&Version=2010-05-08`,
    });
    assert.equal((await call('ListRoles')).status, 200);
    const denied = await call('CreateUser&UserName=mallory');
    assert.equal(denied.status, 403);
    assert.match(await denied.text(), /AWSReservedSSO_ConsoleReader_[0-9a-f]{16}\/alice is not authorized to perform: iam:CreateUser/);
  });

  test('deleting a user removes its assignments, and the roles no other assignment needs', async () => {
    const carol = (await ids(server).send(new CreateUserCommand({ IdentityStoreId: storeId, UserName: 'carol', DisplayName: 'Carol', Name: { GivenName: 'Carol', FamilyName: 'Danvers' } }))).UserId!;
    const psArn = (await ssoAdmin(server).send(new CreatePermissionSetCommand({ InstanceArn: instanceArn, Name: 'CarolOnly' }))).PermissionSet!.PermissionSetArn!;
    await ssoAdmin(server).send(new CreateAccountAssignmentCommand({
      InstanceArn: instanceArn, TargetId: member, TargetType: 'AWS_ACCOUNT', PermissionSetArn: psArn, PrincipalType: 'USER', PrincipalId: carol,
    }));
    const roles = async () => (await iam(server, memberCreds).send(new ListRolesCommand({ PathPrefix: '/aws-reserved/' }))).Roles!.filter((r) => r.RoleName!.startsWith('AWSReservedSSO_CarolOnly_'));
    assert.equal((await roles()).length, 1);
    await ids(server).send(new DeleteUserCommand({ IdentityStoreId: storeId, UserId: carol }));
    assert.deepEqual(await roles(), []);
    assert.deepEqual((await ssoAdmin(server).send(new ListAccountAssignmentsCommand({ InstanceArn: instanceArn, AccountId: member, PermissionSetArn: psArn }))).AccountAssignments, []);
  });

  test('a provisioned AWSReservedSSO_ role is only modifiable by AWS: the member account administrator gets UnmodifiableEntity', async () => {
    const psArn = (await ssoAdmin(server).send(new CreatePermissionSetCommand({ InstanceArn: instanceArn, Name: 'Protected' }))).PermissionSet!.PermissionSetArn!;
    await ssoAdmin(server).send(new AttachManagedPolicyToPermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: psArn, ManagedPolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
    await ssoAdmin(server).send(new PutInlinePolicyToPermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: psArn, InlinePolicy: doc([{ Effect: 'Allow', Action: 'sts:GetCallerIdentity', Resource: '*' }]) }));
    await ssoAdmin(server).send(new PutPermissionsBoundaryToPermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: psArn, PermissionsBoundary: { ManagedPolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' } }));
    const assign = { InstanceArn: instanceArn, TargetId: member, TargetType: 'AWS_ACCOUNT' as const, PermissionSetArn: psArn, PrincipalType: 'USER' as const, PrincipalId: alice };
    await ssoAdmin(server).send(new CreateAccountAssignmentCommand(assign));
    const memberIam = iam(server, memberCreds);
    const roleName = (await memberIam.send(new ListRolesCommand({ PathPrefix: '/aws-reserved/sso.amazonaws.com/' }))).Roles!.find((r) => r.RoleName!.startsWith('AWSReservedSSO_Protected_'))!.RoleName!;
    const refusal = `Cannot perform the operation on the protected role '${roleName}' - this role is only modifiable by AWS`;
    const RoleName = roleName;
    for (const attempt of [
      memberIam.send(new DeleteRoleCommand({ RoleName })),
      memberIam.send(new DetachRolePolicyCommand({ RoleName, PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' })),
      memberIam.send(new AttachRolePolicyCommand({ RoleName, PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' })),
      memberIam.send(new PutRolePolicyCommand({ RoleName, PolicyName: 'more', PolicyDocument: doc([{ Effect: 'Allow', Action: '*', Resource: '*' }]) })),
      memberIam.send(new DeleteRolePolicyCommand({ RoleName, PolicyName: 'AwsSSOInlinePolicy' })),
      memberIam.send(new UpdateAssumeRolePolicyCommand({ RoleName, PolicyDocument: doc([{ Effect: 'Allow', Principal: { AWS: member }, Action: 'sts:AssumeRole' }]) })),
      memberIam.send(new PutRolePermissionsBoundaryCommand({ RoleName, PermissionsBoundary: 'arn:aws:iam::aws:policy/AdministratorAccess' })),
      memberIam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName })),
      memberIam.send(new UpdateRoleCommand({ RoleName, MaxSessionDuration: 43200 })),
    ]) await rejects(attempt, 'UnmodifiableEntity', refusal, 400);
    // Nothing changed; Identity Center itself still removes it with the last assignment.
    assert.deepEqual((await memberIam.send(new ListAttachedRolePoliciesCommand({ RoleName }))).AttachedPolicies!.map((p) => p.PolicyName), ['ReadOnlyAccess']);
    await ssoAdmin(server).send(new DeleteAccountAssignmentCommand(assign));
    await rejects(memberIam.send(new GetRoleCommand({ RoleName })), 'NoSuchEntity');
  });

  test('a set assigned to a user and to a group keeps one role until both assignments go (DeleteGroup takes the last)', async () => {
    const psArn = (await ssoAdmin(server).send(new CreatePermissionSetCommand({ InstanceArn: instanceArn, Name: 'Shared' }))).PermissionSet!.PermissionSetArn!;
    const team = (await ids(server).send(new CreateGroupCommand({ IdentityStoreId: storeId, DisplayName: 'Team' }))).GroupId!;
    await ids(server).send(new CreateGroupMembershipCommand({ IdentityStoreId: storeId, GroupId: team, MemberId: { UserId: alice } }));
    const base = { InstanceArn: instanceArn, TargetId: member, TargetType: 'AWS_ACCOUNT' as const, PermissionSetArn: psArn };
    await ssoAdmin(server).send(new CreateAccountAssignmentCommand({ ...base, PrincipalType: 'USER', PrincipalId: alice }));
    await ssoAdmin(server).send(new CreateAccountAssignmentCommand({ ...base, PrincipalType: 'GROUP', PrincipalId: team }));
    const roles = async () => (await iam(server, memberCreds).send(new ListRolesCommand({ PathPrefix: '/aws-reserved/' }))).Roles!.filter((r) => r.RoleName!.startsWith('AWSReservedSSO_Shared_')).map((r) => r.RoleName);
    const [roleName] = await roles();
    assert.equal((await roles()).length, 1);
    const forAlice = await ssoAdmin(server).send(new ListAccountAssignmentsForPrincipalCommand({ InstanceArn: instanceArn, PrincipalType: 'USER', PrincipalId: alice, Filter: { AccountId: member } }));
    assert.ok(forAlice.AccountAssignments!.some((a) => a.PermissionSetArn === psArn));
    // The portal lists the set once, whichever way it came.
    const token = await signIn(server, 'alice');
    assert.equal((await portal(server).send(new ListAccountRolesCommand({ accessToken: token, accountId: member }))).roleList!.filter((r) => r.roleName === 'Shared').length, 1);

    await ssoAdmin(server).send(new DeleteAccountAssignmentCommand({ ...base, PrincipalType: 'USER', PrincipalId: alice }));
    assert.deepEqual(await roles(), [roleName]);
    const { roleCredentials } = await portal(server).send(new GetRoleCredentialsCommand({ accessToken: token, accountId: member, roleName: 'Shared' }));
    const keys: Creds = { accessKeyId: roleCredentials!.accessKeyId!, secretAccessKey: roleCredentials!.secretAccessKey!, sessionToken: roleCredentials!.sessionToken! };
    assert.equal((await new STSClient(clientConfig(server, keys)).send(new GetCallerIdentityCommand({}))).Arn, `arn:aws:sts::${member}:assumed-role/${roleName}/alice`);

    await ids(server).send(new DeleteGroupCommand({ IdentityStoreId: storeId, GroupId: team }));
    assert.deepEqual(await roles(), []);
    assert.deepEqual((await ssoAdmin(server).send(new ListAccountsForProvisionedPermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: psArn }))).AccountIds, []);
    await rejects(portal(server).send(new GetRoleCredentialsCommand({ accessToken: token, accountId: member, roleName: 'Shared' })), 'ForbiddenException', 'No access', 403);
  });

  test('a customer managed permissions boundary resolves in the member account; the management account is a target too', async () => {
    const management = (await new STSClient(clientConfig(server)).send(new GetCallerIdentityCommand({}))).Account!;
    const psArn = (await ssoAdmin(server).send(new CreatePermissionSetCommand({ InstanceArn: instanceArn, Name: 'Bounded', SessionDuration: 'PT8H' }))).PermissionSet!.PermissionSetArn!;
    await ssoAdmin(server).send(new AttachManagedPolicyToPermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: psArn, ManagedPolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
    await ssoAdmin(server).send(new PutPermissionsBoundaryToPermissionSetCommand({
      InstanceArn: instanceArn, PermissionSetArn: psArn, PermissionsBoundary: { CustomerManagedPolicyReference: { Name: 'OnlyIamReads', Path: '/boundaries/' } },
    }));
    assert.deepEqual((await ssoAdmin(server).send(new GetPermissionsBoundaryForPermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: psArn }))).PermissionsBoundary,
      { CustomerManagedPolicyReference: { Name: 'OnlyIamReads', Path: '/boundaries/' } });
    const boundaryDoc = doc([{ Effect: 'Allow', Action: ['iam:Get*', 'iam:List*', 'sts:GetCallerIdentity'], Resource: '*' }]);
    await iam(server, memberCreds).send(new CreatePolicyCommand({ PolicyName: 'OnlyIamReads', Path: '/boundaries/', PolicyDocument: boundaryDoc }));
    for (const target of [member, management]) {
      if (target === management) await iam(server).send(new CreatePolicyCommand({ PolicyName: 'OnlyIamReads', Path: '/boundaries/', PolicyDocument: boundaryDoc }));
      const created = await ssoAdmin(server).send(new CreateAccountAssignmentCommand({
        InstanceArn: instanceArn, TargetId: target, TargetType: 'AWS_ACCOUNT', PermissionSetArn: psArn, PrincipalType: 'USER', PrincipalId: alice,
      }));
      const status = await ssoAdmin(server).send(new DescribeAccountAssignmentCreationStatusCommand({ InstanceArn: instanceArn, AccountAssignmentCreationRequestId: created.AccountAssignmentCreationStatus!.RequestId! }));
      assert.equal(status.AccountAssignmentCreationStatus?.Status, 'SUCCEEDED', status.AccountAssignmentCreationStatus?.FailureReason);
    }
    const token = await signIn(server, 'alice');
    for (const target of [member, management]) {
      const targetIam = target === member ? iam(server, memberCreds) : iam(server);
      const role = (await targetIam.send(new ListRolesCommand({ PathPrefix: '/aws-reserved/sso.amazonaws.com/' }))).Roles!.find((r) => r.RoleName!.startsWith('AWSReservedSSO_Bounded_'))!;
      const { Role } = await targetIam.send(new GetRoleCommand({ RoleName: role.RoleName! }));
      assert.equal(Role!.PermissionsBoundary?.PermissionsBoundaryArn, `arn:aws:iam::${target}:policy/boundaries/OnlyIamReads`);
      assert.equal(Role!.MaxSessionDuration, 28800);
      const { roleCredentials } = await portal(server).send(new GetRoleCredentialsCommand({ accessToken: token, accountId: target, roleName: 'Bounded' }));
      const expiresIn = roleCredentials!.expiration! - Date.now();
      assert.ok(expiresIn > 28000_000 && expiresIn <= 28800_000, `expires in ${expiresIn} ms`);
      const keys: Creds = { accessKeyId: roleCredentials!.accessKeyId!, secretAccessKey: roleCredentials!.secretAccessKey!, sessionToken: roleCredentials!.sessionToken! };
      // AdministratorAccess, bounded to IAM reads: ListUsers yes, CreateUser and S3 no (the boundary says why).
      await iam(server, keys).send(new IamListUsers({}));
      await rejects(iam(server, keys).send(new IamCreateUser({ UserName: 'mallory' })), 'AccessDenied', /permissions boundary/);
      await rejects(s3(server, keys).send(new CreateBucketCommand({ Bucket: `bounded-${target}` })), 'AccessDenied', /permissions boundary/);
    }
  });

  test('CloudTrail: portal calls are recorded in the instance account as the IdentityCenterUser, the role session in the member account', async () => {
    const psArn = (await ssoAdmin(server).send(new CreatePermissionSetCommand({ InstanceArn: instanceArn, Name: 'Traced' }))).PermissionSet!.PermissionSetArn!;
    await ssoAdmin(server).send(new PutInlinePolicyToPermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: psArn, InlinePolicy: doc([{ Effect: 'Allow', Action: 'sts:GetCallerIdentity', Resource: '*' }]) }));
    await ssoAdmin(server).send(new CreateAccountAssignmentCommand({
      InstanceArn: instanceArn, TargetId: member, TargetType: 'AWS_ACCOUNT', PermissionSetArn: psArn, PrincipalType: 'USER', PrincipalId: alice,
    }));
    const token = await signIn(server, 'alice');
    const { roleCredentials } = await portal(server).send(new GetRoleCredentialsCommand({ accessToken: token, accountId: member, roleName: 'Traced' }));
    const keys: Creds = { accessKeyId: roleCredentials!.accessKeyId!, secretAccessKey: roleCredentials!.secretAccessKey!, sessionToken: roleCredentials!.sessionToken! };
    await new STSClient(clientConfig(server, keys)).send(new GetCallerIdentityCommand({}));
    await portal(server).send(new LogoutCommand({ accessToken: token }));

    const events = async (creds: Creds, name: string) => {
      const out = await new CloudTrailClient(clientConfig(server, creds)).send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: name }] }));
      return out.Events!.map((e) => JSON.parse(e.CloudTrailEvent!) as Record<string, any>);
    };
    const management = (await new STSClient(clientConfig(server)).send(new GetCallerIdentityCommand({}))).Account!;
    const [got] = (await events(server.root, 'GetRoleCredentials')).filter((e) => e.requestParameters?.roleName === 'Traced');
    assert.equal(got.eventSource, 'sso.amazonaws.com');
    assert.equal(got.recipientAccountId, management);
    assert.deepEqual(got.userIdentity, {
      type: 'IdentityCenterUser', accountId: management, onBehalfOf: { userId: alice, identityStoreArn: `arn:aws:identitystore::${management}:identitystore/${storeId}` },
    });
    assert.deepEqual(got.requestParameters, { roleName: 'Traced', accountId: member });
    assert.doesNotMatch(JSON.stringify(got), new RegExp(token.slice(0, 40)));
    assert.doesNotMatch(JSON.stringify(got), new RegExp(roleCredentials!.secretAccessKey!.replace(/[+/]/g, '.')));
    // Logout revokes the token, and its event still names who signed out.
    const [logout] = await events(server.root, 'Logout');
    assert.equal(logout.userIdentity.onBehalfOf.userId, alice);
    // What the credentials then did is the member account's, by the AWSReservedSSO_ role session.
    const mine = (await events(memberCreds, 'GetCallerIdentity')).find((e) => e.userIdentity.sessionContext?.sessionIssuer?.userName?.startsWith('AWSReservedSSO_Traced_'));
    assert.ok(mine, 'the role session\'s call is in the member account\'s event history');
    assert.equal(mine.userIdentity.type, 'AssumedRole');
    assert.match(mine.userIdentity.arn, new RegExp(`^arn:aws:sts::${member}:assumed-role/AWSReservedSSO_Traced_[0-9a-f]{16}/alice$`));
    assert.match(mine.userIdentity.sessionContext.sessionIssuer.arn, new RegExp(`^arn:aws:iam::${member}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Traced_`));
  });

  test('sign-in: a wrong password gets no token; the portal refuses an unknown token', async () => {
    await signIn(server, 'alice', 'the right one!');
    const res = await fetch(`${server.url}/_iamlocal/sso/token`, { method: 'POST', body: JSON.stringify({ userName: 'alice', password: 'wrong password' }) });
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { error: string }).error, 'AuthenticationFailed');
    const unsigned = await fetch(`${server.url}/_iamlocal/sso/password`, { method: 'POST', body: JSON.stringify({ userName: 'alice', password: 'stolen password' }) });
    assert.notEqual(unsigned.status, 200);
    await rejects(portal(server).send(new GetRoleCredentialsCommand({ accessToken: 'aoa-not-a-token', accountId: member, roleName: 'S3Reader' })), 'UnauthorizedException', 'Session token not found or invalid', 401);
  });
});

describe('IAM Identity Center outside us-east-1', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ logFormat: 'json' });
  });
  after(() => server.stop());

  test('an instance in eu-west-1 provisions under /aws-reserved/sso.amazonaws.com/eu-west-1/, and its portal answers there', async () => {
    await newOrganization(server);
    const member = await createAccount(server, 'eu-workload', 'eu@example.com');
    const admin = new SSOAdminClient(clientConfig(server, server.root, 'eu-west-1'));
    const { InstanceArn } = await admin.send(new CreateInstanceCommand({}));
    const { IdentityStoreId } = await admin.send(new DescribeInstanceCommand({ InstanceArn }));
    const { UserId } = await new IdentitystoreClient(clientConfig(server, server.root, 'eu-west-1')).send(new CreateUserCommand({ IdentityStoreId, UserName: 'bruno', DisplayName: 'Bruno', Name: { GivenName: 'Bruno', FamilyName: 'Latour' } }));
    const psArn = (await admin.send(new CreatePermissionSetCommand({ InstanceArn, Name: 'Reader' }))).PermissionSet!.PermissionSetArn!;
    await admin.send(new AttachManagedPolicyToPermissionSetCommand({ InstanceArn, PermissionSetArn: psArn, ManagedPolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
    await admin.send(new CreateAccountAssignmentCommand({ InstanceArn, TargetId: member, TargetType: 'AWS_ACCOUNT', PermissionSetArn: psArn, PrincipalType: 'USER', PrincipalId: UserId! }));
    const memberIam = iam(server, await memberAdmin(server, await managementAdmin(server), member));
    const [role] = (await memberIam.send(new ListRolesCommand({ PathPrefix: '/aws-reserved/sso.amazonaws.com/' }))).Roles!;
    assert.equal(role.Path, '/aws-reserved/sso.amazonaws.com/eu-west-1/');
    assert.match(role.Arn!, new RegExp(`^arn:aws:iam::${member}:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Reader_[0-9a-f]{16}$`));
    const token = await signIn(server, 'bruno');
    const euPortal = new SSOClient({ endpoint: server.url, region: 'eu-west-1', maxAttempts: 1 });
    const { roleCredentials } = await euPortal.send(new GetRoleCredentialsCommand({ accessToken: token, accountId: member, roleName: 'Reader' }));
    const keys: Creds = { accessKeyId: roleCredentials!.accessKeyId!, secretAccessKey: roleCredentials!.secretAccessKey!, sessionToken: roleCredentials!.sessionToken! };
    assert.equal((await new STSClient(clientConfig(server, keys)).send(new GetCallerIdentityCommand({}))).Arn, `arn:aws:sts::${member}:assumed-role/${role.RoleName}/bruno`);
  });
});
