import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateBucketCommand, CreateMultipartUploadCommand, GetObjectCommand, ListMultipartUploadsCommand, ListObjectVersionsCommand,
  PutBucketLifecycleConfigurationCommand, PutBucketVersioningCommand, PutObjectCommand, S3Client,
} from '@aws-sdk/client-s3';
import type { TestServer } from '../helpers/server.js';
import { clientConfig } from '../helpers/server.js';
import { rejects } from '../helpers/aws.js';
import { advance, startClockServer, TestClock } from './sts-support.js';

/** Lifecycle rules applied by the server clock, moved forward by the test clock. */
let server: TestServer;
const clock = new TestClock();
const client = () => new S3Client({ ...clientConfig(server), forcePathStyle: true, systemClockOffset: clock.offsetMs });

before(async () => {
  server = await startClockServer();
});
after(async () => {
  await server.stop();
});

describe('S3 lifecycle rules by the server clock', () => {
  test('expiration, noncurrent versions, expired delete markers and incomplete uploads', async () => {
    await client().send(new CreateBucketCommand({ Bucket: 'plain' }));
    await client().send(new PutObjectCommand({ Bucket: 'plain', Key: 'tmp/old.txt', Body: 'x' }));
    await client().send(new PutObjectCommand({ Bucket: 'plain', Key: 'keep/me.txt', Body: 'x' }));
    await client().send(new CreateMultipartUploadCommand({ Bucket: 'plain', Key: 'tmp/upload.bin' }));
    await client().send(new PutBucketLifecycleConfigurationCommand({
      Bucket: 'plain',
      LifecycleConfiguration: {
        Rules: [
          { ID: 'tmp', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 1 } },
          { ID: 'uploads', Status: 'Enabled', Filter: { Prefix: '' }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 2 } },
        ],
      },
    }));
    await client().send(new CreateBucketCommand({ Bucket: 'versions' }));
    await client().send(new PutBucketVersioningCommand({ Bucket: 'versions', VersioningConfiguration: { Status: 'Enabled' } }));
    for (const body of ['v1', 'v2', 'v3']) await client().send(new PutObjectCommand({ Bucket: 'versions', Key: 'doc', Body: body }));
    await client().send(new PutBucketLifecycleConfigurationCommand({
      Bucket: 'versions',
      LifecycleConfiguration: {
        Rules: [
          { ID: 'old-versions', Status: 'Enabled', Filter: {}, NoncurrentVersionExpiration: { NoncurrentDays: 1, NewerNoncurrentVersions: 1 } },
          { ID: 'markers', Status: 'Enabled', Filter: {}, Expiration: { ExpiredObjectDeleteMarker: true } },
        ],
      },
    }));

    // Nothing is due yet.
    await advance(server, clock, 3600);
    await client().send(new GetObjectCommand({ Bucket: 'plain', Key: 'tmp/old.txt' }));

    // Two days on (a rule's days are rounded up to midnight UTC).
    await advance(server, clock, 2 * 86_400);
    await rejects(client().send(new GetObjectCommand({ Bucket: 'plain', Key: 'tmp/old.txt' })), 'NoSuchKey');
    await client().send(new GetObjectCommand({ Bucket: 'plain', Key: 'keep/me.txt' }));
    const versions = await client().send(new ListObjectVersionsCommand({ Bucket: 'versions' }));
    // v3 current, v2 kept as the one newer noncurrent version, v1 expired.
    assert.deepEqual(versions.Versions?.map((v) => v.IsLatest), [true, false]);

    // One more day: the multipart upload is aborted.
    await advance(server, clock, 86_400);
    assert.equal((await client().send(new ListMultipartUploadsCommand({ Bucket: 'plain' }))).Uploads, undefined);
    assert.equal(await (await client().send(new GetObjectCommand({ Bucket: 'versions', Key: 'doc' }))).Body?.transformToString(), 'v3');
  });
});
