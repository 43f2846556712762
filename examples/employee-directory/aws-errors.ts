/**
 * What the page says when an AWS call fails: AWS's own error code and message (an
 * AccessDenied names the role session, the action and why), never a stack trace.
 */
export interface AwsProblem {
  /** AWS's error code (AccessDenied, ResourceNotFoundException…) or what went wrong locally. */
  code: string;
  message: string;
  /** The HTTP status the page answers with. */
  status: number;
  /** Which call failed, in AWS's words (s3:PutObject…). */
  call: string;
}

export function describeAwsError(err: unknown, call: string): AwsProblem {
  const e = err as { name?: string; Code?: string; message?: string; $metadata?: { httpStatusCode?: number }; code?: string };
  const status = e.$metadata?.httpStatusCode;
  if (status) {
    const code = e.Code ?? e.name ?? 'Error';
    // DynamoDB answers a denial with 400 (AccessDeniedException); to the page it is a 403 like S3's.
    const answer = /^AccessDenied/.test(code) ? 403 : status >= 500 ? 502 : status;
    return { code, message: e.message || 'no message', status: answer, call };
  }
  if (e.name === 'CredentialsProviderError') {
    return { code: 'NoCredentials', message: `the SDK found no credentials (is the instance's role reachable through its metadata service?): ${e.message}`, status: 503, call };
  }
  if (e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === 'ETIMEDOUT') {
    return { code: 'NetworkingError', message: `AWS could not be reached: ${e.message}`, status: 502, call };
  }
  return { code: e.name ?? 'Error', message: e.message ?? String(err), status: 500, call };
}
