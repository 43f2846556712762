import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestServer } from '../helpers/server.js';
import { advanceClock } from '../../src/server/clock.js';
import { ACCOUNT, ConsoleClient, ROOT_PASSWORD, startConsoleServer, totp } from './support.js';

/**
 * The console's session and API path over plain HTTP: what a browser sends, without a
 * browser (test/console/seeds.test.ts walks the same paths in Chromium).
 */
let server: TestServer;
before(async () => {
  server = await startConsoleServer();
});
after(async () => server.stop());

async function root(): Promise<ConsoleClient> {
  const c = new ConsoleClient(server);
  const r = await c.signIn(ACCOUNT, undefined, ROOT_PASSWORD);
  assert.equal(r.status, 200, r.text);
  return c;
}

describe('console sign-in and session', () => {
  test('the session cookie is HttpOnly, SameSite=Strict, scoped to the console, and holds no credential', async () => {
    const c = await root();
    assert.match(c.setCookie, /^iamlocal-console=[\w-]{43}; Path=\/_iamlocal\/console\/; HttpOnly; SameSite=Strict$/);
    const session = (await c.send('session')).json!;
    assert.equal(session.arn, `arn:aws:iam::${ACCOUNT}:root`);
    // The page learns who it is and its CSRF token; never a key, a secret or the cookie's token.
    const shown = JSON.stringify(session);
    assert.doesNotMatch(shown, /AKIA|ASIA|secret/i);
    assert.ok(!shown.includes(c.cookie.split('=')[1]));
  });

  test('wrong passwords get one message for every cause, and are rate-limited without a lockout', async () => {
    const c = new ConsoleClient(server);
    const messages = new Set<string>();
    for (const [account, user, password] of [[ACCOUNT, 'nobody', 'x'], ['999999999999', undefined, ROOT_PASSWORD], [ACCOUNT, undefined, 'wrong']] as const) {
      const r = await c.signIn(account, user, password);
      assert.equal(r.status, 401);
      messages.add(String(r.json!.message));
    }
    assert.deepEqual([...messages], ['Your authentication information is incorrect. Please try again.']);
    // Five failures of the same name are free; the sixth must wait, and says how long.
    const t = new ConsoleClient(server);
    await rootUserWithPassword('rate', 'Rate-Limit-Pass-1!');
    for (let i = 0; i < 5; i++) assert.equal((await t.signIn(ACCOUNT, 'rate', 'wrong')).status, 401);
    const waited = await t.signIn(ACCOUNT, 'rate', 'Rate-Limit-Pass-1!');
    assert.equal(waited.status, 429);
    assert.equal(waited.json!.error, 'TooManyAttempts');
    assert.ok(Number(waited.headers.get('retry-after')) >= 1);
    // Lockout-free: once the wait is over, the right password works.
    advanceClock(server.app, 2000);
    assert.equal((await t.signIn(ACCOUNT, 'rate', 'Rate-Limit-Pass-1!')).status, 200);
  });

  test('every session call needs the CSRF token, and cross-site requests are refused', async () => {
    const c = await root();
    const token = c.csrf;
    c.csrf = '';
    const noToken = await c.iam('ListUsers');
    assert.equal(noToken.status, 403);
    assert.equal(noToken.json!.error, 'InvalidCsrfToken');
    c.csrf = 'x'.repeat(token.length);
    assert.equal((await c.iam('ListUsers')).status, 403);
    c.csrf = token;
    assert.equal((await c.iam('ListUsers')).status, 200);
    const cross = await c.send('api/iam/', {
      method: 'POST', body: 'Action=ListUsers&Version=2010-05-08',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://evil.example' },
    });
    assert.equal(cross.status, 403);
    assert.equal(cross.json!.error, 'CrossSiteRequest');
    // A sign-in form posted from elsewhere (login CSRF) is refused too, and so is a non-JSON one.
    const anon = new ConsoleClient(server);
    assert.equal((await anon.send('session', { method: 'POST', body: JSON.stringify({ account: ACCOUNT, password: ROOT_PASSWORD }), headers: { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' } })).status, 403);
    assert.equal((await anon.send('session', { method: 'POST', body: `account=${ACCOUNT}&password=${ROOT_PASSWORD}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status, 400);
  });

  test('the page is served with a strict Content-Security-Policy and no inline script', async () => {
    const c = new ConsoleClient(server);
    const page = await c.send('');
    assert.equal(page.status, 200);
    const csp = page.headers.get('content-security-policy')!;
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:/);
    const nonce = /'nonce-([^']+)'/.exec(csp)![1];
    assert.ok(page.text.includes(`content="${nonce}"`));
    assert.doesNotMatch(page.text.replace(/<script type="module" src="[^"]+"><\/script>/, ''), /<script/);
    assert.doesNotMatch(page.text, /https?:\/\//);
    assert.equal(page.headers.get('x-frame-options'), 'DENY');
    const js = await c.send('assets/app.js');
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type')!, /^text\/javascript/);
    assert.equal((await c.send('assets/..%2Fpackage.json')).status, 404);
  });

  test('console calls go through the pipeline as the signed-in user: denied as for the CLI, explained, logged', async () => {
    await rootUserWithPassword('noperms', 'No-Perms-Pass-1!');
    const c = new ConsoleClient(server);
    assert.equal((await c.signIn(ACCOUNT, 'noperms', 'No-Perms-Pass-1!')).status, 200);
    const before = server.events.length;
    const denied = await c.iam('ListUsers');
    assert.equal(denied.status, 403);
    assert.match(denied.text, /<Code>AccessDenied<\/Code>/);
    assert.match(denied.text, /User: arn:aws:iam::000000000000:user\/noperms is not authorized to perform: iam:ListUsers/);
    const why = decodeURIComponent(denied.headers.get('x-iamlocal-explanation')!);
    assert.match(why, /no identity-based policy allows the action/);
    const event = server.events.slice(before).find((e) => e.operation === 'ListUsers')!;
    assert.equal(event.principal, `arn:aws:iam::${ACCOUNT}:user/noperms`);
    assert.equal(event.decision, 'implicitDeny');
    // What the user may do, it does: its own user is readable once a policy says so.
    const r = await root();
    await r.iam('PutUserPolicy', {
      UserName: 'noperms', PolicyName: 'self',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' }] }),
    });
    assert.equal((await c.iam('ListUsers')).status, 200);
  });

  test('sign-out revokes the session: the old cookie no longer works', async () => {
    const c = await root();
    const cookie = c.cookie;
    const out = await c.send('session', { method: 'DELETE' });
    assert.equal(out.status, 200);
    assert.match(c.setCookie, /Max-Age=0/);
    c.cookie = cookie;
    const after = await c.iam('ListUsers');
    assert.equal(after.status, 401);
    assert.equal(after.json!.error, 'NotSignedIn');
  });

  test('a session expires after 12 hours', async () => {
    const c = await root();
    assert.equal((await c.iam('ListUsers')).status, 200);
    advanceClock(server.app, 12 * 3600 * 1000 + 1000);
    assert.equal((await c.iam('ListUsers')).status, 401);
    assert.equal((await c.send('session')).json!.signedIn, false);
  });

  test('forced password change: nothing but ChangePassword until it is done', async () => {
    const r = await root();
    await r.iam('CreateUser', { UserName: 'newbie' });
    await r.iam('CreateLoginProfile', { UserName: 'newbie', Password: 'First-Pass-123!', PasswordResetRequired: 'true' });
    await r.iam('AttachUserPolicy', { UserName: 'newbie', PolicyArn: 'arn:aws:iam::aws:policy/IAMUserChangePassword' });
    await r.iam('AttachUserPolicy', { UserName: 'newbie', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' });
    const c = new ConsoleClient(server);
    const signed = await c.signIn(ACCOUNT, 'newbie', 'First-Pass-123!');
    assert.equal(signed.json!.state, 'password');
    const blocked = await c.iam('ListUsers');
    assert.equal(blocked.status, 403);
    assert.equal(blocked.json!.error, 'PasswordResetRequired');
    assert.equal((await c.iam('ChangePassword', { OldPassword: 'First-Pass-123!', NewPassword: 'Second-Pass-456!' })).status, 200);
    assert.equal((await c.send('session')).json!.state, 'active');
    assert.equal((await c.iam('ListUsers')).status, 200);
    // The new password is the one that works now.
    assert.equal((await new ConsoleClient(server).signIn(ACCOUNT, 'newbie', 'First-Pass-123!')).status, 401);
    assert.equal((await new ConsoleClient(server).signIn(ACCOUNT, 'newbie', 'Second-Pass-456!')).json!.state, 'active');
  });

  test('a principal with an MFA device gives its code; aws:MultiFactorAuthPresent follows', async () => {
    const r = await root();
    await rootUserWithPassword('mfauser', 'Mfa-User-Pass-1!');
    const created = await r.iam('CreateVirtualMFADevice', { VirtualMFADeviceName: 'mfauser' });
    const seed = Buffer.from(/<Base32StringSeed>([^<]+)</.exec(created.text)![1], 'base64').toString('latin1');
    const serial = /<SerialNumber>([^<]+)</.exec(created.text)![1];
    const now = Date.now() + (await clockOffset());
    const enabled = await r.iam('EnableMFADevice', { UserName: 'mfauser', SerialNumber: serial, AuthenticationCode1: totp(seed, now - 30_000), AuthenticationCode2: totp(seed, now) });
    assert.equal(enabled.status, 200, enabled.text);
    // Only with MFA may the user read users.
    await r.iam('PutUserPolicy', {
      UserName: 'mfauser', PolicyName: 'mfa-only',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }] }),
    });
    const c = new ConsoleClient(server);
    const first = await c.signIn(ACCOUNT, 'mfauser', 'Mfa-User-Pass-1!');
    assert.equal(first.json!.state, 'mfa');
    assert.equal((await c.iam('ListUsers')).json!.error, 'MfaRequired');
    assert.equal((await c.mfa('000000')).status, 401);
    const ok = await c.mfa(totp(seed, now + 30_000));
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json!.state, 'active');
    assert.equal(ok.json!.mfa, true);
    assert.equal((await c.iam('ListUsers')).status, 200);
  });

  test('no password, cookie token or CSRF token reaches the decision log', async () => {
    const c = await root();
    await c.iam('ListUsers');
    const log = JSON.stringify(server.events);
    assert.ok(!log.includes(ROOT_PASSWORD));
    assert.ok(!log.includes(c.cookie.split('=')[1]));
    assert.ok(!log.includes(c.csrf));
    assert.ok(server.events.some((e) => e.service === 'console' && e.operation === 'SignIn' && e.principal === `arn:aws:iam::${ACCOUNT}:root`));
  });
});

/** The server's clock offset (sessions and codes are judged by it). */
async function clockOffset(): Promise<number> {
  const { clockOffsetMs } = await import('../../src/server/clock.js');
  return clockOffsetMs(server.app);
}

async function rootUserWithPassword(name: string, password: string): Promise<void> {
  const r = await root();
  assert.equal((await r.iam('CreateUser', { UserName: name })).status, 200);
  assert.equal((await r.iam('CreateLoginProfile', { UserName: name, Password: password })).status, 200);
}

describe('the Decisions page', () => {
  test("the account's decisions, to whom the engine allows cloudtrail:LookupEvents; others get the explained refusal", async () => {
    const r = await root();
    await r.iam('GetUser', { UserName: 'nobody-here' });
    const seen = await r.send('decisions?since=0');
    assert.equal(seen.status, 200);
    const events = seen.json!.events as Array<{ seq: number; operation: string; errorCode?: string; principal: string }>;
    assert.ok(events.some((e) => e.operation === 'GetUser' && e.errorCode === 'NoSuchEntity'));
    assert.ok(events.every((e) => e.principal.includes(`::${ACCOUNT}:`)));
    const last = events[events.length - 1].seq;
    assert.deepEqual((await r.send(`decisions?since=${last}`)).json!.events, []);
    await rootUserWithPassword('nolog', 'No-Log-Pass-123!');
    const c = new ConsoleClient(server);
    await c.signIn(ACCOUNT, 'nolog', 'No-Log-Pass-123!');
    const refused = await c.send('decisions?since=0');
    assert.equal(refused.status, 403);
    assert.match(String(refused.json!.explanation), /cloudtrail:LookupEvents on \*: implicitly denied/);
  });
});

describe('the console API for S3 (REST) goes the same way', () => {
  test('ListBuckets as root answers; as a user without S3 permissions, AccessDenied with the explanation', async () => {
    const r = await root();
    const created = await r.send('api/s3/console-bucket', { method: 'PUT' });
    assert.equal(created.status, 200, created.text);
    const listed = await r.send('api/s3/');
    assert.equal(listed.status, 200);
    assert.match(listed.text, /<Name>console-bucket<\/Name>/);
    // An upload larger than any body the console reads whole streams into the pipeline, as a signed one does.
    const big = Buffer.alloc(3 * 1024 * 1024 + 17, 7);
    const put = await r.send('api/s3/console-bucket/big.bin', { method: 'PUT', body: big as unknown as string, headers: { 'content-type': 'application/octet-stream' } });
    assert.equal(put.status, 200, put.text);
    const got = await fetch(`${r.base}api/s3/console-bucket/big.bin`, { headers: { cookie: r.cookie, 'x-iamlocal-csrf': r.csrf } });
    assert.equal(got.status, 200);
    assert.ok(Buffer.from(await got.arrayBuffer()).equals(big));
    await rootUserWithPassword('nos3', 'No-S3-Pass-123!');
    const c = new ConsoleClient(server);
    await c.signIn(ACCOUNT, 'nos3', 'No-S3-Pass-123!');
    const denied = await c.send('api/s3/console-bucket?list-type=2');
    assert.equal(denied.status, 403);
    assert.match(denied.text, /<Code>AccessDenied<\/Code>/);
    assert.match(decodeURIComponent(denied.headers.get('x-iamlocal-explanation')!), /s3:ListBucket on arn:aws:s3:::console-bucket: implicitly denied/);
  });
});

describe('switch role into another account', () => {
  test("a role of another account that trusts this one: the switch follows both accounts' policies, and the session acts there", async (t) => {
    const { otherAccount } = await import('../server/s3-support.js');
    const { IAMClient, CreateRoleCommand, AttachRolePolicyCommand } = await import('@aws-sdk/client-iam');
    const { clientConfig } = await import('../helpers/server.js');
    // Its own server: the one above had its clock moved, and SigV4 signs with the real one.
    const server = await startConsoleServer();
    t.after(() => server.stop());
    const root = async () => {
      const c = new ConsoleClient(server);
      await c.signIn(ACCOUNT, undefined, ROOT_PASSWORD);
      return c;
    };
    const OTHER = '222222222222';
    const otherRoot = await otherAccount(server, OTHER);
    const other = new IAMClient(clientConfig(server, otherRoot));
    await other.send(new CreateRoleCommand({
      RoleName: 'auditor',
      AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }] }),
    }));
    await other.send(new AttachRolePolicyCommand({ RoleName: 'auditor', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }));
    const r = await root();
    await r.iam('CreateUser', { UserName: 'traveller' });
    await r.iam('CreateLoginProfile', { UserName: 'traveller', Password: 'Traveller-Pass-1!' });
    const c = new ConsoleClient(server);
    await c.signIn(ACCOUNT, 'traveller', 'Traveller-Pass-1!');
    const body = JSON.stringify({ account: OTHER, role: 'auditor' });
    const post = () => c.send('session/switch-role', { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    // This account's side: nothing lets the user call sts:AssumeRole yet.
    const refused = await post();
    assert.equal(refused.status, 403);
    assert.match(String(refused.json!.message), /not authorized to perform: sts:AssumeRole/);
    assert.match(String(refused.json!.explanation), /implicitly denied/);
    await r.iam('PutUserPolicy', {
      UserName: 'traveller', PolicyName: 'travel',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${OTHER}:role/auditor` }] }),
    });
    const switched = await post();
    assert.equal(switched.status, 200, switched.text);
    assert.equal(switched.json!.role, `auditor @ ${OTHER}`);
    assert.equal(switched.json!.actingArn, `arn:aws:sts::${OTHER}:assumed-role/auditor/traveller`);
    // Now the page acts in the other account: its roles are listed, its users not writable.
    const roles = await c.iam('ListRoles');
    assert.equal(roles.status, 200);
    assert.match(roles.text, /<RoleName>auditor<\/RoleName>/);
    const write = await c.iam('CreateUser', { UserName: 'intruder' });
    assert.equal(write.status, 403);
    assert.match(decodeURIComponent(write.headers.get('x-iamlocal-explanation')!), /iam:CreateUser/);
    const back = await c.send('session/switch-back', { method: 'POST' });
    assert.equal(back.json!.actingArn, `arn:aws:iam::${ACCOUNT}:user/traveller`);
  });
});
