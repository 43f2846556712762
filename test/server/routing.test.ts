import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { CreateAccessKeyCommand, CreateUserCommand, GetUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { clientConfig, startTestServer, type TestServer } from '../helpers/server.js';
import { doc, rejects } from '../helpers/aws.js';
import { xmlError } from '../helpers/signed-fetch.js';

let server: TestServer;

before(async () => {
  server = await startTestServer();
});
after(() => server.stop());

/** A request signed for any AWS service, as its SDK would send it. */
async function signedFor(service: string, headers: Record<string, string>, body: string, path = '/'): Promise<Response> {
  const u = new URL(server.url);
  const signer = new SignatureV4({ service, region: 'eu-west-1', credentials: server.root, sha256: Sha256 });
  const req = new HttpRequest({ method: 'POST', protocol: u.protocol, hostname: u.hostname, port: Number(u.port), path, headers: { host: u.host, ...headers }, body });
  const signed = await signer.sign(req);
  return fetch(`${server.url}${path}`, { method: 'POST', headers: signed.headers, body });
}

describe('services iamlocal does not serve', () => {
  test('a json-1.0 service (SQS) gets a JSON error its SDK reads, naming the service', async () => {
    const res = await signedFor('sqs', { 'x-amz-target': 'AmazonSQS.ListQueues', 'content-type': 'application/x-amz-json-1.0' }, '{}');
    assert.equal(res.status, 501);
    assert.equal(res.headers.get('x-amzn-errortype'), 'NotImplemented');
    const body = (await res.json()) as { __type: string; message: string };
    assert.equal(body.__type, 'NotImplemented');
    assert.match(body.message, /iamlocal does not serve SQS \(sqs\)/);
  });

  test('a query service (CloudFormation) gets an ErrorResponse XML, not S3 XML', async () => {
    const res = await signedFor('cloudformation', { 'content-type': 'application/x-www-form-urlencoded' }, 'Action=ListStacks&Version=2010-05-15');
    assert.equal(res.status, 501);
    const text = await res.text();
    assert.match(text, /^<ErrorResponse>/);
    assert.deepEqual(xmlError(text), { code: 'NotImplemented', message: 'iamlocal does not serve CloudFormation (cloudformation); it serves iam, sts, s3, s3control, dynamodb, ec2, organizations, cloudtrail, accessanalyzer, sso-admin, identitystore, sso.' });
  });

  test('a rest-json service (Lambda) is named too, and the refusal is in the decision log', async () => {
    const res = await signedFor('lambda', { 'content-type': 'application/json' }, '{}', '/2015-03-31/functions');
    assert.equal(res.status, 501);
    assert.match(((await res.json()) as { message: string }).message, /does not serve Lambda/);
    const event = server.events.findLast((e) => e.service === 'lambda');
    assert.equal(event?.status, 501);
    assert.equal(event?.errorCode, 'NotImplemented');
  });
});

describe('the routing table', () => {
  test('admin calls are recorded in the decision log like AWS requests', async () => {
    const res = await fetch(`${server.url}/_iamlocal/health`);
    assert.equal(res.status, 200);
    const event = server.events.findLast((e) => e.service === 'iamlocal');
    assert.equal(event?.operation, 'GET /_iamlocal/health');
    assert.equal(event?.status, 200);
    const missing = await fetch(`${server.url}/_iamlocal/nothing-here`, { method: 'POST' });
    assert.equal(missing.status, 404);
    assert.equal(server.events.findLast((e) => e.service === 'iamlocal')?.status, 404);
  });
});

describe('IAM is global: aws:RequestedRegion is us-east-1 whatever region signed', () => {
  test('a region-pinned allow lets IAM through from any shell; a deny outside us-west-2 always stops IAM', async () => {
    const root = new IAMClient(clientConfig(server));
    await root.send(new CreateUserCommand({ UserName: 'regional' }));
    await root.send(new PutUserPolicyCommand({
      UserName: 'regional',
      PolicyName: 'p',
      PolicyDocument: doc([{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } } }]),
    }));
    const { AccessKey } = await root.send(new CreateAccessKeyCommand({ UserName: 'regional' }));
    const creds = { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
    const fromSydney = new IAMClient(clientConfig(server, creds, 'ap-southeast-2'));
    assert.equal((await fromSydney.send(new GetUserCommand({}))).User?.UserName, 'regional');

    await root.send(new PutUserPolicyCommand({
      UserName: 'regional',
      PolicyName: 'only-us-west-2',
      PolicyDocument: doc([{ Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringNotEquals: { 'aws:RequestedRegion': 'us-west-2' } } }]),
    }));
    const fromOregon = new IAMClient(clientConfig(server, creds, 'us-west-2'));
    await rejects(fromOregon.send(new GetUserCommand({})), 'AccessDenied', /explicit deny in an identity-based policy/);
    // STS is regional: its region is still the one signed.
    const sts = new STSClient(clientConfig(server, creds, 'us-west-2'));
    assert.match((await sts.send(new GetCallerIdentityCommand({}))).Arn ?? "", /:user\/regional$/);
  });
});
