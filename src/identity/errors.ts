import { AwsError } from '../protocol/errors.js';

/** IAM's errors, worded as IAM words them (checked against recorded AWS responses). */

export function noSuchEntity(message: string): AwsError {
  return new AwsError('NoSuchEntity', message, 404);
}

/** "The user with name bob cannot be found." (and group, role… with their own noun) */
export function noSuchNamed(noun: string, name: string): AwsError {
  return noSuchEntity(`The ${noun} with name ${name} cannot be found.`);
}

/** "User with name bob already exists." */
export function alreadyExists(noun: string, name: string): AwsError {
  return new AwsError('EntityAlreadyExists', `${noun} with name ${name} already exists.`, 409);
}

/** "Cannot delete entity, must delete access keys first." */
export function deleteConflict(mustFirst: string): AwsError {
  return new AwsError('DeleteConflict', `Cannot delete entity, must ${mustFirst} first.`, 409);
}

/** "Cannot exceed quota for AccessKeysPerUser: 2" */
export function quotaExceeded(quota: string, limit: number): AwsError {
  return new AwsError('LimitExceeded', `Cannot exceed quota for ${quota}: ${limit}`, 409);
}

export function limitExceeded(message: string): AwsError {
  return new AwsError('LimitExceeded', message, 409);
}

export function invalidInput(message: string): AwsError {
  return new AwsError('InvalidInput', message, 400);
}

export function validationError(message: string): AwsError {
  return new AwsError('ValidationError', message, 400);
}
