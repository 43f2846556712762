import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { Sha256 } from '@aws-crypto/sha256-js';

export interface Creds { accessKeyId: string; secretAccessKey: string; sessionToken?: string }

/** A form-encoded query-protocol request (IAM/STS), signed by an independent SigV4 implementation. */
export async function signedQuery(
  url: string,
  service: 'iam' | 'sts',
  params: Record<string, string>,
  creds: Creds,
  opts: { signingDate?: Date; region?: string; presignExpiresIn?: number } = {},
): Promise<{ url: string; init: RequestInit }> {
  const u = new URL(url);
  const body = new URLSearchParams({ Version: service === 'iam' ? '2010-05-08' : '2011-06-15', ...params }).toString();
  const signer = new SignatureV4({ service, region: opts.region ?? 'us-east-1', credentials: creds, sha256: Sha256 });
  if (opts.presignExpiresIn !== undefined) {
    const req = new HttpRequest({
      method: 'GET', protocol: u.protocol, hostname: u.hostname, port: Number(u.port), path: '/',
      query: Object.fromEntries(new URLSearchParams(body)), headers: { host: u.host },
    });
    const signed = await signer.presign(req, { expiresIn: opts.presignExpiresIn, signingDate: opts.signingDate });
    const qs = new URLSearchParams(signed.query as Record<string, string>).toString();
    return { url: `${url}/?${qs}`, init: { method: 'GET', headers: signed.headers } };
  }
  const req = new HttpRequest({
    method: 'POST', protocol: u.protocol, hostname: u.hostname, port: Number(u.port), path: '/',
    headers: { host: u.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body,
  });
  const signed = await signer.sign(req, { signingDate: opts.signingDate });
  return { url: `${url}/`, init: { method: 'POST', headers: signed.headers, body } };
}

/** A POST of an arbitrary (possibly malformed) body, correctly signed. */
export async function signedRaw(url: string, service: 'iam' | 'sts', body: string, creds: Creds): Promise<{ url: string; init: RequestInit }> {
  const u = new URL(url);
  const signer = new SignatureV4({ service, region: 'us-east-1', credentials: creds, sha256: Sha256 });
  const signed = await signer.sign(new HttpRequest({
    method: 'POST', protocol: u.protocol, hostname: u.hostname, port: Number(u.port), path: '/',
    headers: { host: u.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body,
  }));
  return { url: `${url}/`, init: { method: 'POST', headers: signed.headers, body } };
}

/** The <Code> and <Message> of an AWS XML error body. */
export function xmlError(text: string): { code?: string; message?: string } {
  const unescape = (s?: string) =>
    s?.replace(/&(apos|quot|lt|gt|amp);/g, (_, e: string) => ({ apos: "'", quot: '"', lt: '<', gt: '>', amp: '&' })[e]!);
  return { code: /<Code>([^<]*)<\/Code>/.exec(text)?.[1], message: unescape(/<Message>([^<]*)<\/Message>/.exec(text)?.[1]) };
}
