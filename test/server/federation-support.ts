import assert from 'node:assert/strict';
import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { Sha256 } from '@aws-crypto/sha256-js';
import type { TestServer } from '../helpers/server.js';
import type { Creds } from './sts-support.js';

/** A root-signed JSON request to an operator endpoint (PUT/POST/GET/DELETE). */
export async function adminCall(server: TestServer, method: string, path: string, body: unknown, creds: Creds = server.root): Promise<{ status: number; json: any }> {
  const u = new URL(server.url);
  const text = body === undefined ? '' : JSON.stringify(body);
  const [pathname, query] = path.split('?');
  const signer = new SignatureV4({ service: 'sts', region: 'us-east-1', credentials: creds, sha256: Sha256 });
  const signed = await signer.sign(new HttpRequest({
    method, protocol: 'http:', hostname: u.hostname, port: Number(u.port), path: pathname,
    query: query ? Object.fromEntries(new URLSearchParams(query)) : undefined,
    headers: { host: u.host, 'content-type': 'application/json' }, body: text || undefined,
  }));
  const res = await fetch(`${server.url}${path}`, { method, headers: signed.headers, body: text || undefined });
  return { status: res.status, json: await res.json() };
}

/** A token from the built-in test issuer NAME. */
export async function mint(server: TestServer, name: string, body: Record<string, unknown> = {}): Promise<string> {
  const res = await adminCall(server, 'POST', `/_iamlocal/oidc/${name}/token`, body);
  assert.equal(res.status, 200, JSON.stringify(res.json));
  return res.json.token as string;
}

export const credsOf = (c: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string } | undefined): Creds => ({
  accessKeyId: c!.AccessKeyId!,
  secretAccessKey: c!.SecretAccessKey!,
  sessionToken: c!.SessionToken!,
});
