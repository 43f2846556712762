import { AwsError } from '../../protocol/errors.js';
import { operation } from '../operation.js';
import type { RequestContext } from '../types.js';
import { SAML } from './federation-errors.js';
import { federatedTrustEntries, issueFederatedSession, type FederatedAssume } from './federated-session.js';
import { verifySamlRequest, type SamlIdentity } from './saml-assertion-check.js';

/**
 * AssumeRoleWithSAML: a SAML 2.0 response from an IdP, unsigned request, for a role
 * session. The assertion is checked against the SAML provider PrincipalArn names
 * (saml-assertion-check.ts); the role's trust policy must then allow
 * sts:AssumeRoleWithSAML to {"Federated": provider ARN}, with saml:* in the context.
 * The session lasts DurationSeconds (default one hour), shortened by a SessionDuration
 * attribute; its name is the RoleSessionName attribute.
 */
export interface SamlInput {
  RoleArn: string;
  PrincipalArn: string;
  SAMLAssertion: string;
  PolicyArns?: Array<{ arn?: string }>;
  Policy?: string;
  DurationSeconds?: number;
}

/** Checked once per request: authorize checks, run reuses (same input object, same snapshot). */
const checked = new WeakMap<SamlInput, SamlIdentity>();

function identityOf(ctx: RequestContext, input: SamlInput): SamlIdentity {
  let identity = checked.get(input);
  if (!identity) {
    identity = verifySamlRequest(ctx.store, input, ctx.now, ctx.requestId);
    checked.set(input, identity);
  }
  return identity;
}

function assume(ctx: RequestContext, input: SamlInput): FederatedAssume {
  const identity = identityOf(ctx, input);
  return {
    action: 'sts:AssumeRoleWithSAML',
    denial: SAML.denied,
    roleArn: input.RoleArn,
    sessionName: identity.sessionName,
    durationSeconds: input.DurationSeconds,
    limitSeconds: identity.sessionDuration,
    Policy: input.Policy,
    PolicyArns: input.PolicyArns,
    claims: identity,
  };
}

/** Writes: the session is stored and the role's last use recorded. */
export const AssumeRoleWithSAML = operation({
  writes: true,
  authorize: (ctx, input: SamlInput) => federatedTrustEntries(ctx, assume(ctx, input)),
  run: (ctx, input: SamlInput) => {
    const identity = identityOf(ctx, input);
    const out = issueFederatedSession(ctx, assume(ctx, input), () => new AwsError('AccessDenied', SAML.denied, 403));
    return {
      ...out,
      Subject: identity.subject,
      SubjectType: identity.subjectType,
      Issuer: identity.issuer,
      Audience: identity.audience,
      NameQualifier: identity.nameQualifier,
    };
  },
});
