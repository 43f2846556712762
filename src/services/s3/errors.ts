import { AwsError } from '../../protocol/errors.js';

/**
 * S3's errors, worded as S3 words them. S3's <Error> carries extra elements for some
 * codes (BucketName, Key, …): AwsError.extra becomes those.
 */

export function noSuchBucket(bucket: string): AwsError {
  return new AwsError('NoSuchBucket', 'The specified bucket does not exist', 404, { extra: { BucketName: bucket } });
}

export function noSuchKey(key: string): AwsError {
  return new AwsError('NoSuchKey', 'The specified key does not exist.', 404, { extra: { Key: key } });
}

export function invalidBucketName(bucket: string): AwsError {
  return new AwsError('InvalidBucketName', 'The specified bucket is not valid.', 400, { extra: { BucketName: bucket } });
}

export function bucketAlreadyExists(bucket: string): AwsError {
  return new AwsError(
    'BucketAlreadyExists',
    'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
    409,
    { extra: { BucketName: bucket } },
  );
}

export function bucketAlreadyOwnedByYou(bucket: string): AwsError {
  return new AwsError('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', 409, {
    extra: { BucketName: bucket },
  });
}

export function bucketNotEmpty(bucket: string, versioned: boolean): AwsError {
  const message = versioned
    ? 'The bucket you tried to delete is not empty. You must delete all versions in the bucket.'
    : 'The bucket you tried to delete is not empty';
  return new AwsError('BucketNotEmpty', message, 409, { extra: { BucketName: bucket } });
}

/** A bucket sub-resource that was never configured: NoSuchBucketPolicy, NoSuchTagSet, … */
export function notConfigured(code: string, message: string, bucket: string): AwsError {
  return new AwsError(code, message, 404, { extra: { BucketName: bucket } });
}

export function invalidArgument(message: string, name?: string, value?: string): AwsError {
  const extra: Record<string, string> = {};
  if (name !== undefined) extra.ArgumentName = name;
  if (value !== undefined) extra.ArgumentValue = value;
  return new AwsError('InvalidArgument', message, 400, { extra });
}

export function invalidRequest(message: string): AwsError {
  return new AwsError('InvalidRequest', message, 400);
}

export function malformedXml(): AwsError {
  return new AwsError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
}

export function malformedPolicy(message: string): AwsError {
  return new AwsError('MalformedPolicy', message, 400);
}

export function accessControlListNotSupported(): AwsError {
  return new AwsError('AccessControlListNotSupported', 'The bucket does not allow ACLs', 400);
}

export function notImplemented(message = 'A header you provided implies functionality that is not implemented.'): AwsError {
  return new AwsError('NotImplemented', message, 501);
}
