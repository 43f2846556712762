import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import {
  CreateLoginProfileCommand, CreatePolicyCommand, CreateUserCommand, CreateVirtualMFADeviceCommand, EnableMFADeviceCommand, IAMClient, PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { clientConfig, type TestServer } from '../helpers/server.js';
import { packageRoot } from '../../src/package.js';
import { launchChromium, nav, newPage, paste, problemsOf, screenshot, signIn, signOut } from './browser.js';
import { ACCOUNT, closeConsole, openConsole, ROOT, ROOT_PASSWORD, startConsoleServer, totp } from './support.js';

/**
 * The seeds, walked in Chromium as a person would: every click is a real request of the
 * console's page, every AWS call it makes goes through the server's pipeline.
 */
let browser: Browser;
before(async () => {
  browser = await launchChromium();
});
after(async () => browser?.close());

const fixture = readFileSync(join(packageRoot(), 'test', 'console', 'fixtures', 'engineer_access.json'), 'utf8');

describe('seed 001: groups, the engineer policy, a user with a console password and the forced change', () => {
  let server: TestServer;
  let page: Page;
  before(async () => {
    ({ server, page } = await openConsole(browser));
  });
  after(() => closeConsole(server, page));

  test('root creates the engineer group', async () => {
    await signIn(page, server.url, ROOT);
    await page.getByTestId('identity').filter({ hasText: `root @ ${ACCOUNT}` }).waitFor();
    await page.getByTestId('rec-users-mfa').waitFor();
    await screenshot(page, 'dashboard');
    await nav(page, 'User groups');
    await page.getByRole('button', { name: 'Create group' }).click();
    await page.getByLabel('User group name').fill('engineer');
    await page.getByRole('button', { name: 'Create group' }).click();
    await page.getByRole('heading', { name: 'engineer', exact: true }).waitFor();
  });

  test('the engineer policy, pasted with its trailing comma, shows the error at its line; fixed, it is created', async () => {
    await nav(page, 'Policies');
    await page.getByRole('button', { name: 'Create policy' }).click();
    await paste(page, fixture);
    // The seed's "s3:GetEncryptionConfiguration", before "]": the comma is the error.
    const lines = fixture.split('\n');
    const line = lines.findIndex((l) => l.includes('"s3:GetEncryptionConfiguration",')) + 1;
    const column = lines[line - 1].lastIndexOf(',') + 1;
    const finding = page.getByTestId('findings').locator('li', { hasText: 'JSON_SYNTAX_ERROR' });
    await finding.waitFor();
    assert.match(await finding.innerText(), new RegExp(`ERROR Ln ${line}, Col ${column} JSON_SYNTAX_ERROR`));
    // The editor marks it too: going to the finding shows the marked text.
    await finding.getByRole('button', { name: `Go to line ${line}, column ${column}` }).click();
    await page.locator('.cm-lintRange-error').first().waitFor();
    assert.equal(await page.locator('.cm-activeLine').innerText(), lines[line - 1]);
    await page.getByLabel('Policy name').fill('engineer_access');
    assert.equal(await page.getByRole('button', { name: 'Create policy' }).isDisabled(), true);
    await screenshot(page, 'policy-editor-error');
    await paste(page, fixture.replace('"s3:GetEncryptionConfiguration",', '"s3:GetEncryptionConfiguration"'));
    await page.getByTestId('findings').getByText(/^0 errors|^No findings/).waitFor();
    await page.getByRole('button', { name: 'Create policy' }).click();
    await page.getByRole('heading', { name: 'engineer_access' }).waitFor();
    assert.match(await page.locator('pre.json').innerText(), /AccessAllS3Settings/);
    // Its summary, by service and access level: all of Glue, some of S3.
    const summary = page.getByRole('table', { name: 'Policy summary' });
    await summary.getByRole('row', { name: /Allow\s+AWS Glue\s+Full access/ }).waitFor();
    await summary.getByRole('row', { name: /Allow\s+Amazon S3\s+.*Limited/ }).waitFor();
  });

  test('the policy is attached to the group', async () => {
    await page.goto(`${server.url}/_iamlocal/console/#/groups/engineer`);
    await page.getByRole('button', { name: 'Add permissions' }).click();
    await page.getByLabel('Filter by type').selectOption('Local');
    await page.getByLabel(`Select arn:aws:iam::${ACCOUNT}:policy/engineer_access`).check();
    await page.getByRole('button', { name: 'Attach policies' }).click();
    await page.getByRole('link', { name: 'engineer_access' }).waitFor();
    await screenshot(page, 'group');
  });

  test('a user with a console password that must be changed, in the group', async () => {
    await nav(page, 'Users');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByLabel('User name', { exact: true }).fill('engineer_erika');
    await page.getByLabel('Enter a custom password').fill('First-Pass-123!');
    assert.equal(await page.getByLabel(/Users must create a new password at next sign-in/).isChecked(), true);
    await page.getByLabel('Select engineer', { exact: true }).check();
    await screenshot(page, 'create-user');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByText('User engineer_erika created successfully.').waitFor();
    await nav(page, 'Users');
    await page.getByRole('link', { name: 'engineer_erika' }).waitFor();
    await screenshot(page, 'users');
  });

  test('the engineer signs in, must change the password, and sees AccessDenied explained where the policy does not reach', async () => {
    await signOut(page);
    await signIn(page, server.url, { account: ACCOUNT, user: 'engineer_erika', password: 'First-Pass-123!' });
    await page.getByRole('heading', { name: 'Change password' }).waitFor();
    await page.getByLabel('Old password').fill('First-Pass-123!');
    await page.getByLabel('New password', { exact: true }).fill('Second-Pass-456!');
    await page.getByLabel('Retype new password').fill('Second-Pass-456!');
    await page.getByRole('button', { name: 'Confirm password change' }).click();
    await page.getByTestId('identity').filter({ hasText: `engineer_erika @ ${ACCOUNT}` }).waitFor();
    await nav(page, 'Users');
    const alert = page.getByRole('alert').filter({ hasText: 'AccessDenied' });
    await alert.waitFor();
    const text = await alert.innerText();
    assert.match(text, /User: arn:aws:iam::000000000000:user\/engineer_erika is not authorized to perform: iam:ListUsers/);
    assert.match(text, /Why \(iamlocal's policy engine\)/);
    assert.match(text, /no identity-based policy allows the action/);
    await screenshot(page, 'access-denied');
    // What the group's policy allows, the page shows: the policy list (iam:ListPolicies in us-east-1).
    await nav(page, 'Policies');
    await page.getByLabel('Filter Policies').fill('engineer');
    await page.getByRole('link', { name: 'engineer_access' }).waitFor();
  });

  test("root reads the engineer's denial on the Decisions page, explained", async () => {
    await signOut(page);
    await signIn(page, server.url, ROOT);
    await nav(page, 'Decisions');
    await page.getByLabel('Denied only').check();
    await page.getByLabel('Principal').fill('engineer_erika');
    const line = page.getByRole('list', { name: 'Decisions' }).locator('li', { hasText: 'iam:ListUsers' }).first();
    await line.waitFor();
    await line.locator('summary').click();
    assert.match(await line.innerText(), /implicitDeny[\s\S]*no identity-based policy allows the action/);
    await screenshot(page, 'decisions');
    assert.deepEqual(problemsOf(page), []);
  });
});

describe('seed 002: the root user activates MFA', () => {
  let server: TestServer;
  let page: Page;
  before(async () => {
    ({ server, page } = await openConsole(browser));
  });
  after(() => closeConsole(server, page));

  test('scan the QR code (read the secret under it), two consecutive codes, then the code at sign-in', async () => {
    await signIn(page, server.url, ROOT);
    await page.getByTestId('rec-root-mfa').filter({ hasText: 'Add MFA for root user' }).waitFor();
    await page.getByRole('link', { name: 'My security credentials' }).click();
    await page.getByRole('button', { name: 'Assign MFA device' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    const qr = page.getByRole('img', { name: 'QR code of the virtual MFA device' });
    await qr.waitFor();
    assert.ok(await qr.evaluate((img) => (img as unknown as { complete: boolean; naturalWidth: number }).complete && (img as unknown as { naturalWidth: number }).naturalWidth > 0));
    await page.getByRole('button', { name: 'Show secret key' }).click();
    const secret = (await page.getByTestId('mfa-secret').innerText()).trim();
    assert.match(secret, /^[A-Z2-7]{32,}$/);
    await screenshot(page, 'root-mfa');
    const now = Date.now();
    await page.getByLabel('MFA code 1').fill(totp(secret, now - 30_000));
    await page.getByLabel('MFA code 2').fill(totp(secret, now));
    await page.getByRole('button', { name: 'Add MFA' }).click();
    await page.getByText('MFA device assigned.').waitFor();
    await page.getByTestId('root-mfa-state').filter({ hasText: 'MFA is active for the root user.' }).waitFor();
    await signOut(page);
    await signIn(page, server.url, ROOT);
    await page.getByRole('heading', { name: 'Multi-factor authentication' }).waitFor();
    await page.getByLabel('MFA code').fill(totp(secret, Date.now() + 30_000));
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.getByTestId('rec-root-mfa').filter({ hasText: 'Root user has MFA' }).waitFor();
    assert.deepEqual(problemsOf(page), []);
  });
});

describe('seed 003: switch role, refused without MFA and allowed with it', () => {
  let server: TestServer;
  let page: Page;
  let iam: IAMClient;
  before(async () => {
    server = await startConsoleServer();
    page = await newPage(browser);
    iam = new IAMClient(clientConfig(server));
    await iam.send(new CreateUserCommand({ UserName: 'boto3' }));
    await iam.send(new CreateLoginProfileCommand({ UserName: 'boto3', Password: 'Boto3-User-Pass-1!' }));
    await iam.send(new PutUserPolicyCommand({
      UserName: 'boto3', PolicyName: 'may-assume',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${ACCOUNT}:role/boto3-role` }] }),
    }));
  });
  after(async () => {
    await page?.context().close();
    await server?.stop();
  });

  test('root creates a role for this account that requires MFA, with S3 read-only', async () => {
    await signIn(page, server.url, ROOT);
    await nav(page, 'Roles');
    await page.getByRole('button', { name: 'Create role' }).click();
    await page.getByLabel('AWS account', { exact: true }).check();
    await page.getByLabel('Require MFA').check();
    await page.getByLabel('Filter Permissions policies').fill('AmazonS3ReadOnlyAccess');
    await page.getByLabel('Select arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess', { exact: true }).check();
    await page.getByLabel('Role name').fill('boto3-role');
    await page.getByRole('button', { name: 'Create role' }).click();
    await page.getByTestId('role-arn').filter({ hasText: `arn:aws:iam::${ACCOUNT}:role/boto3-role` }).waitFor();
    assert.match(await page.locator('pre.json').innerText(), /"aws:MultiFactorAuthPresent": "true"/);
    await signOut(page);
  });

  test('without MFA the switch is refused, with the trust policy explained', async () => {
    await signIn(page, server.url, { account: ACCOUNT, user: 'boto3', password: 'Boto3-User-Pass-1!' });
    await page.getByRole('link', { name: 'Switch role' }).click();
    await page.getByLabel('IAM role name').fill('boto3-role');
    await page.getByRole('button', { name: 'Switch Role' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'AccessDenied' });
    await alert.waitFor();
    assert.match(await alert.innerText(), /not authorized to perform: sts:AssumeRole/);
    assert.match(await alert.innerText(), /Why \(iamlocal's policy engine\)/);
    await signOut(page);
  });

  test('signed in with MFA, the switch succeeds and the header shows ROLE @ ACCOUNT', async () => {
    const { VirtualMFADevice } = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'boto3' }));
    const seed = Buffer.from(VirtualMFADevice!.Base32StringSeed!).toString('latin1');
    const now = Date.now();
    await iam.send(new EnableMFADeviceCommand({ UserName: 'boto3', SerialNumber: VirtualMFADevice!.SerialNumber!, AuthenticationCode1: totp(seed, now - 30_000), AuthenticationCode2: totp(seed, now) }));
    await signIn(page, server.url, { account: ACCOUNT, user: 'boto3', password: 'Boto3-User-Pass-1!' });
    await page.getByLabel('MFA code').fill(totp(seed, Date.now() + 30_000));
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.getByRole('link', { name: 'Switch role' }).click();
    await page.getByLabel('IAM role name').fill('boto3-role');
    await page.getByRole('button', { name: 'Switch Role' }).click();
    await page.getByTestId('identity').filter({ hasText: `boto3-role @ ${ACCOUNT}` }).waitFor();
    // As the role: S3 read-only, so IAM's user list is denied (to the role session, explained).
    await nav(page, 'Users');
    const alert = page.getByRole('alert').filter({ hasText: 'AccessDenied' });
    await alert.waitFor();
    assert.match(await alert.innerText(), /assumed-role\/boto3-role\/boto3 is not authorized to perform: iam:ListUsers/);
    await screenshot(page, 'switched-role');
    await page.getByRole('button', { name: 'Switch back' }).click();
    await page.getByTestId('identity').filter({ hasText: `boto3 @ ${ACCOUNT}` }).waitFor();
    assert.deepEqual(problemsOf(page), []);
  });
});

describe('seed 004: a user with an access key, and the .csv download', () => {
  let server: TestServer;
  let page: Page;
  before(async () => {
    server = await startConsoleServer();
    page = await newPage(browser);
    const iam = new IAMClient(clientConfig(server));
    await iam.send(new CreatePolicyCommand({
      PolicyName: 'edXProjectPolicy',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Sid1', Effect: 'Allow', Action: ['iam:*', 's3:*', 'ec2:*'], Resource: '*' }] }),
    }));
  });
  after(async () => {
    await page?.context().close();
    await server?.stop();
  });

  test('create edXProjectUser with console and programmatic access; the .csv holds working keys', async () => {
    await signIn(page, server.url, ROOT);
    await nav(page, 'Users');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByLabel('User name', { exact: true }).fill('edXProjectUser');
    await page.getByLabel('Autogenerated password').check();
    await page.getByLabel(/Users must create a new password/).uncheck();
    await page.getByLabel('Access key - Programmatic access').check();
    await page.getByLabel('Filter Permissions policies').fill('edXProjectPolicy');
    await page.getByLabel(`Select arn:aws:iam::${ACCOUNT}:policy/edXProjectPolicy`).check();
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByText('User edXProjectUser created successfully.').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download .csv' }).click()]);
    assert.equal(download.suggestedFilename(), 'edXProjectUser_credentials.csv');
    const csv = readFileSync((await download.path())!, 'utf8').trim().split('\n');
    assert.equal(csv[0], 'User name,Password,Access key ID,Secret access key,Console login link');
    const [user, password, keyId, secret, link] = csv[1].split(',');
    assert.equal(user, 'edXProjectUser');
    assert.equal(password, (await page.getByTestId('created-password').innerText()).trim());
    assert.match(keyId, /^AKIA[A-Z0-9]{16}$/);
    assert.equal(link, `${server.url}/_iamlocal/console/`);
    const sts = new STSClient(clientConfig(server, { accessKeyId: keyId, secretAccessKey: secret }));
    const me = await sts.send(new GetCallerIdentityCommand({}));
    assert.equal(me.Arn, `arn:aws:iam::${ACCOUNT}:user/edXProjectUser`);
    // The autogenerated password signs the user in.
    await signOut(page);
    await signIn(page, server.url, { account: ACCOUNT, user: 'edXProjectUser', password });
    await page.getByTestId('identity').filter({ hasText: `edXProjectUser @ ${ACCOUNT}` }).waitFor();
  });

  test('Security credentials: a second access key, downloaded in AWS access-key .csv layout', async () => {
    await page.goto(`${server.url}/_iamlocal/console/#/users/edXProjectUser/Security credentials`);
    await page.getByRole('heading', { name: 'Access keys (1)' }).waitFor();
    await page.getByRole('button', { name: 'Create access key' }).click();
    const keyId = (await page.getByTestId('new-key-id').innerText()).trim();
    await screenshot(page, 'security-credentials');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download .csv file' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    // AWS's file starts with a UTF-8 byte order mark.
    assert.equal(csv, `\ufeffAccess key ID,Secret access key\n${keyId},${(await page.getByTestId('new-key-secret').innerText()).trim()}\n`);
    await page.getByRole('heading', { name: 'Access keys (2)' }).waitFor();
    assert.deepEqual(problemsOf(page), []);
  });

  test('at phone width the users list still reads', async () => {
    const phone = await newPage(browser, 375, 812);
    await signIn(phone, server.url, ROOT);
    await phone.getByRole('navigation', { name: 'IAM' }).getByRole('link', { name: 'Users', exact: true }).click();
    await phone.getByRole('link', { name: 'edXProjectUser' }).waitFor();
    const overflow = await phone.locator('html').evaluate((html) => (html as unknown as { scrollWidth: number; clientWidth: number }).scrollWidth - (html as unknown as { clientWidth: number }).clientWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
    await phone.context().close();
  });
});

describe('account settings, alias sign-in, the policy simulator, access analyzer, the credential report', () => {
  let server: TestServer;
  let page: Page;
  before(async () => {
    server = await startConsoleServer();
    page = await newPage(browser);
    const iam = new IAMClient(clientConfig(server));
    await iam.send(new CreatePolicyCommand({
      PolicyName: 'pass-any-role',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' }] }),
    }));
  });
  after(async () => {
    await page?.context().close();
    await server?.stop();
  });

  test('the password policy applies to new console passwords; IAM users sign in with the alias', async () => {
    await signIn(page, server.url, ROOT);
    await nav(page, 'Account settings');
    await page.getByLabel('Password minimum length').fill('16');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Password policy updated.').waitFor();
    await page.getByLabel('New account alias').fill('my-team');
    await page.getByRole('button', { name: 'Save alias' }).click();
    await page.getByTestId('alias').filter({ hasText: 'my-team' }).waitFor();
    await nav(page, 'Users');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByLabel('User name', { exact: true }).fill('alias_user');
    await page.getByLabel(/Users must create a new password/).uncheck();
    await page.getByLabel('Enter a custom password').fill('Short-1!');
    await page.getByRole('button', { name: 'Create user' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'PasswordPolicyViolation' });
    await alert.waitFor();
    // The user was made before its password was refused (as on AWS, step by step): give it a good one on its page.
    await page.getByLabel('Enter a custom password').fill('Long-Enough-Pass-123!');
    await page.getByLabel('User name', { exact: true }).fill('alias_user2');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByText('User alias_user2 created successfully.').waitFor();
    await signOut(page);
    await signIn(page, server.url, { account: 'my-team', user: 'alias_user2', password: 'Long-Enough-Pass-123!' });
    await page.getByTestId('identity').filter({ hasText: 'alias_user2 @ my-team' }).waitFor();
    await signOut(page);
  });

  test('the policy simulator decides for a user, with the engine that enforces', async () => {
    await signIn(page, server.url, ROOT);
    await nav(page, 'Policy simulator');
    await page.getByLabel('User or role').selectOption({ label: 'user alias_user2' });
    await page.getByLabel('Actions (comma or space separated)').fill('iam:ListUsers s3:ListAllMyBuckets');
    await page.getByRole('button', { name: 'Run simulation' }).click();
    const table = page.getByRole('table', { name: 'Simulation results' });
    await table.getByRole('row', { name: /iam:ListUsers.*implicitDeny/ }).waitFor();
    await table.getByRole('row', { name: /s3:ListAllMyBuckets.*implicitDeny/ }).waitFor();
  });

  test('access analyzer lists the findings of every policy of the account', async () => {
    await nav(page, 'Access analyzer');
    await page.getByRole('table', { name: 'Findings' }).getByRole('row', { name: /pass-any-role.*SECURITY_WARNING.*PASS_ROLE_WITH_STAR_IN_RESOURCE/ }).waitFor();
  });

  test('the credential report is generated, shown and downloaded as AWS lays it out', async () => {
    await nav(page, 'Credential report');
    await page.getByRole('button', { name: 'Generate report' }).click();
    await page.getByRole('table', { name: 'Credential report' }).getByRole('row', { name: /alias_user2\s+true/ }).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download credential report' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    assert.match(csv, /^user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,/);
    assert.match(csv, /\nalias_user2,arn:aws:iam::000000000000:user\/alias_user2,/);
    assert.deepEqual(problemsOf(page), []);
  });
});

describe('seed 001, S3: a bucket in ap-southeast-2 with versioning, objects, a bucket policy', () => {
  let server: TestServer;
  let page: Page;
  before(async () => {
    ({ server, page } = await openConsole(browser));
  });
  after(() => closeConsole(server, page));

  test('create the bucket as the seed sets it, upload, list versions, download, set a bucket policy', async () => {
    await signIn(page, server.url, ROOT);
    await nav(page, 'S3 buckets');
    await page.getByRole('button', { name: 'Create bucket' }).click();
    await page.getByLabel('Region').selectOption('ap-southeast-2');
    await page.getByLabel('Bucket name').fill('erika-landing-zone');
    assert.equal(await page.getByLabel('Block all public access').isChecked(), true);
    await page.getByLabel('Enable versioning').check();
    await page.getByRole('button', { name: 'Create bucket' }).click();
    await page.getByRole('heading', { name: 'erika-landing-zone' }).waitFor();
    await page.getByLabel('Upload files').setInputFiles({ name: 'data.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b\n1,2\n') });
    await page.getByText('Upload succeeded.').waitFor();
    await page.getByLabel('Upload files').setInputFiles({ name: 'data.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b\n3,4\n') });
    await page.getByLabel('Show versions').check();
    await page.getByRole('table', { name: 'Objects' }).getByRole('row', { name: /data\.csv.*\(latest\)/ }).waitFor();
    assert.equal(await page.getByRole('table', { name: 'Objects' }).getByRole('row', { name: /data\.csv/ }).count(), 2);
    await page.getByLabel('Show versions').uncheck();
    await page.getByRole('table', { name: 'Objects' }).getByRole('row', { name: /data\.csv/ }).nth(1).waitFor({ state: 'detached' });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download data.csv' }).click()]);
    assert.equal(readFileSync((await download.path())!, 'utf8'), 'a,b\n3,4\n');
    await screenshot(page, 's3-objects');
    await page.getByRole('tab', { name: 'Properties' }).click();
    await page.getByTestId('bucket-region').filter({ hasText: 'ap-southeast-2' }).waitFor();
    assert.equal(await page.getByTestId('bucket-versioning').innerText(), 'Enabled');
    assert.equal(await page.getByTestId('bucket-encryption').innerText(), 'AES256');
    assert.equal(await page.getByTestId('bucket-bpa').innerText(), 'On');
    await page.getByRole('tab', { name: 'Permissions' }).click();
    await page.getByTestId('findings').getByText(/^0 errors|^No findings/).waitFor();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Bucket policy saved.').waitFor();
    assert.deepEqual(problemsOf(page), []);
  });
});

describe('seed 000: a role for EC2 with S3 and DynamoDB full access', () => {
  let server: TestServer;
  let page: Page;
  before(async () => {
    ({ server, page } = await openConsole(browser));
  });
  after(() => closeConsole(server, page));

  test('AWS service EC2, two AWS managed policies; the role has its trust policy and an instance profile', async () => {
    await signIn(page, server.url, ROOT);
    await nav(page, 'Roles');
    await page.getByRole('button', { name: 'Create role' }).click();
    assert.equal(await page.getByLabel('AWS service', { exact: true }).isChecked(), true);
    await page.getByLabel('Service or use case').selectOption({ label: 'EC2' });
    for (const name of ['AmazonS3FullAccess', 'AmazonDynamoDBFullAccess']) {
      await page.getByLabel('Filter Permissions policies').fill(name);
      await page.getByLabel(`Select arn:aws:iam::aws:policy/${name}`, { exact: true }).check();
    }
    await page.getByLabel('Role name').fill('ec2-flask-app');
    await page.getByLabel('Description').fill('Flask app on EC2: S3 storage, DynamoDB database');
    await page.getByRole('button', { name: 'Create role' }).click();
    await page.getByTestId('role-arn').filter({ hasText: `arn:aws:iam::${ACCOUNT}:role/ec2-flask-app` }).waitFor();
    assert.match(await page.locator('pre.json').innerText(), /"Service": "ec2.amazonaws.com"/);
    await page.getByRole('link', { name: 'AmazonS3FullAccess' }).waitFor();
    await page.getByRole('link', { name: 'AmazonDynamoDBFullAccess' }).waitFor();
    await page.getByTestId('instance-profiles').getByText(`arn:aws:iam::${ACCOUNT}:instance-profile/ec2-flask-app`).waitFor();
    await screenshot(page, 'role');
    assert.deepEqual(problemsOf(page), []);
  });
});
