import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IAMClient, CreateUserCommand, ListUsersCommand } from '@aws-sdk/client-iam';
import { startTestServer, clientConfig } from '../helpers/server.js';

test('concurrent writers share commits: each gets its own answer, and every acknowledged write is kept', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'iamlocal-groups-'));
  try {
    const a = await startTestServer({ dataDir });
    const iam = new IAMClient(clientConfig(a));
    // 'twin' twice: in the same commit group or not, exactly one of them may win.
    const names = [...Array.from({ length: 24 }, (_, i) => `writer${i}`), 'twin', 'twin'];
    const results = await Promise.allSettled(names.map((UserName) => iam.send(new CreateUserCommand({ UserName }))));
    const failed = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as Error).name] : []));
    assert.deepEqual(failed, ['EntityAlreadyExistsException']);
    await a.stop();

    const b = await startTestServer({ dataDir });
    const { Users } = await new IAMClient(clientConfig(b)).send(new ListUsersCommand({}));
    assert.deepEqual(Users?.map((u) => u.UserName).sort(), [...new Set(names)].sort());
    await b.stop();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
