import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  AttachPolicyCommand, CreateOrganizationalUnitCommand, CreatePolicyCommand, DetachPolicyCommand, EnablePolicyTypeCommand, MoveAccountCommand,
  DescribeOrganizationCommand,
} from '@aws-sdk/client-organizations';
import { CreateRoleCommand, DeleteRoleCommand, ListUsersCommand, GetUserCommand, CreateServiceLinkedRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { authorize, policySetFor } from '../../src/server/authorize.js';
import type { Principal } from '../../src/identity/principal.js';
import { CreateBucketCommand, GetObjectCommand, PutBucketPolicyCommand, PutObjectCommand, DeleteBucketPolicyCommand } from '@aws-sdk/client-s3';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { rejects } from '../helpers/aws.js';
import { iam, s3, otherAccount, type Creds } from './s3-support.js';
import { createAccount, managementAdmin, memberAdmin, newOrganization, orgs } from './organizations-support.js';

const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

/** The SCP: nothing outside two regions (global services excepted), and no role deletion. */
const GUARDRAILS = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'DenyOutsideAllowedRegions',
      Effect: 'Deny',
      NotAction: ['iam:*', 'sts:*', 'organizations:*'],
      Resource: '*',
      Condition: { StringNotEquals: { 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'] } },
    },
    { Sid: 'DenyRoleDeletion', Effect: 'Deny', Action: 'iam:DeleteRole', Resource: '*' },
  ],
});

describe('Organizations: SCPs and RCPs enforced', () => {
  let server: TestServer;
  let orgId: string;
  let rootId: string;
  let ouId: string;
  let member: string;
  let admin: Creds;
  let memberCreds: Creds;
  let guardrails: string;
  let outsider: Creds;

  before(async () => {
    // A log format other than none: decisions then carry their explanation (event.reason).
    server = await startTestServer({ logFormat: 'json' });
    outsider = await otherAccount(server, '999999999999');
    ({ orgId, rootId } = await newOrganization(server));
    member = await createAccount(server, 'workload', 'workload@example.com');
    admin = await managementAdmin(server);
    memberCreds = await memberAdmin(server, admin, member);
    await orgs(server).send(new EnablePolicyTypeCommand({ RootId: rootId, PolicyType: 'SERVICE_CONTROL_POLICY' }));
    const ou = await orgs(server).send(new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: 'Workloads' }));
    ouId = ou.OrganizationalUnit!.Id!;
    await orgs(server).send(new MoveAccountCommand({ AccountId: member, SourceParentId: rootId, DestinationParentId: ouId }));
    const p = await orgs(server).send(new CreatePolicyCommand({ Name: 'Guardrails', Description: 'regions and roles', Type: 'SERVICE_CONTROL_POLICY', Content: GUARDRAILS }));
    guardrails = p.Policy!.PolicySummary!.Id!;
  });
  after(() => server.stop());

  test('before the SCP is attached, the member administrator may delete roles and work in any region', async () => {
    await iam(server, memberCreds).send(new CreateRoleCommand({ RoleName: 'before', AssumeRolePolicyDocument: TRUST }));
    await iam(server, memberCreds).send(new DeleteRoleCommand({ RoleName: 'before' }));
    await s3(server, memberCreds, 'ap-southeast-2').send(new CreateBucketCommand({ Bucket: `before-${member}`, CreateBucketConfiguration: { LocationConstraint: 'ap-southeast-2' } }));
  });

  test("the OU's SCP refuses the member administrator, names the SCP and its level; the management account is exempt", async () => {
    await orgs(server).send(new AttachPolicyCommand({ PolicyId: guardrails, TargetId: ouId }));
    await iam(server, memberCreds).send(new CreateRoleCommand({ RoleName: 'kept', AssumeRolePolicyDocument: TRUST }));
    const sessionArn = `arn:aws:sts::${member}:assumed-role/OrganizationAccountAccessRole/admin`;
    await rejects(
      iam(server, memberCreds).send(new DeleteRoleCommand({ RoleName: 'kept' })),
      'AccessDenied',
      `User: ${sessionArn} is not authorized to perform: iam:DeleteRole on resource: arn:aws:iam::${member}:role/kept with an explicit deny in a service control policy`,
      403,
    );
    const event = server.events.findLast((e) => e.operation === 'DeleteRole')!;
    assert.equal(event.decision, 'explicitDeny');
    assert.match(event.reason!, new RegExp(`statement "DenyRoleDeletion" \\(line \\d+\\) of service control policy "Guardrails \\(${guardrails}, attached to OU ${ouId} "Workloads"\\)", organization level 1`));

    // Leaving the allowed regions: refused; inside them: allowed.
    await rejects(
      s3(server, memberCreds, 'ap-southeast-2').send(new CreateBucketCommand({ Bucket: `sydney-${member}`, CreateBucketConfiguration: { LocationConstraint: 'ap-southeast-2' } })),
      'AccessDenied',
      /with an explicit deny in a service control policy/,
    );
    assert.match(server.events.findLast((e) => e.operation === 'CreateBucket')!.reason!, /"DenyOutsideAllowedRegions"/);
    await s3(server, memberCreds, 'eu-west-1').send(new CreateBucketCommand({ Bucket: `dublin-${member}`, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));

    // The management account is never bound by SCPs.
    await iam(server, admin).send(new CreateRoleCommand({ RoleName: 'mgmt', AssumeRolePolicyDocument: TRUST }));
    await iam(server, admin).send(new DeleteRoleCommand({ RoleName: 'mgmt' }));
    await s3(server, admin, 'ap-southeast-2').send(new CreateBucketCommand({ Bucket: 'mgmt-sydney', CreateBucketConfiguration: { LocationConstraint: 'ap-southeast-2' } }));
  });

  test("a service-linked role's session is not bound by the SCPs its account is bound by", async () => {
    // No client can get an SLR's credentials (only its service assumes it): the server's own
    // authorization step is asked about a session of it, as the pipeline asks.
    const { Role } = await iam(server, memberCreds).send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'autoscaling.amazonaws.com' }));
    await iam(server, memberCreds).send(new CreateRoleCommand({ RoleName: 'plain', AssumeRolePolicyDocument: TRUST }));
    const session = (roleName: string, roleArn: string, roleId: string): Principal => ({
      type: 'assumed-role', accountId: member, arn: `arn:aws:sts::${member}:assumed-role/${roleName}/s`, userId: `${roleId}:s`, roleArn, roleName, roleId, tags: {},
    });
    const decide = (p: Principal) => server.app.store.read(() => authorize(p, [{ action: 'iam:DeleteRole', resource: `arn:aws:iam::${member}:role/kept` }], {}, policySetFor(server.app.store, p), server.app.store)[0]);
    // Give both the same identity permission: only the SCP tells them apart.
    const allowDelete = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:DeleteRole', Resource: '*' }] });
    await iam(server, memberCreds).send(new PutRolePolicyCommand({ RoleName: 'plain', PolicyName: 'd', PolicyDocument: allowDelete }));
    const plain = (await iam(server, memberCreds).send(new (await import('@aws-sdk/client-iam')).GetRoleCommand({ RoleName: 'plain' }))).Role!;
    assert.equal(decide(session('plain', plain.Arn!, plain.RoleId!)).decision.decision, 'explicitDeny');
    const slr = decide(session(Role!.RoleName!, Role!.Arn!, Role!.RoleId!));
    // The SLR's own policy (AutoScalingServiceRolePolicy) does not grant iam:DeleteRole: denied by identity, not by the SCP.
    assert.equal(slr.decision.decision, 'implicitDeny');
    assert.equal(slr.decision.failedToAllow, 'identity');
  });

  test('each level must allow: with FullAWSAccess replaced at the account by an S3-only SCP, IAM is implicitly denied at that level', async () => {
    const s3Only = await orgs(server).send(new CreatePolicyCommand({
      Name: 'S3Only', Description: 's3', Type: 'SERVICE_CONTROL_POLICY',
      Content: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }),
    }));
    await orgs(server).send(new AttachPolicyCommand({ PolicyId: s3Only.Policy!.PolicySummary!.Id!, TargetId: member }));
    await orgs(server).send(new DetachPolicyCommand({ PolicyId: 'p-FullAWSAccess', TargetId: member }));
    await rejects(
      iam(server, memberCreds).send(new ListUsersCommand({})),
      'AccessDenied',
      `User: arn:aws:sts::${member}:assumed-role/OrganizationAccountAccessRole/admin is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::${member}:user/ because no service control policy allows the iam:ListUsers action`,
    );
    const event = server.events.findLast((e) => e.operation === 'ListUsers')!;
    assert.match(event.reason!, new RegExp(`no service control policy at organization level 2 allows the action \\(organization level 2 is account ${member} "workload"\\)`));
    // S3 in an allowed region still passes every level.
    await s3(server, memberCreds, 'eu-west-1').send(new PutObjectCommand({ Bucket: `dublin-${member}`, Key: 'k', Body: 'v' }));
    // Put FullAWSAccess back: IAM reads work again (the change applies at once).
    await orgs(server).send(new AttachPolicyCommand({ PolicyId: 'p-FullAWSAccess', TargetId: member }));
    await iam(server, memberCreds).send(new ListUsersCommand({}));
  });

  test('org condition keys: a bucket policy on aws:PrincipalOrgID and aws:PrincipalOrgPaths lets the organization in, not outsiders', async () => {
    const bucket = 'org-shared';
    await s3(server, admin).send(new CreateBucketCommand({ Bucket: bucket }));
    await s3(server, admin).send(new PutObjectCommand({ Bucket: bucket, Key: 'data', Body: 'shared' }));
    await s3(server, admin).send(new PutBucketPolicyCommand({
      Bucket: bucket,
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Sid: 'Org', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*`, Condition: { StringEquals: { 'aws:PrincipalOrgID': orgId } } },
        ],
      }),
    }));
    const got = await s3(server, memberCreds).send(new GetObjectCommand({ Bucket: bucket, Key: 'data' }));
    assert.equal(await got.Body!.transformToString(), 'shared');
    await rejects(s3(server, outsider).send(new GetObjectCommand({ Bucket: bucket, Key: 'data' })), 'AccessDenied');

    // By path: only accounts under the Workloads OU.
    await s3(server, admin).send(new PutBucketPolicyCommand({
      Bucket: bucket,
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*`, Condition: { 'ForAnyValue:StringEquals': { 'aws:PrincipalOrgPaths': [`${orgId}/${rootId}/${ouId}/`] } } },
        ],
      }),
    }));
    await s3(server, memberCreds).send(new GetObjectCommand({ Bucket: bucket, Key: 'data' }));
    await rejects(s3(server, outsider).send(new GetObjectCommand({ Bucket: bucket, Key: 'data' })), 'AccessDenied');
    await s3(server, admin).send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
  });

  test("an RCP on a member's bucket refuses a principal outside the organization that the bucket policy lets in", async () => {
    const bucket = `dublin-${member}`;
    await s3(server, memberCreds, 'eu-west-1').send(new PutBucketPolicyCommand({
      Bucket: bucket,
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999999999999:root' }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }],
      }),
    }));
    // Without RCPs, the bucket policy lets the outsider read.
    await s3(server, outsider, 'eu-west-1').send(new GetObjectCommand({ Bucket: bucket, Key: 'k' }));

    await orgs(server).send(new EnablePolicyTypeCommand({ RootId: rootId, PolicyType: 'RESOURCE_CONTROL_POLICY' }));
    const perimeter = await orgs(server).send(new CreatePolicyCommand({
      Name: 'DataPerimeter', Description: 'only the organization', Type: 'RESOURCE_CONTROL_POLICY',
      Content: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{
          Sid: 'OnlyOrg', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*',
          Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': orgId }, BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } },
        }],
      }),
    }));
    await orgs(server).send(new AttachPolicyCommand({ PolicyId: perimeter.Policy!.PolicySummary!.Id!, TargetId: member }));
    await rejects(
      s3(server, outsider, 'eu-west-1').send(new GetObjectCommand({ Bucket: bucket, Key: 'k' })),
      'AccessDenied',
    );
    const event = server.events.findLast((e) => e.operation === 'GetObject')!;
    assert.equal(event.decision, 'explicitDeny');
    assert.match(event.reason!, /statement "OnlyOrg" \(line \d+\) of resource control policy "DataPerimeter \(p-\w+, attached to account \d{12} "workload"\)"/);
    // Principals of the organization are not refused by it.
    await s3(server, memberCreds, 'eu-west-1').send(new GetObjectCommand({ Bucket: bucket, Key: 'k' }));
    // RCPs bind member accounts' resources only: the management account's bucket is not governed.
    await s3(server, admin).send(new PutObjectCommand({ Bucket: 'org-shared', Key: 'x', Body: 'y' }));
  });

  test('an organization does not slow or change the management account: GetUser as usual, DescribeOrganization from the member', async () => {
    await iam(server, admin).send(new GetUserCommand({}));
    const { Organization } = await orgs(server, memberCreds).send(new DescribeOrganizationCommand({}));
    assert.equal(Organization!.Id, orgId);
  });
});
