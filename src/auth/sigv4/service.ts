import type { QueryParam } from './canonical.js';
import type { ServiceAuthErrors } from './errors.js';
import { ALGORITHM, headerText, parseAuthorization, splitSignedHeaders, TERMINATOR, type RequestHead, type SignatureParts } from './parse.js';
import { formatAmzDate, MAX_SKEW_MS, parseAmzDate, parseHeaderDate } from './time.js';

/**
 * Reads the signature of a query, ec2 or json request and checks its form, in the order
 * those services do (malformed parts, then the time, then host, then the scope). Null when
 * the request carries no SigV4 signature at all.
 */
export function readServiceSignature(
  req: RequestHead,
  params: QueryParam[],
  errors: ServiceAuthErrors,
  now: number,
  services: readonly string[],
): SignatureParts | null {
  const authorization = headerText(req.headers.authorization);
  const algorithmParam = params.find((p) => p.name === 'X-Amz-Algorithm');
  if (authorization !== '' && algorithmParam) {
    throw errors.mismatch("Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.");
  }
  let claim: Claim | null;
  if (authorization !== '') claim = fromHeader(req, authorization, errors);
  else if (algorithmParam) claim = fromQuery(req, params, algorithmParam.value, errors);
  else return null;
  if (!claim) return null;

  // The string to sign carries the ISO basic form, whichever form the date came in.
  const iso = parseAmzDate(claim.rawTime);
  const signedAt = Number.isNaN(iso) ? parseHeaderDate(claim.rawTime) : iso;
  if (Number.isNaN(signedAt)) {
    throw errors.incomplete(`Date must be in ISO-8601 'basic format'. Got '${claim.rawTime}'. See http://en.wikipedia.org/wiki/ISO_8601`);
  }
  if (Math.abs(now - signedAt) > MAX_SKEW_MS) throw errors.skewed(signedAt, now);
  const timestamp = Number.isNaN(iso) ? formatAmzDate(signedAt) : claim.rawTime;
  const known = scopes.get(scopeKey(services, claim));
  if (known !== undefined && known.date === timestamp.slice(0, 8)) {
    return {
      presigned: claim.presigned, accessKeyId: known.accessKeyId, scope: known.scope, region: known.region, service: known.service,
      signedHeaders: claim.signedHeaders, signedNames: known.signedNames, signature: claim.signature, timestamp, rawTime: claim.rawTime, signedAt,
      sessionToken: claim.sessionToken,
    };
  }
  const signedNames = splitSignedHeaders(claim.signedHeaders);
  if (!signedNames.includes('host') && !signedNames.includes(':authority')) {
    throw errors.mismatch("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  const pieces = claim.credential.replace(/\/+$/, '').split('/');
  if (pieces.length !== 5) {
    throw errors.incomplete(
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${claim.credential}'`,
    );
  }
  const [accessKeyId, date, region, service, terminator] = pieces;
  let scopeProblems = '';
  // Any region is served locally; it only has to look like one.
  if (!/^[a-z0-9-]+$/.test(region)) scopeProblems += `Credential should be scoped to a valid region, not '${region}'. `;
  if (!services.includes(service)) scopeProblems += `Credential should be scoped to correct service: '${services[0]}'. `;
  if (terminator !== TERMINATOR) scopeProblems += `Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'. `;
  if (date !== timestamp.slice(0, 8)) {
    scopeProblems += `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${date}' != '${timestamp.slice(0, 8)}', from '${timestamp}'.`;
  }
  if (scopeProblems !== '') throw errors.mismatch(scopeProblems);
  const scope = `${date}/${region}/${service}/${terminator}`;
  if (scopes.size >= MAX_SCOPES) scopes.clear();
  scopes.set(scopeKey(services, claim), { accessKeyId, date, region, service, scope, signedNames: Object.freeze(signedNames) as string[] });
  return {
    presigned: claim.presigned,
    accessKeyId,
    scope,
    region,
    service,
    signedHeaders: claim.signedHeaders,
    signedNames,
    signature: claim.signature,
    timestamp,
    rawTime: claim.rawTime,
    signedAt,
    sessionToken: claim.sessionToken,
  };
}

/**
 * Credential scopes and signed-header lists that passed every check above, by the text
 * that carried them: a client signs many requests with the same ones, and each is then
 * one lookup (the date is still compared with each request's own time).
 */
interface KnownScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  scope: string;
  signedNames: string[];
}
const scopes = new Map<string, KnownScope>();
const MAX_SCOPES = 4096;

function scopeKey(services: readonly string[], claim: Claim): string {
  return `${services.length === 1 ? services[0] : services.join(',')} ${claim.credential} ${claim.signedHeaders}`;
}

interface Claim {
  presigned: boolean;
  credential: string;
  signedHeaders: string;
  signature: string;
  rawTime: string;
  sessionToken: string | undefined;
}

/**
 * The header as every SDK writes it: one match instead of splitting, trimming and mapping
 * its components. Anything else (spaces, other order, other components) takes the general
 * parse below, which words each problem.
 */
const SDK_AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^\s,=]+), ?SignedHeaders=([^\s,=]+), ?Signature=([^\s,=]+)$/;

function fromHeader(req: RequestHead, authorization: string, errors: ServiceAuthErrors): Claim | null {
  const sdk = SDK_AUTHORIZATION.exec(authorization);
  if (sdk) {
    const amzDate = headerText(req.headers['x-amz-date']);
    const rawTime = amzDate !== '' ? amzDate : headerText(req.headers.date);
    if (rawTime !== '') {
      const token = headerText(req.headers['x-amz-security-token']);
      return { presigned: false, credential: sdk[1], signedHeaders: sdk[2], signature: sdk[3], rawTime, sessionToken: token === '' ? undefined : token };
    }
  }
  const parsed = parseAuthorization(authorization);
  // Not SigV4 at all (e.g. a Bearer token): as good as no signature.
  if (!parsed.algorithm.startsWith('AWS4-')) return null;
  if (parsed.algorithm !== ALGORITHM) {
    throw errors.incomplete(`Unsupported AWS 'algorithm': '${parsed.algorithm}' (only AWS4-HMAC-SHA256 for now). `);
  }
  if (parsed.pairWithoutEquals !== undefined) {
    throw errors.incomplete(`'${parsed.pairWithoutEquals}' not a valid key=value pair (missing equal-sign) in Authorization header: '${authorization}'.`);
  }
  const credential = parsed.components.get('Credential');
  const signature = parsed.components.get('Signature');
  const signedHeaders = parsed.components.get('SignedHeaders');
  const amzDate = headerText(req.headers['x-amz-date']);
  const rawTime = amzDate !== '' ? amzDate : headerText(req.headers.date);
  let missing = '';
  if (!credential) missing += "Authorization header requires 'Credential' parameter. ";
  if (!signature) missing += "Authorization header requires 'Signature' parameter. ";
  if (signedHeaders === undefined) missing += "Authorization header requires 'SignedHeaders' parameter. ";
  if (rawTime === '') missing += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
  if (missing !== '') throw errors.incomplete(`${missing}Authorization=${authorization}`);
  const token = headerText(req.headers['x-amz-security-token']);
  return {
    presigned: false,
    credential: credential ?? '',
    signedHeaders: signedHeaders ?? '',
    signature: signature ?? '',
    rawTime,
    sessionToken: token === '' ? undefined : token,
  };
}

function fromQuery(req: RequestHead, params: QueryParam[], algorithm: string, errors: ServiceAuthErrors): Claim | null {
  // An algorithm these services do not know: the request is as good as unsigned.
  if (algorithm !== ALGORITHM) return null;
  const get = (name: string) => params.find((p) => p.name === name)?.value;
  const credential = get('X-Amz-Credential');
  const signature = get('X-Amz-Signature');
  const signedHeaders = get('X-Amz-SignedHeaders');
  const rawTime = get('X-Amz-Date');
  let missing = '';
  if (!credential) missing += "AWS query-string parameters must include 'X-Amz-Credential'. ";
  if (!signature) missing += "AWS query-string parameters must include 'X-Amz-Signature'. ";
  if (signedHeaders === undefined) missing += "AWS query-string parameters must include 'X-Amz-SignedHeaders'. ";
  if (!rawTime) missing += "AWS query-string parameters must include 'X-Amz-Date'. ";
  if (missing !== '') throw errors.incomplete(`${missing}Re-examine the query-string parameters.`);
  // These services ignore X-Amz-Expires: a presigned request lives as long as the clock window.
  const token = get('X-Amz-Security-Token') ?? headerText(req.headers['x-amz-security-token']);
  return {
    presigned: true,
    credential: credential ?? '',
    signedHeaders: signedHeaders ?? '',
    signature: signature ?? '',
    rawTime: rawTime ?? '',
    sessionToken: token === '' ? undefined : token,
  };
}
