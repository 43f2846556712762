import { AwsError } from '../../protocol/errors.js';

/** STS's errors, worded as STS words them. */

export function stsAccessDenied(message: string): AwsError {
  return new AwsError('AccessDenied', message, 403);
}

export function stsValidationError(message: string): AwsError {
  return new AwsError('ValidationError', message, 400);
}

export function stsInvalidParameter(message: string): AwsError {
  return new AwsError('InvalidParameterValue', message, 400);
}

/** The AccessDenied AssumeRole answers for a role the caller may not assume (or that does not exist). */
export function notAuthorizedToAssume(callerArn: string, roleArn: string): AwsError {
  return stsAccessDenied(`User: ${callerArn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
}

export const MFA_MESSAGES = {
  both: 'MultiFactorAuthentication failed, must provide both MFA serial number and one time pass code.',
  noDevice: 'MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.',
  invalidCode: 'MultiFactorAuthentication failed with invalid MFA one time pass code.',
} as const;

/** "1 validation error detected: Value '…' at 'policy' failed to satisfy constraint: …", as the model layer words it. */
export function memberTooLong(member: string, max: number): AwsError {
  return stsValidationError(`1 validation error detected: Value at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${max}`);
}
