import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import {
  CreateLoginProfileCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand, UpdateAccountPasswordPolicyCommand,
} from '@aws-sdk/client-iam';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { clientConfig, type TestServer } from '../helpers/server.js';
import { launchChromium, nav, newPage, paste, problemsOf, screenshot, signIn, signOut } from './browser.js';
import { ACCOUNT, closeConsole, openConsole, ROOT, ROOT_PASSWORD, startConsoleServer, totp } from './support.js';

/**
 * The console's pages beyond the seeds' walk: tables, keyboard and labels, a phone's width,
 * the user page's inline policies, console access and MFA, the simulator with custom
 * policies and context keys, identity providers, the live Decisions page, S3 folders.
 */
let browser: Browser;
before(async () => {
  browser = await launchChromium();
});
after(async () => browser?.close());


/** Every visible form control and button of the page without an accessible name (label, aria-label, text). */
async function unlabelled(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const d = (globalThis as unknown as { document: any }).document;
    const out: string[] = [];
    for (const el of d.querySelectorAll('input, select, textarea, button, [contenteditable="true"]')) {
      if (el.type === 'hidden' || (el.offsetParent === null && !el.classList.contains('sr-only'))) continue;
      const byId = el.id && d.querySelector(`label[for="${el.id}"]`);
      const labelledBy = el.getAttribute('aria-labelledby');
      const name = (el.getAttribute('aria-label') ?? '').trim()
        || (labelledBy ? labelledBy.split(' ').map((id: string) => d.getElementById(id)?.textContent ?? '').join(' ').trim() : '')
        || (el.closest('label')?.textContent ?? '').trim()
        || (byId?.textContent ?? '').trim()
        || (el.tagName === 'BUTTON' ? (el.textContent ?? '').trim() : '')
        || (el.getAttribute('title') ?? '').trim();
      if (!name) out.push(el.outerHTML.slice(0, 120));
    }
    return out;
  });
}

describe('tables, keyboard, labels, a phone', () => {
  let server: TestServer;
  let page: Page;
  before(async () => {
    server = await startConsoleServer();
    page = await newPage(browser);
    const iam = new IAMClient(clientConfig(server));
    for (let i = 0; i < 45; i += 15) {
      await Promise.all(Array.from({ length: 15 }, (_, j) => iam.send(new CreateUserCommand({ UserName: `u-${String(i + j).padStart(2, '0')}` }))));
    }
  });
  after(async () => {
    await page?.context().close();
    await server?.stop();
  });

  test('sign-in works from the keyboard alone, every control on the way labelled', async () => {
    await page.goto(`${server.url}/_iamlocal/console/`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    assert.deepEqual(await unlabelled(page), []);
    // Tab to "Root user", choose it with the arrow keys, then type into each field in order.
    await page.getByLabel('IAM user', { exact: true }).focus();
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.getByLabel('Root user', { exact: true }).isChecked(), true);
    await page.keyboard.press('Tab');
    await page.keyboard.type(ACCOUNT);
    await page.keyboard.press('Tab');
    await page.keyboard.type(ROOT_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByTestId('identity').filter({ hasText: `root @ ${ACCOUNT}` }).waitFor();
    // The dashboard's recommendations: the root's MFA and keys, and the users without MFA.
    await page.getByTestId('rec-users-mfa').filter({ hasText: '45 IAM users without MFA: u-00, u-01' }).waitFor();
    assert.equal(await page.getByTestId('rec-root-mfa').innerText(), 'Add MFA for root user — Add MFA');
    assert.match(await page.getByTestId('rec-root-keys').innerText(), /Root user has active access keys/);
  });

  test('the users table filters, sorts both ways and pages, 20 rows a page', async () => {
    await nav(page, 'Users');
    const table = page.getByRole('table', { name: 'Users' });
    await table.getByRole('link', { name: 'u-00' }).waitFor();
    await page.getByText('45 matches').waitFor();
    const pager = page.getByRole('navigation', { name: 'Users pages' });
    assert.equal((await pager.innerText()).replace(/\s+/g, ' ').trim(), '‹ 1 / 3 ›');
    const firstNames = async () => (await table.locator('tbody tr td:nth-child(2)').allInnerTexts()).map((t) => t.trim());
    assert.deepEqual((await firstNames()).slice(0, 3), ['u-00', 'u-01', 'u-02']);
    assert.equal((await firstNames()).length, 20);
    await pager.getByRole('button', { name: 'Next page' }).click();
    assert.deepEqual((await firstNames()).slice(0, 1), ['u-20']);
    await pager.getByRole('button', { name: 'Next page' }).click();
    assert.deepEqual(await firstNames(), ['u-40', 'u-41', 'u-42', 'u-43', 'u-44']);
    assert.equal(await pager.getByRole('button', { name: 'Next page' }).isDisabled(), true);
    // Sorting goes back to the first page's worth of the new order; a second click reverses it.
    await table.getByRole('button', { name: /User name/ }).click();
    await table.getByRole('columnheader', { name: /User name/ }).and(page.locator('[aria-sort="descending"]')).waitFor();
    await page.getByLabel('Filter Users').fill('u-1');
    await page.getByText('10 matches').waitFor();
    assert.deepEqual((await firstNames()).slice(0, 2), ['u-19', 'u-18']);
    await table.getByRole('button', { name: /User name/ }).click();
    assert.deepEqual((await firstNames()).slice(0, 2), ['u-10', 'u-11']);
    await page.getByLabel('Filter Users').fill('nobody');
    await table.getByText('No resources to display').waitFor();
    await page.getByLabel('Filter Users').fill('');
    await page.getByText('45 matches').waitFor();
  });

  test('every main page has a label for each control', async () => {
    const pages: Array<[string, string]> = [
      ['Dashboard', 'IAM dashboard'], ['User groups', 'User groups'], ['Users', 'Users'], ['Roles', 'Roles'], ['Policies', 'Policies'],
      ['Identity providers', 'Identity providers'], ['Account settings', 'Account settings'], ['Credential report', 'Credential report'],
      ['Access analyzer', 'Access analyzer — policy validation'], ['Policy simulator', 'Policy simulator'], ['Decisions', 'Decisions'], ['S3 buckets', 'Buckets'],
    ];
    for (const [link, heading] of pages) {
      await nav(page, link);
      await page.getByRole('heading', { name: heading, exact: true }).first().waitFor();
      assert.deepEqual(await unlabelled(page), [], `unlabelled controls on ${link}`);
    }
    for (const create of ['#/users/$create', '#/roles/$create', '#/policies/$create', '#/groups/$create', '#/s3/$create']) {
      await page.goto(`${server.url}/_iamlocal/console/${create}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.waitForLoadState('networkidle');
      assert.deepEqual(await unlabelled(page), [], `unlabelled controls on ${create}`);
    }
    assert.deepEqual(problemsOf(page), []);
  });

  test('at 375 px (a phone) nothing is wider than the screen and the navigation is one strip', async () => {
    const phone = await newPage(browser, 375, 812);
    await signIn(phone, server.url, ROOT);
    await phone.getByTestId('identity').waitFor();
    await screenshot(phone, 'dashboard-phone');
    const overflow = () => phone.locator('html').evaluate((html) => (html as unknown as { scrollWidth: number; clientWidth: number }).scrollWidth - (html as unknown as { clientWidth: number }).clientWidth);
    assert.ok((await overflow()) <= 0, 'the dashboard is wider than the phone');
    await phone.getByRole('navigation', { name: 'IAM' }).getByRole('link', { name: 'Users', exact: true }).click();
    await phone.getByRole('link', { name: 'u-00' }).waitFor();
    assert.ok((await overflow()) <= 0, 'the users page is wider than the phone');
    // The navigation takes one row, so the page's heading is on the first screen.
    const heading = await phone.getByRole('heading', { name: 'Users', exact: true }).boundingBox();
    assert.ok(heading && heading.y < 260, `the Users heading starts ${heading?.y}px down`);
    await screenshot(phone, 'users-phone');
    assert.deepEqual(problemsOf(phone), []);
    await phone.context().close();
  });
});

describe("a user's page: inline policy, console access, MFA; the user's own password change under the policy", () => {
  let server: TestServer;
  let page: Page;
  before(async () => {
    server = await startConsoleServer();
    page = await newPage(browser);
    const iam = new IAMClient(clientConfig(server));
    await iam.send(new CreateUserCommand({ UserName: 'dana' }));
    await iam.send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 16, AllowUsersToChangePassword: true }));
  });
  after(async () => {
    await page?.context().close();
    await server?.stop();
  });

  test('root writes an inline policy (the editor refuses the broken one), gives dana console access and an MFA device', async () => {
    await signIn(page, server.url, ROOT);
    await page.goto(`${server.url}/_iamlocal/console/#/users/dana`);
    await page.getByRole('button', { name: 'Create inline policy' }).click();
    await paste(page, '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:GetUser", "Resource": "*",}]}');
    await page.getByTestId('findings').locator('li', { hasText: 'JSON_SYNTAX_ERROR' }).waitFor();
    await page.getByLabel('Inline policy name').fill('see-myself');
    assert.equal(await page.getByRole('button', { name: 'Create inline policy' }).isDisabled(), true);
    await paste(page, '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["iam:GetUser", "iam:ListMFADevices"], "Resource": "arn:aws:iam::*:user/${aws:username}"}]}');
    await page.getByTestId('findings').getByText(/^0 errors|^No findings/).waitFor();
    await page.getByRole('button', { name: 'Create inline policy' }).click();
    await page.getByRole('button', { name: 'see-myself', exact: true }).click();
    assert.match(await page.getByLabel('Inline policy see-myself', { exact: true }).innerText(), /"iam:ListMFADevices"/);

    // A permissions boundary, set and shown.
    await page.getByRole('button', { name: 'Set boundary' }).click();
    await page.getByLabel('Permissions boundary policy').selectOption({ label: 'IAMReadOnlyAccess' });
    await page.getByRole('button', { name: 'Set boundary' }).click();
    await page.getByTestId('boundary').filter({ hasText: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }).waitFor();
    await page.getByRole('button', { name: 'Remove boundary' }).click();
    await page.getByTestId('boundary').filter({ hasText: 'not set' }).waitFor();
    // A tag.
    await page.getByRole('tab', { name: 'Tags' }).click();
    await page.getByLabel('New tag key').fill('team');
    await page.getByLabel('New tag value').fill('data');
    await page.getByRole('button', { name: 'Add tag' }).click();
    await page.getByRole('table', { name: 'Tags' }).getByRole('row', { name: /team\s+data/ }).waitFor();

    await page.getByRole('tab', { name: 'Security credentials' }).click();
    await page.getByText('Console access: Disabled').waitFor();
    await page.getByRole('button', { name: 'Enable console access' }).click();
    await page.getByLabel('New console password').fill('Short-1!');
    await page.getByLabel('User must create a new password at next sign-in').uncheck();
    await page.getByRole('button', { name: 'Enable', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'PasswordPolicyViolation' }).waitFor();
    await page.getByLabel('New console password').fill('Dana-Long-Password-1!');
    await page.getByRole('button', { name: 'Enable', exact: true }).click();
    await page.getByText('Console access enabled.').waitFor();
    await page.getByText(/Console access: Enabled/).waitFor();

    await page.getByRole('button', { name: 'Assign MFA device' }).click();
    await page.getByLabel('Device name').fill('dana-phone');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('img', { name: 'QR code of the virtual MFA device' }).waitFor();
    await page.getByRole('button', { name: 'Show secret key' }).click();
    const secret = (await page.getByTestId('mfa-secret').innerText()).trim();
    const now = Date.now();
    await page.getByLabel('MFA code 1').fill(totp(secret, now - 30_000));
    await page.getByLabel('MFA code 2').fill(totp(secret, now));
    await page.getByRole('button', { name: 'Add MFA' }).click();
    await page.getByText(`arn:aws:iam::${ACCOUNT}:mfa/dana-phone`).waitFor();
    await signOut(page);

    // dana: password, then the MFA code; her own page's password change follows the account's policy.
    await signIn(page, server.url, { account: ACCOUNT, user: 'dana', password: 'Dana-Long-Password-1!' });
    await page.getByLabel('MFA code').fill(totp(secret, Date.now() + 30_000));
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.getByTestId('identity').filter({ hasText: `dana @ ${ACCOUNT}` }).waitFor();
    await page.getByRole('link', { name: 'My security credentials' }).click();
    await page.getByLabel('Old password').fill('Dana-Long-Password-1!');
    await page.getByLabel('New password', { exact: true }).fill('Too-short-2!');
    await page.getByLabel('Retype new password').fill('Too-short-2!');
    await page.getByRole('button', { name: 'Change password' }).click();
    const refused = page.getByRole('alert').filter({ hasText: 'PasswordPolicyViolation' });
    await refused.waitFor();
    assert.match(await refused.innerText(), /minimum length of 16/);
    await page.getByLabel('New password', { exact: true }).fill('Dana-Longer-Password-2!');
    await page.getByLabel('Retype new password').fill('Dana-Longer-Password-2!');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Your password has been changed.').waitFor();
    assert.deepEqual(problemsOf(page), []);
  });
});

describe('the forced change obeys the password policy', () => {
  test('a too-short new password is refused with PasswordPolicyViolation; a good one lets the user in', async () => {
    const server = await startConsoleServer();
    const page = await newPage(browser);
    try {
      const iam = new IAMClient(clientConfig(server));
      await iam.send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 14, RequireSymbols: true, AllowUsersToChangePassword: true }));
      await iam.send(new CreateUserCommand({ UserName: 'newbie' }));
      await iam.send(new CreateLoginProfileCommand({ UserName: 'newbie', Password: 'First-Password-1!', PasswordResetRequired: true }));
      await signIn(page, server.url, { account: ACCOUNT, user: 'newbie', password: 'First-Password-1!' });
      await page.getByRole('heading', { name: 'Change password' }).waitFor();
      await page.getByLabel('Old password').fill('First-Password-1!');
      await page.getByLabel('New password', { exact: true }).fill('NoSymbolsHere1234');
      await page.getByLabel('Retype new password').fill('NoSymbolsHere1234');
      await page.getByRole('button', { name: 'Confirm password change' }).click();
      await page.getByRole('alert').filter({ hasText: 'PasswordPolicyViolation' }).waitFor();
      await page.getByLabel('New password', { exact: true }).fill('With-Symbols-1234!');
      await page.getByLabel('Retype new password').fill('With-Symbols-1234!');
      await page.getByRole('button', { name: 'Confirm password change' }).click();
      await page.getByTestId('identity').filter({ hasText: `newbie @ ${ACCOUNT}` }).waitFor();
      assert.deepEqual(problemsOf(page), []);
    } finally {
      await page.context().close();
      await server.stop();
    }
  });
});

describe('the simulator with typed policies, identity providers, the live Decisions page, S3 folders', () => {
  let server: TestServer;
  let page: Page;
  before(async () => {
    ({ server, page } = await openConsole(browser));
  });
  after(() => closeConsole(server, page));

  test('custom policy, two actions, a resource and a context key: each result names the statement that decided it', async () => {
    await signIn(page, server.url, ROOT);
    await nav(page, 'Policy simulator');
    await page.getByLabel('Policies typed here').check();
    await paste(page, JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'ReadInSydney', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::landing/*', Condition: { StringEquals: { 'aws:RequestedRegion': 'ap-southeast-2' } } },
        { Sid: 'NeverDelete', Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*' },
      ],
    }, null, 2));
    await page.getByLabel('Actions (comma or space separated)').fill('s3:GetObject, s3:DeleteObject');
    await page.getByLabel('Resource ARN').fill('arn:aws:s3:::landing/data.csv');
    await page.getByLabel('Context keys (one key=value a line)').fill('aws:RequestedRegion=ap-southeast-2');
    await page.getByRole('button', { name: 'Run simulation' }).click();
    const table = page.getByRole('table', { name: 'Simulation results' });
    const get = table.getByRole('row', { name: /s3:GetObject.*allowed/ });
    await get.waitFor();
    // AWS's position (just after the "[" before the statement), and the statement itself.
    assert.match(await get.innerText(), /IAM Policy\s+PolicyInputList\.1, line 3 column 17/);
    await get.getByText('Allow (Sid ReadInSydney)').click();
    assert.match(await get.locator('pre.json').innerText(), /^\{\s*"Sid": "ReadInSydney"[\s\S]*"ap-southeast-2"[\s\S]*\}$/);
    const del = table.getByRole('row', { name: /s3:DeleteObject.*explicitDeny/ });
    await del.getByText('Deny (Sid NeverDelete)').waitFor();
    // Another region: the condition fails, the read is no longer allowed.
    await page.getByLabel('Context keys (one key=value a line)').fill('aws:RequestedRegion=us-east-1');
    await page.getByRole('button', { name: 'Run simulation' }).click();
    await table.getByRole('row', { name: /s3:GetObject.*implicitDeny/ }).waitFor();
  });

  test('an OpenID Connect provider is added and listed', async () => {
    await nav(page, 'Identity providers');
    await page.getByLabel('Provider URL').fill('https://token.actions.githubusercontent.com');
    await page.getByLabel('Audience').fill('sts.amazonaws.com');
    await page.getByRole('button', { name: 'Add provider' }).click();
    await page.getByRole('table', { name: 'Identity providers' })
      .getByRole('row', { name: new RegExp(`arn:aws:iam::${ACCOUNT}:oidc-provider/token\\.actions\\.githubusercontent\\.com\\s+OpenID Connect`) }).waitFor();
  });

  test('Decisions is live: a CLI-style denial shows up without a reload, and expands to its explanation', async () => {
    const iam = new IAMClient(clientConfig(server));
    await iam.send(new CreateUserCommand({ UserName: 'cli-user' }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'cli-user', PolicyName: 'no-iam', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'iam:*', Resource: '*' }] }) }));
    const { CreateAccessKeyCommand, ListRolesCommand } = await import('@aws-sdk/client-iam');
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'cli-user' }));
    await nav(page, 'Decisions');
    await page.getByLabel('Action', { exact: true }).fill('ListRoles');
    await page.getByLabel('Denied only').check();
    const list = page.getByRole('list', { name: 'Decisions' });
    await assert.rejects(new IAMClient(clientConfig(server, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! })).send(new ListRolesCommand({})));
    const line = list.locator('li', { hasText: 'iam:ListRoles' }).filter({ hasText: 'cli-user' });
    await line.waitFor();
    await line.locator('summary').click();
    assert.match(await line.innerText(), /explicitDeny[\s\S]*no-iam/);
  });

  test('S3: folders by prefix, upload progress into a folder, delete', async () => {
    const s3 = new S3Client({ ...clientConfig(server), forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'reports' }));
    await s3.send(new PutObjectCommand({ Bucket: 'reports', Key: '2026/01/jan.csv', Body: 'jan' }));
    await s3.send(new PutObjectCommand({ Bucket: 'reports', Key: 'top.txt', Body: 'top' }));
    await page.goto(`${server.url}/_iamlocal/console/#/s3/reports`);
    const objects = page.getByRole('table', { name: 'Objects' });
    await objects.getByRole('button', { name: '2026/' }).click();
    await objects.getByRole('button', { name: '01/' }).click();
    await objects.getByRole('row', { name: /jan\.csv/ }).waitFor();
    assert.equal(await objects.getByText('top.txt').count(), 0);
    await page.getByLabel('Upload files').setInputFiles({ name: 'feb.csv', mimeType: 'text/csv', buffer: Buffer.alloc(256 * 1024, 'x') });
    await page.getByText(/Uploading feb\.csv: \d+%|Upload succeeded\./).first().waitFor();
    await page.getByText('Upload succeeded.').waitFor();
    await objects.getByRole('row', { name: /feb\.csv\s+262144 B/ }).waitFor();
    page.once('dialog', (d) => void d.accept());
    await objects.getByRole('button', { name: 'Delete 2026/01/jan.csv' }).click();
    await objects.getByRole('row', { name: /jan\.csv/ }).waitFor({ state: 'detached' });
    // The breadcrumb goes back up.
    await page.getByRole('button', { name: 'reports', exact: true }).click();
    await objects.getByText('top.txt').waitFor();
    assert.deepEqual(problemsOf(page), []);
  });
});

describe('a role for another account: the trust policy editor, permissions, an instance profile', () => {
  test('create for account 111111111111, edit the trust policy (errors block saving), add an instance profile', async () => {
    const server = await startConsoleServer();
    const page = await newPage(browser);
    try {
      await signIn(page, server.url, ROOT);
      await nav(page, 'Roles');
      await page.getByRole('button', { name: 'Create role' }).click();
      await page.getByLabel('AWS account', { exact: true }).check();
      await page.getByLabel('Account ID').fill('111111111111');
      await page.getByLabel('Filter Permissions policies').fill('SecurityAudit');
      await page.getByLabel('Select arn:aws:iam::aws:policy/SecurityAudit', { exact: true }).check();
      await page.getByLabel('Role name').fill('auditor');
      await page.getByRole('button', { name: 'Create role' }).click();
      await page.getByTestId('role-arn').filter({ hasText: `arn:aws:iam::${ACCOUNT}:role/auditor` }).waitFor();
      assert.match(await page.locator('pre.json').innerText(), /"AWS": "arn:aws:iam::111111111111:root"/);

      await page.getByRole('button', { name: 'Edit trust policy' }).click();
      const broken = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:root' }, Action: 'sts:AssumeRole' }] }, null, 4).replace('"sts:AssumeRole"', '"sts:AssumeRole",');
      await paste(page, broken);
      await page.getByTestId('findings').locator('li', { hasText: 'JSON_SYNTAX_ERROR' }).waitFor();
      assert.equal(await page.getByRole('button', { name: 'Update policy' }).isDisabled(), true);
      await paste(page, broken.replace('"sts:AssumeRole",', '"sts:AssumeRole"'));
      await page.getByTestId('findings').getByText(/^0 errors|^No findings/).waitFor();
      await page.getByRole('button', { name: 'Update policy' }).click();
      await page.locator('pre.json').filter({ hasText: 'arn:aws:iam::222222222222:root' }).waitFor();

      await page.getByRole('button', { name: 'Remove SecurityAudit' }).click();
      await page.getByRole('link', { name: 'SecurityAudit' }).waitFor({ state: 'detached' });
      await page.getByRole('button', { name: 'Create instance profile' }).click();
      await page.getByTestId('instance-profiles').getByText(`arn:aws:iam::${ACCOUNT}:instance-profile/auditor`).waitFor();
      assert.deepEqual(problemsOf(page), []);
    } finally {
      await page.context().close();
      await server.stop();
    }
  });
});

describe('Decisions across a restart', () => {
  test("after a restart the live log starts empty; CloudTrail's event history brings back the earlier denial", async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { CreateAccessKeyCommand, ListRolesCommand } = await import('@aws-sdk/client-iam');
    const dataDir = mkdtempSync(join(tmpdir(), 'iamlocal-console-history-'));
    try {
      const first = await startConsoleServer({ dataDir });
      const iam = new IAMClient(clientConfig(first));
      await iam.send(new CreateUserCommand({ UserName: 'before-restart' }));
      const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'before-restart' }));
      const creds = { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
      await assert.rejects(new IAMClient(clientConfig(first, creds)).send(new ListRolesCommand({})));
      await first.stop();

      const second = await startConsoleServer({ dataDir });
      const page = await newPage(browser);
      try {
        await signIn(page, second.url, ROOT);
        await nav(page, 'Decisions');
        await page.getByLabel('Principal').fill('before-restart');
        const live = page.getByRole('list', { name: 'Decisions', exact: true });
        await page.getByRole('button', { name: 'Load earlier events from CloudTrail' }).waitFor();
        assert.equal(await live.locator('li').count(), 0);
        await page.getByRole('button', { name: 'Load earlier events from CloudTrail' }).click();
        const line = page.getByRole('list', { name: 'Earlier decisions (CloudTrail)' }).locator('li', { hasText: 'iam:ListRoles' });
        await line.waitFor();
        assert.match(await line.innerText(), /denied\s+403\s+iam:ListRoles by arn:aws:iam::000000000000:user\/before-restart/);
        await line.locator('summary').click();
        assert.match(await line.innerText(), /not authorized to perform: iam:ListRoles/);
        assert.deepEqual(problemsOf(page), []);
      } finally {
        await page.context().close();
        await second.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('EC2 and DynamoDB, read-only, enforced like the rest', () => {
  test('root sees the instances, key pairs, tables and items; a user without those permissions gets the explained refusal', async () => {
    const { EC2Client, CreateKeyPairCommand, DescribeImagesCommand, RunInstancesCommand } = await import('@aws-sdk/client-ec2');
    const { DynamoDBClient, CreateTableCommand, PutItemCommand } = await import('@aws-sdk/client-dynamodb');
    const server = await startConsoleServer();
    const page = await newPage(browser);
    try {
      const ec2 = new EC2Client(clientConfig(server));
      await ec2.send(new CreateKeyPairCommand({ KeyName: 'flask-key' }));
      const image = (await ec2.send(new DescribeImagesCommand({ Filters: [{ Name: 'name', Values: ['al2023-*-x86_64'] }] }))).Images![0].ImageId!;
      const run = await ec2.send(new RunInstancesCommand({
        ImageId: image, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, KeyName: 'flask-key',
        TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'flask-app' }] }],
      }));
      const instanceId = run.Instances![0].InstanceId!;
      const ddb = new DynamoDBClient(clientConfig(server));
      await ddb.send(new CreateTableCommand({
        TableName: 'Employees', BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      }));
      await ddb.send(new PutItemCommand({ TableName: 'Employees', Item: { id: { S: 'e-1' }, name: { S: 'Erika' }, age: { N: '41' } } }));
      await ddb.send(new PutItemCommand({ TableName: 'Employees', Item: { id: { S: 'e-2' }, name: { S: 'Bob' }, remote: { BOOL: true } } }));

      await signIn(page, server.url, ROOT);
      await nav(page, 'EC2 instances');
      await page.getByRole('table', { name: 'Instances' }).getByRole('row', { name: new RegExp(`flask-app\\s+${instanceId}\\s+(pending|running)\\s+t3\\.micro.*flask-key`) }).waitFor();
      await nav(page, 'EC2 key pairs');
      await page.getByRole('table', { name: 'Key pairs' }).getByRole('row', { name: /flask-key\s+rsa/ }).waitFor();
      await nav(page, 'DynamoDB tables');
      await page.getByRole('table', { name: 'Tables' }).getByRole('row', { name: /Employees\s+ACTIVE\s+id\s+-/ }).waitFor();
      await page.getByRole('link', { name: 'Employees' }).click();
      const items = page.getByRole('table', { name: 'Items' });
      await items.getByRole('row', { name: /e-1\s+41\s+Erika/ }).waitFor();
      await items.getByRole('row', { name: /e-2\s+Bob\s+true/ }).waitFor();
      await page.getByRole('heading', { name: 'Items returned (2)' }).waitFor();
      assert.deepEqual(await unlabelled(page), []);
      await screenshot(page, 'dynamodb-items');
      await signOut(page);

      const iam = new IAMClient(clientConfig(server));
      await iam.send(new CreateUserCommand({ UserName: 'no-compute' }));
      await iam.send(new CreateLoginProfileCommand({ UserName: 'no-compute', Password: 'No-Compute-Pass-1!' }));
      await signIn(page, server.url, { account: ACCOUNT, user: 'no-compute', password: 'No-Compute-Pass-1!' });
      await page.getByTestId('identity').waitFor();
      await nav(page, 'EC2 instances');
      const ec2Denied = page.getByRole('alert').filter({ hasText: 'UnauthorizedOperation' });
      await ec2Denied.waitFor();
      assert.match(await ec2Denied.innerText(), /Why \(iamlocal's policy engine\)[\s\S]*ec2:DescribeInstances/);
      await nav(page, 'DynamoDB tables');
      const ddbDenied = page.getByRole('alert').filter({ hasText: 'AccessDeniedException' });
      await ddbDenied.waitFor();
      assert.match(await ddbDenied.innerText(), /not authorized to perform: dynamodb:ListTables[\s\S]*Why \(iamlocal's policy engine\)/);
      assert.deepEqual(problemsOf(page), []);
    } finally {
      await page.context().close();
      await server.stop();
    }
  });
});
