import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AwsError,
  decodeRequest,
  getOperationModel,
  getServiceModel,
  operationNames,
  SERVICE_NAMES,
  type OperationModel,
} from '../../src/protocol/index.js';

test('every service model loads with its protocol and operations', () => {
  const protocols = Object.fromEntries(SERVICE_NAMES.map((s) => [s, getServiceModel(s).protocol]));
  assert.deepEqual(protocols, { iam: 'query', sts: 'query', s3: 'rest-xml', s3control: 'rest-xml', dynamodb: 'json', ec2: 'ec2', organizations: 'json', cloudtrail: 'json', accessanalyzer: 'rest-json',
    'sso-admin': 'json', identitystore: 'json', sso: 'rest-json' });
  assert.ok(operationNames('iam').includes('CreateUser'));
  assert.ok(operationNames('sts').includes('AssumeRoleWithWebIdentity'));
  assert.ok(operationNames('ec2').length > 500);
  assert.equal(getServiceModel('iam'), getServiceModel('iam'), 'loaded once');
});

test('operation models expose shapes, wrappers and HTTP bindings', () => {
  const op = getOperationModel('iam', 'CreateUser')!;
  assert.equal(op.input?.name, 'CreateUserRequest');
  assert.equal(op.output?.name, 'CreateUserResponse');
  assert.equal(op.resultWrapper, 'CreateUserResult');
  assert.ok(op.errors.includes('EntityAlreadyExistsException'));
  assert.equal(op.input?.memberByName.get('UserName')?.required, true);
  const put = getOperationModel('s3', 'PutObject')!;
  assert.deepEqual(put.http, { method: 'PUT', requestUri: '/{Bucket}/{Key+}' });
  assert.equal(put.payloadMember?.name, 'Body');
  assert.equal(put.streamingPayload, true);
  assert.equal(getOperationModel('s3', 'DeleteObject')!.http.responseCode, 204);
  assert.equal(getOperationModel('iam', 'NoSuchOperation'), undefined);
});

/** A request that reaches `op` by its URI template, with placeholder values for required bindings. */
function s3RequestFor(op: OperationModel) {
  const [pathTemplate, queryTemplate] = op.http.requestUri.split('?');
  const path = pathTemplate.replace('{Bucket}', 'bkt').replace('{Key+}', 'some/key');
  const query = queryTemplate ? queryTemplate.split('&') : [];
  const headers: Record<string, string> = {};
  for (const m of op.input?.members ?? []) {
    if (!m.required) continue;
    const sample = m.shape.type === 'integer' || m.shape.type === 'long' ? '1' : m.shape.type === 'timestamp' ? '2024-01-01T00:00:00Z' : 'v';
    if (m.location === 'querystring') query.push(`${m.locationName}=${sample}`);
    if (m.location === 'header') headers[m.locationName!.toLowerCase()] = sample;
  }
  return { method: op.http.method, path, rawQuery: query.join('&'), headers, body: Buffer.alloc(0) };
}

test('the S3 router reaches every operation from its own URI template', () => {
  // Pairs that share one binding on the wire; the second name is what S3 answers for it.
  const sameWire: Record<string, string> = {
    GetBucketLifecycle: 'GetBucketLifecycleConfiguration',
    PutBucketLifecycle: 'PutBucketLifecycleConfiguration',
    GetBucketNotification: 'GetBucketNotificationConfiguration',
    PutBucketNotification: 'PutBucketNotificationConfiguration',
    ListDirectoryBuckets: 'ListBuckets',
  };
  const wrong: string[] = [];
  for (const name of operationNames('s3')) {
    const op = getOperationModel('s3', name)!;
    let got: string;
    try {
      got = decodeRequest('s3', s3RequestFor(op), { skipPayload: true }).operation;
    } catch (e) {
      got = e instanceof AwsError ? `error ${e.code}` : String(e);
    }
    const expected = sameWire[name] ?? name;
    if (got !== expected && !got.startsWith('error MalformedXML')) wrong.push(`${name} → ${got}`);
  }
  assert.deepEqual(wrong, []);
});

test('every query and ec2 action is recognised (errors, if any, are about its input)', () => {
  for (const service of ['iam', 'sts', 'ec2'] as const) {
    for (const name of operationNames(service)) {
      try {
        decodeRequest(service, { method: 'POST', path: '/', rawQuery: '', headers: {}, body: Buffer.from(`Action=${name}`) });
      } catch (e) {
        assert.ok(e instanceof AwsError, `${service}:${name} threw ${e}`);
        assert.ok(['ValidationError', 'MissingParameter'].includes(e.code), `${service}:${name} → ${e.code}`);
      }
    }
  }
});

test('operation summaries give the coverage table plain rows', async () => {
  const { operationSummaries } = await import('../../src/protocol/index.js');
  const rows = operationSummaries('iam');
  assert.equal(rows.length, operationNames('iam').length);
  assert.deepEqual(rows.find((r) => r.name === 'GetUser'), {
    name: 'GetUser',
    inputShape: 'GetUserRequest',
    outputShape: 'GetUserResponse',
    method: 'POST',
    requestUri: '/',
    deprecated: false,
  });
});
