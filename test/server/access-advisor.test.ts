import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  IAMClient,
  CreateAccessKeyCommand,
  CreateUserCommand,
  GenerateServiceLastAccessedDetailsCommand,
  GetServiceLastAccessedDetailsCommand,
  GetServiceLastAccessedDetailsWithEntitiesCommand,
  GetUserCommand,
  ListPoliciesGrantingServiceAccessCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { startTestServer, clientConfig, type TestServer } from '../helpers/server.js';
import { doc } from '../helpers/aws.js';

let server: TestServer;
let iam: IAMClient;

before(async () => {
  server = await startTestServer();
  iam = new IAMClient(clientConfig(server));
});
after(async () => server.stop());

const ACCOUNT = '000000000000';

describe('service last accessed data over HTTP', () => {
  test('a user who called IAM shows IAM last accessed; the granting policy is named', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'reader' }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'reader', PolicyName: 'read', PolicyDocument: doc([{ Effect: 'Allow', Action: ['iam:GetUser', 's3:ListBucket'], Resource: '*' }]) }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'reader' }));
    const reader = new IAMClient(clientConfig(server, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }));
    await reader.send(new GetUserCommand({}));

    const arn = `arn:aws:iam::${ACCOUNT}:user/reader`;
    const { JobId } = await iam.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: arn }));
    const out = await iam.send(new GetServiceLastAccessedDetailsCommand({ JobId }));
    assert.equal(out.JobStatus, 'COMPLETED');
    const byNs = new Map(out.ServicesLastAccessed?.map((s) => [s.ServiceNamespace, s]));
    assert.deepEqual([...byNs.keys()], ['iam', 's3']);
    assert.ok(byNs.get('iam')?.LastAuthenticated instanceof Date);
    assert.equal(byNs.get('iam')?.LastAuthenticatedEntity, arn);
    assert.equal(byNs.get('s3')?.LastAuthenticated, undefined);

    const ents = await iam.send(new GetServiceLastAccessedDetailsWithEntitiesCommand({ JobId, ServiceNamespace: 'iam' }));
    assert.equal(ents.EntityDetailsList?.[0]?.EntityInfo?.Name, 'reader');

    const granting = await iam.send(new ListPoliciesGrantingServiceAccessCommand({ Arn: arn, ServiceNamespaces: ['s3'] }));
    assert.deepEqual(granting.PoliciesGrantingServiceAccess?.[0]?.Policies?.map((p) => [p.PolicyName, p.PolicyType]), [['read', 'INLINE']]);
  });
});
