import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  AcceptHandshakeCommand, AttachPolicyCommand, CreateOrganizationCommand, CreateOrganizationalUnitCommand, CreatePolicyCommand, DeleteOrganizationCommand,
  DeleteOrganizationalUnitCommand, DeletePolicyCommand, DescribeAccountCommand, DescribeOrganizationCommand, DescribeOrganizationalUnitCommand,
  DescribePolicyCommand, DetachPolicyCommand, EnablePolicyTypeCommand, DisablePolicyTypeCommand, InviteAccountToOrganizationCommand, LeaveOrganizationCommand,
  ListAccountsCommand, ListAccountsForParentCommand, ListChildrenCommand, ListHandshakesForAccountCommand, ListOrganizationalUnitsForParentCommand,
  ListParentsCommand, ListPoliciesCommand, ListPoliciesForTargetCommand, ListRootsCommand, ListTargetsForPolicyCommand, MoveAccountCommand,
  RemoveAccountFromOrganizationCommand, UpdateOrganizationalUnitCommand, UpdatePolicyCommand, paginateListAccounts,
} from '@aws-sdk/client-organizations';
import { ListAttachedRolePoliciesCommand, GetRoleCommand, DeleteRoleCommand } from '@aws-sdk/client-iam';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { rejects } from '../helpers/aws.js';
import { iam, otherAccount, userWith, type Creds } from './s3-support.js';
import { createAccount, managementAdmin, memberAdmin, orgs } from './organizations-support.js';

const SCP_ALLOW_S3 = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] });

describe('Organizations API', () => {
  let server: TestServer;
  let orgId: string;
  let rootId: string;
  let admin: Creds;

  before(async () => {
    server = await startTestServer();
    admin = await managementAdmin(server);
  });
  after(() => server.stop());

  test('before an organization: AWSOrganizationsNotInUseException; CreateOrganization makes the caller the management account', async () => {
    await rejects(orgs(server).send(new DescribeOrganizationCommand({})), 'AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.');
    const { Organization } = await orgs(server, admin).send(new CreateOrganizationCommand({}));
    assert.match(Organization!.Id!, /^o-[a-z0-9]{10}$/);
    orgId = Organization!.Id!;
    assert.equal(Organization!.Arn, `arn:aws:organizations::000000000000:organization/${orgId}`);
    assert.equal(Organization!.FeatureSet, 'ALL');
    assert.equal(Organization!.MasterAccountId, '000000000000');
    assert.equal(Organization!.MasterAccountArn, `arn:aws:organizations::000000000000:account/${orgId}/000000000000`);
    await rejects(orgs(server).send(new CreateOrganizationCommand({})), 'AlreadyInOrganizationException');
    const { Roots } = await orgs(server).send(new ListRootsCommand({}));
    assert.equal(Roots!.length, 1);
    rootId = Roots![0].Id!;
    assert.match(rootId, /^r-[0-9a-z]{4}$/);
    assert.equal(Roots![0].Arn, `arn:aws:organizations::000000000000:root/${orgId}/${rootId}`);
    assert.deepEqual(Roots![0].PolicyTypes, []);
    const { Accounts } = await orgs(server).send(new ListAccountsCommand({}));
    assert.deepEqual(Accounts!.map((a) => [a.Id, a.Status, a.JoinedMethod]), [['000000000000', 'ACTIVE', 'INVITED']]);
  });

  test('CreateAccount makes a real account whose OrganizationAccountAccessRole (AdministratorAccess) the management account assumes', async () => {
    const id = await createAccount(server, 'dev', 'dev@example.com');
    assert.match(id, /^\d{12}$/);
    const { Account } = await orgs(server).send(new DescribeAccountCommand({ AccountId: id }));
    assert.equal(Account!.Name, 'dev');
    assert.equal(Account!.Email, 'dev@example.com');
    assert.equal(Account!.JoinedMethod, 'CREATED');
    assert.equal(Account!.Arn, `arn:aws:organizations::000000000000:account/${orgId}/${id}`);
    const session = await memberAdmin(server, admin, id);
    const { Role } = await iam(server, session).send(new GetRoleCommand({ RoleName: 'OrganizationAccountAccessRole' }));
    assert.equal(Role!.Arn, `arn:aws:iam::${id}:role/OrganizationAccountAccessRole`);
    assert.deepEqual(JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!)).Statement[0].Principal, { AWS: 'arn:aws:iam::000000000000:root' });
    const attached = await iam(server, session).send(new ListAttachedRolePoliciesCommand({ RoleName: 'OrganizationAccountAccessRole' }));
    assert.deepEqual(attached.AttachedPolicies!.map((p) => p.PolicyArn), ['arn:aws:iam::aws:policy/AdministratorAccess']);
    // The same email again: the request fails as AWS's asynchronous creation does.
    const again = await orgs(server).send(new (await import('@aws-sdk/client-organizations')).CreateAccountCommand({ AccountName: 'dup', Email: 'dev@example.com' }));
    const status = await orgs(server).send(new (await import('@aws-sdk/client-organizations')).DescribeCreateAccountStatusCommand({ CreateAccountRequestId: again.CreateAccountStatus!.Id! }));
    assert.equal(status.CreateAccountStatus!.State, 'FAILED');
    assert.equal(status.CreateAccountStatus!.FailureReason, 'EMAIL_ALREADY_EXISTS');
    await rejects(orgs(server).send(new DescribeAccountCommand({ AccountId: '123456789012' })), 'AccountNotFoundException');
  });

  test('OUs nest five deep; a sixth level is a ConstraintViolationException (OU_DEPTH_LIMIT_EXCEEDED); moves, parents, children', async () => {
    let parent = rootId;
    const chain: string[] = [];
    for (let depth = 1; depth <= 5; depth++) {
      const { OrganizationalUnit } = await orgs(server).send(new CreateOrganizationalUnitCommand({ ParentId: parent, Name: `level${depth}` }));
      assert.match(OrganizationalUnit!.Id!, new RegExp(`^ou-${rootId.slice(2)}-[a-z0-9]{8}$`));
      assert.equal(OrganizationalUnit!.Arn, `arn:aws:organizations::000000000000:ou/${orgId}/${OrganizationalUnit!.Id}`);
      chain.push(OrganizationalUnit!.Id!);
      parent = OrganizationalUnit!.Id!;
    }
    await assert.rejects(orgs(server).send(new CreateOrganizationalUnitCommand({ ParentId: parent, Name: 'level6' })), (err: any) => {
      assert.equal(err.name, 'ConstraintViolationException');
      assert.equal(err.Reason, 'OU_DEPTH_LIMIT_EXCEEDED');
      return true;
    });
    await rejects(orgs(server).send(new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: 'level1' })), 'DuplicateOrganizationalUnitException');
    const dev = (await orgs(server).send(new ListAccountsCommand({}))).Accounts!.find((a) => a.Name === 'dev')!.Id!;
    await orgs(server).send(new MoveAccountCommand({ AccountId: dev, SourceParentId: rootId, DestinationParentId: chain[2] }));
    await rejects(orgs(server).send(new MoveAccountCommand({ AccountId: dev, SourceParentId: chain[2], DestinationParentId: chain[2] })), 'DuplicateAccountException');
    const { Parents } = await orgs(server).send(new ListParentsCommand({ ChildId: dev }));
    assert.deepEqual(Parents, [{ Id: chain[2], Type: 'ORGANIZATIONAL_UNIT' }]);
    const kids = await orgs(server).send(new ListChildrenCommand({ ParentId: chain[2], ChildType: 'ACCOUNT' }));
    assert.deepEqual(kids.Children, [{ Id: dev, Type: 'ACCOUNT' }]);
    const forParent = await orgs(server).send(new ListAccountsForParentCommand({ ParentId: chain[2] }));
    assert.deepEqual(forParent.Accounts!.map((a) => a.Id), [dev]);
    await rejects(orgs(server).send(new DeleteOrganizationalUnitCommand({ OrganizationalUnitId: chain[4] })).then(() =>
      orgs(server).send(new DeleteOrganizationalUnitCommand({ OrganizationalUnitId: chain[2] }))), 'OrganizationalUnitNotEmptyException');
    const renamed = await orgs(server).send(new UpdateOrganizationalUnitCommand({ OrganizationalUnitId: chain[0], Name: 'Workloads' }));
    assert.equal(renamed.OrganizationalUnit!.Name, 'Workloads');
    assert.equal((await orgs(server).send(new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: chain[0] }))).OrganizationalUnit!.Name, 'Workloads');
    await rejects(orgs(server).send(new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: 'ou-zzzz-zzzzzzzz' })), 'OrganizationalUnitNotFoundException');
    await orgs(server).send(new MoveAccountCommand({ AccountId: dev, SourceParentId: chain[2], DestinationParentId: rootId }));
  });

  test('pagination: MaxResults and NextToken walk every page once', async () => {
    for (const n of ['a', 'b', 'c']) await orgs(server).send(new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: `page-${n}` }));
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await orgs(server).send(new ListOrganizationalUnitsForParentCommand({ ParentId: rootId, MaxResults: 1, NextToken: token }));
      assert.ok(page.OrganizationalUnits!.length <= 1);
      seen.push(...page.OrganizationalUnits!.map((o) => o.Name!));
      token = page.NextToken;
    } while (token);
    assert.deepEqual(seen, ['Workloads', 'page-a', 'page-b', 'page-c']);
    const accounts: string[] = [];
    for await (const page of paginateListAccounts({ client: orgs(server), pageSize: 1 }, {})) accounts.push(...page.Accounts!.map((a) => a.Id!));
    assert.equal(accounts.length, 2);
    await rejects(orgs(server).send(new ListAccountsCommand({ NextToken: 'not-a-token' })), 'InvalidInputException');
    await rejects(orgs(server).send(new ListAccountsCommand({ MaxResults: 21 })), 'ValidationException');
  });

  test('policies: the type must be enabled; FullAWSAccess attached everywhere; content validated; attachments and their limits', async () => {
    const created = await orgs(server).send(new CreatePolicyCommand({ Name: 'S3Only', Description: 'd', Type: 'SERVICE_CONTROL_POLICY', Content: SCP_ALLOW_S3 }));
    const id = created.Policy!.PolicySummary!.Id!;
    assert.match(id, /^p-[0-9a-z]{8}$/);
    assert.equal(created.Policy!.PolicySummary!.Arn, `arn:aws:organizations::000000000000:policy/${orgId}/service_control_policy/${id}`);
    await rejects(orgs(server).send(new AttachPolicyCommand({ PolicyId: id, TargetId: rootId })), 'PolicyTypeNotEnabledException');
    const { Root } = await orgs(server).send(new EnablePolicyTypeCommand({ RootId: rootId, PolicyType: 'SERVICE_CONTROL_POLICY' }));
    assert.deepEqual(Root!.PolicyTypes, [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }]);
    await rejects(orgs(server).send(new EnablePolicyTypeCommand({ RootId: rootId, PolicyType: 'SERVICE_CONTROL_POLICY' })), 'PolicyTypeAlreadyEnabledException');
    const onRoot = await orgs(server).send(new ListPoliciesForTargetCommand({ TargetId: rootId, Filter: 'SERVICE_CONTROL_POLICY' }));
    assert.deepEqual(onRoot.Policies!.map((p) => [p.Id, p.Name, p.AwsManaged, p.Arn]), [
      ['p-FullAWSAccess', 'FullAWSAccess', true, 'arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess'],
    ]);
    // Every account and OU got it too, new ones included.
    const { OrganizationalUnit } = await orgs(server).send(new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: 'after-enable' }));
    const targets = await orgs(server).send(new ListTargetsForPolicyCommand({ PolicyId: 'p-FullAWSAccess' }));
    assert.ok(targets.Targets!.some((t) => t.TargetId === OrganizationalUnit!.Id && t.Type === 'ORGANIZATIONAL_UNIT'));
    assert.ok(targets.Targets!.some((t) => t.TargetId === '000000000000' && t.Type === 'ACCOUNT'));

    // AWS validates SCPs: no Principal, no NotResource…, and at most 5,120 characters.
    const withPrincipal = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' }] });
    await rejects(orgs(server).send(new CreatePolicyCommand({ Name: 'bad', Description: 'd', Type: 'SERVICE_CONTROL_POLICY', Content: withPrincipal })), 'MalformedPolicyDocumentException');
    await rejects(orgs(server).send(new CreatePolicyCommand({ Name: 'bad', Description: 'd', Type: 'SERVICE_CONTROL_POLICY', Content: '{"Version":' })), 'MalformedPolicyDocumentException');
    const huge = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: Array.from({ length: 400 }, (_, i) => `s3:GetObject${i}`), Resource: '*' }] });
    await assert.rejects(orgs(server).send(new CreatePolicyCommand({ Name: 'huge', Description: 'd', Type: 'SERVICE_CONTROL_POLICY', Content: huge })), (err: any) => {
      assert.equal(err.name, 'ConstraintViolationException');
      assert.equal(err.Reason, 'POLICY_CONTENT_LIMIT_EXCEEDED');
      return true;
    });
    await rejects(orgs(server).send(new CreatePolicyCommand({ Name: 'S3Only', Description: 'd', Type: 'SERVICE_CONTROL_POLICY', Content: SCP_ALLOW_S3 })), 'DuplicatePolicyException');

    await orgs(server).send(new AttachPolicyCommand({ PolicyId: id, TargetId: OrganizationalUnit!.Id! }));
    await rejects(orgs(server).send(new AttachPolicyCommand({ PolicyId: id, TargetId: OrganizationalUnit!.Id! })), 'DuplicatePolicyAttachmentException');
    await rejects(orgs(server).send(new AttachPolicyCommand({ PolicyId: id, TargetId: '123456789012' })), 'TargetNotFoundException');
    await rejects(orgs(server).send(new DeletePolicyCommand({ PolicyId: id })), 'PolicyInUseException');
    // The last SCP of a target cannot come off.
    await assert.rejects(orgs(server).send(new DetachPolicyCommand({ PolicyId: 'p-FullAWSAccess', TargetId: rootId })), (err: any) => {
      assert.equal(err.name, 'ConstraintViolationException');
      assert.equal(err.Reason, 'MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED');
      return true;
    });
    await orgs(server).send(new DetachPolicyCommand({ PolicyId: id, TargetId: OrganizationalUnit!.Id! }));
    await rejects(orgs(server).send(new DetachPolicyCommand({ PolicyId: id, TargetId: OrganizationalUnit!.Id! })), 'PolicyNotAttachedException');

    const updated = await orgs(server).send(new UpdatePolicyCommand({ PolicyId: id, Name: 'S3Everything', Description: 'all of S3' }));
    assert.equal(updated.Policy!.PolicySummary!.Name, 'S3Everything');
    assert.equal((await orgs(server).send(new DescribePolicyCommand({ PolicyId: id }))).Policy!.Content, SCP_ALLOW_S3);
    const listed = await orgs(server).send(new ListPoliciesCommand({ Filter: 'SERVICE_CONTROL_POLICY' }));
    assert.deepEqual(listed.Policies!.map((p) => p.Name), ['FullAWSAccess', 'S3Everything']);
    await orgs(server).send(new DeletePolicyCommand({ PolicyId: id }));
    await rejects(orgs(server).send(new DescribePolicyCommand({ PolicyId: id })), 'PolicyNotFoundException');
    // RCPs: enabling attaches RCPFullAWSAccess, which never comes off; disabling detaches every RCP.
    await orgs(server).send(new EnablePolicyTypeCommand({ RootId: rootId, PolicyType: 'RESOURCE_CONTROL_POLICY' }));
    const rcps = await orgs(server).send(new ListPoliciesForTargetCommand({ TargetId: '000000000000', Filter: 'RESOURCE_CONTROL_POLICY' }));
    assert.deepEqual(rcps.Policies!.map((p) => p.Id), ['p-RCPFullAWSAccess']);
    await rejects(orgs(server).send(new DetachPolicyCommand({ PolicyId: 'p-RCPFullAWSAccess', TargetId: rootId })), 'ConstraintViolationException');
    const disabled = await orgs(server).send(new DisablePolicyTypeCommand({ RootId: rootId, PolicyType: 'RESOURCE_CONTROL_POLICY' }));
    assert.deepEqual(disabled.Root!.PolicyTypes, [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }]);
  });

  test('organizations:<Action> is authorized on the resource the Service Authorization Reference names', async () => {
    const limited = await userWith(server, 'ou-reader', [
      { Effect: 'Allow', Action: 'organizations:DescribeOrganizationalUnit', Resource: `arn:aws:organizations::000000000000:ou/${orgId}/ou-nope-*` },
      { Effect: 'Allow', Action: 'organizations:DescribeOrganization', Resource: '*' },
    ]);
    await orgs(server, limited).send(new DescribeOrganizationCommand({}));
    const ou = (await orgs(server).send(new ListOrganizationalUnitsForParentCommand({ ParentId: rootId }))).OrganizationalUnits![0];
    await rejects(
      orgs(server, limited).send(new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: ou.Id! })),
      'AccessDeniedException',
      `User: arn:aws:iam::000000000000:user/ou-reader is not authorized to perform: organizations:DescribeOrganizationalUnit on resource: ${ou.Arn} because no identity-based policy allows the organizations:DescribeOrganizationalUnit action`,
    );
  });

  test('an account made with /_iamlocal/accounts is invited, accepts the handshake, is bound by SCPs, and leaves', async () => {
    const guestRoot = await otherAccount(server, '222222222222');
    const { Handshake } = await orgs(server).send(new InviteAccountToOrganizationCommand({ Target: { Id: '222222222222', Type: 'ACCOUNT' }, Notes: 'join us' }));
    assert.match(Handshake!.Id!, /^h-[0-9a-z]{10}$/);
    assert.equal(Handshake!.State, 'OPEN');
    assert.equal(Handshake!.Arn, `arn:aws:organizations::000000000000:handshake/${orgId}/invite/${Handshake!.Id}`);
    await rejects(orgs(server).send(new InviteAccountToOrganizationCommand({ Target: { Id: '222222222222', Type: 'ACCOUNT' } })), 'DuplicateHandshakeException');
    const listed = await orgs(server, guestRoot).send(new ListHandshakesForAccountCommand({}));
    assert.deepEqual(listed.Handshakes!.map((h) => [h.Id, h.State]), [[Handshake!.Id, 'OPEN']]);
    // Not a member yet: no organization to describe.
    await rejects(orgs(server, guestRoot).send(new DescribeOrganizationCommand({})), 'AWSOrganizationsNotInUseException');
    const accepted = await orgs(server, guestRoot).send(new AcceptHandshakeCommand({ HandshakeId: Handshake!.Id! }));
    assert.equal(accepted.Handshake!.State, 'ACCEPTED');
    const { Account } = await orgs(server).send(new DescribeAccountCommand({ AccountId: '222222222222' }));
    assert.equal(Account!.JoinedMethod, 'INVITED');
    assert.equal((await orgs(server, guestRoot).send(new DescribeOrganizationCommand({}))).Organization!.Id, orgId);
    // A member cannot list the organization's accounts.
    await rejects(orgs(server, guestRoot).send(new ListAccountsCommand({})), 'AccessDeniedException');

    // The member's root user is bound by SCPs too: one denying LeaveOrganization and DeleteRole.
    const deny = await orgs(server).send(new CreatePolicyCommand({
      Name: 'NoLeaving', Description: 'd', Type: 'SERVICE_CONTROL_POLICY',
      Content: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: ['organizations:LeaveOrganization', 'iam:DeleteRole'], Resource: '*' }] }),
    }));
    await orgs(server).send(new AttachPolicyCommand({ PolicyId: deny.Policy!.PolicySummary!.Id!, TargetId: '222222222222' }));
    await rejects(orgs(server, guestRoot).send(new LeaveOrganizationCommand({})), 'AccessDeniedException', /with an explicit deny in a service control policy$/);
    await rejects(iam(server, guestRoot).send(new DeleteRoleCommand({ RoleName: 'any' })), 'AccessDenied', /explicit deny in a service control policy/);
    await orgs(server).send(new DetachPolicyCommand({ PolicyId: deny.Policy!.PolicySummary!.Id!, TargetId: '222222222222' }));
    await orgs(server, guestRoot).send(new LeaveOrganizationCommand({}));
    await rejects(orgs(server).send(new DescribeAccountCommand({ AccountId: '222222222222' })), 'AccountNotFoundException');
    await rejects(orgs(server).send(new RemoveAccountFromOrganizationCommand({ AccountId: '000000000000' })), 'MasterCannotLeaveOrganizationException');
  });

  test('DeleteOrganization: refused while member accounts remain, then the account is on its own again', async () => {
    await rejects(orgs(server).send(new DeleteOrganizationCommand({})), 'OrganizationNotEmptyException');
    const { Accounts } = await orgs(server).send(new ListAccountsCommand({}));
    for (const a of Accounts!) if (a.Id !== '000000000000') await orgs(server).send(new RemoveAccountFromOrganizationCommand({ AccountId: a.Id! }));
    await orgs(server).send(new DeleteOrganizationCommand({}));
    await rejects(orgs(server).send(new DescribeOrganizationCommand({})), 'AWSOrganizationsNotInUseException');
  });
});
