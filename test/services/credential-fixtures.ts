import { createHash, generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** PEM fixtures made with openssl (node:crypto cannot issue X.509): test/services/fixtures, from source or dist. */
export function fixture(name: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    for (const candidate of [join(dir, 'fixtures', name), join(dir, 'test', 'services', 'fixtures', name)]) {
      if (existsSync(candidate)) return readFileSync(candidate, 'utf8');
    }
    dir = dirname(dir);
  }
  throw new Error(`fixture ${name} not found`);
}

/** An RSA public key in OpenSSH's form, built here from its JWK, and the MD5 of its blob. */
export function sshRsaKey(bits = 2048): { openssh: string; pem: string; md5: string } {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  const jwk = publicKey.export({ format: 'jwk' });
  const str = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, (b.length >> 8) & 0xff, b.length & 0xff]), b]);
  const mp = (b64: string) => {
    const b = Buffer.from(b64, 'base64url');
    return b[0] & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b;
  };
  const blob = Buffer.concat([str(Buffer.from('ssh-rsa')), str(mp(jwk.e!)), str(mp(jwk.n!))]);
  return {
    openssh: `ssh-rsa ${blob.toString('base64')} me@laptop`,
    pem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    md5: createHash('md5').update(blob).digest('hex').match(/../g)!.join(':'),
  };
}
