import { defineService } from '../operation.js';
import { s3AccessDenied } from './authz/denied.js';
import * as buckets from './buckets/buckets.js';
import * as encryption from './buckets/encryption.js';
import * as lifecycle from './buckets/lifecycle.js';
import * as ownership from './buckets/ownership.js';
import * as publicAccessBlock from './buckets/public-access-block.js';
import * as tagging from './buckets/tagging.js';
import * as versioning from './buckets/versioning.js';
import * as cors from './cors/cors.js';
import { addCorsHeaders, answerPreflight } from './cors/preflight.js';
import * as bucketPolicy from './policy/bucket-policy.js';
import { applyLifecycle } from './buckets/lifecycle-apply.js';
import * as getObject from './objects/get-object.js';
import * as putObject from './objects/put-object.js';
import * as listObjects from './objects/list-objects.js';
import * as deleteObjects from './objects/delete-objects.js';
import * as objectTagging from './objects/object-tagging.js';
import * as copyObject from './objects/copy-object.js';
import * as multipart from './multipart/multipart.js';
import * as bucketDefaults from './buckets/bucket-defaults.js';
import * as objectAcls from './objects/object-acls.js';
import * as objectAttributes from './objects/object-attributes.js';

/**
 * S3: one folder per entity (buckets/, objects/, multipart/, cors/, policy/), each
 * operation file exporting operation()s under their model names; authz/ holds the rules
 * every operation shares (bucketEntry, objectEntry: action, ARN, condition keys, the
 * bucket policy as the resource policy) and S3's AccessDenied wording.
 *
 * Adding an operation: export it from a module listed here, its authorize built from
 * authz/rules.ts, errors from errors.ts; bucket state through buckets/bucket-rows.ts.
 */
export const s3Service = defineService(
  's3',
  [buckets, versioning, publicAccessBlock, encryption, ownership, tagging, lifecycle, cors, bucketPolicy, putObject, getObject, listObjects, deleteObjects, objectTagging, copyObject, multipart, bucketDefaults, objectAcls, objectAttributes],
  { preflight: answerPreflight, decorate: addCorsHeaders, accessDenied: s3AccessDenied, housekeeping: applyLifecycle },
);
