import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Principal } from '../../src/identity/principal.js';
import { AwsError } from '../../src/protocol/errors.js';
import { ensureAccount, rootPrincipal } from '../../src/identity/accounts.js';
import { resolveCredential } from '../../src/identity/credentials.js';
import { iamService } from '../../src/services/iam/index.js';
import { stsService } from '../../src/services/sts/index.js';
import type { RequestContext } from '../../src/services/types.js';
import type { ServiceDefinition } from '../../src/services/operation.js';
import { Store } from '../../src/store/store.js';

export const ACCOUNT = '123456789012';

/** A store in a fresh temporary directory, with the test account bootstrapped. */
export function openTestStore(): { store: Store; dir: string; root: { accessKeyId: string; secretAccessKey: string }; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'iamlocal-svc-'));
  const store = new Store(dir);
  const acct = ensureAccount(store, ACCOUNT);
  return {
    store,
    dir,
    root: { accessKeyId: acct.rootAccessKeyId, secretAccessKey: acct.rootSecretAccessKey },
    dispose() {
      try {
        store.close();
      } catch {
        // already closed by the test
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function contextFor(store: Store, principal: Principal, now = Date.now()): RequestContext {
  return { accountId: principal.accountId, region: 'us-east-1', requestId: 'test-request', now, principal, store, sourceIp: '127.0.0.1' };
}

export function asRoot(store: Store, now?: number): RequestContext {
  return contextFor(store, rootPrincipal(store, ACCOUNT), now);
}

/** The principal behind an access key, as authentication would build it. */
export function principalOf(store: Store, accessKeyId: string): Principal {
  const cred = resolveCredential(store, accessKeyId);
  assert.ok(cred, `no credential for ${accessKeyId}`);
  return cred.principal;
}

/** Runs an operation's handler in one transaction, as the pipeline does (authorization aside). */
export function call(ctx: RequestContext, operation: string, input: Record<string, unknown> = {}, service: ServiceDefinition = iamService): any {
  const op = service.operations[operation];
  const handler = op && 'run' in op ? op.run : undefined;
  assert.ok(handler, `no handler for ${operation}`);
  return ctx.store.tx(() => handler(ctx, input));
}

export function sts(ctx: RequestContext, operation: string, input: Record<string, unknown> = {}): any {
  return call(ctx, operation, input, stsService);
}

/** Asserts fn throws AWS's error: code, status and (exact or matching) message. */
export function throwsAws(fn: () => unknown, code: string, status: number, message?: string | RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof AwsError, `expected AwsError, got ${String(err)}`);
    assert.equal(err.code, code, `code (message: ${err.message})`);
    assert.equal(err.status, status);
    if (typeof message === 'string') assert.equal(err.message, message);
    else if (message) assert.match(err.message, message);
    return true;
  });
}

/** Creates a user with one access key; returns the key and the user's principal. */
export function userWithKey(store: Store, userName: string, input: Record<string, unknown> = {}) {
  const root = asRoot(store);
  const { User } = call(root, 'CreateUser', { UserName: userName, ...input });
  const { AccessKey } = call(root, 'CreateAccessKey', { UserName: userName });
  return { user: User, key: AccessKey, principal: principalOf(store, AccessKey.AccessKeyId) };
}
