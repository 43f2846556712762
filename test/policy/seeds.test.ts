/**
 * The policies from our users' tutorials (/work/shared/seeds), copied as fixtures, parse
 * (or fail) as AWS would and decide as the tutorials say.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compilePolicy, evaluate, explain, MalformedPolicyError, parsePolicy, type EvalRequest, type PolicySet } from '../../src/policy/index.js';
import { ACCOUNT, fixture, req, roleSession, service, user } from './support.js';

const compiled = (file: string, kind: 'identity' | 'trust' = 'identity') => compilePolicy(fixture(file), { kind, name: file.replace(/\.json$/, '') });
const decide = (r: EvalRequest, set: PolicySet) => evaluate(r, set).decision;

test('seed 000: EC2 trust policy, AmazonS3FullAccess and AmazonDynamoDBFullAccess', () => {
  const trust = compiled('seed000-ec2-trust.json', 'trust');
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/ec2-s3-dynamodb`;
  const assume = (p: ReturnType<typeof service>) => decide(req('sts:AssumeRole', roleArn, p), { identity: [], resource: [trust], resourcePolicyRequired: true });
  assert.equal(assume(service('ec2.amazonaws.com')), 'allowed');
  assert.equal(assume(service('lambda.amazonaws.com')), 'implicitDeny');
  assert.equal(decide(req('sts:AssumeRole', roleArn, user('alice')), { identity: [], resource: [trust], resourcePolicyRequired: true }), 'implicitDeny');

  // The instance's role session with both managed policies.
  const s = roleSession('ec2-s3-dynamodb', 'i-0123456789abcdef0');
  const set: PolicySet = { identity: [compiled('seed000-AmazonS3FullAccess.json'), compiled('seed000-AmazonDynamoDBFullAccess.json')] };
  assert.equal(decide(req('s3:PutObject', 'arn:aws:s3:::backups/db.dump', s), set), 'allowed');
  assert.equal(decide(req('s3-object-lambda:GetObject', 'arn:aws:s3-object-lambda:us-east-1:111122223333:accesspoint/ap', s), set), 'allowed');
  assert.equal(decide(req('dynamodb:PutItem', `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders`, s), set), 'allowed');
  assert.equal(decide(req('cloudwatch:GetInsightRuleReport', `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:insight-rule/DynamoDBContributorInsights-orders`, s), set), 'allowed');
  assert.equal(decide(req('cloudwatch:GetInsightRuleReport', `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:insight-rule/Other`, s), set), 'implicitDeny');
  const passRole = (to: string) => decide(req('iam:PassRole', `arn:aws:iam::${ACCOUNT}:role/x`, s, { 'iam:PassedToService': to }), set);
  assert.equal(passRole('dax.amazonaws.com'), 'allowed');
  assert.equal(passRole('ec2.amazonaws.com'), 'implicitDeny');
  assert.equal(decide(req('ec2:RunInstances', `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/*`, s), set), 'implicitDeny');
});

test('seed 001: engineer_access as published is refused, pointing at the trailing comma', () => {
  const text = fixture('seed001-engineer_access.broken.json');
  assert.throws(() => parsePolicy(text, { kind: 'identity', name: 'engineer_access' }), (e: unknown) => {
    assert.ok(e instanceof MalformedPolicyError);
    assert.equal(e.code, 'MalformedPolicyDocument');
    assert.equal(e.message, 'Syntax errors in policy.');
    const lines = text.split('\n');
    assert.match(lines[e.line - 1], /"s3:GetEncryptionConfiguration",$/);
    assert.equal(lines[e.line - 1][e.column - 1], ',');
    assert.match(e.detail, /^line 40, column \d+: trailing comma before '\]'$/);
    return true;
  });
});

test('seed 001: admin_access limits everything to ap-southeast-2 except the console services in us-east-1', () => {
  const set: PolicySet = { identity: [compiled('seed001-admin_access.json')] };
  const admin = user('admin_erika');
  const at = (action: string, resource: string, region: string) => decide(req(action, resource, admin, { 'aws:RequestedRegion': region }), set);
  assert.equal(at('ec2:RunInstances', `arn:aws:ec2:ap-southeast-2:${ACCOUNT}:instance/*`, 'ap-southeast-2'), 'allowed');
  assert.equal(at('ec2:RunInstances', `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/*`, 'us-east-1'), 'implicitDeny');
  assert.equal(at('iam:CreateUser', `arn:aws:iam::${ACCOUNT}:user/x`, 'us-east-1'), 'allowed');
  assert.equal(at('cloudshell:CreateSession', '*', 'us-east-1'), 'allowed');
  assert.equal(at('aws-portal:ViewBilling', '*', 'us-east-1'), 'allowed');
  assert.equal(at('s3:CreateBucket', 'arn:aws:s3:::x', 'us-east-1'), 'implicitDeny');
  const noRegion = evaluate(req('s3:ListAllMyBuckets', '*', admin, {}), set);
  assert.equal(noRegion.decision, 'implicitDeny');
  assert.deepEqual(noRegion.missingContextKeys, ['aws:RequestedRegion']);
});

test('seed 001: engineer_access (commas fixed) grants the buckets, Glue and own credentials only', () => {
  const set: PolicySet = { identity: [compiled('seed001-engineer_access.json')] };
  const erika = user('engineer_erika');
  const at = (action: string, resource: string, region: string, who = erika) =>
    evaluate(req(action, resource, who, { 'aws:RequestedRegion': region }), set);
  assert.equal(at('s3:PutObject', 'arn:aws:s3:::erika-landing-zone/in/data.csv', 'ap-southeast-2').decision, 'allowed');
  assert.equal(at('s3:DeleteObject', 'arn:aws:s3:::erika-analysis/out/x', 'ap-southeast-2').decision, 'allowed');
  assert.equal(at('s3:CreateAccessPoint', `arn:aws:s3:ap-southeast-2:${ACCOUNT}:accesspoint/ap`, 'ap-southeast-2').decision, 'allowed');
  assert.equal(at('s3:GetObject', 'arn:aws:s3:::someone-elses-bucket/x', 'ap-southeast-2').decision, 'implicitDeny');
  assert.equal(at('s3:PutObject', 'arn:aws:s3:::erika-analysis/x', 'us-east-1').decision, 'implicitDeny');
  assert.equal(at('glue:CreateJob', `arn:aws:glue:ap-southeast-2:${ACCOUNT}:job/j`, 'ap-southeast-2').decision, 'allowed');
  assert.equal(at('glue:CreateJob', `arn:aws:glue:us-east-1:${ACCOUNT}:job/j`, 'us-east-1').decision, 'implicitDeny');
  // ${aws:username}: own access keys and MFA device only, in us-east-1.
  const own = at('iam:CreateAccessKey', `arn:aws:iam::${ACCOUNT}:user/engineer_erika`, 'us-east-1');
  assert.equal(own.decision, 'allowed');
  assert.equal(explain(own), 'allowed by statement "ManageOwnSecurityCredentials" (line 94) of policy "seed001-engineer_access"');
  assert.equal(at('iam:CreateAccessKey', `arn:aws:iam::${ACCOUNT}:user/admin_erika`, 'us-east-1').decision, 'implicitDeny');
  assert.equal(at('iam:CreateVirtualMFADevice', `arn:aws:iam::${ACCOUNT}:mfa/engineer_erika`, 'us-east-1').decision, 'allowed');
  assert.equal(at('iam:CreateVirtualMFADevice', `arn:aws:iam::${ACCOUNT}:mfa/other`, 'us-east-1').decision, 'implicitDeny');
  assert.equal(at('iam:PassRole', `arn:aws:iam::${ACCOUNT}:role/batch`, 'us-east-1').decision, 'allowed');
  assert.equal(at('iam:CreateUser', `arn:aws:iam::${ACCOUNT}:user/new`, 'us-east-1').decision, 'implicitDeny');
});

test('seed 002: deny overrides allow, whatever the statement order', () => {
  const alice = user('alice');
  const terminate = req('ec2:TerminateInstances', `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/i-0b5c991e026104db9`, alice);
  const describe = req('ec2:DescribeInstances', '*', alice);
  const ec2All = { identity: [compiled('seed002-ec2-all.json')] };
  const allButTerminate = { identity: [compiled('seed002-ec2-all-but-terminate.json')] };
  const denyAll = { identity: [compiled('seed002-deny-ec2.json')] };
  assert.equal(decide(terminate, ec2All), 'allowed');
  assert.equal(decide(describe, allButTerminate), 'allowed');
  assert.equal(decide(terminate, allButTerminate), 'explicitDeny');
  assert.equal(decide(terminate, denyAll), 'explicitDeny');
  assert.equal(decide(describe, denyAll), 'explicitDeny');
  assert.equal(decide(req('s3:GetObject', 'arn:aws:s3:::b/k', alice), { identity: [compiled('seed002-s3-full.json')] }), 'allowed');
});

test('seed 002: the book\'s typesetting mark makes the instance policy invalid JSON; without it, it targets one instance', () => {
  const text = fixture('seed002-terminate-one-instance.book.json');
  assert.throws(() => parsePolicy(text, { kind: 'identity' }), (e: unknown) => e instanceof MalformedPolicyError && e.message === 'Syntax errors in policy.' && e.line === 7);
  const fixed = compilePolicy(text.replace('[CA] ', ''), { kind: 'identity', name: 'terminate-one' });
  const alice = user('alice');
  assert.equal(decide(req('ec2:TerminateInstances', 'arn:aws:ec2:us-east-1:111111111111:instance/i-0b5c991e026104db9', alice), { identity: [fixed] }), 'allowed');
  assert.equal(decide(req('ec2:TerminateInstances', 'arn:aws:ec2:us-east-1:111111111111:instance/i-other', alice), { identity: [fixed] }), 'implicitDeny');
});

test('seed 003: the role allows S3 read and EC2, denies iam:CreateUser, and needs MFA to assume', () => {
  const set: PolicySet = { identity: [compiled('seed003-role-s3-read-ec2-full.json'), compiled('seed003-role-deny-create-user.json')] };
  const s = roleSession('boto3-role', 'script');
  assert.equal(decide(req('s3:GetObject', 'arn:aws:s3:::config/master.json', s), set), 'allowed');
  assert.equal(decide(req('s3:ListBucket', 'arn:aws:s3:::config', s), set), 'allowed');
  assert.equal(decide(req('s3:PutObject', 'arn:aws:s3:::config/master.json', s), set), 'implicitDeny');
  assert.equal(decide(req('ec2:RunInstances', `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/*`, s), set), 'allowed');
  const createUser = evaluate(req('iam:CreateUser', `arn:aws:iam::${ACCOUNT}:user/x`, s), set);
  assert.equal(createUser.decision, 'explicitDeny');
  assert.equal(createUser.matched[0].sid, 'DenyCreateUser');

  const trust = compiled('seed003-trust-mfa.json', 'trust');
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/boto3-role`;
  const assumer = { identity: [compilePolicy(JSON.stringify({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: roleArn } }), { kind: 'identity', name: 'may-assume' })], resource: [trust], resourcePolicyRequired: true };
  for (const name of ['user1', 'user2', 'user3']) {
    assert.equal(decide(req('sts:AssumeRole', roleArn, user(name), { 'aws:MultiFactorAuthPresent': 'true' }), assumer), 'allowed');
    assert.equal(decide(req('sts:AssumeRole', roleArn, user(name), { 'aws:MultiFactorAuthPresent': 'false' }), assumer), 'implicitDeny');
    assert.equal(decide(req('sts:AssumeRole', roleArn, user(name), {}), assumer), 'implicitDeny');
  }
});

test('seed 004: edXProjectPolicy grants the listed services and only the listed KMS actions', () => {
  const set: PolicySet = { identity: [compiled('seed004-edXProjectPolicy.json')] };
  const dev = user('edXProjectUser');
  for (const action of ['iam:CreateRole', 'rds:CreateDBInstance', 'sns:Publish', 'cloudformation:CreateStack', 'rekognition:DetectLabels', 'ec2:RunInstances', 'cognito-idp:SignUp', 'sqs:SendMessage', 'xray:PutTraceSegments', 's3:PutObject', 'elasticloadbalancing:CreateLoadBalancer', 'cloud9:CreateEnvironmentEC2', 'lambda:InvokeFunction', 'logs:PutLogEvents', 'kms:DescribeKey', 'kms:ListAliases', 'tag:GetResources']) {
    assert.equal(decide(req(action, '*', dev), set), 'allowed', action);
  }
  for (const action of ['kms:Decrypt', 'kms:CreateKey', 'dynamodb:PutItem', 'tag:TagResources', 'sts:AssumeRole']) {
    assert.equal(decide(req(action, '*', dev), set), 'implicitDeny', action);
  }
});
