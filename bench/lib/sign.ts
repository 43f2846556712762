import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { Sha256 } from '@aws-crypto/sha256-js';
import type { PreparedRequest } from './loadgen.js';

export interface Creds { accessKeyId: string; secretAccessKey: string; sessionToken?: string }

/** Signs a query-protocol (IAM/STS) call ahead of time, so the load generator only replays bytes. */
export async function presignQuery(url: string, service: 'iam' | 'sts', params: Record<string, string>, creds: Creds): Promise<PreparedRequest> {
  const u = new URL(url);
  const body = new URLSearchParams({ Version: service === 'iam' ? '2010-05-08' : '2011-06-15', ...params }).toString();
  const signer = new SignatureV4({ service, region: 'us-east-1', credentials: creds, sha256: Sha256 });
  const signed = await signer.sign(new HttpRequest({
    method: 'POST', protocol: 'http:', hostname: u.hostname, port: Number(u.port), path: '/',
    headers: { host: u.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', 'content-length': String(Buffer.byteLength(body)) },
    body,
  }));
  return { method: 'POST', path: '/', headers: signed.headers as Record<string, string>, body };
}
