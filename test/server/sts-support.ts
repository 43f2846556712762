import assert from 'node:assert/strict';
import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { timeStepAt, totpCodeForStep } from '../../src/auth/totp.js';
import { clientConfig, startTestServer, type TestServer } from '../helpers/server.js';

export interface Creds {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** A test server whose clock tests can move (POST /_iamlocal/clock). */
export async function startClockServer(): Promise<TestServer> {
  process.env.IAMLOCAL_TEST_CLOCK = '1';
  return startTestServer();
}

/**
 * The server's clock as the tests track it: clients sign with the same offset
 * (SDK v3 systemClockOffset), and authenticator codes are computed for server time.
 */
export class TestClock {
  offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
  /** The code an authenticator shows `aheadMs` after the server's now. */
  code(seed: string, aheadMs = 0): string {
    return totpCodeForStep(seed, timeStepAt(this.now() + aheadMs));
  }
}

/** SDK client options signed with `creds` at the tracked server time. */
export function config(server: TestServer, clock: TestClock, creds: Creds = server.root) {
  return { ...clientConfig(server, creds), systemClockOffset: clock.offsetMs };
}

/** A SigV4-signed POST of JSON to an admin endpoint. */
export async function adminPost(server: TestServer, path: string, body: unknown, creds: Creds, clock?: TestClock): Promise<{ status: number; json: any }> {
  const u = new URL(server.url);
  const text = JSON.stringify(body);
  const signer = new SignatureV4({ service: 'sts', region: 'us-east-1', credentials: creds, sha256: Sha256 });
  const signed = await signer.sign(
    new HttpRequest({ method: 'POST', protocol: 'http:', hostname: u.hostname, port: Number(u.port), path, headers: { host: u.host, 'content-type': 'application/json' }, body: text }),
    { signingDate: new Date(clock ? clock.now() : Date.now()) },
  );
  const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: signed.headers, body: text });
  return { status: res.status, json: await res.json() };
}

/** Moves the server's clock forward and keeps the tracked clock in step. */
export async function advance(server: TestServer, clock: TestClock, seconds: number): Promise<void> {
  const res = await adminPost(server, '/_iamlocal/clock', { advanceSeconds: seconds }, server.root, clock);
  assert.equal(res.status, 200, JSON.stringify(res.json));
  clock.offsetMs = res.json.offsetSeconds * 1000;
}

/** Asserts an SDK call fails with AWS's error code (SDK v3 may add "Exception"), message and status. */
export async function rejects(p: Promise<unknown>, code: string, message?: string | RegExp, status?: number): Promise<void> {
  await assert.rejects(p, (err: any) => {
    assert.ok(err.name === code || err.name === `${code}Exception` || err.Code === code, `expected ${code}, got ${err.name}: ${err.message}`);
    if (typeof message === 'string') assert.equal(err.message, message);
    else if (message) assert.match(err.message, message);
    if (status) assert.equal(err.$metadata?.httpStatusCode, status);
    return true;
  });
}

export function doc(...statements: Array<Record<string, unknown>>): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/** The seed of a CreateVirtualMFADevice answer (the SDK hands blobs over as bytes). */
export function seedOf(device: { Base32StringSeed?: Uint8Array } | undefined): string {
  assert.ok(device?.Base32StringSeed, 'no Base32StringSeed');
  return Buffer.from(device.Base32StringSeed).toString('ascii');
}
