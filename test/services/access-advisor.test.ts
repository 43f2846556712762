import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT, asRoot, call, openTestStore, throwsAws } from './context.js';
import { iamService } from '../../src/services/iam/index.js';
import { allowedNamespaces } from '../../src/services/iam/access-advisor/access-advisor-sources.js';
import type { Store } from '../../src/store/store.js';

let t: ReturnType<typeof openTestStore>;
let store: Store;
beforeEach(() => {
  t = openTestStore();
  store = t.store;
});
afterEach(() => t.dispose());

const root = () => asRoot(store);
const doc = (statements: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const S3_READ = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess';
const USER_ARN = `arn:aws:iam::${ACCOUNT}:user/alice`;

/** alice: inline DynamoDB policy, S3 read-only attached, and a group granting SQS. */
function setUpAlice(): string {
  call(root(), 'CreateUser', { UserName: 'alice' });
  call(root(), 'PutUserPolicy', { UserName: 'alice', PolicyName: 'ddb', PolicyDocument: doc([{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*' }]) });
  call(root(), 'AttachUserPolicy', { UserName: 'alice', PolicyArn: S3_READ });
  call(root(), 'CreateGroup', { GroupName: 'queues' });
  call(root(), 'AddUserToGroup', { GroupName: 'queues', UserName: 'alice' });
  call(root(), 'PutGroupPolicy', { GroupName: 'queues', PolicyName: 'sqs', PolicyDocument: doc([{ Effect: 'Allow', Action: 'sqs:Send*', Resource: '*' }]) });
  const { AccessKey } = call(root(), 'CreateAccessKey', { UserName: 'alice' });
  return AccessKey.AccessKeyId;
}

function markUsed(keyId: string, service: string, at: number, region = 'eu-west-1') {
  store.db.prepare('UPDATE access_keys SET last_used_at = ?, last_used_service = ?, last_used_region = ? WHERE access_key_id = ?').run(at, service, region, keyId);
}

describe('allowedNamespaces', () => {
  test('services from Allow statements: exact actions, wildcards, NotAction; Deny and unknown actions add none', () => {
    assert.deepEqual([...allowedNamespaces(doc([{ Effect: 'Allow', Action: ['s3:GetObject', 'ec2:Describe*'], Resource: '*' }]))].sort(), ['ec2', 's3']);
    assert.deepEqual([...allowedNamespaces(doc([{ Effect: 'Deny', Action: 's3:*', Resource: '*' }]))], []);
    assert.deepEqual([...allowedNamespaces(doc([{ Effect: 'Allow', Action: 's3:NoSuchAction', Resource: '*' }]))], []);
    const all = allowedNamespaces(doc([{ Effect: 'Allow', Action: '*', Resource: '*' }]));
    assert.ok(all.has('iam') && all.has('s3') && all.size > 100);
    const notIam = allowedNamespaces(doc([{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }]));
    assert.ok(!notIam.has('iam') && notIam.has('s3'));
  });
});

describe('GenerateServiceLastAccessedDetails / GetServiceLastAccessedDetails', () => {
  test('a user job lists every service its policies allow, with the last use of its keys', () => {
    const keyId = setUpAlice();
    const used = Date.UTC(2026, 2, 3, 4, 5, 6);
    markUsed(keyId, 's3', used);
    const created = Date.UTC(2026, 5, 1);
    const { JobId } = call(asRoot(store, created), 'GenerateServiceLastAccessedDetails', { Arn: USER_ARN });
    assert.match(JobId, /^[0-9a-f-]{36}$/);
    const out = call(root(), 'GetServiceLastAccessedDetails', { JobId });
    assert.equal(out.JobStatus, 'COMPLETED');
    assert.equal(out.JobType, 'SERVICE_LEVEL');
    assert.deepEqual(out.JobCreationDate, new Date(created));
    assert.deepEqual(
      out.ServicesLastAccessed.map((s: { ServiceNamespace: string }) => s.ServiceNamespace),
      // AmazonS3ReadOnlyAccess also allows s3-object-lambda:Get* and List*.
      ['dynamodb', 's3', 's3-object-lambda', 'sqs'],
    );
    const s3 = out.ServicesLastAccessed.find((s: { ServiceNamespace: string }) => s.ServiceNamespace === 's3');
    assert.deepEqual(s3.LastAuthenticated, new Date(used));
    assert.equal(s3.LastAuthenticatedEntity, USER_ARN);
    assert.equal(s3.LastAuthenticatedRegion, 'eu-west-1');
    assert.equal(s3.TotalAuthenticatedEntities, 1);
    assert.ok(s3.ServiceName.length > 0);
    const ddb = out.ServicesLastAccessed.find((s: { ServiceNamespace: string }) => s.ServiceNamespace === 'dynamodb');
    assert.equal(ddb.LastAuthenticated, undefined);
    assert.equal(ddb.TotalAuthenticatedEntities, 0);
    assert.equal(out.IsTruncated, false);
  });

  test('a group job covers its members; WithEntities lists them per service', () => {
    const keyId = setUpAlice();
    markUsed(keyId, 'sqs', Date.UTC(2026, 0, 9));
    const { JobId } = call(root(), 'GenerateServiceLastAccessedDetails', { Arn: `arn:aws:iam::${ACCOUNT}:group/queues` });
    const out = call(root(), 'GetServiceLastAccessedDetails', { JobId });
    assert.deepEqual(out.ServicesLastAccessed.map((s: { ServiceNamespace: string }) => s.ServiceNamespace), ['sqs']);
    assert.equal(out.ServicesLastAccessed[0].LastAuthenticatedEntity, USER_ARN);
    const ents = call(root(), 'GetServiceLastAccessedDetailsWithEntities', { JobId, ServiceNamespace: 'sqs' });
    assert.equal(ents.EntityDetailsList.length, 1);
    assert.equal(ents.EntityDetailsList[0].EntityInfo.Arn, USER_ARN);
    assert.equal(ents.EntityDetailsList[0].EntityInfo.Type, 'USER');
    assert.deepEqual(ents.EntityDetailsList[0].LastAuthenticated, new Date(Date.UTC(2026, 0, 9)));
    assert.deepEqual(call(root(), 'GetServiceLastAccessedDetailsWithEntities', { JobId, ServiceNamespace: 'ec2' }).EntityDetailsList, []);
  });

  test('a managed policy job reports the services the policy allows', () => {
    setUpAlice();
    const { JobId } = call(root(), 'GenerateServiceLastAccessedDetails', { Arn: S3_READ, Granularity: 'ACTION_LEVEL' });
    const out = call(root(), 'GetServiceLastAccessedDetails', { JobId });
    assert.equal(out.JobType, 'ACTION_LEVEL');
    assert.ok(out.ServicesLastAccessed.some((s: { ServiceNamespace: string }) => s.ServiceNamespace === 's3'));
    assert.ok(!out.ServicesLastAccessed.some((s: { ServiceNamespace: string }) => s.ServiceNamespace === 'dynamodb'));
  });

  test('the report pages with MaxItems and Marker', () => {
    call(root(), 'CreateRole', { RoleName: 'admin', AssumeRolePolicyDocument: doc([{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }]) });
    call(root(), 'PutRolePolicy', { RoleName: 'admin', PolicyName: 'all', PolicyDocument: doc([{ Effect: 'Allow', Action: '*', Resource: '*' }]) });
    const { JobId } = call(root(), 'GenerateServiceLastAccessedDetails', { Arn: `arn:aws:iam::${ACCOUNT}:role/admin` });
    const first = call(root(), 'GetServiceLastAccessedDetails', { JobId, MaxItems: 10 });
    assert.equal(first.ServicesLastAccessed.length, 10);
    assert.equal(first.IsTruncated, true);
    const second = call(root(), 'GetServiceLastAccessedDetails', { JobId, MaxItems: 10, Marker: first.Marker });
    assert.ok(second.ServicesLastAccessed[0].ServiceNamespace > first.ServicesLastAccessed[9].ServiceNamespace);
  });

  test('unknown entities, malformed ARNs and unknown jobs are refused', () => {
    throwsAws(() => call(root(), 'GenerateServiceLastAccessedDetails', { Arn: `arn:aws:iam::${ACCOUNT}:user/nobody` }), 'NoSuchEntity', 404, 'The user with name nobody cannot be found.');
    throwsAws(() => call(root(), 'GenerateServiceLastAccessedDetails', { Arn: 'arn:aws:s3:::bucket-name' }), 'InvalidInput', 400);
    throwsAws(() => call(root(), 'GetServiceLastAccessedDetails', { JobId: '00000000-0000-0000-0000-000000000000' }), 'NoSuchEntity', 404);
  });
});

describe('ListPoliciesGrantingServiceAccess', () => {
  test('names the user, group and managed policies that grant each namespace', () => {
    setUpAlice();
    const out = call(root(), 'ListPoliciesGrantingServiceAccess', { Arn: USER_ARN, ServiceNamespaces: ['dynamodb', 's3', 'sqs', 'ec2'] });
    const by = Object.fromEntries(out.PoliciesGrantingServiceAccess.map((e: { ServiceNamespace: string; Policies: unknown[] }) => [e.ServiceNamespace, e.Policies]));
    assert.deepEqual(by.dynamodb, [{ PolicyName: 'ddb', PolicyType: 'INLINE', EntityType: 'USER', EntityName: 'alice' }]);
    assert.deepEqual(by.s3, [{ PolicyName: 'AmazonS3ReadOnlyAccess', PolicyType: 'MANAGED', PolicyArn: S3_READ }]);
    assert.deepEqual(by.sqs, [{ PolicyName: 'sqs', PolicyType: 'INLINE', EntityType: 'GROUP', EntityName: 'queues' }]);
    assert.deepEqual(by.ec2, []);
    assert.equal(out.IsTruncated, false);
  });

  test('a managed policy ARN is not an entity here', () => {
    throwsAws(() => call(root(), 'ListPoliciesGrantingServiceAccess', { Arn: S3_READ, ServiceNamespaces: ['s3'] }), 'InvalidInput', 400);
  });

  test('authz: the entity ARN for Generate and List, "*" for reading a job', () => {
    assert.deepEqual(iamService.operations.GenerateServiceLastAccessedDetails.authorize(root(), { Arn: USER_ARN }), { action: 'iam:GenerateServiceLastAccessedDetails', resource: USER_ARN });
    assert.deepEqual(iamService.operations.ListPoliciesGrantingServiceAccess.authorize(root(), { Arn: USER_ARN, ServiceNamespaces: ['s3'] }), {
      action: 'iam:ListPoliciesGrantingServiceAccess',
      resource: USER_ARN,
    });
    assert.deepEqual(iamService.operations.GetServiceLastAccessedDetails.authorize(root(), { JobId: 'x' }), { action: 'iam:GetServiceLastAccessedDetails', resource: '*' });
  });
});
