import { AwsError } from '../../protocol/errors.js';
import { operation } from '../operation.js';
import type { RequestContext } from '../types.js';
import { stsValidationError } from './errors.js';
import { WEB_IDENTITY } from './federation-errors.js';
import { federatedTrustEntries, issueFederatedSession, type FederatedAssume } from './federated-session.js';
import { fetchIssuerJwks, worthFetching, type FetchedKeys } from './issuer-keys.js';
import { unverifiedIssuer, verifyWebIdentityToken, type WebIdentity } from './web-identity-token.js';

/**
 * AssumeRoleWithWebIdentity: an OpenID Connect ID token, unsigned request, for a role
 * session. The token is checked against an IAM OIDC provider of the role's account and
 * keys iamlocal has offline (web-identity-token.ts, issuer-keys.ts); the role's trust
 * policy must then allow sts:AssumeRoleWithWebIdentity to {"Federated": provider ARN},
 * with <issuer>:sub/aud/amr/azp in the context.
 */
export interface WebIdentityInput {
  RoleArn: string;
  RoleSessionName: string;
  WebIdentityToken: string;
  ProviderId?: string;
  PolicyArns?: Array<{ arn?: string }>;
  Policy?: string;
  DurationSeconds?: number;
  [FETCHED]?: FetchedKeys;
}

/** Keys fetched from a localhost issuer before the snapshot opened (prepare). */
const FETCHED = Symbol('keys fetched from a localhost issuer');
const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/./;

function roleAccount(roleArn: string): string {
  const m = ROLE_ARN.exec(roleArn);
  if (!m) throw stsValidationError(`${roleArn} is invalid`);
  return m[1];
}

/** Checked once per request: authorize checks, run reuses (same input object, same snapshot). */
const checked = new WeakMap<WebIdentityInput, WebIdentity>();

function identityOf(ctx: RequestContext, input: WebIdentityInput): WebIdentity {
  let identity = checked.get(input);
  if (!identity) {
    if (input.ProviderId !== undefined) {
      throw new AwsError('IDPCommunicationError', `iamlocal is offline: it cannot ask ${input.ProviderId} about an OAuth 2.0 access token. Send an OpenID Connect ID token without ProviderId.`, 400);
    }
    identity = verifyWebIdentityToken(ctx.store, roleAccount(input.RoleArn), input.WebIdentityToken, ctx.now, input[FETCHED]);
    checked.set(input, identity);
  }
  return identity;
}

function assume(ctx: RequestContext, input: WebIdentityInput): FederatedAssume {
  const identity = identityOf(ctx, input);
  return {
    action: 'sts:AssumeRoleWithWebIdentity',
    denial: WEB_IDENTITY.denied,
    roleArn: input.RoleArn,
    sessionName: input.RoleSessionName,
    durationSeconds: input.DurationSeconds,
    Policy: input.Policy,
    PolicyArns: input.PolicyArns,
    claims: identity,
  };
}

/** Writes: the session is stored and the role's last use recorded. */
export const AssumeRoleWithWebIdentity = operation({
  writes: true,
  prepare: (ctx, input: WebIdentityInput) => {
    const { iss, kid } = unverifiedIssuer(input.WebIdentityToken);
    const account = ROLE_ARN.exec(input.RoleArn)?.[1];
    if (iss === undefined || account === undefined) return undefined;
    if (!ctx.store.read(() => worthFetching(ctx.store, account, iss, kid))) return undefined;
    return fetchIssuerJwks(iss).then((keys): WebIdentityInput => ({ ...input, [FETCHED]: keys }));
  },
  authorize: (ctx, input: WebIdentityInput) => federatedTrustEntries(ctx, assume(ctx, input)),
  run: (ctx, input: WebIdentityInput) => {
    const identity = identityOf(ctx, input);
    const out = issueFederatedSession(ctx, assume(ctx, input), () => new AwsError('AccessDenied', WEB_IDENTITY.denied, 403));
    return { ...out, SubjectFromWebIdentityToken: identity.subject, Provider: identity.providerArn, Audience: identity.audience };
  },
});
