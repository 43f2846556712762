import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { verifyPassword } from '../../src/auth/passwords.js';
import { findLoginProfile } from '../../src/services/iam/login/login-profile-rows.js';
import { asRoot, call, contextFor, openTestStore, throwsAws, userWithKey, ACCOUNT } from './context.js';

let t: ReturnType<typeof openTestStore>;
beforeEach(() => {
  t = openTestStore();
});
afterEach(() => t.dispose());

const GOOD = 'Correct-Horse-9';
const NOW = Date.UTC(2026, 3, 1);

function storedHash(userId: string): string {
  return findLoginProfile(t.store, ACCOUNT, userId)!.password_hash;
}

describe('login profiles', () => {
  test('create stores only a scrypt hash and returns AWS’s LoginProfile shape', () => {
    const { user } = userWithKey(t.store, 'alice');
    const out = call(asRoot(t.store, NOW), 'CreateLoginProfile', { UserName: 'alice', Password: GOOD, PasswordResetRequired: true });
    assert.deepEqual(out, { LoginProfile: { UserName: 'alice', CreateDate: new Date(NOW), PasswordResetRequired: true } });
    const hash = storedHash(user.UserId);
    assert.match(hash, /^\$scrypt\$/);
    assert.equal(hash.includes(GOOD), false);
    assert.equal(verifyPassword(GOOD, hash), true);
    assert.deepEqual(call(asRoot(t.store), 'GetLoginProfile', { UserName: 'alice' }), out);
  });

  test('a second profile is EntityAlreadyExists; a missing one NoSuchEntity', () => {
    userWithKey(t.store, 'alice');
    call(asRoot(t.store), 'CreateLoginProfile', { UserName: 'alice', Password: GOOD });
    throwsAws(() => call(asRoot(t.store), 'CreateLoginProfile', { UserName: 'alice', Password: GOOD }), 'EntityAlreadyExists', 409, 'Login Profile for user alice already exists.');
    userWithKey(t.store, 'bob');
    throwsAws(() => call(asRoot(t.store), 'GetLoginProfile', { UserName: 'bob' }), 'NoSuchEntity', 404, 'Login Profile for User bob cannot be found.');
    throwsAws(() => call(asRoot(t.store), 'DeleteLoginProfile', { UserName: 'bob' }), 'NoSuchEntity', 404);
  });

  test('the default password policy applies when the account has none', () => {
    userWithKey(t.store, 'alice');
    throwsAws(() => call(asRoot(t.store), 'CreateLoginProfile', { UserName: 'alice', Password: 'short' }), 'PasswordPolicyViolation', 400, 'Password should have a minimum length of 8');
    throwsAws(() => call(asRoot(t.store), 'CreateLoginProfile', { UserName: 'alice', Password: 'alllowercase' }), 'PasswordPolicyViolation', 400, /meet 2 more/);
  });

  test('a login profile blocks DeleteUser until deleted', () => {
    userWithKey(t.store, 'alice');
    call(asRoot(t.store), 'DeleteAccessKey', {
      UserName: 'alice',
      AccessKeyId: call(asRoot(t.store), 'ListAccessKeys', { UserName: 'alice' }).AccessKeyMetadata[0].AccessKeyId,
    });
    call(asRoot(t.store), 'CreateLoginProfile', { UserName: 'alice', Password: GOOD });
    throwsAws(() => call(asRoot(t.store), 'DeleteUser', { UserName: 'alice' }), 'DeleteConflict', 409, 'Cannot delete entity, must delete login profile first.');
    call(asRoot(t.store), 'DeleteLoginProfile', { UserName: 'alice' });
    call(asRoot(t.store), 'DeleteUser', { UserName: 'alice' });
  });

  test('UpdateLoginProfile changes the password and the reset flag separately', () => {
    const { user } = userWithKey(t.store, 'alice');
    call(asRoot(t.store), 'CreateLoginProfile', { UserName: 'alice', Password: GOOD });
    call(asRoot(t.store), 'UpdateLoginProfile', { UserName: 'alice', PasswordResetRequired: true });
    assert.equal(call(asRoot(t.store), 'GetLoginProfile', { UserName: 'alice' }).LoginProfile.PasswordResetRequired, true);
    call(asRoot(t.store), 'UpdateLoginProfile', { UserName: 'alice', Password: 'Another-Pass-7' });
    assert.equal(verifyPassword('Another-Pass-7', storedHash(user.UserId)), true);
    assert.equal(call(asRoot(t.store), 'GetLoginProfile', { UserName: 'alice' }).LoginProfile.PasswordResetRequired, true);
  });
});

describe('account password policy', () => {
  test('update replaces the whole policy; get returns it; delete restores the default', () => {
    throwsAws(() => call(asRoot(t.store), 'GetAccountPasswordPolicy'), 'NoSuchEntity', 404, `The Password Policy with domain name ${ACCOUNT} cannot be found.`);
    call(asRoot(t.store), 'UpdateAccountPasswordPolicy', { MinimumPasswordLength: 12, RequireSymbols: true, PasswordReusePrevention: 3 });
    const { PasswordPolicy } = call(asRoot(t.store), 'GetAccountPasswordPolicy');
    assert.equal(PasswordPolicy.MinimumPasswordLength, 12);
    assert.equal(PasswordPolicy.RequireSymbols, true);
    assert.equal(PasswordPolicy.PasswordReusePrevention, 3);
    call(asRoot(t.store), 'UpdateAccountPasswordPolicy', { RequireNumbers: true });
    const replaced = call(asRoot(t.store), 'GetAccountPasswordPolicy').PasswordPolicy;
    assert.equal(replaced.MinimumPasswordLength, 6);
    assert.equal(replaced.RequireSymbols, false);
    call(asRoot(t.store), 'DeleteAccountPasswordPolicy');
    throwsAws(() => call(asRoot(t.store), 'DeleteAccountPasswordPolicy'), 'NoSuchEntity', 404);
  });

  test('a custom policy governs new passwords', () => {
    userWithKey(t.store, 'alice');
    call(asRoot(t.store), 'UpdateAccountPasswordPolicy', { MinimumPasswordLength: 14, RequireSymbols: true });
    throwsAws(() => call(asRoot(t.store), 'CreateLoginProfile', { UserName: 'alice', Password: 'Abcdefgh1234' }), 'PasswordPolicyViolation', 400, 'Password should have a minimum length of 14');
    throwsAws(() => call(asRoot(t.store), 'CreateLoginProfile', { UserName: 'alice', Password: 'Abcdefgh123456' }), 'PasswordPolicyViolation', 400, 'Password should have at least one symbol');
    call(asRoot(t.store), 'CreateLoginProfile', { UserName: 'alice', Password: 'Abcdefgh12345!' });
  });
});

describe('ChangePassword', () => {
  test('the calling user changes its own password; the old one must match; reset-required is cleared', () => {
    const { principal, user } = userWithKey(t.store, 'alice');
    call(asRoot(t.store), 'CreateLoginProfile', { UserName: 'alice', Password: GOOD, PasswordResetRequired: true });
    const me = contextFor(t.store, principal, NOW + 1000);
    throwsAws(() => call(me, 'ChangePassword', { OldPassword: 'not-it', NewPassword: 'Brand-New-Pass-1' }), 'AccessDenied', 403);
    call(me, 'ChangePassword', { OldPassword: GOOD, NewPassword: 'Brand-New-Pass-1' });
    assert.equal(verifyPassword('Brand-New-Pass-1', storedHash(user.UserId)), true);
    assert.equal(call(asRoot(t.store), 'GetLoginProfile', { UserName: 'alice' }).LoginProfile.PasswordResetRequired, false);
  });

  test('PasswordReusePrevention refuses the last N passwords, and only those', () => {
    const { principal } = userWithKey(t.store, 'alice');
    call(asRoot(t.store), 'UpdateAccountPasswordPolicy', { MinimumPasswordLength: 8, PasswordReusePrevention: 2 });
    call(asRoot(t.store, NOW), 'CreateLoginProfile', { UserName: 'alice', Password: 'Password-1' });
    let now = NOW;
    const change = (from: string, to: string) => call(contextFor(t.store, principal, (now += 1000)), 'ChangePassword', { OldPassword: from, NewPassword: to });
    change('Password-1', 'Password-2');
    throwsAws(() => change('Password-2', 'Password-1'), 'PasswordPolicyViolation', 400, 'Password should not be the same as any of your previous 2 passwords');
    throwsAws(() => change('Password-2', 'Password-2'), 'PasswordPolicyViolation', 400);
    change('Password-2', 'Password-3');
    // Password-1 is now three passwords back: allowed again.
    change('Password-3', 'Password-1');
  });

  test('only IAM users can call it; a user without a profile gets NoSuchEntity', () => {
    throwsAws(() => call(asRoot(t.store), 'ChangePassword', { OldPassword: 'a', NewPassword: 'b' }), 'InvalidUserType', 400);
    const { principal } = userWithKey(t.store, 'bob');
    throwsAws(() => call(contextFor(t.store, principal), 'ChangePassword', { OldPassword: 'a', NewPassword: 'Whatever-123' }), 'NoSuchEntity', 404);
  });
});
