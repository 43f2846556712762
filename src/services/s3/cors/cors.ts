import { AwsError } from '../../../protocol/errors.js';
import { operation } from '../../operation.js';
import { onBucket } from '../authz/rules.js';
import { malformedXml, notConfigured } from '../errors.js';
import { requireBucket, setBucketColumn } from '../buckets/bucket-rows.js';

export interface CorsRule {
  ID?: string;
  AllowedHeaders?: string[];
  AllowedMethods: string[];
  AllowedOrigins: string[];
  ExposeHeaders?: string[];
  MaxAgeSeconds?: number;
}

const METHODS = new Set(['GET', 'PUT', 'HEAD', 'POST', 'DELETE']);

/**
 * S3's checks on a CORS configuration: 1–100 rules; methods among GET, PUT, HEAD, POST,
 * DELETE; at most one "*" in each allowed origin and allowed header.
 */
function checkRules(rules: CorsRule[]): void {
  if (rules.length === 0) throw malformedXml();
  if (rules.length > 100) throw new AwsError('InvalidRequest', 'The number of CORS rules should not exceed allowed limit of 100 rules.', 400);
  for (const r of rules) {
    if (r.AllowedMethods.length === 0 || r.AllowedOrigins.length === 0) throw malformedXml();
    for (const m of r.AllowedMethods) {
      if (!METHODS.has(m)) throw new AwsError('InvalidRequest', `Found unsupported HTTP method in CORS config. Unsupported method is ${m}`, 400);
    }
    for (const o of r.AllowedOrigins) {
      if ((o.match(/\*/g) ?? []).length > 1) throw new AwsError('InvalidRequest', `AllowedOrigin "${o}" can not have more than one wildcard.`, 400);
    }
    for (const h of r.AllowedHeaders ?? []) {
      if ((h.match(/\*/g) ?? []).length > 1) throw new AwsError('InvalidRequest', `AllowedHeader "${h}" can not have more than one wildcard.`, 400);
    }
  }
}

/** PutBucketCors: S3 asks for s3:PutBucketCORS; the whole configuration is replaced. */
export const PutBucketCors = operation({
  writes: true,
  authorize: onBucket('s3:PutBucketCORS'),
  run: (ctx, input: { Bucket: string; CORSConfiguration: { CORSRules: CorsRule[] } }) => {
    const row = requireBucket(ctx.store, input.Bucket);
    checkRules(input.CORSConfiguration.CORSRules);
    setBucketColumn(ctx.store, row.name, 'cors', JSON.stringify(input.CORSConfiguration.CORSRules));
    return {};
  },
});

export const GetBucketCors = operation({
  writes: false,
  authorize: onBucket('s3:GetBucketCORS'),
  run: (ctx, input: { Bucket: string }) => {
    const row = requireBucket(ctx.store, input.Bucket);
    if (row.cors === null) throw notConfigured('NoSuchCORSConfiguration', 'The CORS configuration does not exist', row.name);
    return { CORSRules: JSON.parse(row.cors) as CorsRule[] };
  },
});

/** DeleteBucketCors: S3 asks for s3:PutBucketCORS. */
export const DeleteBucketCors = operation({
  writes: true,
  authorize: onBucket('s3:PutBucketCORS'),
  run: (ctx, input: { Bucket: string }) => {
    const row = requireBucket(ctx.store, input.Bucket);
    setBucketColumn(ctx.store, row.name, 'cors', null);
    return {};
  },
});
