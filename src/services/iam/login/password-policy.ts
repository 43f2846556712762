import { verifyPassword } from '../../../auth/passwords.js';
import { AwsError } from '../../../protocol/errors.js';

/**
 * The account password policy: what UpdateAccountPasswordPolicy stores and
 * GetAccountPasswordPolicy returns, and the check of a new IAM user password against it
 * (CreateLoginProfile, UpdateLoginProfile, ChangePassword).
 *
 * When no custom policy is set, AWS's default policy applies: at least 8 characters and
 * at least three of the four character types.
 */

/** Shaped and named as GetAccountPasswordPolicy's PasswordPolicy; optional members are
 *  omitted when unset, as AWS omits them. */
export interface PasswordPolicy {
  MinimumPasswordLength: number;
  RequireSymbols: boolean;
  RequireNumbers: boolean;
  RequireUppercaseCharacters: boolean;
  RequireLowercaseCharacters: boolean;
  AllowUsersToChangePassword: boolean;
  /** True when MaxPasswordAge > 0. */
  ExpirePasswords: boolean;
  MaxPasswordAge?: number;
  PasswordReusePrevention?: number;
  HardExpiry?: boolean;
}

/** UpdateAccountPasswordPolicy's input (the protocol layer has checked the ranges). */
export interface UpdateAccountPasswordPolicyInput {
  MinimumPasswordLength?: number;
  RequireSymbols?: boolean;
  RequireNumbers?: boolean;
  RequireUppercaseCharacters?: boolean;
  RequireLowercaseCharacters?: boolean;
  AllowUsersToChangePassword?: boolean;
  MaxPasswordAge?: number;
  PasswordReusePrevention?: number;
  HardExpiry?: boolean;
}

/** AWS's default policy, in force while the account has no custom one. */
export const DEFAULT_PASSWORD_RULES = Object.freeze({
  minimumLength: 8,
  maximumLength: 128,
  /** Of uppercase, lowercase, numbers, symbols. */
  minimumCharacterTypes: 3,
});

/** The symbols IAM counts as "non-alphanumeric characters". */
export const PASSWORD_SYMBOLS = "!@#$%^&*()_+-=[]{}|'";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The policy UpdateAccountPasswordPolicy stores. Every call replaces the whole policy:
 * an omitted parameter takes its documented default (6 characters, false, 0 = never
 * expire / no reuse prevention), it does not keep the previous value.
 */
export function passwordPolicyFromUpdate(input: UpdateAccountPasswordPolicyInput): PasswordPolicy {
  const policy: PasswordPolicy = {
    MinimumPasswordLength: input.MinimumPasswordLength ?? 6,
    RequireSymbols: input.RequireSymbols ?? false,
    RequireNumbers: input.RequireNumbers ?? false,
    RequireUppercaseCharacters: input.RequireUppercaseCharacters ?? false,
    RequireLowercaseCharacters: input.RequireLowercaseCharacters ?? false,
    AllowUsersToChangePassword: input.AllowUsersToChangePassword ?? false,
    ExpirePasswords: (input.MaxPasswordAge ?? 0) > 0,
  };
  if (input.MaxPasswordAge) policy.MaxPasswordAge = input.MaxPasswordAge;
  if (input.PasswordReusePrevention) policy.PasswordReusePrevention = input.PasswordReusePrevention;
  if (input.HardExpiry !== undefined) policy.HardExpiry = input.HardExpiry;
  return policy;
}

interface CharacterType {
  present: (password: string) => boolean;
  requirement: string;
}

// In the order AWS lists them in its messages.
const UPPERCASE: CharacterType = { present: (p) => /[A-Z]/.test(p), requirement: 'Password should have at least one uppercase letter' };
const LOWERCASE: CharacterType = { present: (p) => /[a-z]/.test(p), requirement: 'Password should have at least one lowercase letter' };
const NUMBER: CharacterType = { present: (p) => /[0-9]/.test(p), requirement: 'Password should have at least one number' };
const SYMBOL: CharacterType = { present: (p) => [...p].some((c) => PASSWORD_SYMBOLS.includes(c)), requirement: 'Password should have at least one symbol' };

/**
 * What is wrong with a new password under a policy (undefined = the default policy),
 * as AWS's PasswordPolicyViolation message parts; empty when it complies. Reuse is
 * checked separately (isReusedPassword), since it needs the password history.
 */
export function passwordPolicyViolations(password: string, policy: PasswordPolicy | undefined): string[] {
  const minimum = policy ? policy.MinimumPasswordLength : DEFAULT_PASSWORD_RULES.minimumLength;
  // AWS reports a too-short password on its own, before any character-type rule.
  if (password.length < minimum) return [`Password should have a minimum length of ${minimum}`];
  if (password.length > DEFAULT_PASSWORD_RULES.maximumLength) {
    return [`Password should have a maximum length of ${DEFAULT_PASSWORD_RULES.maximumLength}`];
  }

  if (!policy) {
    const missing = [UPPERCASE, LOWERCASE, NUMBER, SYMBOL].filter((t) => !t.present(password));
    const short = DEFAULT_PASSWORD_RULES.minimumCharacterTypes - (4 - missing.length);
    if (short <= 0) return [];
    return [`Password should meet ${short} more of the following requirements: ${missing.map((t) => t.requirement).join(', ')}`];
  }

  const required: CharacterType[] = [];
  if (policy.RequireUppercaseCharacters) required.push(UPPERCASE);
  if (policy.RequireLowercaseCharacters) required.push(LOWERCASE);
  if (policy.RequireNumbers) required.push(NUMBER);
  if (policy.RequireSymbols) required.push(SYMBOL);
  return required.filter((t) => !t.present(password)).map((t) => t.requirement);
}

/**
 * True when the password matches one of the last PasswordReusePrevention passwords.
 * `previousHashes` is the user's password history, most recent first (the current
 * password included).
 */
export function isReusedPassword(password: string, policy: PasswordPolicy | undefined, previousHashes: readonly string[]): boolean {
  const remembered = policy?.PasswordReusePrevention ?? 0;
  return previousHashes.slice(0, remembered).some((hash) => verifyPassword(password, hash));
}

/** Throws AWS's PasswordPolicyViolation when the new password does not comply. */
export function validateNewPassword(password: string, policy: PasswordPolicy | undefined, previousHashes: readonly string[] = []): void {
  const violations = passwordPolicyViolations(password, policy);
  if (violations.length > 0) throw passwordPolicyViolation(violations.join(', '));
  if (isReusedPassword(password, policy, previousHashes)) {
    const n = policy!.PasswordReusePrevention!;
    throw passwordPolicyViolation(`Password should not be the same as any of your previous ${n} password${n === 1 ? '' : 's'}`);
  }
}

export function passwordPolicyViolation(message: string): AwsError {
  return new AwsError('PasswordPolicyViolation', message, 400);
}

/** GetAccountPasswordPolicy with no custom policy set. */
export function noSuchPasswordPolicyError(accountId: string): AwsError {
  return new AwsError('NoSuchEntity', `The Password Policy with domain name ${accountId} cannot be found.`, 404);
}

/** DeleteAccountPasswordPolicy with no custom policy set: worded otherwise than Get's (LS test_iam_account_password_policy snapshot). */
export function noPasswordPolicyToDelete(): AwsError {
  return new AwsError('NoSuchEntity', 'The account policy with name PasswordPolicy cannot be found.', 404);
}

/** When a password set at `lastChangedMs` expires under the policy (epoch ms), or undefined if never. */
export function passwordExpiresAt(policy: PasswordPolicy | undefined, lastChangedMs: number): number | undefined {
  const days = policy?.MaxPasswordAge ?? 0;
  return days > 0 ? lastChangedMs + days * DAY_MS : undefined;
}

export function isPasswordExpired(policy: PasswordPolicy | undefined, lastChangedMs: number, nowMs: number): boolean {
  const expires = passwordExpiresAt(policy, lastChangedMs);
  return expires !== undefined && nowMs >= expires;
}
