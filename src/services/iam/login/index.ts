import * as accountPasswordPolicy from './account-password-policy.js';
import * as changePassword from './change-password.js';
import * as loginProfiles from './login-profiles.js';

/** The operations on console passwords: login profiles, ChangePassword, the account password policy. */
export const loginModules = [loginProfiles, changePassword, accountPasswordPolicy];
