import { createHash } from 'node:crypto';
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

/**
 * Signs an S3 request ahead of time (header SigV4; the signature holds for 15 minutes, so
 * the load generator can replay it). A string body is signed by its SHA-256; without one,
 * UNSIGNED-PAYLOAD (what a streaming upload or a download sends).
 */
export async function presignS3(url: string, method: string, path: string, creds: Creds, body?: string, headers: Record<string, string> = {}): Promise<PreparedRequest> {
  const u = new URL(url);
  const signer = new SignatureV4({ service: 's3', region: 'us-east-1', credentials: creds, sha256: Sha256, uriEscapePath: false, applyChecksum: false });
  const hash = body === undefined ? 'UNSIGNED-PAYLOAD' : createHash('sha256').update(body).digest('hex');
  const signed = await signer.sign(new HttpRequest({
    method, protocol: 'http:', hostname: u.hostname, port: Number(u.port), path,
    headers: { host: u.host, 'x-amz-content-sha256': hash, ...headers, ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}) },
    body,
  }));
  return { method, path, headers: signed.headers as Record<string, string>, body };
}

/** Signs a DynamoDB (json-1.0) call ahead of time: X-Amz-Target names the operation. */
export async function presignDynamo(url: string, operation: string, input: unknown, creds: Creds, region = 'us-east-1'): Promise<PreparedRequest> {
  const u = new URL(url);
  const body = JSON.stringify(input);
  const signer = new SignatureV4({ service: 'dynamodb', region, credentials: creds, sha256: Sha256 });
  const signed = await signer.sign(new HttpRequest({
    method: 'POST', protocol: 'http:', hostname: u.hostname, port: Number(u.port), path: '/',
    headers: {
      host: u.host, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `DynamoDB_20120810.${operation}`,
      'content-length': String(Buffer.byteLength(body)),
    },
    body,
  }));
  return { method: 'POST', path: '/', headers: signed.headers as Record<string, string>, body };
}
