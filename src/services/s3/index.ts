import { defineService } from '../operation.js';
import * as createBucket from './buckets/create-bucket.js';
import * as getObject from './objects/get-object.js';
import * as putObject from './objects/put-object.js';

/**
 * S3: one folder per entity (buckets/, objects/), one file per operation or family. The
 * object path (PutObject streams its body to a blob; GetObject streams it back) lives in
 * objects/; buckets/ holds only what the object path needs until the s3-api branch lands.
 */
export const s3Service = defineService('s3', [createBucket, putObject, getObject]);
