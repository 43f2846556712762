import { PolicyError } from '../policy/index.js';
import { AwsError } from '../protocol/errors.js';

/**
 * IAM's and STS's answer to a policy document the engine refuses. The engine names the
 * error code and keeps IAM's message; the HTTP status is the service's to give: 409 for
 * LimitExceeded (a size quota), 400 for MalformedPolicyDocument.
 */
export function policyAwsError(err: PolicyError): AwsError {
  return new AwsError(err.code, err.message, err.code === 'LimitExceeded' ? 409 : 400);
}

/** Runs fn; a PolicyError it throws leaves as the AwsError IAM and STS answer with. */
export function answeringPolicyErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw err instanceof PolicyError ? policyAwsError(err) : err;
  }
}
