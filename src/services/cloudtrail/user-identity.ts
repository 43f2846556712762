import type { CallFacts } from './call-facts.js';

/** CloudTrail's userIdentity element (cloudtrail-event-reference-user-identity). */
export interface UserIdentity {
  type: 'Root' | 'IAMUser' | 'AssumedRole' | 'FederatedUser' | 'WebIdentityUser' | 'SAMLUser' | 'AWSService' | 'AWSAccount' | 'IdentityCenterUser' | 'Unknown';
  principalId?: string;
  arn?: string;
  accountId?: string;
  accessKeyId?: string;
  userName?: string;
  identityProvider?: string;
  invokedBy?: string;
  onBehalfOf?: { userId: string; identityStoreArn: string };
  sessionContext?: {
    sessionIssuer?: { type: string; principalId: string; arn: string; accountId: string; userName: string };
    webIdFederationData?: { federatedProvider?: string; attributes?: Record<string, unknown> };
    attributes: { creationDate: string; mfaAuthenticated: string };
    sourceIdentity?: string;
  };
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Who made the call, as CloudTrail tells each kind of principal apart. */
export function userIdentityOf(facts: CallFacts): UserIdentity {
  const p = facts.principal;
  const attributes = () => ({
    creationDate: iso(p.tokenIssuedAt ?? facts.time),
    mfaAuthenticated: String(p.mfaAuthenticatedAt !== undefined),
  });
  switch (p.type) {
    case 'root': {
      const id: UserIdentity = { type: 'Root', principalId: p.accountId, arn: p.arn, accountId: p.accountId, accessKeyId: p.accessKeyId };
      if (p.tokenIssuedAt !== undefined) id.sessionContext = { attributes: attributes() };
      return id;
    }
    case 'user': {
      const id: UserIdentity = { type: 'IAMUser', principalId: p.userId, arn: p.arn, accountId: p.accountId, accessKeyId: p.accessKeyId, userName: p.userName };
      // Temporary credentials of the user (GetSessionToken) carry a session context.
      if (p.tokenIssuedAt !== undefined) id.sessionContext = { attributes: attributes() };
      return id;
    }
    case 'assumed-role': {
      const id: UserIdentity = {
        type: 'AssumedRole', principalId: p.userId, arn: p.arn, accountId: p.accountId, accessKeyId: p.accessKeyId,
        sessionContext: {
          sessionIssuer: { type: 'Role', principalId: p.roleId ?? '', arn: p.roleArn ?? '', accountId: p.accountId, userName: p.roleName ?? '' },
          webIdFederationData: p.federation ? { federatedProvider: p.federation.provider, attributes: p.federation.keys } : {},
          attributes: attributes(),
        },
      };
      if (p.sourceIdentity) id.sessionContext!.sourceIdentity = p.sourceIdentity;
      return id;
    }
    case 'federated-user': {
      const parentArn = p.parentArn ?? '';
      return {
        type: 'FederatedUser', principalId: `${p.accountId}:${p.arn.slice(p.arn.lastIndexOf('/') + 1)}`, arn: p.arn, accountId: p.accountId,
        accessKeyId: p.accessKeyId,
        sessionContext: {
          sessionIssuer: {
            type: parentArn.endsWith(':root') ? 'Root' : 'IAMUser', principalId: p.parentUserId ?? '', arn: parentArn, accountId: p.accountId,
            userName: parentArn.endsWith(':root') ? p.accountId : parentArn.slice(parentArn.lastIndexOf('/') + 1),
          },
          attributes: attributes(),
        },
      };
    }
    default:
      if (facts.portalUser) {
        // The access portal's caller, as Identity Center records it (understanding-sso-entries).
        const u = facts.portalUser;
        return { type: 'IdentityCenterUser', accountId: u.accountId, onBehalfOf: { userId: u.userId, identityStoreArn: `arn:aws:identitystore::${u.accountId}:identitystore/${u.identityStoreId}` } };
      }
      return federatedCaller(facts) ?? { type: 'AWSAccount', principalId: '', accountId: 'anonymous' };
  }
}

/** The unsigned callers of AssumeRoleWithWebIdentity and AssumeRoleWithSAML: who their token or assertion names. */
function federatedCaller(facts: CallFacts): UserIdentity | undefined {
  if (facts.service !== 'sts') return undefined;
  const out = (facts.output ?? {}) as Record<string, string>;
  if (facts.operation === 'AssumeRoleWithWebIdentity') {
    const claims = jwtClaims(String(facts.input?.WebIdentityToken ?? ''));
    const provider = out.Provider ?? (typeof claims.iss === 'string' ? claims.iss.replace(/^https:\/\//, '') : undefined);
    const sub = out.SubjectFromWebIdentityToken ?? (typeof claims.sub === 'string' ? claims.sub : '');
    const aud = out.Audience ?? (Array.isArray(claims.aud) ? claims.aud[0] : claims.aud);
    return { type: 'WebIdentityUser', principalId: `${provider}:${aud}:${sub}`, userName: sub, identityProvider: provider };
  }
  if (facts.operation === 'AssumeRoleWithSAML') {
    const provider = String(facts.input?.PrincipalArn ?? '');
    return { type: 'SAMLUser', principalId: `${out.NameQualifier ?? ''}:${out.Subject ?? ''}`, userName: out.Subject ?? '', identityProvider: provider };
  }
  return undefined;
}

/** The claims of a JWT, unverified: only to name the caller (the operation verified it, or refused it). */
function jwtClaims(token: string): Record<string, unknown> {
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
    return claims && typeof claims === 'object' ? claims : {};
  } catch {
    return {};
  }
}

/** The service principal CloudTrail itself acts as when it writes log files (recorded for S3 data events it causes). */
export function serviceIdentity(service: string): UserIdentity {
  return { type: 'AWSService', invokedBy: service };
}
