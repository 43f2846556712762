/**
 * Matching the requester against a Principal / NotPrincipal element.
 *
 * How a resource-based policy names the requester matters to evaluation
 * (reference_policies_evaluation-logic.md): naming the user, the role session or the
 * federated session grants directly; naming the role (for a role session) or the IAM user
 * who federated (for a federated session) grants but stays subject to boundaries and
 * session policies; naming the account only delegates to the account's own policies.
 */
import type { PrincipalBlock } from './ast.js';

export type RequesterType = 'root' | 'user' | 'assumed-role' | 'federated-user' | 'anonymous' | 'service';

/** Who is asking, as the engine needs it. */
export interface EvalPrincipal {
  type: RequesterType;
  /** arn:aws:iam::A:root, arn:aws:iam::A:user/…, arn:aws:sts::A:assumed-role/R/S, arn:aws:sts::A:federated-user/N; '*' for anonymous. */
  arn: string;
  accountId: string;
  /** Role sessions: the role's ARN (with its path). */
  roleArn?: string;
  /** Service principals: e.g. 'ec2.amazonaws.com'. */
  serviceName?: string;
  /** Federated-user sessions: the ARN of the IAM user who called GetFederationToken. */
  userArn?: string;
  /** Web-identity / SAML callers: the provider a "Federated" principal names. */
  identityProvider?: string;
  /** S3 canonical user ID, for "CanonicalUser" principals. */
  canonicalUserId?: string;
  /** The principal's organization, when its account is in one: aws:PrincipalOrgID and aws:PrincipalOrgPaths. */
  org?: OrgPlace;
}

/** Where an account sits in AWS Organizations: 'o-…' and its path ['o-…/r-…/ou-…/']. */
export interface OrgPlace {
  id: string;
  paths: string[];
}

/** How strongly a Principal element named the requester. */
export type Grant = 'direct' | 'entity' | 'account';

export interface PrincipalMatcher {
  /** For Principal: how the requester is named, or undefined when it is not. */
  grant(p: EvalPrincipal): Grant | undefined;
  /** For NotPrincipal: true when the statement applies (some part of the requester's identity is not excluded). */
  excludes(p: EvalPrincipal): boolean;
}

const ACCOUNT_ROOT = /^arn:aws:iam::(\d{12}):root$/i;

export function compilePrincipal(block: PrincipalBlock): PrincipalMatcher {
  let everyone = block.wildcard;
  let anyAws = false;
  const accounts = new Set<string>();
  const arns = new Set<string>();
  const services = new Set<string>();
  const federated = new Set<string>();
  const canonical = new Set<string>();
  for (const e of block.entries) {
    for (const { value } of e.values) {
      switch (e.type) {
        case 'AWS': {
          if (value === '*') { anyAws = true; break; }
          const root = ACCOUNT_ROOT.exec(value);
          if (/^\d{12}$/.test(value)) accounts.add(value);
          else if (root) accounts.add(root[1]);
          else arns.add(value.toLowerCase());
          break;
        }
        case 'Service':
          if (value === '*') everyone = true;
          else services.add(value.toLowerCase());
          break;
        case 'Federated': federated.add(value.toLowerCase()); break;
        case 'CanonicalUser': canonical.add(value); break;
      }
    }
  }

  const grant = (p: EvalPrincipal): Grant | undefined => {
    if (everyone) return 'direct';
    if (p.type === 'service') return p.serviceName && services.has(p.serviceName.toLowerCase()) ? 'direct' : undefined;
    if (p.identityProvider && federated.has(p.identityProvider.toLowerCase())) return 'direct';
    if (p.canonicalUserId && canonical.has(p.canonicalUserId)) return 'direct';
    if (anyAws) return 'direct';
    if (p.type === 'anonymous') return undefined;
    if (arns.has(p.arn.toLowerCase())) return 'direct';
    if (p.type === 'root') return accounts.has(p.accountId) ? 'direct' : undefined;
    if (p.type === 'assumed-role' && p.roleArn && arns.has(p.roleArn.toLowerCase())) return 'entity';
    if (p.type === 'federated-user' && p.userArn && arns.has(p.userArn.toLowerCase())) return 'entity';
    return accounts.has(p.accountId) ? 'account' : undefined;
  };

  const excludes = (p: EvalPrincipal): boolean => {
    if (everyone || (anyAws && p.type !== 'service')) return false;
    // Every link of the requester's identity chain must be listed for the statement to skip it.
    switch (p.type) {
      case 'service': return !(p.serviceName && services.has(p.serviceName.toLowerCase()));
      case 'anonymous': return true;
      case 'root': return !accounts.has(p.accountId);
      case 'user': return !(accounts.has(p.accountId) && arns.has(p.arn.toLowerCase()));
      case 'assumed-role':
        return !(accounts.has(p.accountId) && !!p.roleArn && arns.has(p.roleArn.toLowerCase()) && arns.has(p.arn.toLowerCase()));
      case 'federated-user':
        return !(accounts.has(p.accountId) && arns.has(p.arn.toLowerCase()));
    }
  };

  return { grant, excludes };
}
