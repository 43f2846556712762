import { AwsError } from '../../protocol/errors.js';

/** DynamoDB's errors, worded as DynamoDB words them. */

export function validation(message: string): AwsError {
  return new AwsError('ValidationException', message, 400);
}

/** "One or more parameter values were invalid: …", DynamoDB's usual prefix. */
export function invalidParameter(detail: string): AwsError {
  return validation(`One or more parameter values were invalid: ${detail}`);
}

/** Item operations on a table that does not exist say no more than this. */
export function resourceNotFound(message = 'Requested resource not found'): AwsError {
  return new AwsError('ResourceNotFoundException', message, 400);
}

/** DescribeTable, DeleteTable, UpdateTable… on a table that does not exist. */
export function tableNotFound(name: string): AwsError {
  return resourceNotFound(`Requested resource not found: Table: ${name} not found`);
}

export function resourceInUse(message: string): AwsError {
  return new AwsError('ResourceInUseException', message, 400);
}

/** An error whose body carries members besides the message (Item, CancellationReasons). */
export function withMembers(code: string, message: string, members: Record<string, unknown>): AwsError {
  // The json codec writes extra members as they are; they are already wire JSON here.
  return new AwsError(code, message, 400, { extra: members as Record<string, string> });
}

export function conditionalCheckFailed(item?: Record<string, unknown>): AwsError {
  return withMembers('ConditionalCheckFailedException', 'The conditional request failed', item ? { Item: item } : {});
}
