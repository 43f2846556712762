import { createHash, createHmac, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';

/**
 * Key pairs as EC2 makes and reads them (node:crypto does the cryptography; the SSH wire
 * formats are written here):
 * - created RSA keys come back as a PKCS#1 PEM ("BEGIN RSA PRIVATE KEY") or a PuTTY .ppk;
 *   their fingerprint is the SHA-1 of the PKCS#8 DER private key, in colon hex;
 * - created ED25519 keys come back in OpenSSH's private key format; their fingerprint,
 *   like an imported ED25519 key's, is the base64 SHA-256 of the SSH public key blob;
 * - imported RSA keys are fingerprinted by the MD5 of their DER public key, in colon hex.
 * EC2 keeps only the public key.
 */
export interface MadeKey {
  material: string;
  fingerprint: string;
  /** "ssh-rsa AAAA…" / "ssh-ed25519 AAAA…" */
  publicKey: string;
}

export function createKeyMaterial(type: 'rsa' | 'ed25519', format: 'pem' | 'ppk', name: string): MadeKey {
  if (type === 'rsa') {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const der = privateKey.export({ type: 'pkcs8', format: 'der' });
    const blob = rsaPublicBlob(publicKey);
    return {
      material: format === 'ppk' ? puttyRsaKey(privateKey, blob, name) : (privateKey.export({ type: 'pkcs1', format: 'pem' }) as string).trimEnd(),
      fingerprint: colonHex(createHash('sha1').update(der).digest()),
      publicKey: `ssh-rsa ${blob.toString('base64')}`,
    };
  }
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' });
  const pub = Buffer.from(jwk.x!, 'base64url');
  const seed = Buffer.from(jwk.d!, 'base64url');
  const blob = ed25519PublicBlob(publicKey);
  return {
    material: format === 'ppk' ? puttyEd25519Key(blob, seed, name) : openSshPrivateKey(pub, seed, name),
    fingerprint: sha256Fingerprint(blob),
    publicKey: `ssh-ed25519 ${blob.toString('base64')}`,
  };
}

/** A public key sent to ImportKeyPair, read: OpenSSH, RFC 4716 (SSH2) or PEM; undefined when it is none of them. */
export function importPublicKey(text: string): { type: 'rsa' | 'ed25519'; fingerprint: string; publicKey: string } | undefined {
  let blob: Buffer | undefined;
  const trimmed = text.trim();
  const openssh = /^(ssh-rsa|ssh-ed25519)\s+([A-Za-z0-9+/=]+)(?:\s.*)?$/s.exec(trimmed);
  if (openssh) blob = Buffer.from(openssh[2], 'base64');
  else if (trimmed.startsWith('---- BEGIN SSH2 PUBLIC KEY ----')) {
    const body = trimmed.split(/\r?\n/).slice(1, -1).filter((l) => !/^[\w-]+:/.test(l) && !l.endsWith('\\'));
    blob = Buffer.from(body.join(''), 'base64');
  } else if (trimmed.startsWith('-----BEGIN')) {
    try {
      const key = createPublicKey(trimmed);
      blob = key.asymmetricKeyType === 'rsa' ? rsaPublicBlob(key) : key.asymmetricKeyType === 'ed25519' ? ed25519PublicBlob(key) : undefined;
    } catch {
      return undefined;
    }
  }
  if (!blob) return undefined;
  const parts = readSshStrings(blob);
  if (!parts) return undefined;
  const alg = parts[0].toString('latin1');
  if (alg === 'ssh-rsa' && parts.length === 3) {
    let key: KeyObject;
    try {
      key = createPublicKey({ key: { kty: 'RSA', e: unsignedMpint(parts[1]).toString('base64url'), n: unsignedMpint(parts[2]).toString('base64url') }, format: 'jwk' });
    } catch {
      return undefined;
    }
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < 1024 || bits > 16384) return undefined;
    const der = key.export({ type: 'spki', format: 'der' });
    return { type: 'rsa', fingerprint: colonHex(createHash('md5').update(der).digest()), publicKey: `ssh-rsa ${blob.toString('base64')}` };
  }
  if (alg === 'ssh-ed25519' && parts.length === 2 && parts[1].length === 32) {
    return { type: 'ed25519', fingerprint: sha256Fingerprint(blob), publicKey: `ssh-ed25519 ${blob.toString('base64')}` };
  }
  return undefined;
}

function colonHex(digest: Buffer): string {
  return digest.toString('hex').match(/../g)!.join(':');
}

function sha256Fingerprint(blob: Buffer): string {
  return createHash('sha256').update(blob).digest('base64');
}

/** SSH wire types (RFC 4251): string and mpint. */
function sshString(data: Buffer | string): Buffer {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(bytes.length);
  return Buffer.concat([len, bytes]);
}

function mpint(unsigned: Buffer): Buffer {
  let i = 0;
  while (i < unsigned.length - 1 && unsigned[i] === 0) i++;
  const trimmed = unsigned.subarray(i);
  return sshString(trimmed[0] & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

function unsignedMpint(bytes: Buffer): Buffer {
  return bytes[0] === 0 ? bytes.subarray(1) : bytes;
}

function readSshStrings(blob: Buffer): Buffer[] | undefined {
  const out: Buffer[] = [];
  let at = 0;
  while (at < blob.length) {
    if (at + 4 > blob.length) return undefined;
    const len = blob.readUInt32BE(at);
    if (at + 4 + len > blob.length) return undefined;
    out.push(blob.subarray(at + 4, at + 4 + len));
    at += 4 + len;
  }
  return out.length > 0 ? out : undefined;
}

function rsaPublicBlob(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' });
  return Buffer.concat([sshString('ssh-rsa'), mpint(Buffer.from(jwk.e!, 'base64url')), mpint(Buffer.from(jwk.n!, 'base64url'))]);
}

function ed25519PublicBlob(key: KeyObject): Buffer {
  return Buffer.concat([sshString('ssh-ed25519'), sshString(Buffer.from(key.export({ format: 'jwk' }).x!, 'base64url'))]);
}

/** OpenSSH's "openssh-key-v1" private key format, unencrypted (PROTOCOL.key in OpenSSH's sources). */
function openSshPrivateKey(pub: Buffer, seed: Buffer, comment: string): string {
  const pubBlob = Buffer.concat([sshString('ssh-ed25519'), sshString(pub)]);
  const check = randomBytes(4);
  let secret = Buffer.concat([check, check, sshString('ssh-ed25519'), sshString(pub), sshString(Buffer.concat([seed, pub])), sshString(comment)]);
  const pad: number[] = [];
  for (let i = 1; (secret.length + pad.length) % 8 !== 0; i++) pad.push(i);
  secret = Buffer.concat([secret, Buffer.from(pad)]);
  const count = Buffer.alloc(4);
  count.writeUInt32BE(1);
  const body = Buffer.concat([
    Buffer.from('openssh-key-v1\0', 'latin1'), sshString('none'), sshString('none'), sshString(''), count, sshString(pubBlob), sshString(secret),
  ]);
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${wrap(body.toString('base64'), 70)}\n-----END OPENSSH PRIVATE KEY-----`;
}

/** PuTTY's .ppk (version 2, unencrypted): the public blob, the private fields, and their MAC. */
function puttyKey(alg: string, pubBlob: Buffer, privBlob: Buffer, comment: string): string {
  const macKey = createHash('sha1').update('putty-private-key-file-mac-key').digest();
  const mac = createHmac('sha1', macKey)
    .update(Buffer.concat([sshString(alg), sshString('none'), sshString(comment), sshString(pubBlob), sshString(privBlob)]))
    .digest('hex');
  const pubLines = wrap(pubBlob.toString('base64'), 64).split('\n');
  const privLines = wrap(privBlob.toString('base64'), 64).split('\n');
  return [
    `PuTTY-User-Key-File-2: ${alg}`, 'Encryption: none', `Comment: ${comment}`, `Public-Lines: ${pubLines.length}`, ...pubLines,
    `Private-Lines: ${privLines.length}`, ...privLines, `Private-MAC: ${mac}`,
  ].join('\n');
}

function puttyRsaKey(privateKey: KeyObject, pubBlob: Buffer, comment: string): string {
  const jwk = privateKey.export({ format: 'jwk' });
  const b = (v: string | undefined) => mpint(Buffer.from(v!, 'base64url'));
  return puttyKey('ssh-rsa', pubBlob, Buffer.concat([b(jwk.d), b(jwk.p), b(jwk.q), b(jwk.qi)]), comment);
}

function puttyEd25519Key(pubBlob: Buffer, seed: Buffer, comment: string): string {
  return puttyKey('ssh-ed25519', pubBlob, sshString(seed), comment);
}

function wrap(text: string, width: number): string {
  return text.match(new RegExp(`.{1,${width}}`, 'g'))!.join('\n');
}
