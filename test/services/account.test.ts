import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { totpCodeForStep, timeStepAt } from '../../src/auth/totp.js';
import { ensureAccount, resetAccount, rootPrincipal } from '../../src/identity/accounts.js';
import { enableRootMfaDevice } from '../../src/services/iam/mfa/mfa-devices.js';
import { CREDENTIAL_REPORT_COLUMNS } from '../../src/services/iam/account/credential-report.js';
import { CREDENTIAL_REPORT_LIFETIME_MS } from '../../src/services/iam/account/credential-report-ops.js';
import { ACCOUNT, asRoot, call, contextFor, openTestStore, throwsAws } from './context.js';
import { fixture } from './credential-fixtures.js';
import type { Store } from '../../src/store/store.js';

let t: ReturnType<typeof openTestStore>;
let store: Store;
beforeEach(() => {
  t = openTestStore();
  store = t.store;
});
afterEach(() => t.dispose());

const OTHER = '210987654321';
const NOW = Date.UTC(2026, 3, 1, 9, 30, 0);

function otherAccountRoot() {
  ensureAccount(store, OTHER);
  return contextFor(store, rootPrincipal(store, OTHER));
}

describe('account alias', () => {
  test('none at first; create, list, delete', () => {
    assert.deepEqual(call(asRoot(store), 'ListAccountAliases'), { AccountAliases: [], IsTruncated: false });
    call(asRoot(store), 'CreateAccountAlias', { AccountAlias: 'example-corp' });
    assert.deepEqual(call(asRoot(store), 'ListAccountAliases'), { AccountAliases: ['example-corp'], IsTruncated: false });
    call(asRoot(store), 'DeleteAccountAlias', { AccountAlias: 'example-corp' });
    assert.deepEqual(call(asRoot(store), 'ListAccountAliases').AccountAliases, []);
  });

  test('an account has one alias: creating another replaces it; creating the same again is fine', () => {
    call(asRoot(store), 'CreateAccountAlias', { AccountAlias: 'first-name' });
    call(asRoot(store), 'CreateAccountAlias', { AccountAlias: 'first-name' });
    call(asRoot(store), 'CreateAccountAlias', { AccountAlias: 'second-name' });
    assert.deepEqual(call(asRoot(store), 'ListAccountAliases').AccountAliases, ['second-name']);
  });

  test("another account's alias is taken", () => {
    call(otherAccountRoot(), 'CreateAccountAlias', { AccountAlias: 'shared-name' });
    throwsAws(() => call(asRoot(store), 'CreateAccountAlias', { AccountAlias: 'shared-name' }), 'EntityAlreadyExists', 409, 'The account alias shared-name already exists.');
    assert.deepEqual(call(asRoot(store), 'ListAccountAliases').AccountAliases, []);
  });

  test("deleting an alias that is not the account's is NoSuchEntity", () => {
    call(otherAccountRoot(), 'CreateAccountAlias', { AccountAlias: 'theirs' });
    throwsAws(() => call(asRoot(store), 'DeleteAccountAlias', { AccountAlias: 'theirs' }), 'NoSuchEntity', 404, 'The account alias theirs cannot be found.');
    throwsAws(() => call(asRoot(store), 'DeleteAccountAlias', { AccountAlias: 'nothing-here' }), 'NoSuchEntity', 404);
  });

  test("aliases follow AWS's pattern: lower case, digits, single dashes inside", () => {
    for (const bad of ['Upper', '-dash', 'dash-', 'two--dashes', 'ab', 'under_score']) {
      throwsAws(() => call(asRoot(store), 'CreateAccountAlias', { AccountAlias: bad }), 'ValidationError', 400, /regular expression pattern/);
    }
    call(asRoot(store), 'CreateAccountAlias', { AccountAlias: 'a-1-b' });
  });

  test('a reset account loses its alias, which becomes free', () => {
    call(asRoot(store), 'CreateAccountAlias', { AccountAlias: 'freed' });
    resetAccount(store, ACCOUNT);
    call(otherAccountRoot(), 'CreateAccountAlias', { AccountAlias: 'freed' });
  });
});

describe('GetAccountSummary', () => {
  test('counts the entities and states the quotas under AWS key names', () => {
    const root = asRoot(store);
    const before = call(root, 'GetAccountSummary').SummaryMap;
    assert.equal(before.Users, 0);
    assert.equal(before.AccountAccessKeysPresent, 1, 'the bootstrap root key');
    assert.equal(before.AccountMFAEnabled, 0);
    assert.equal(before.UsersQuota, 5000);
    assert.equal(before.GroupsQuota, 300);
    assert.equal(before.RolesQuota, 1000);
    assert.equal(before.PoliciesQuota, 1500);
    assert.equal(before.AccessKeysPerUserQuota, 2);
    assert.equal(before.PolicySizeQuota, 6144);
    assert.equal(before.UserPolicySizeQuota, 2048);
    assert.equal(before.AssumeRolePolicySizeQuota, 2048);
    assert.equal(before.VersionsPerPolicyQuota, 5);

    call(root, 'CreateUser', { UserName: 'a' });
    call(root, 'CreateUser', { UserName: 'b' });
    call(root, 'CreateGroup', { GroupName: 'g' });
    call(root, 'CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trust() });
    call(root, 'CreateInstanceProfile', { InstanceProfileName: 'ip' });
    call(root, 'CreatePolicy', { PolicyName: 'p', PolicyDocument: allowAll() });
    call(root, 'AttachUserPolicy', { UserName: 'a', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
    call(root, 'AttachGroupPolicy', { GroupName: 'g', PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/p` });
    call(root, 'CreateVirtualMFADevice', { VirtualMFADeviceName: 'spare' });

    const after = call(root, 'GetAccountSummary').SummaryMap;
    assert.equal(after.Users, 2);
    assert.equal(after.Groups, 1);
    assert.equal(after.Roles, 1);
    assert.equal(after.InstanceProfiles, 1);
    assert.equal(after.Policies, 1, 'customer managed policies only');
    assert.equal(after.PolicyVersionsInUse, 2, 'one per attachment');
    assert.equal(after.MFADevices, 1);
    assert.equal(after.MFADevicesInUse, 0);
  });

  test('AccountMFAEnabled follows the root user MFA device', () => {
    const { VirtualMFADevice } = call(asRoot(store, NOW), 'CreateVirtualMFADevice', { VirtualMFADeviceName: 'root-phone' });
    const seed = (VirtualMFADevice.Base32StringSeed as Buffer).toString('ascii');
    const step = timeStepAt(NOW);
    store.tx(() =>
      enableRootMfaDevice(
        store,
        ACCOUNT,
        { SerialNumber: VirtualMFADevice.SerialNumber, AuthenticationCode1: totpCodeForStep(seed, step - 1), AuthenticationCode2: totpCodeForStep(seed, step) },
        NOW,
      ),
    );
    const map = call(asRoot(store), 'GetAccountSummary').SummaryMap;
    assert.equal(map.AccountMFAEnabled, 1);
    assert.equal(map.MFADevicesInUse, 1);
  });

  test('server certificates and the root user\'s signing certificates are counted', () => {
    // LS tests/aws/services/iam/test_iam_account_summary.snapshot.json: ServerCertificates +1 after an upload.
    const root = asRoot(store);
    call(root, 'UploadServerCertificate', { ServerCertificateName: 'web', CertificateBody: fixture('server-a.cert.pem'), PrivateKey: fixture('server-a.key.pem') });
    call(root, 'UploadSigningCertificate', { CertificateBody: fixture('server-b.cert.pem') });
    const map = call(root, 'GetAccountSummary').SummaryMap;
    assert.equal(map.ServerCertificates, 1);
    assert.equal(map.AccountSigningCertificatesPresent, 1);
  });

  test('each account sees its own counts', () => {
    call(asRoot(store), 'CreateUser', { UserName: 'mine' });
    assert.equal(call(otherAccountRoot(), 'GetAccountSummary').SummaryMap.Users, 0);
  });
});

function allowAll(): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
}

function trust(): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
}

describe('credential report', () => {
  test('GetCredentialReport before any generation is ReportNotPresent (410)', () => {
    throwsAws(() => call(asRoot(store), 'GetCredentialReport'), 'ReportNotPresent', 410);
  });

  test('the first generation starts, the next one finds it complete; the report is a CSV blob', () => {
    const root = asRoot(store, NOW);
    call(root, 'CreateUser', { UserName: 'zed' });
    call(root, 'CreateUser', { UserName: 'amy' });
    call(root, 'CreateAccessKey', { UserName: 'amy' });
    call(root, 'CreateLoginProfile', { UserName: 'zed', Password: 'Correct-Horse-9' });
    assert.deepEqual(call(root, 'GenerateCredentialReport'), { State: 'STARTED', Description: 'No report exists. Starting a new report generation task' });
    assert.deepEqual(call(asRoot(store, NOW + 1000), 'GenerateCredentialReport'), { State: 'COMPLETE' });

    const report = call(asRoot(store, NOW + 2000), 'GetCredentialReport');
    assert.equal(report.ReportFormat, 'text/csv');
    assert.deepEqual(report.GeneratedTime, new Date(NOW));
    assert.ok(Buffer.isBuffer(report.Content));
    const lines = (report.Content as Buffer).toString('utf8').split('\n');
    assert.equal(lines[0], CREDENTIAL_REPORT_COLUMNS.join(','));
    const rows = lines.slice(1).map((l) => l.split(','));
    assert.deepEqual(rows.map((r) => r[0]), ['<root_account>', 'amy', 'zed']);
    const col = (name: string) => CREDENTIAL_REPORT_COLUMNS.indexOf(name as (typeof CREDENTIAL_REPORT_COLUMNS)[number]);
    assert.equal(rows[0][col('access_key_1_active')], 'true', 'the root key');
    assert.equal(rows[1][col('access_key_1_active')], 'true');
    assert.equal(rows[1][col('password_enabled')], 'false');
    assert.equal(rows[2][col('password_enabled')], 'true');
    assert.equal(rows[2][col('password_last_changed')], new Date(NOW).toISOString().replace('.000Z', '+00:00'));
    assert.equal(rows[2][col('arn')], `arn:aws:iam::${ACCOUNT}:user/zed`);
  });

  test('the report is a snapshot: later changes show only in a new report', () => {
    call(asRoot(store, NOW), 'GenerateCredentialReport');
    call(asRoot(store, NOW), 'CreateUser', { UserName: 'late' });
    const text = (call(asRoot(store, NOW + 1), 'GetCredentialReport').Content as Buffer).toString('utf8');
    assert.doesNotMatch(text, /late/);
  });

  test('four hours later the report has expired; generating again makes a fresh one', () => {
    call(asRoot(store, NOW), 'GenerateCredentialReport');
    const later = NOW + CREDENTIAL_REPORT_LIFETIME_MS;
    throwsAws(() => call(asRoot(store, later), 'GetCredentialReport'), 'ReportExpired', 410);
    call(asRoot(store, later), 'CreateUser', { UserName: 'newcomer' });
    assert.equal(call(asRoot(store, later), 'GenerateCredentialReport').State, 'STARTED');
    const report = call(asRoot(store, later + 1), 'GetCredentialReport');
    assert.deepEqual(report.GeneratedTime, new Date(later));
    assert.match((report.Content as Buffer).toString('utf8'), /\nnewcomer,/);
  });

  test('reports belong to their account', () => {
    call(asRoot(store, NOW), 'GenerateCredentialReport');
    throwsAws(() => call(otherAccountRoot(), 'GetCredentialReport'), 'ReportNotPresent', 410);
  });
});
