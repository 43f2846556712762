import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IAMClient, CreateUserCommand, GetUserCommand, ListUsersCommand } from '@aws-sdk/client-iam';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { startTestServer, clientConfig } from '../helpers/server.js';
import { signedQuery } from '../helpers/signed-fetch.js';

// The bundled command, as `npm start` and the `iamlocal` bin run it.
const cli = new URL('../../iamlocal.js', import.meta.url).pathname;

/**
 * Runs `iamlocal start --port 0` as a real child process: the kernel picks a free port, so no
 * test races another process for one. Resolves once the banner names the port it got.
 */
function startChild(dataDir: string) {
  const child = spawn(process.execPath, [cli, 'start', '--port', '0', '--data-dir', dataDir, '--log-format', 'none'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const ready = new Promise<{ key: string; secret: string; url: string }>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /AWS_ACCESS_KEY_ID=(\S+) AWS_SECRET_ACCESS_KEY=(\S+) AWS_ENDPOINT_URL=(\S+)/.exec(out);
      if (!m) return;
      const listening = /listening on (http:\/\/\S+) /.exec(out)?.[1];
      if (listening !== m[3]) reject(new Error(`the banner's URL ${listening} is not the exported ${m[3]}: ${out}`));
      else if (!/^http:\/\/127\.0\.0\.1:[1-9]\d*$/.test(m[3])) reject(new Error(`--port 0 must print the port it got: ${out}`));
      else resolve({ key: m[1], secret: m[2], url: m[3] });
    });
    child.once('exit', (code) => reject(new Error(`server exited early (${code}): ${out}`)));
  });
  return { child, ready };
}

describe('server lifecycle', () => {
  test('first start writes root-credentials.csv (0600) in a 0700 data dir; state survives a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'iamlocal-life-'));
    try {
      const a = await startTestServer({ dataDir });
      const csv = readFileSync(join(dataDir, 'root-credentials.csv'), 'utf8');
      assert.equal(csv, `Access key ID,Secret access key\n${a.root.accessKeyId},${a.root.secretAccessKey}\n`);
      assert.equal(statSync(join(dataDir, 'root-credentials.csv')).mode & 0o777, 0o600);
      assert.equal(statSync(dataDir).mode & 0o777, 0o700);
      await new IAMClient(clientConfig(a)).send(new CreateUserCommand({ UserName: 'persisted' }));
      await a.stop();
      const b = await startTestServer({ dataDir });
      assert.equal(b.root.accessKeyId, a.root.accessKeyId, 'the root key is created once');
      const { User } = await new IAMClient(clientConfig(b)).send(new GetUserCommand({ UserName: 'persisted' }));
      assert.equal(User?.UserName, 'persisted');
      await b.stop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('pinned root credentials are used', async () => {
    const s = await startTestServer({ rootAccessKeyId: 'AKIAPINNEDPINNEDPINN', rootSecretAccessKey: 'p'.repeat(40) });
    try {
      const me = await new STSClient(clientConfig(s, { accessKeyId: 'AKIAPINNEDPINNEDPINN', secretAccessKey: 'p'.repeat(40) })).send(new GetCallerIdentityCommand({}));
      assert.equal(me.Arn, 'arn:aws:iam::000000000000:root');
    } finally {
      await s.stop();
    }
  });

  test('an acknowledged write survives kill -9, concurrent writers sharing commits included', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'iamlocal-kill-'));
    const client = (c: { key: string; secret: string; url: string }) =>
      new IAMClient({ endpoint: c.url, region: 'us-east-1', credentials: { accessKeyId: c.key, secretAccessKey: c.secret }, maxAttempts: 1 });
    try {
      const first = startChild(dataDir);
      const creds = await first.ready;
      const iam = client(creds);
      await Promise.all(Array.from({ length: 20 }, (_, i) => iam.send(new CreateUserCommand({ UserName: `k${i}` }))));
      first.child.kill('SIGKILL');
      await new Promise((r) => first.child.once('exit', r));
      // The killed server's lock is left behind; the next server takes it over.
      assert.equal(readFileSync(join(dataDir, 'server.pid'), 'utf8'), String(first.child.pid));
      // The restarted server may get another port: talk to the one it prints.
      const second = startChild(dataDir);
      const again = await second.ready;
      assert.equal(again.key, creds.key, 'the root key survives the kill');
      const { Users } = await client(again).send(new ListUsersCommand({}));
      assert.equal(Users!.filter((u) => /^k\d+$/.test(u.UserName!)).length, 20);
      second.child.kill('SIGTERM');
      const code = await new Promise((r) => second.child.once('exit', r));
      assert.equal(code, 0, 'SIGTERM stops cleanly');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('a second server on the same data directory is refused while the first runs', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'iamlocal-lock-'));
    try {
      const a = await startTestServer({ dataDir });
      await assert.rejects(startTestServer({ dataDir }), new RegExp(`data directory ${dataDir} is in use by another iamlocal server \\(pid ${process.pid}\\)`));
      // The refused start left the running server and its lock alone.
      await new STSClient(clientConfig(a)).send(new GetCallerIdentityCommand({}));
      await a.stop();
      const b = await startTestServer({ dataDir });
      await b.stop();
      assert.throws(() => statSync(join(dataDir, 'server.pid')), /ENOENT/, 'a clean stop releases the lock');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('a lock whose owner was killed but not yet collected (a zombie) is taken over', async () => {
    // sh starts a child that exits at once and then becomes `sleep`, which never collects it: a zombie for 2 s.
    const sh = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 2'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const zombie = Number(await new Promise<string>((r) => sh.stdout!.once('data', (d: Buffer) => r(d.toString().trim()))));
    const dataDir = mkdtempSync(join(tmpdir(), 'iamlocal-zombie-'));
    try {
      for (let i = 0; i < 50 && !readFileSync(`/proc/${zombie}/stat`, 'utf8').includes(') Z'); i++) await new Promise((r) => setTimeout(r, 20));
      assert.match(readFileSync(`/proc/${zombie}/stat`, 'utf8'), /\) Z /, 'the child is a zombie');
      writeFileSync(join(dataDir, 'server.pid'), String(zombie));
      const s = await startTestServer({ dataDir });
      assert.equal(readFileSync(join(dataDir, 'server.pid'), 'utf8'), String(process.pid));
      await s.stop();
    } finally {
      sh.kill();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('health and reset admin endpoints', async () => {
    const s = await startTestServer();
    try {
      const health = await (await fetch(`${s.url}/_iamlocal/health`)).json() as Record<string, unknown>;
      assert.equal(health.mode, 'enforce');
      assert.ok((health.services as string[]).includes('iam'));
      const iam = new IAMClient(clientConfig(s));
      await iam.send(new CreateUserCommand({ UserName: 'wiped' }));
      const unsigned = await fetch(`${s.url}/_iamlocal/reset`, { method: 'POST' });
      assert.equal(unsigned.status, 403);
      const { url, init } = await signedQuery(s.url, 'sts', { Action: 'GetCallerIdentity' }, s.root);
      const reset = await fetch(url.replace(/\/$/, '/_iamlocal/reset'), init);
      // Signed for path "/", so the signature does not match "/_iamlocal/reset".
      assert.equal(reset.status, 403);
      const { SignatureV4 } = await import('@smithy/signature-v4');
      const { HttpRequest } = await import('@smithy/protocol-http');
      const { Sha256 } = await import('@aws-crypto/sha256-js');
      const u = new URL(s.url);
      const signed = await new SignatureV4({ service: 'sts', region: 'us-east-1', credentials: s.root, sha256: Sha256 }).sign(
        new HttpRequest({ method: 'POST', protocol: 'http:', hostname: u.hostname, port: Number(u.port), path: '/_iamlocal/reset', headers: { host: u.host } }),
      );
      const ok = await fetch(`${s.url}/_iamlocal/reset`, { method: 'POST', headers: signed.headers });
      assert.equal(ok.status, 200);
      const { Users } = await iam.send(new ListUsersCommand({}));
      assert.deepEqual(Users, []);
    } finally {
      await s.stop();
    }
  });
});

describe('auth modes', () => {
  test('--auth off trusts any credentials as root', async () => {
    const s = await startTestServer({ auth: 'off' });
    try {
      const me = await new STSClient(clientConfig(s, { accessKeyId: 'AKIAWHATEVERWHATEVER', secretAccessKey: 'nope' })).send(new GetCallerIdentityCommand({}));
      assert.equal(me.Arn, 'arn:aws:iam::000000000000:root');
    } finally {
      await s.stop();
    }
  });

  test('--auth audit lets a denied request through and records the denial', async () => {
    const s = await startTestServer({ auth: 'audit' });
    try {
      const iam = new IAMClient(clientConfig(s));
      await iam.send(new CreateUserCommand({ UserName: 'dan' }));
      const { CreateAccessKeyCommand } = await import('@aws-sdk/client-iam');
      const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'dan' }));
      const dan = new IAMClient(clientConfig(s, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }));
      await dan.send(new ListUsersCommand({}));
      const e = s.events.find((ev) => ev.principal.endsWith(':user/dan') && ev.operation === 'ListUsers');
      assert.equal(e?.decision, 'implicitDeny');
      assert.equal(e?.audited, true);
    } finally {
      await s.stop();
    }
  });
});
