import { AwsError } from '../../protocol/errors.js';
import { formatAmzDate, formatIsoSeconds, MAX_SKEW_MS } from './time.js';

/** Which dialect of authentication errors a service speaks. */
export type ServiceFamily = 's3' | 'query' | 'ec2' | 'json';

/** The strings a server computed, shown to the client when its signature differs. */
export interface SignedStrings {
  accessKeyId: string;
  signatureProvided: string;
  stringToSign: string;
  canonicalRequest?: string;
}

const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const INVALID_TOKEN = 'The security token included in the request is invalid.';
const EXPIRED_TOKEN = 'The security token included in the request is expired';
const EC2_AUTH_FAILURE = 'AWS was not able to validate the provided access credentials';
const EC2_EXPIRED = 'Request has expired.';

/**
 * Errors of the query (IAM, STS), ec2 and json (DynamoDB) services. They share their
 * texts; the codes and statuses differ: json names its errors "…Exception" and answers
 * 400, EC2 folds most failures into AuthFailure (401) or RequestExpired.
 */
export interface ServiceAuthErrors {
  /** IncompleteSignature: a malformed or incomplete signature. */
  incomplete(message: string): AwsError;
  /** SignatureDoesNotMatch and its kin (bad scope, host not signed, both mechanisms). */
  mismatch(message: string): AwsError;
  /** The signature itself differs: the message shows what the server signed. */
  signatureDiffers(strings: SignedStrings): AwsError;
  /** The request time is more than 15 minutes from ours. */
  skewed(requestTime: number, now: number): AwsError;
  /** No such key, an inactive key, or a session token that is missing or wrong. */
  invalidToken(): AwsError;
  expiredToken(): AwsError;
}

export function serviceErrors(family: Exclude<ServiceFamily, 's3'>): ServiceAuthErrors {
  if (family === 'json') return JSON_ERRORS;
  if (family === 'ec2') return EC2_ERRORS;
  return QUERY_ERRORS;
}

const QUERY_ERRORS: ServiceAuthErrors = {
  incomplete: (message) => new AwsError('IncompleteSignature', message, 400),
  mismatch: (message) => new AwsError('SignatureDoesNotMatch', message, 403),
  signatureDiffers: (strings) => new AwsError('SignatureDoesNotMatch', mismatchText(strings), 403),
  skewed: (requestTime, now) => new AwsError('SignatureDoesNotMatch', skewText(requestTime, now), 403),
  invalidToken: () => new AwsError('InvalidClientTokenId', INVALID_TOKEN, 403),
  expiredToken: () => new AwsError('ExpiredToken', EXPIRED_TOKEN, 403),
};

const JSON_ERRORS: ServiceAuthErrors = {
  incomplete: (message) => new AwsError('IncompleteSignatureException', message, 400),
  mismatch: (message) => new AwsError('InvalidSignatureException', message, 400),
  signatureDiffers: (strings) => new AwsError('InvalidSignatureException', mismatchText(strings), 400),
  skewed: (requestTime, now) => new AwsError('InvalidSignatureException', skewText(requestTime, now), 400),
  invalidToken: () => new AwsError('UnrecognizedClientException', INVALID_TOKEN, 400),
  expiredToken: () => new AwsError('ExpiredTokenException', EXPIRED_TOKEN, 400),
};

const EC2_ERRORS: ServiceAuthErrors = {
  incomplete: (message) => new AwsError('IncompleteSignature', message, 400),
  mismatch: (message) => new AwsError('AuthFailure', message, 401),
  signatureDiffers: () => new AwsError('AuthFailure', EC2_AUTH_FAILURE, 401),
  skewed: () => new AwsError('RequestExpired', EC2_EXPIRED, 400),
  invalidToken: () => new AwsError('AuthFailure', EC2_AUTH_FAILURE, 401),
  expiredToken: () => new AwsError('RequestExpired', EC2_EXPIRED, 400),
};

/** The error for a request that carries no signature at all, where one is required. */
export function missingAuthenticationToken(family: ServiceFamily): AwsError {
  const message = 'Request is missing Authentication Token';
  if (family === 'json') return new AwsError('MissingAuthenticationTokenException', message, 400);
  if (family === 's3') return new AwsError('AccessDenied', 'Access Denied', 403);
  return new AwsError('MissingAuthenticationToken', message, 403);
}

/** Coral services show the strings they signed, so a client can find its mistake. */
function mismatchText(strings: SignedStrings): string {
  if (strings.canonicalRequest === undefined) return SIGNATURE_MISMATCH;
  return `${SIGNATURE_MISMATCH}\n\nThe Canonical String for this request should have been\n'${strings.canonicalRequest}'\n\nThe String-to-Sign should have been\n'${strings.stringToSign}'\n`;
}

/** "Signature expired: 20240101T000000Z is now earlier than 20240101T001500Z (20240101T003000Z - 15 min.)" */
function skewText(requestTime: number, now: number): string {
  const at = formatAmzDate(requestTime);
  if (requestTime < now) {
    return `Signature expired: ${at} is now earlier than ${formatAmzDate(now - MAX_SKEW_MS)} (${formatAmzDate(now)} - 15 min.)`;
  }
  return `Signature not yet current: ${at} is still later than ${formatAmzDate(now + MAX_SKEW_MS)} (${formatAmzDate(now)} + 15 min.)`;
}

/** S3's own error documents: other codes, other texts, and extra elements. */
export const s3Errors = {
  headerMalformed: (detail: string, extra?: Record<string, string>) =>
    new AwsError('AuthorizationHeaderMalformed', `The authorization header is malformed; ${detail}`, 400, { extra }),
  queryParameters: (message: string, extra?: Record<string, string>) =>
    new AwsError('AuthorizationQueryParametersError', message, 400, { extra }),
  unsupportedMechanism: () =>
    new AwsError('InvalidRequest', 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.', 400),
  unsupportedType: (value: string) =>
    new AwsError('InvalidArgument', 'Unsupported Authorization Type', 400, { extra: { ArgumentName: 'Authorization', ArgumentValue: value } }),
  twoMechanisms: (value: string) =>
    new AwsError(
      'InvalidArgument',
      'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
      400,
      { extra: { ArgumentName: 'Authorization', ArgumentValue: value } },
    ),
  noDate: () => new AwsError('AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header', 403),
  missingContentSha256: () => new AwsError('InvalidRequest', 'Missing required header for this request: x-amz-content-sha256', 400),
  badContentSha256: (value: string) =>
    new AwsError(
      'InvalidArgument',
      'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or a valid sha256 value.',
      400,
      { extra: { ArgumentName: 'x-amz-content-sha256', ArgumentValue: value } },
    ),
  ecdsaPayload: () => new AwsError('NotImplemented', 'iamlocal does not implement the AWS4-ECDSA-P256-SHA256 (SigV4a) signing algorithm.', 501),
  headersNotSigned: (names: string[]) =>
    new AwsError('AccessDenied', 'There were headers present in the request which were not signed', 403, {
      extra: { HeadersNotSigned: names.join(', ') },
    }),
  unknownKey: (accessKeyId: string) =>
    new AwsError('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', 403, {
      extra: { AWSAccessKeyId: accessKeyId },
    }),
  invalidToken: (token: string) =>
    new AwsError('InvalidToken', 'The provided token is malformed or otherwise invalid.', 400, { extra: { 'Token-0': token } }),
  expiredToken: (token: string) => new AwsError('ExpiredToken', 'The provided token has expired.', 400, { extra: { 'Token-0': token } }),
  signatureDiffers: (strings: SignedStrings) => {
    const extra: Record<string, string> = {
      AWSAccessKeyId: strings.accessKeyId,
      StringToSign: strings.stringToSign,
      SignatureProvided: strings.signatureProvided,
      StringToSignBytes: spacedHex(strings.stringToSign),
    };
    if (strings.canonicalRequest !== undefined) {
      extra.CanonicalRequest = strings.canonicalRequest;
      extra.CanonicalRequestBytes = spacedHex(strings.canonicalRequest);
    }
    return new AwsError(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      403,
      { extra },
    );
  },
  skewed: (requestTime: string, now: number) =>
    new AwsError('RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', 403, {
      extra: { RequestTime: requestTime, ServerTime: formatIsoSeconds(now), MaxAllowedSkewMilliseconds: String(MAX_SKEW_MS) },
    }),
  presignExpired: (expiresSeconds: number, expiresAt: number, now: number) =>
    new AwsError('AccessDenied', 'Request has expired', 403, {
      extra: { 'X-Amz-Expires': String(expiresSeconds), Expires: formatIsoSeconds(expiresAt), ServerTime: formatIsoSeconds(now) },
    }),
  presignNotYetValid: (amzDate: string, now: number) =>
    new AwsError('AccessDenied', 'Request is not yet valid', 403, { extra: { 'X-Amz-Date': amzDate, ServerTime: formatIsoSeconds(now) } }),
  contentSha256Mismatch: (client: string, computed: string) =>
    new AwsError('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", 400, {
      extra: { ClientComputedContentSHA256: client, S3ComputedContentSHA256: computed },
    }),
  missingDecodedLength: () => new AwsError('MissingContentLength', 'You must provide the Content-Length HTTP header.', 411),
  incompleteBody: () => new AwsError('IncompleteBody', 'The request body terminated unexpectedly', 400),
  chunkTooSmall: (chunk: number, size: number) =>
    new AwsError('InvalidChunkSizeError', 'Only the last chunk is allowed to have a size less than 8192 bytes', 403, {
      extra: { Chunk: String(chunk), BadChunkSize: String(size) },
    }),
  malformedTrailer: () =>
    new AwsError('MalformedTrailerError', 'The request contained trailing data that was not well-formed or did not conform to our published schema.', 400),
  invalidTrailerValue: (name: string) => new AwsError('InvalidRequest', `Value for ${name} trailing header is invalid.`, 400),
  badDigest: (algorithm: string) => new AwsError('BadDigest', `The ${algorithm} you specified did not match the calculated checksum.`, 400),
};

/** "41 57 53 34 …": the bytes of a text as S3 lists them in StringToSignBytes. */
function spacedHex(text: string): string {
  const hex = Buffer.from(text, 'utf8').toString('hex');
  let out = '';
  for (let i = 0; i < hex.length; i += 2) out += (i === 0 ? '' : ' ') + hex.slice(i, i + 2);
  return out;
}
