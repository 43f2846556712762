import { createHash, createHmac } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { Sha256 } from '@aws-crypto/sha256-js';
import type { Creds } from './signed-fetch.js';

/**
 * Raw S3 requests for what an SDK will not send: a corrupted chunk signature, a body that
 * stops half-way, a head whose body is held back until `100 Continue`.
 */
export interface RawS3Request {
  head: string;
  /** aws-chunked signing: what the chunk signatures chain from. */
  seed: string;
  key: Buffer;
  timestamp: string;
  scope: string;
}

const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');

/** A signed head (request line + headers + blank line) for an S3 request, signed by @smithy/signature-v4. */
export async function signedS3Head(
  url: string, method: string, path: string, creds: Creds, headers: Record<string, string>, payloadHash: string,
): Promise<RawS3Request> {
  const u = new URL(url);
  const signer = new SignatureV4({ service: 's3', region: 'us-east-1', credentials: creds, sha256: Sha256, uriEscapePath: false, applyChecksum: false });
  const signingDate = new Date();
  const req = new HttpRequest({
    method, protocol: 'http:', hostname: u.hostname, port: Number(u.port), path,
    headers: { host: u.host, 'x-amz-content-sha256': payloadHash, ...headers },
  });
  const signed = await signer.sign(req, { signingDate });
  const all = signed.headers as Record<string, string>;
  let head = `${method} ${path} HTTP/1.1\r\n`;
  for (const [k, v] of Object.entries(all)) head += `${k}: ${v}\r\n`;
  head += '\r\n';
  const timestamp = all['x-amz-date'];
  const date = timestamp.slice(0, 8);
  const scope = `${date}/us-east-1/s3/aws4_request`;
  const seed = /Signature=([0-9a-f]{64})/.exec(all.authorization)![1];
  const hmac = (k: Buffer | string, t: string) => createHmac('sha256', k).update(t).digest();
  const key = hmac(hmac(hmac(hmac(`AWS4${creds.secretAccessKey}`, date), 'us-east-1'), 's3'), 'aws4_request');
  return { head, seed, key, timestamp, scope };
}

/** Signs aws-chunked chunks in order (each signature chains from the previous): the framed bytes of each. */
export function* signedChunks(req: RawS3Request, chunks: Iterable<Buffer>, corruptAt = -1): Generator<Buffer> {
  let previous = req.seed;
  let i = 0;
  const frame = (data: Buffer) => {
    const toSign = `AWS4-HMAC-SHA256-PAYLOAD\n${req.timestamp}\n${req.scope}\n${previous}\n${EMPTY_SHA256}\n${createHash('sha256').update(data).digest('hex')}`;
    let signature = createHmac('sha256', req.key).update(toSign).digest('hex');
    previous = signature;
    if (i++ === corruptAt) signature = signature.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    return Buffer.concat([Buffer.from(`${data.length.toString(16)};chunk-signature=${signature}\r\n`), data, Buffer.from('\r\n')]);
  };
  for (const data of chunks) yield frame(data);
  yield frame(Buffer.alloc(0)); // "0;chunk-signature=…\r\n\r\n": the last chunk, no trailer
}

/** A raw connection to the server: write bytes, read what comes back, know when it closed. */
export class RawConnection {
  readonly socket: Socket;
  text = '';
  closed = false;
  private waiters: Array<() => void> = [];

  constructor(port: number) {
    this.socket = connect(port, '127.0.0.1');
    this.socket.on('data', (d) => {
      this.text += d.toString('latin1');
      this.wake();
    });
    this.socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    this.socket.on('error', () => {});
  }

  connected(): Promise<void> {
    return new Promise((resolve) => (this.socket.readyState === 'open' ? resolve() : this.socket.once('connect', () => resolve())));
  }

  /** Writes, resolving once the bytes are handed to the kernel (false if the connection broke). */
  write(bytes: string | Buffer): Promise<boolean> {
    return new Promise((resolve) => {
      if (this.socket.destroyed) return resolve(false);
      this.socket.write(bytes, (err) => resolve(!err));
    });
  }

  /** Waits until `until` holds of what was read (or the connection closed, or ms passed). */
  async wait(until: (text: string) => boolean, ms = 5000): Promise<string> {
    const deadline = Date.now() + ms;
    while (!until(this.text) && !this.closed && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.text;
  }

  destroy(): void {
    this.socket.destroy();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}

/** A complete HTTP response in text (head and a Content-Length body). */
export function responseComplete(text: string): boolean {
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return false;
  if (/^HTTP\/1\.1 100 /.test(text)) return responseComplete(text.slice(end + 4));
  const length = Number(/content-length: *(\d+)/i.exec(text.slice(0, end))?.[1] ?? 0);
  return text.length >= end + 4 + length;
}
