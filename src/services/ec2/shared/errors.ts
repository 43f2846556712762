import { AwsError } from '../../../protocol/errors.js';

/** EC2's errors, in its words (Code and Message of <Response><Errors>). */
export const ec2Errors = {
  dryRun: () => new AwsError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412),
  invalidParameterValue: (message: string) => new AwsError('InvalidParameterValue', message, 400),
  invalidParameterCombination: (message: string) => new AwsError('InvalidParameterCombination', message, 400),
  missingParameter: (name: string) => new AwsError('MissingParameter', `The request must contain the parameter ${name}`, 400),
  malformed: (code: string, id: string) => new AwsError(code, `Invalid id: "${id}"`, 400),
  notFound: (code: string, message: string) => new AwsError(code, message, 400),
  invalidNextToken: () => new AwsError('InvalidParameterValue', 'Invalid value for NextToken.', 400),
  incorrectInstanceState: (id: string, action: string) =>
    new AwsError('IncorrectInstanceState', `The instance '${id}' is not in a state from which it can be ${action}.`, 400),
};

/** DryRun: the caller is authorized (authorize ran first); nothing is done. */
export function checkDryRun(input: { DryRun?: boolean }): void {
  if (input.DryRun) throw ec2Errors.dryRun();
}
