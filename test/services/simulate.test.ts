import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT, asRoot, call, openTestStore, throwsAws } from './context.js';
import { iamService } from '../../src/services/iam/index.js';
import type { RequestContext } from '../../src/services/types.js';
import { fixture } from '../policy/support.js';

let t: ReturnType<typeof openTestStore>;
let root: RequestContext;
beforeEach(() => {
  t = openTestStore();
  root = asRoot(t.store);
});
afterEach(() => t.dispose());

const doc = (statements: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const ctxEntry = (name: string, values: string[], type = 'string') => ({ ContextKeyName: name, ContextKeyValues: values, ContextKeyType: type });

/** AWS's own example (aws iam simulate-custom-policy, CLI examples): one statement object, one line. */
const DATE_POLICY =
  '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2018-08-16T12:00:00Z"}}}}';

function custom(input: Record<string, unknown>) {
  return call(root, 'SimulateCustomPolicy', input);
}

describe('SimulateCustomPolicy', () => {
  test("AWS's example: allowed, with the statement's position as AWS reports it", () => {
    const out = custom({ PolicyInputList: [DATE_POLICY], ActionNames: ['dynamodb:CreateBackup'], ContextEntries: [ctxEntry('aws:CurrentTime', ['2019-04-25T11:00:00Z'], 'date')] });
    assert.deepEqual(out, {
      EvaluationResults: [
        {
          EvalActionName: 'dynamodb:CreateBackup',
          EvalResourceName: '*',
          EvalDecision: 'allowed',
          MatchedStatements: [
            { SourcePolicyId: 'PolicyInputList.1', SourcePolicyType: 'IAM Policy', StartPosition: { Line: 1, Column: 38 }, EndPosition: { Line: 1, Column: 167 } },
          ],
          MissingContextValues: [],
        },
      ],
      IsTruncated: false,
    });
  });

  test('a context value that fails the condition is an implicit deny with no statement', () => {
    const out = custom({ PolicyInputList: [DATE_POLICY], ActionNames: ['dynamodb:CreateBackup'], ContextEntries: [ctxEntry('aws:CurrentTime', ['2014-04-25T11:00:00Z'], 'date')] });
    assert.equal(out.EvaluationResults[0].EvalDecision, 'implicitDeny');
    assert.deepEqual(out.EvaluationResults[0].MatchedStatements, []);
  });

  test('the simulator fills in no context key: those the policies read and the caller omitted are missing', () => {
    const out = custom({ PolicyInputList: [DATE_POLICY], ActionNames: ['dynamodb:CreateBackup'] });
    assert.equal(out.EvaluationResults[0].EvalDecision, 'implicitDeny');
    assert.deepEqual(out.EvaluationResults[0].MissingContextValues, ['aws:CurrentTime']);
    const own = doc([{ Effect: 'Allow', Action: 'iam:CreateAccessKey', Resource: 'arn:aws:iam::*:user/${aws:username}' }]);
    const res = custom({ PolicyInputList: [own], ActionNames: ['iam:CreateAccessKey'], CallerArn: `arn:aws:iam::${ACCOUNT}:user/eng`, ResourceArns: [`arn:aws:iam::${ACCOUNT}:user/eng`] });
    assert.equal(res.EvaluationResults[0].EvalDecision, 'implicitDeny');
    assert.deepEqual(res.EvaluationResults[0].ResourceSpecificResults[0].MissingContextValues, ['aws:username']);
    const given = custom({
      PolicyInputList: [own],
      ActionNames: ['iam:CreateAccessKey'],
      ResourceArns: [`arn:aws:iam::${ACCOUNT}:user/eng`, `arn:aws:iam::${ACCOUNT}:user/other`],
      ContextEntries: [ctxEntry('aws:username', ['eng'])],
    });
    assert.deepEqual(given.EvaluationResults.map((r: { EvalDecision: string }) => r.EvalDecision), ['allowed', 'implicitDeny']);
  });

  test('multi-line statements: start just after "[" or the previous "}", end just after "}"', () => {
    const text = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Deny",\n      "Action": "s3:DeleteBucket",\n      "Resource": "*"\n    },\n    {\n      "Effect": "Allow",\n      "Action": "s3:*",\n      "Resource": "*"\n    }\n  ]\n}';
    const out = custom({ PolicyInputList: [text], ActionNames: ['s3:DeleteBucket', 's3:GetObject'] });
    const [deny, allow] = out.EvaluationResults;
    assert.equal(deny.EvalDecision, 'explicitDeny');
    assert.deepEqual(deny.MatchedStatements, [{ SourcePolicyId: 'PolicyInputList.1', SourcePolicyType: 'IAM Policy', StartPosition: { Line: 3, Column: 17 }, EndPosition: { Line: 8, Column: 6 } }]);
    assert.equal(allow.EvalDecision, 'allowed');
    assert.deepEqual([allow.MatchedStatements[0].StartPosition, allow.MatchedStatements[0].EndPosition], [{ Line: 8, Column: 6 }, { Line: 13, Column: 6 }]);
  });

  test('each action against each resource; named resources get resource-specific results', () => {
    const policy = doc([{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/public/*' }]);
    const out = custom({ PolicyInputList: [policy], ActionNames: ['s3:GetObject', 's3:PutObject'], ResourceArns: ['arn:aws:s3:::bucket/public/a', 'arn:aws:s3:::bucket/private/b'] });
    assert.deepEqual(
      out.EvaluationResults.map((r: { EvalActionName: string; EvalResourceName: string; EvalDecision: string }) => [r.EvalActionName, r.EvalResourceName, r.EvalDecision]),
      [
        ['s3:GetObject', 'arn:aws:s3:::bucket/public/a', 'allowed'],
        ['s3:GetObject', 'arn:aws:s3:::bucket/private/b', 'implicitDeny'],
        ['s3:PutObject', 'arn:aws:s3:::bucket/public/a', 'implicitDeny'],
        ['s3:PutObject', 'arn:aws:s3:::bucket/private/b', 'implicitDeny'],
      ],
    );
    const first = out.EvaluationResults[0];
    assert.deepEqual(first.EvalDecisionDetails, {}, 'same account: present and empty');
    assert.deepEqual(first.ResourceSpecificResults, [
      { EvalResourceName: 'arn:aws:s3:::bucket/public/a', EvalResourceDecision: 'allowed', MatchedStatements: first.MatchedStatements, MissingContextValues: [], EvalDecisionDetails: {} },
    ]);
  });

  test('a permissions boundary limits, and says whether it allowed', () => {
    const admin = doc([{ Effect: 'Allow', Action: '*', Resource: '*' }]);
    const boundary = doc([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }]);
    const out = custom({ PolicyInputList: [admin], PermissionsBoundaryPolicyInputList: [boundary], ActionNames: ['s3:ListBucket', 'iam:CreateUser'] });
    const [s3, iam] = out.EvaluationResults;
    assert.equal(s3.EvalDecision, 'allowed');
    assert.deepEqual(s3.PermissionsBoundaryDecisionDetail, { AllowedByPermissionsBoundary: true });
    assert.deepEqual(s3.MatchedStatements.map((m: { SourcePolicyId: string }) => m.SourcePolicyId), ['PolicyInputList.1', 'PermissionsBoundaryPolicyInputList.1']);
    assert.equal(iam.EvalDecision, 'implicitDeny');
    assert.deepEqual(iam.PermissionsBoundaryDecisionDetail, { AllowedByPermissionsBoundary: false });
    assert.equal('PermissionsBoundaryDecisionDetail' in custom({ PolicyInputList: [admin], ActionNames: ['s3:ListBucket'] }).EvaluationResults[0], false);
  });

  test('a resource policy: needs CallerArn, decides for the caller it names, cross-account details', () => {
    const bucketPolicy = doc([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/reader` }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::shared/*' }]);
    const identity = doc([{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }]);
    const base = { PolicyInputList: [identity], ResourcePolicy: bucketPolicy, ActionNames: ['s3:GetObject'], ResourceArns: ['arn:aws:s3:::shared/x'] };
    throwsAws(() => custom(base), 'InvalidInput', 400);
    // The bucket belongs to another account: both sides must allow.
    const owner = { ResourceOwner: 'arn:aws:iam::999999999999:root' };
    const reader = custom({ ...base, ...owner, CallerArn: `arn:aws:iam::${ACCOUNT}:user/reader` }).EvaluationResults[0];
    assert.equal(reader.EvalDecision, 'allowed');
    assert.deepEqual(reader.EvalDecisionDetails, { 'IAM Policy': 'allowed', 'Resource Policy': 'allowed' });
    assert.ok(reader.MatchedStatements.some((m: { SourcePolicyId: string; SourcePolicyType: string }) => m.SourcePolicyId === 'ResourcePolicy' && m.SourcePolicyType === 'Resource Policy'));
    const stranger = custom({ ...base, ...owner, CallerArn: `arn:aws:iam::${ACCOUNT}:user/stranger` }).EvaluationResults[0];
    assert.equal(stranger.EvalDecision, 'implicitDeny');
    assert.deepEqual(stranger.EvalDecisionDetails, { 'IAM Policy': 'allowed', 'Resource Policy': 'implicitDeny' });
    // In the caller's own account the identity policy is enough.
    assert.equal(custom({ ...base, CallerArn: `arn:aws:iam::${ACCOUNT}:user/stranger` }).EvaluationResults[0].EvalDecision, 'allowed');
  });

  test('a deny in the resource policy is an explicit deny from "ResourcePolicy"', () => {
    const bucketPolicy = doc([{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }]);
    const identity = doc([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }]);
    const run = (secure: string) =>
      custom({
        PolicyInputList: [identity],
        ResourcePolicy: bucketPolicy,
        CallerArn: `arn:aws:iam::${ACCOUNT}:user/u`,
        ActionNames: ['s3:GetObject'],
        ResourceArns: ['arn:aws:s3:::b/k'],
        ContextEntries: [ctxEntry('aws:SecureTransport', [secure], 'boolean')],
      }).EvaluationResults[0];
    const denied = run('false');
    assert.equal(denied.EvalDecision, 'explicitDeny');
    assert.deepEqual(denied.MatchedStatements.map((m: { SourcePolicyId: string }) => m.SourcePolicyId), ['ResourcePolicy']);
    assert.equal(run('true').EvalDecision, 'allowed');
  });

  test('typed and multivalued context entries', () => {
    const policy = doc([
      { Effect: 'Allow', Action: 'ec2:RunInstances', Resource: '*', Condition: { NumericLessThanEquals: { 'ec2:VolumeSize': '100' }, IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
      { Effect: 'Allow', Action: 'ec2:CreateTags', Resource: '*', Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env', 'team'] } } },
    ]);
    const run = (action: string, entries: unknown[]) => custom({ PolicyInputList: [policy], ActionNames: [action], ContextEntries: entries }).EvaluationResults[0].EvalDecision;
    assert.equal(run('ec2:RunInstances', [ctxEntry('ec2:VolumeSize', ['50'], 'numeric'), ctxEntry('aws:SourceIp', ['10.1.2.3'], 'ip')]), 'allowed');
    assert.equal(run('ec2:RunInstances', [ctxEntry('ec2:VolumeSize', ['500'], 'numeric'), ctxEntry('aws:SourceIp', ['10.1.2.3'], 'ip')]), 'implicitDeny');
    assert.equal(run('ec2:CreateTags', [ctxEntry('aws:TagKeys', ['env', 'team'], 'stringList')]), 'allowed');
    assert.equal(run('ec2:CreateTags', [ctxEntry('aws:TagKeys', ['env', 'owner'], 'stringList')]), 'implicitDeny');
    throwsAws(() => run('ec2:RunInstances', [ctxEntry('ec2:VolumeSize', ['big'], 'numeric')]), 'InvalidInput', 400);
  });

  test('a malformed policy is InvalidInput with IAM\'s message', () => {
    throwsAws(() => custom({ PolicyInputList: ['{"Version":"2012-10-17","Statement":['], ActionNames: ['s3:GetObject'] }), 'InvalidInput', 400, 'Syntax errors in policy.');
    const withPrincipal = doc([{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }]);
    throwsAws(() => custom({ PolicyInputList: [withPrincipal], ActionNames: ['s3:GetObject'] }), 'InvalidInput', 400, 'Policy document should not specify a principal.');
  });

  test('results page with MaxItems and Marker', () => {
    const policy = doc([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }]);
    const actions = ['s3:GetObject', 's3:PutObject', 's3:ListBucket', 'iam:GetUser', 'ec2:RunInstances'];
    const seen: string[] = [];
    let marker: string | undefined;
    do {
      const page = custom({ PolicyInputList: [policy], ActionNames: actions, MaxItems: 2, ...(marker ? { Marker: marker } : {}) });
      assert.ok(page.EvaluationResults.length <= 2);
      seen.push(...page.EvaluationResults.map((r: { EvalActionName: string }) => r.EvalActionName));
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);
    assert.deepEqual(seen, actions);
  });
});

describe('SimulatePrincipalPolicy', () => {
  function seed001Admin() {
    call(root, 'CreateGroup', { GroupName: 'admin' });
    call(root, 'CreatePolicy', { PolicyName: 'admin_access', PolicyDocument: fixture('seed001-admin_access.json') });
    call(root, 'AttachGroupPolicy', { GroupName: 'admin', PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/admin_access` });
    call(root, 'CreateUser', { UserName: 'admin_erika' });
    call(root, 'AddUserToGroup', { GroupName: 'admin', UserName: 'admin_erika' });
  }

  const region = (r: string) => [ctxEntry('aws:RequestedRegion', [r])];

  test('seed 001: the admin may create users in us-east-1 (UseConsole) and ap-southeast-2, nowhere else', () => {
    seed001Admin();
    const run = (r: string) =>
      call(root, 'SimulatePrincipalPolicy', {
        PolicySourceArn: `arn:aws:iam::${ACCOUNT}:user/admin_erika`,
        ActionNames: ['iam:CreateUser'],
        ContextEntries: region(r),
      }).EvaluationResults[0];
    const useast = run('us-east-1');
    assert.equal(useast.EvalDecision, 'allowed');
    // In the fixture "[" is on line 4, the first statement's "}" on line 11, the second's on line 25 (column 9).
    assert.deepEqual(useast.MatchedStatements, [{ SourcePolicyId: 'admin_access', SourcePolicyType: 'IAM Policy', StartPosition: { Line: 11, Column: 10 }, EndPosition: { Line: 25, Column: 10 } }]);
    const sydney = run('ap-southeast-2');
    assert.equal(sydney.EvalDecision, 'allowed');
    assert.deepEqual([sydney.MatchedStatements[0].StartPosition, sydney.MatchedStatements[0].EndPosition], [{ Line: 4, Column: 6 }, { Line: 11, Column: 10 }]);
    assert.equal(run('eu-west-1').EvalDecision, 'implicitDeny');
    const none = call(root, 'SimulatePrincipalPolicy', { PolicySourceArn: `arn:aws:iam::${ACCOUNT}:user/admin_erika`, ActionNames: ['iam:CreateUser'] }).EvaluationResults[0];
    assert.deepEqual([none.EvalDecision, none.MissingContextValues], ['implicitDeny', ['aws:RequestedRegion']]);
  });

  test('the group itself can be simulated; its members get its policies', () => {
    seed001Admin();
    const out = call(root, 'SimulatePrincipalPolicy', { PolicySourceArn: `arn:aws:iam::${ACCOUNT}:group/admin`, ActionNames: ['iam:ListUsers'], ContextEntries: region('us-east-1') });
    assert.equal(out.EvaluationResults[0].EvalDecision, 'allowed');
  });

  test('seed 003: a role whose policy denies iam:CreateUser; inline policies are named role_<role>_<policy>', () => {
    call(root, 'CreateRole', { RoleName: 'boto3-role', AssumeRolePolicyDocument: fixture('seed003-trust-mfa.json') });
    call(root, 'PutRolePolicy', { RoleName: 'boto3-role', PolicyName: 'deny-iam-users', PolicyDocument: fixture('seed003-role-deny-create-user.json') });
    call(root, 'PutRolePolicy', { RoleName: 'boto3-role', PolicyName: 's3-ec2', PolicyDocument: fixture('seed003-role-s3-read-ec2-full.json') });
    const out = call(root, 'SimulatePrincipalPolicy', {
      PolicySourceArn: `arn:aws:iam::${ACCOUNT}:role/boto3-role`,
      ActionNames: ['iam:CreateUser', 's3:GetObject', 'ec2:RunInstances', 's3:PutObject'],
    });
    assert.deepEqual(out.EvaluationResults.map((r: { EvalDecision: string }) => r.EvalDecision), ['explicitDeny', 'allowed', 'allowed', 'implicitDeny']);
    assert.deepEqual(out.EvaluationResults[0].MatchedStatements[0].SourcePolicyId, 'role_boto3-role_deny-iam-users');
    assert.deepEqual(out.EvaluationResults[1].MatchedStatements[0].SourcePolicyId, 'role_boto3-role_s3-ec2');
  });

  test("the entity's boundary applies; a boundary given replaces it", () => {
    call(root, 'CreateUser', { UserName: 'bounded', PermissionsBoundary: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' });
    call(root, 'PutUserPolicy', { UserName: 'bounded', PolicyName: 'all', PolicyDocument: doc([{ Effect: 'Allow', Action: '*', Resource: '*' }]) });
    const arn = `arn:aws:iam::${ACCOUNT}:user/bounded`;
    const own = call(root, 'SimulatePrincipalPolicy', { PolicySourceArn: arn, ActionNames: ['s3:GetObject', 'iam:CreateUser'] }).EvaluationResults;
    assert.deepEqual(own.map((r: { EvalDecision: string }) => r.EvalDecision), ['allowed', 'implicitDeny']);
    assert.deepEqual(own.map((r: { PermissionsBoundaryDecisionDetail: unknown }) => r.PermissionsBoundaryDecisionDetail), [
      { AllowedByPermissionsBoundary: true },
      { AllowedByPermissionsBoundary: false },
    ]);
    assert.deepEqual(own[0].MatchedStatements.map((m: { SourcePolicyId: string }) => m.SourcePolicyId), ['user_bounded_all', 'AmazonS3ReadOnlyAccess']);
    const replaced = call(root, 'SimulatePrincipalPolicy', {
      PolicySourceArn: arn,
      ActionNames: ['s3:GetObject', 'iam:CreateUser'],
      PermissionsBoundaryPolicyInputList: [doc([{ Effect: 'Allow', Action: 'iam:*', Resource: '*' }])],
    }).EvaluationResults;
    assert.deepEqual(replaced.map((r: { EvalDecision: string }) => r.EvalDecision), ['implicitDeny', 'allowed']);
  });

  test('extra policies join the entity\'s; a group\'s deny reaches its members', () => {
    call(root, 'CreateUser', { UserName: 'u' });
    call(root, 'CreateGroup', { GroupName: 'no-delete' });
    call(root, 'AddUserToGroup', { GroupName: 'no-delete', UserName: 'u' });
    call(root, 'PutGroupPolicy', { GroupName: 'no-delete', PolicyName: 'deny', PolicyDocument: doc([{ Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*' }]) });
    const out = call(root, 'SimulatePrincipalPolicy', {
      PolicySourceArn: `arn:aws:iam::${ACCOUNT}:user/u`,
      PolicyInputList: [doc([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }])],
      ActionNames: ['s3:GetObject', 's3:DeleteObject'],
    }).EvaluationResults;
    assert.deepEqual(out.map((r: { EvalDecision: string }) => r.EvalDecision), ['allowed', 'explicitDeny']);
    assert.equal(out[0].MatchedStatements[0].SourcePolicyId, 'PolicyInputList.1');
    assert.equal(out[1].MatchedStatements[0].SourcePolicyId, 'group_no-delete_deny');
  });

  test('a missing source entity is NoSuchEntity; an ARN that names none is InvalidInput', () => {
    throwsAws(() => call(root, 'SimulatePrincipalPolicy', { PolicySourceArn: `arn:aws:iam::${ACCOUNT}:user/ghost`, ActionNames: ['s3:GetObject'] }), 'NoSuchEntity', 404, 'The user with name ghost cannot be found.');
    throwsAws(() => call(root, 'SimulatePrincipalPolicy', { PolicySourceArn: `arn:aws:iam::${ACCOUNT}:role/ghost`, ActionNames: ['s3:GetObject'] }), 'NoSuchEntity', 404);
    throwsAws(() => call(root, 'SimulatePrincipalPolicy', { PolicySourceArn: 'arn:aws:s3:::bucket-name', ActionNames: ['s3:GetObject'] }), 'InvalidInput', 400);
  });
});

describe('GetContextKeysFor*', () => {
  test("AWS's example: a variable in Resource and a condition key, in the order they appear", () => {
    const policy =
      '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:us-west-2:123456789012:table/${aws:username}","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2015-08-16T12:00:00Z"}}}}';
    assert.deepEqual(call(root, 'GetContextKeysForCustomPolicy', { PolicyInputList: [policy] }), { ContextKeyNames: ['aws:username', 'aws:CurrentTime'] });
  });

  test('keys are listed once whatever their case; variables in condition values count; old-version policies have no variables', () => {
    const a = doc([
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: '*', Condition: { StringLike: { 's3:prefix': ['home/${aws:username}/*'] }, StringEquals: { 'aws:RequestedRegion': 'us-east-1' } } },
    ]);
    const b = doc([{ Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringNotEquals: { 'AWS:REQUESTEDREGION': 'eu-west-1', 'aws:PrincipalTag/team': 'x' } } }]);
    const old = JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::${aws:username}' }] });
    assert.deepEqual(call(root, 'GetContextKeysForCustomPolicy', { PolicyInputList: [a, b, old] }).ContextKeyNames, [
      's3:prefix',
      'aws:username',
      'aws:RequestedRegion',
      'aws:PrincipalTag/team',
    ]);
  });

  test("for a principal: its own, its groups', its boundary's and the extra policies' keys", () => {
    call(root, 'CreateUser', { UserName: 'eng', PermissionsBoundary: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' });
    call(root, 'CreateGroup', { GroupName: 'engineer' });
    call(root, 'AddUserToGroup', { GroupName: 'engineer', UserName: 'eng' });
    call(root, 'PutGroupPolicy', { GroupName: 'engineer', PolicyName: 'engineer_access', PolicyDocument: fixture('seed001-engineer_access.json') });
    const extra = doc([{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }]);
    const out = call(root, 'GetContextKeysForPrincipalPolicy', { PolicySourceArn: `arn:aws:iam::${ACCOUNT}:user/eng`, PolicyInputList: [extra] });
    assert.deepEqual(out.ContextKeyNames, ['aws:RequestedRegion', 'aws:username', 'aws:MultiFactorAuthPresent']);
    throwsAws(() => call(root, 'GetContextKeysForPrincipalPolicy', { PolicySourceArn: `arn:aws:iam::${ACCOUNT}:group/none` }), 'NoSuchEntity', 404);
  });
});

describe('authorization of the simulation APIs', () => {
  test('principal simulations act on the source entity, with its tags; custom ones on "*"', () => {
    call(root, 'CreateUser', { UserName: 'tagged', Tags: [{ Key: 'team', Value: 'blue' }] });
    const arn = `arn:aws:iam::${ACCOUNT}:user/tagged`;
    assert.deepEqual(iamService.operations.SimulatePrincipalPolicy.authorize(root, { PolicySourceArn: arn, ActionNames: ['s3:GetObject'] }), {
      action: 'iam:SimulatePrincipalPolicy',
      resource: arn,
      context: { 'aws:ResourceTag/team': 'blue', 'iam:ResourceTag/team': 'blue' },
    });
    const group = `arn:aws:iam::${ACCOUNT}:group/nobody`;
    assert.deepEqual(iamService.operations.GetContextKeysForPrincipalPolicy.authorize(root, { PolicySourceArn: group }), { action: 'iam:GetContextKeysForPrincipalPolicy', resource: group });
    assert.deepEqual(iamService.operations.SimulateCustomPolicy.authorize(root, { PolicyInputList: [], ActionNames: [] }), { action: 'iam:SimulateCustomPolicy', resource: '*' });
    assert.deepEqual(iamService.operations.GetContextKeysForCustomPolicy.authorize(root, { PolicyInputList: [] }), { action: 'iam:GetContextKeysForCustomPolicy', resource: '*' });
  });
});
