import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateBucketCommand, DeleteBucketCorsCommand, GetBucketCorsCommand, PutBucketCorsCommand,
  DeleteBucketLifecycleCommand, GetBucketLifecycleConfigurationCommand, PutBucketLifecycleConfigurationCommand,
  GetBucketVersioningCommand,
} from '@aws-sdk/client-s3';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { rejects } from '../helpers/aws.js';
import { anonymous, rawRequest, s3, s3Error } from './s3-support.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
  await s3(server).send(new CreateBucketCommand({ Bucket: 'web-bucket' }));
});
after(async () => {
  await server.stop();
});

describe('S3 CORS', () => {
  test('configuration round trip and S3 checks', async () => {
    const client = s3(server);
    await rejects(client.send(new GetBucketCorsCommand({ Bucket: 'web-bucket' })), 'NoSuchCORSConfiguration', 'The CORS configuration does not exist', 404);
    await rejects(
      client.send(new PutBucketCorsCommand({ Bucket: 'web-bucket', CORSConfiguration: { CORSRules: [{ AllowedMethods: ['PATCH'], AllowedOrigins: ['*'] }] } })),
      'InvalidRequest',
      'Found unsupported HTTP method in CORS config. Unsupported method is PATCH',
    );
    await client.send(new PutBucketCorsCommand({
      Bucket: 'web-bucket',
      CORSConfiguration: {
        CORSRules: [
          { AllowedMethods: ['GET', 'PUT'], AllowedOrigins: ['https://*.example.com'], AllowedHeaders: ['content-type', 'x-amz-*'], ExposeHeaders: ['ETag'], MaxAgeSeconds: 600 },
          { AllowedMethods: ['GET'], AllowedOrigins: ['*'] },
        ],
      },
    }));
    const got = await client.send(new GetBucketCorsCommand({ Bucket: 'web-bucket' }));
    assert.equal(got.CORSRules?.length, 2);
    assert.deepEqual(got.CORSRules?.[0].AllowedHeaders, ['content-type', 'x-amz-*']);
  });

  test('preflight answers from the first matching rule, unsigned', async () => {
    const ok = await anonymous(server, 'OPTIONS', '/web-bucket/photos/cat.jpg', {
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'Content-Type, X-Amz-Date' },
    });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.headers.get('access-control-allow-origin'), 'https://app.example.com');
    assert.equal(ok.headers.get('access-control-allow-methods'), 'GET, PUT');
    assert.equal(ok.headers.get('access-control-allow-headers'), 'Content-Type, X-Amz-Date');
    assert.equal(ok.headers.get('access-control-expose-headers'), 'ETag');
    assert.equal(ok.headers.get('access-control-max-age'), '600');
    assert.equal(ok.headers.get('access-control-allow-credentials'), 'true');

    const anyOrigin = await anonymous(server, 'OPTIONS', '/web-bucket/x', { headers: { origin: 'https://other.org', 'access-control-request-method': 'GET' } });
    assert.equal(anyOrigin.status, 200);
    assert.equal(anyOrigin.headers.get('access-control-allow-origin'), '*');

    const refused = await anonymous(server, 'OPTIONS', '/web-bucket/x', { headers: { origin: 'https://other.org', 'access-control-request-method': 'PUT' } });
    assert.equal(refused.status, 403);
    assert.equal(s3Error(refused.text).code, 'AccessForbidden');

    const bare = await anonymous(server, 'OPTIONS', '/web-bucket/x');
    assert.equal(bare.status, 400);

    for (const host of ['web-bucket.localhost', 'web-bucket.s3.localhost', 'web-bucket.s3.us-east-1.amazonaws.com']) {
      const virtualHost = await rawRequest(server, 'OPTIONS', '/x', { host: `${host}:${new URL(server.url).port}`, origin: 'https://app.example.com', 'access-control-request-method': 'GET' });
      assert.equal(virtualHost.status, 200, `${host}: ${virtualHost.text}`);
    }
  });

  test('answers to requests with an Origin carry the rule\u2019s headers', async () => {
    const res = await fetch(`${server.url}/web-bucket?versioning`, { headers: { origin: 'https://app.example.com' } });
    // Unsigned, so denied, but the browser may read the denial.
    assert.equal(res.status, 403);
    assert.equal(res.headers.get('access-control-allow-origin'), 'https://app.example.com');
    const signed = await s3(server).send(new GetBucketVersioningCommand({ Bucket: 'web-bucket' }));
    assert.equal(signed.$metadata.httpStatusCode, 200);
  });

  test('delete', async () => {
    await s3(server).send(new DeleteBucketCorsCommand({ Bucket: 'web-bucket' }));
    const res = await anonymous(server, 'OPTIONS', '/web-bucket/x', { headers: { origin: 'https://other.org', 'access-control-request-method': 'GET' } });
    assert.equal(res.status, 403);
    assert.equal(s3Error(res.text).message, 'CORSResponse: CORS is not enabled for this bucket.');
  });
});

describe('S3 lifecycle configuration', () => {
  test('round trip, checks and delete', async () => {
    const client = s3(server);
    await rejects(client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: 'web-bucket' })), 'NoSuchLifecycleConfiguration', undefined, 404);
    await client.send(new PutBucketLifecycleConfigurationCommand({
      Bucket: 'web-bucket',
      LifecycleConfiguration: {
        Rules: [
          { ID: 'tmp', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 1 } },
          { ID: 'old', Status: 'Enabled', Filter: {}, NoncurrentVersionExpiration: { NoncurrentDays: 30 }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } },
        ],
      },
    }));
    const got = await client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: 'web-bucket' }));
    assert.deepEqual(got.Rules?.map((r) => r.ID), ['tmp', 'old']);
    assert.equal(got.Rules?.[0].Expiration?.Days, 1);
    assert.equal(got.Rules?.[0].Filter?.Prefix, 'tmp/');
    await rejects(
      client.send(new PutBucketLifecycleConfigurationCommand({
        Bucket: 'web-bucket',
        LifecycleConfiguration: { Rules: [{ ID: 'a', Status: 'Enabled', Filter: {}, Expiration: { Days: 1 } }, { ID: 'a', Status: 'Enabled', Filter: {}, Expiration: { Days: 2 } }] },
      })),
      'InvalidArgument',
    );
    await client.send(new DeleteBucketLifecycleCommand({ Bucket: 'web-bucket' }));
    await rejects(client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: 'web-bucket' })), 'NoSuchLifecycleConfiguration');
  });
});
