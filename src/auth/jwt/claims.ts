/**
 * Reading an ID token's registered claims (RFC 7519 §4.1) as values, and its validity
 * window against a clock that is passed in (the server's, which tests can move).
 */
export type TimeProblem =
  | { problem: 'no-exp' }
  | { problem: 'expired'; nowSeconds: number; expSeconds: number }
  | { problem: 'not-yet-valid'; nowSeconds: number; nbfSeconds: number }
  | { problem: 'issued-in-future'; nowSeconds: number; iatSeconds: number };

function numericDate(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** exp must lie after now; nbf and iat, when present, not after it. Undefined: the token is current. */
export function checkTokenTimes(claims: Record<string, unknown>, nowMs: number): TimeProblem | undefined {
  const nowSeconds = Math.floor(nowMs / 1000);
  const exp = numericDate(claims.exp);
  if (exp === undefined) return { problem: 'no-exp' };
  if (nowSeconds >= exp) return { problem: 'expired', nowSeconds, expSeconds: exp };
  const nbf = numericDate(claims.nbf);
  if (nbf !== undefined && nowSeconds < nbf) return { problem: 'not-yet-valid', nowSeconds, nbfSeconds: nbf };
  const iat = numericDate(claims.iat);
  if (iat !== undefined && nowSeconds < iat) return { problem: 'issued-in-future', nowSeconds, iatSeconds: iat };
  return undefined;
}

/** A claim that may be one string or several (aud, amr) as a list; [] when absent or not strings. */
export function stringList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

export function stringClaim(claims: Record<string, unknown>, name: string): string | undefined {
  const v = claims[name];
  return typeof v === 'string' ? v : undefined;
}
