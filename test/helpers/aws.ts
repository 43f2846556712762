import assert from 'node:assert/strict';

/**
 * Asserts that an SDK v3 call fails with AWS error `code`. The SDK names modeled errors
 * after their shape (DeleteConflictException): the wire code, plus "Exception".
 */
export async function rejects(p: Promise<unknown>, code: string, message?: string | RegExp, status?: number): Promise<void> {
  await assert.rejects(p, (err: any) => {
    assert.ok(err.name === code || err.name === `${code}Exception`, `expected ${code}, got ${err.name}: ${err.message}`);
    if (typeof message === 'string') assert.equal(err.message, message);
    else if (message) assert.match(err.message, message);
    if (status) assert.equal(err.$metadata?.httpStatusCode, status);
    return true;
  });
}

/** A policy document with Version 2012-10-17. */
export function doc(statements: unknown[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}
