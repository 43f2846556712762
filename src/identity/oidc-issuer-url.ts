/**
 * Issuer URLs and IAM OIDC providers. A provider is named by its URL without the scheme
 * (host[:port][/path], no trailing slash); a token's iss maps to the provider the same way.
 * IAM takes only https URLs; iamlocal also takes http for loopback hosts, so issuers on
 * this machine (its own built-in test issuer among them) can be trusted as providers.
 */
const URL_SHAPE = /^(https?):\/\/([^/?#\s]+)(\/[^?#\s]*)?$/i;

const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d{1,5})?$/i;

/** The provider key of an issuer URL, or undefined when IAM (with iamlocal's loopback rule) would not accept it. */
export function providerKeyOfIssuer(url: string): string | undefined {
  const m = URL_SHAPE.exec(url);
  if (!m) return undefined;
  if (m[1].toLowerCase() === 'http' && !LOOPBACK_HOST.test(m[2])) return undefined;
  return m[2] + (m[3] ?? '').replace(/\/+$/, '');
}

/** True for http(s) URLs on this machine: the only issuers iamlocal fetches keys from. */
export function isLoopbackUrl(url: string): boolean {
  const m = URL_SHAPE.exec(url);
  return !!m && LOOPBACK_HOST.test(m[2]);
}
