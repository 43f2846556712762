import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  AccessAnalyzerClient, GetAnalyzerCommand, ListAnalyzersCommand, CreateAnalyzerCommand, ValidatePolicyCommand, ListTagsForResourceCommand,
  ValidationException, ResourceNotFoundException,
} from '@aws-sdk/client-accessanalyzer';
import { AwsError, decodeRequest, detectService, encodeError, encodeResponse } from '../../src/protocol/index.js';
import { startWireServer, testCredentials, type WireServer } from './wire-server.js';

let reply: (op: string, input: Record<string, unknown>) => unknown = () => ({});
let decoded: { operation?: string; input?: Record<string, unknown> } = {};
let server: WireServer;

before(async () => {
  server = await startWireServer((req) => {
    assert.equal(detectService(req), 'accessanalyzer');
    try {
      const { operation, input } = decodeRequest('accessanalyzer', req);
      decoded = { operation, input };
      return encodeResponse('accessanalyzer', operation, reply(operation, input), 'aa-req');
    } catch (e) {
      if (e instanceof AwsError) return encodeError('accessanalyzer', e, 'aa-err');
      throw e;
    }
  });
});
after(() => server.close());

const aa = () => new AccessAnalyzerClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: testCredentials, maxAttempts: 1 });

test('rest-json: URI label, ISO 8601 timestamps in the body out', async () => {
  const created = new Date('2024-05-06T07:08:09Z');
  reply = (_op, input) => ({
    analyzer: { arn: `arn:aws:access-analyzer:us-east-1:123456789012:analyzer/${input.analyzerName}`, name: input.analyzerName, type: 'ACCOUNT', createdAt: created, status: 'ACTIVE' },
  });
  const out = await aa().send(new GetAnalyzerCommand({ analyzerName: 'my.analyzer-1' }));
  assert.equal(decoded.operation, 'GetAnalyzer');
  assert.deepEqual(decoded.input, { analyzerName: 'my.analyzer-1' });
  assert.equal(out.analyzer?.name, 'my.analyzer-1');
  assert.equal(out.analyzer?.createdAt?.toISOString(), created.toISOString());
  assert.equal(server.requests.at(-1)!.path, '/analyzer/my.analyzer-1');
});

test('rest-json: query string members (type, maxResults, nextToken)', async () => {
  reply = () => ({ analyzers: [], nextToken: 'next' });
  const out = await aa().send(new ListAnalyzersCommand({ type: 'ACCOUNT', maxResults: 5, nextToken: 'abc' }));
  assert.deepEqual(decoded.input, { type: 'ACCOUNT', maxResults: 5, nextToken: 'abc' });
  assert.equal(out.nextToken, 'next');
});

test('rest-json: JSON body with nested structures and maps; idempotency token', async () => {
  reply = () => ({ arn: 'arn:aws:access-analyzer:us-east-1:123456789012:analyzer/a' });
  const out = await aa().send(new CreateAnalyzerCommand({ analyzerName: 'a', type: 'ACCOUNT', tags: { team: 'x' } }));
  assert.equal(decoded.operation, 'CreateAnalyzer');
  assert.equal(decoded.input!.analyzerName, 'a');
  assert.deepEqual(decoded.input!.tags, { team: 'x' });
  assert.equal(typeof decoded.input!.clientToken, 'string');
  assert.equal(out.arn, 'arn:aws:access-analyzer:us-east-1:123456789012:analyzer/a');
});

test('rest-json: a greedy-free label holding an encoded ARN', async () => {
  reply = () => ({ tags: { k: 'v' } });
  const arn = 'arn:aws:access-analyzer:us-east-1:123456789012:analyzer/a';
  const out = await aa().send(new ListTagsForResourceCommand({ resourceArn: arn }));
  assert.deepEqual(decoded.input, { resourceArn: arn });
  assert.deepEqual(out.tags, { k: 'v' });
});

test('rest-json: model validation → ValidationException; modelled errors by x-amzn-ErrorType', async () => {
  await assert.rejects(aa().send(new ValidatePolicyCommand({ policyDocument: '{}', policyType: 'NOPE' as never })), (e: unknown) => {
    assert.ok(e instanceof ValidationException);
    return true;
  });
  reply = () => {
    throw new AwsError('ResourceNotFoundException', 'Analyzer nope not found', 404, { extra: { resourceId: 'nope', resourceType: 'AWS::AccessAnalyzer::Analyzer' } });
  };
  await assert.rejects(aa().send(new GetAnalyzerCommand({ analyzerName: 'nope' })), (e: unknown) => {
    assert.ok(e instanceof ResourceNotFoundException);
    assert.equal(e.message, 'Analyzer nope not found');
    assert.equal(e.$metadata.httpStatusCode, 404);
    return true;
  });
});

test('rest-json: a path no operation has → UnknownOperationException, 404', () => {
  let err: unknown;
  try {
    decodeRequest('accessanalyzer', { method: 'GET', path: '/nowhere', rawQuery: '', headers: {}, body: Buffer.alloc(0) });
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof AwsError);
  assert.equal(err.code, 'UnknownOperationException');
  assert.equal(err.status, 404);
});
