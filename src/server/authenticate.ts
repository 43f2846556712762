import { AwsError, type WireRequest } from '../protocol/errors.js';
import type { ServiceName } from '../protocol/index.js';
import { missingAuthenticationToken, verifyRequest, verifyRequestHead, type PayloadSpec, type ServiceFamily } from '../auth/sigv4/verify.js';
import { isAwsChunked, unframedHeaders, unframeUnverified, unverifiedChunkedSpec } from '../auth/sigv4/chunked.js';
import { anonymousPrincipal, type Principal } from '../identity/principal.js';
import { resolveCredential, recordAccessKeyUse } from '../identity/credentials.js';
import { rootPrincipal } from '../identity/accounts.js';
import { recordRoleUse } from '../identity/roles.js';
import type { App } from './app.js';

const FAMILY: Record<ServiceName, ServiceFamily> = {
  iam: 'query', sts: 'query', ec2: 'ec2', s3: 's3', s3control: 's3', dynamodb: 'json', organizations: 'json', cloudtrail: 'json', accessanalyzer: 'json',
  'sso-admin': 'json', identitystore: 'json', sso: 'json',
};
/** Services whose signing name is not their model name: S3 Control signs as "s3". */
const SIGNING_NAME: Partial<Record<ServiceName, string>> = { s3control: 's3', accessanalyzer: 'access-analyzer', 'sso-admin': 'sso', sso: 'awsssoportal' };

/** Operations AWS serves without a signature (the caller proves itself another way). */
const ANONYMOUS_OK = new Set(['AssumeRoleWithWebIdentity', 'AssumeRoleWithSAML']);

export interface Authenticated {
  principal: Principal;
  region: string;
  /**
   * The request as its operation sees it: an aws-chunked body unframed (its chunk
   * signatures verified when it was signed) and its headers as if sent plain.
   */
  request: WireRequest;
  /** How it was signed (absent when unsigned, or in --auth off). */
  signature?: { signedAt: number; presigned: boolean };
}

/** SigV4 → the Principal behind the access key, or anonymous when nothing is signed. */
export function authenticate(app: App, service: ServiceName, req: WireRequest, now: number): Authenticated {
  const family = FAMILY[service];
  if (app.config.auth === 'off') {
    // Trust any credentials as the default account's root; still honour the signing region.
    return { principal: rootPrincipal(app.store, app.config.accountId), region: signingRegion(req) ?? 'us-east-1', request: unframed(req) };
  }
  // The federation calls are decided on the token or assertion alone: a signature, if any, is not who asks.
  if (service === 'sts' && ANONYMOUS_OK.has(actionOf(req))) return { principal: anonymousPrincipal(), region: signingRegion(req) ?? 'us-east-1', request: unframed(req) };
  // The Identity Center portal is never signed: its access token (x-amz-sso_bearer_token) is checked by the operation.
  if (service === 'sso') return { principal: anonymousPrincipal(), region: signingRegion(req) ?? 'us-east-1', request: req };
  const verified = verifyRequest(req, { family, service: SIGNING_NAME[service] ?? service, lookup: (id) => resolveCredential(app.store, id), now });
  if (!verified) {
    if (service === 's3') {
      return { principal: anonymousPrincipal(), region: 'us-east-1', request: unframed(req) };
    }
    throw missingAuthenticationToken(family);
  }
  const principal = verified.credential.principal;
  recordAccessKeyUse(app.store, verified.accessKeyId, { service: verified.service, region: verified.region, when: now });
  if (principal.roleId) recordRoleUse(app.store, principal.accountId, principal.roleId, now, verified.region);
  const request = isAwsChunked(req.headers) ? { ...req, headers: unframedHeaders(req.headers, verified.trailers), body: verified.body } : req;
  return { principal, region: verified.region, request, signature: { signedAt: verified.signedAt, presigned: verified.presigned } };
}

/**
 * A request of the web console: the principal its session cookie resolved to
 * (src/console/session-principal.ts) stands in for a signature; everything after this
 * step is the same as for a signed request.
 */
export function fromConsole(caller: { principal: Principal; region?: string }, req: WireRequest): Authenticated {
  return { principal: caller.principal, region: caller.region ?? 'us-east-1', request: req };
}

/** fromConsole for S3: the head, and a body checked only for its framing. */
export function fromConsoleHead(caller: { principal: Principal; region?: string }, req: WireRequest): AuthenticatedHead {
  return { principal: caller.principal, region: caller.region ?? 'us-east-1', payload: unverifiedPayload(req), request: req };
}

/** An S3 request whose head is authenticated and whose body is still to come. */
export interface AuthenticatedHead {
  principal: Principal;
  region: string;
  /**
   * What is left to check of the body as it arrives (src/auth/sigv4/payload.ts): its
   * hash, its chunk signatures, or — unsigned, anonymous, --auth off — only its framing.
   */
  payload: PayloadSpec;
  /** The head as its operation sees it: aws-chunked's framing headers as if sent plain (trailers come with the body). */
  request: WireRequest;
  /** How it was signed (absent when unsigned, or in --auth off). */
  signature?: { signedAt: number; presigned: boolean };
}

/**
 * S3: SigV4 over the head alone → the Principal, and what the body must satisfy. The body
 * is not touched: it is checked as it streams (payloadStream) or once read (decodePayload).
 */
export function authenticateHead(app: App, req: WireRequest, now: number): AuthenticatedHead {
  const request = isAwsChunked(req.headers) ? { ...req, headers: unframedHeaders(req.headers) } : req;
  if (app.config.auth === 'off') {
    return { principal: rootPrincipal(app.store, app.config.accountId), region: signingRegion(req) ?? 'us-east-1', payload: unverifiedPayload(req), request };
  }
  const verified = verifyRequestHead(req, { family: 's3', service: 's3', lookup: (id) => resolveCredential(app.store, id), now });
  if (!verified) return { principal: anonymousPrincipal(), region: 'us-east-1', payload: unverifiedPayload(req), request };
  const principal = verified.credential.principal;
  recordAccessKeyUse(app.store, verified.accessKeyId, { service: verified.service, region: verified.region, when: now });
  if (principal.roleId) recordRoleUse(app.store, principal.accountId, principal.roleId, now, verified.region);
  return { principal, region: verified.region, payload: verified.payload, request, signature: { signedAt: verified.signedAt, presigned: verified.presigned } };
}

function unverifiedPayload(req: WireRequest): PayloadSpec {
  return isAwsChunked(req.headers) ? { kind: 'chunked', chunked: unverifiedChunkedSpec(req.headers) } : { kind: 'unsigned' };
}

/** An aws-chunked request no signature covers, unframed all the same (nothing else unframes). */
function unframed(req: WireRequest): WireRequest {
  if (!isAwsChunked(req.headers)) return req;
  const { payload, trailers } = unframeUnverified(req.headers, req.body);
  return { ...req, headers: unframedHeaders(req.headers, trailers), body: payload };
}

/** The region of the SigV4 credential scope (…/date/REGION/service/aws4_request), if any. */
function signingRegion(req: WireRequest): string | undefined {
  const scope = /Credential=[^/,\s]+\/\d{8}\/([^/]+)\//.exec(req.headers.authorization ?? '')
    ?? /X-Amz-Credential=[^&]*?(?:%2F|\/)\d{8}(?:%2F|\/)([^&%/]+)/i.exec(req.rawQuery);
  return scope?.[1];
}

function actionOf(req: WireRequest): string {
  const m = /(?:^|&)Action=([^&]*)/.exec(req.rawQuery) ?? /(?:^|&)Action=([^&]*)/.exec(req.body.toString('latin1'));
  return m ? decodeURIComponent(m[1]) : '';
}
