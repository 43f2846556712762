import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clientConfig, startTestServer } from '../helpers/server.js';
import { adminPost } from '../server/sts-support.js';
import { ACCOUNT, ConsoleClient } from './support.js';

test('the root console password: made at first start and kept, pinned by IAMLOCAL_ROOT_PASSWORD, kept by a reset', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'iamlocal-console-root-'));
  try {
    const first = await startTestServer({ dataDir });
    const made = first.rootPassword!;
    assert.match(made, /^[\w-]{24}$/);
    assert.equal(readFileSync(join(dataDir, 'root-password.txt'), 'utf8'), `${made}\n`);
    assert.equal(statSync(join(dataDir, 'root-password.txt')).mode & 0o777, 0o600);
    assert.equal((await new ConsoleClient(first).signIn(ACCOUNT, undefined, made)).status, 200);
    await first.stop();

    // A restart keeps it (and has nothing new to print).
    const second = await startTestServer({ dataDir });
    assert.equal(second.rootPassword, undefined);
    assert.equal((await new ConsoleClient(second).signIn(ACCOUNT, undefined, made)).status, 200);
    await second.stop();

    // Pinned: the pinned one works, the old one no longer does.
    const pinned = await startTestServer({ dataDir, rootPassword: 'Pinned-Root-Pass-9!' });
    assert.equal(pinned.rootPassword, 'Pinned-Root-Pass-9!');
    assert.equal((await new ConsoleClient(pinned).signIn(ACCOUNT, undefined, made)).status, 401);
    assert.equal((await new ConsoleClient(pinned).signIn(ACCOUNT, undefined, 'Pinned-Root-Pass-9!')).status, 200);
    // An account reset keeps the root's credentials, its password among them.
    const res = await fetch(`${pinned.url}/_iamlocal/reset`, { method: 'POST' });
    assert.equal(res.status, 403); // unsigned: refused
    const { resetAccount } = await import('../../src/identity/accounts.js');
    resetAccount(pinned.app.store, ACCOUNT);
    assert.equal((await new ConsoleClient(pinned).signIn(ACCOUNT, undefined, 'Pinned-Root-Pass-9!')).status, 200);
    await pinned.stop();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test("a new account's root has no password until its own root, or its organization's management root, sets one (POST /_iamlocal/root-password)", async () => {
  const { CreateAccountCommand, CreateOrganizationCommand, DescribeCreateAccountStatusCommand, OrganizationsClient } = await import('@aws-sdk/client-organizations');
  const server = await startTestServer();
  try {
    // Made with /_iamlocal/accounts: no password yet, so its root cannot sign in.
    const made = await adminPost(server, '/_iamlocal/accounts', { accountId: '111111111111' }, server.root);
    const other = { accessKeyId: made.json.rootAccessKeyId, secretAccessKey: made.json.rootSecretAccessKey };
    assert.equal((await new ConsoleClient(server).signIn('111111111111', undefined, 'Any-Guess-123!')).status, 401);
    // Another account's root may not set it (no organization joins them)…
    const refused = await adminPost(server, '/_iamlocal/root-password', { accountId: '111111111111', password: 'Not-Yours-123!' }, server.root);
    assert.equal(refused.status, 403);
    assert.equal(refused.json.error, 'AccessDenied');
    assert.equal((await new ConsoleClient(server).signIn('111111111111', undefined, 'Not-Yours-123!')).status, 401);
    // …its own root may: a password is made and answered, and signs in.
    const set = await adminPost(server, '/_iamlocal/root-password', { accountId: '111111111111' }, other);
    assert.equal(set.status, 200);
    assert.match(set.json.password, /^[\w-]{24}$/);
    assert.equal((await new ConsoleClient(server).signIn('111111111111', undefined, set.json.password)).status, 200);
    // Bad input: AWS-style errors, nothing changed.
    assert.equal((await adminPost(server, '/_iamlocal/root-password', { accountId: '12' }, other)).json.error, 'ValidationError');
    assert.equal((await adminPost(server, '/_iamlocal/root-password', { accountId: '111111111111', password: 'short' }, other)).json.error, 'ValidationError');
    assert.equal((await adminPost(server, '/_iamlocal/root-password', { accountId: '999999999999' }, server.root)).status, 404);
    assert.equal((await new ConsoleClient(server).signIn('111111111111', undefined, set.json.password)).status, 200);

    // Organizations CreateAccount: the management account's root sets the member root's password.
    const orgs = new OrganizationsClient(clientConfig(server));
    await orgs.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const { CreateAccountStatus } = await orgs.send(new CreateAccountCommand({ AccountName: 'member', Email: 'member@example.com' }));
    const status = await orgs.send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: CreateAccountStatus!.Id! }));
    const memberId = status.CreateAccountStatus!.AccountId!;
    assert.match(memberId, /^\d{12}$/);
    const pinned = await adminPost(server, '/_iamlocal/root-password', { accountId: memberId, password: 'Member-Root-Pass-1!' }, server.root);
    assert.deepEqual(pinned.json, { accountId: memberId, password: 'Member-Root-Pass-1!' });
    assert.equal((await new ConsoleClient(server).signIn(memberId, undefined, 'Member-Root-Pass-1!')).status, 200);
  } finally {
    await server.stop();
  }
});

test('`iamlocal console` prints the URL and how the root signs in', async () => {
  const { execFileSync } = await import('node:child_process');
  const { packageRoot } = await import('../../src/package.js');
  const dataDir = mkdtempSync(join(tmpdir(), 'iamlocal-console-cli-'));
  try {
    const cli = join(packageRoot(), 'dist', 'iamlocal.js');
    const env = { ...process.env, IAMLOCAL_ROOT_PASSWORD: '' };
    const before = execFileSync(process.execPath, [cli, 'console', '--port', '4599', '--data-dir', dataDir], { env, encoding: 'utf8' });
    assert.match(before, /^http:\/\/127\.0\.0\.1:4599\/_iamlocal\/console\/\n/);
    assert.match(before, /root user: account 000000000000, password printed by `iamlocal start`/);
    // After a start with that data directory, the password it made.
    const server = await startTestServer({ dataDir });
    const made = server.rootPassword!;
    await server.stop();
    const after = execFileSync(process.execPath, [cli, 'console', '--port', '4599', '--data-dir', dataDir], { env, encoding: 'utf8' });
    assert.match(after, new RegExp(`root user: account 000000000000, password ${made}\\n`));
    const pinned = execFileSync(process.execPath, [cli, 'console', '--data-dir', dataDir], { env: { ...env, IAMLOCAL_ROOT_PASSWORD: 'Pinned-Pass-1!' }, encoding: 'utf8' });
    assert.match(pinned, /^http:\/\/127\.0\.0\.1:4566\/_iamlocal\/console\/\n.*password Pinned-Pass-1!\n/);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
