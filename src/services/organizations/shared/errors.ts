import { AwsError } from '../../../protocol/errors.js';

/** Organizations' errors, with the codes and messages AWS answers (all HTTP 400, as the model says). */

export const notInUse = () =>
  new AwsError('AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.', 400);

export const alreadyInOrganization = () =>
  new AwsError('AlreadyInOrganizationException', 'The provided account is already a member of an organization.', 400);

/** Operations only the management account may call. */
export const notManagementAccount = () =>
  new AwsError('AccessDeniedException', "You don't have permissions to access this resource.", 400);

export const accountNotFound = () =>
  new AwsError('AccountNotFoundException', "You specified an account that doesn't exist.", 400);

export const ouNotFound = () =>
  new AwsError('OrganizationalUnitNotFoundException', "You specified an organizational unit that doesn't exist.", 400);

export const parentNotFound = () => new AwsError('ParentNotFoundException', "You specified a parent that doesn't exist.", 400);

export const rootNotFound = () => new AwsError('RootNotFoundException', "You specified a root that doesn't exist.", 400);

export const childNotFound = () => new AwsError('ChildNotFoundException', "You specified a child that doesn't exist.", 400);

export const policyNotFound = () => new AwsError('PolicyNotFoundException', "You specified a policy that doesn't exist.", 400);

export const targetNotFound = () => new AwsError('TargetNotFoundException', "You specified a target that doesn't exist.", 400);

export const handshakeNotFound = () =>
  new AwsError('HandshakeNotFoundException', "We can't find a handshake with the HandshakeId that you specified.", 400);

export const createAccountStatusNotFound = () =>
  new AwsError('CreateAccountStatusNotFoundException', "We can't find an create account request with the CreateAccountRequestId that you specified.", 400);

export const invalidInput = (reason: string, message: string) =>
  new AwsError('InvalidInputException', message, 400, { extra: { Reason: reason } });

export const constraintViolation = (reason: string, message: string) =>
  new AwsError('ConstraintViolationException', message, 400, { extra: { Reason: reason } });

export const handshakeConstraintViolation = (reason: string, message: string) =>
  new AwsError('HandshakeConstraintViolationException', message, 400, { extra: { Reason: reason } });

export const malformedPolicy = () =>
  new AwsError('MalformedPolicyDocumentException', 'The provided policy document does not meet the requirements of the specified policy type.', 400);

export const policyTypeNotEnabled = () =>
  new AwsError('PolicyTypeNotEnabledException', "The specified policy type isn't currently enabled in this root. You can't attach policies of the specified type to entities in a root until you enable that type in the root.", 400);
