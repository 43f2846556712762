import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { AwsError } from '../../../protocol/errors.js';

/**
 * SSH public keys as IAM accepts them: RSA, at least 2048 bits, in OpenSSH's one-line
 * form (ssh-rsa AAAA… comment) or PEM. IAM's fingerprint is the MD5 of the key's SSH wire
 * blob, as colon-separated hex pairs, whichever encoding was uploaded.
 */
export const MIN_RSA_BITS = 2048;

export interface ParsedSshKey {
  /** ssh-rsa BASE64 (no comment) */
  openssh: string;
  /** -----BEGIN PUBLIC KEY----- … */
  pem: string;
  fingerprint: string;
}

export function invalidPublicKey(): AwsError {
  return new AwsError('InvalidPublicKey', 'The public key is malformed or otherwise invalid.', 400);
}

export function unrecognizedEncoding(): AwsError {
  return new AwsError('UnrecognizedPublicKeyEncoding', 'The public key encoding format is unsupported or unrecognized.', 400);
}

export function parseSshPublicKey(text: string): ParsedSshKey {
  const body = text.trim();
  if (body.startsWith('-----BEGIN')) return fromKeyObject(pemKey(body));
  const [type, b64] = body.split(/\s+/);
  if (type !== 'ssh-rsa' || !b64) throw unrecognizedEncoding();
  return fromKeyObject(blobKey(Buffer.from(b64, 'base64')));
}

function pemKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw invalidPublicKey();
  }
  if (key.asymmetricKeyType !== 'rsa') throw unrecognizedEncoding();
  return key;
}

/** Reads the ssh-rsa wire format: string "ssh-rsa", mpint e, mpint n. */
function blobKey(blob: Buffer): KeyObject {
  const fields: Buffer[] = [];
  let at = 0;
  while (at < blob.length) {
    if (at + 4 > blob.length) throw invalidPublicKey();
    const len = blob.readUInt32BE(at);
    if (at + 4 + len > blob.length) throw invalidPublicKey();
    fields.push(blob.subarray(at + 4, at + 4 + len));
    at += 4 + len;
  }
  if (fields.length !== 3 || fields[0].toString('latin1') !== 'ssh-rsa') throw invalidPublicKey();
  const [e, n] = [unsigned(fields[1]), unsigned(fields[2])];
  try {
    return createPublicKey({ key: { kty: 'RSA', e: e.toString('base64url'), n: n.toString('base64url') }, format: 'jwk' });
  } catch {
    throw invalidPublicKey();
  }
}

function fromKeyObject(key: KeyObject): ParsedSshKey {
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) throw invalidPublicKey();
  const jwk = key.export({ format: 'jwk' });
  const blob = Buffer.concat([sshString(Buffer.from('ssh-rsa')), sshString(mpint(Buffer.from(jwk.e!, 'base64url'))), sshString(mpint(Buffer.from(jwk.n!, 'base64url')))]);
  const md5 = createHash('md5').update(blob).digest('hex');
  return {
    openssh: `ssh-rsa ${blob.toString('base64')}`,
    pem: key.export({ format: 'pem', type: 'spki' }).toString(),
    fingerprint: md5.match(/../g)!.join(':'),
  };
}

function unsigned(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
}

/** An SSH mpint: big-endian, a leading zero byte when the high bit is set. */
function mpint(b: Buffer): Buffer {
  const v = unsigned(b);
  return v[0] & 0x80 ? Buffer.concat([Buffer.from([0]), v]) : v;
}

function sshString(b: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length);
  return Buffer.concat([len, b]);
}
