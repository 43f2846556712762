import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer } from '../helpers/server.js';
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
