/**
 * Who made a request, as established by authentication. The pipeline builds one per
 * request; handlers and the policy engine's request context read it.
 */
export type PrincipalType = 'root' | 'user' | 'assumed-role' | 'federated-user' | 'anonymous';

export interface Principal {
  type: PrincipalType;
  /** The account the principal belongs to ('' for anonymous). */
  accountId: string;
  /** ARN as AWS reports it: arn:aws:iam::A:root, arn:aws:iam::A:user/path/name,
   *  arn:aws:sts::A:assumed-role/ROLE/SESSION, arn:aws:sts::A:federated-user/NAME. */
  arn: string;
  /** aws:userid: the account ID for root, AIDA… for users, AROA…:session for roles. */
  userId: string;
  /** aws:username (IAM users only). */
  userName?: string;
  /** For role sessions: the role's own ARN (arn:aws:iam::A:role/path/ROLE), name and AROA id. */
  roleArn?: string;
  roleName?: string;
  roleId?: string;
  sessionName?: string;
  /** For federated-user sessions: the IAM user (or root) who called GetFederationToken,
   *  whose policies bound the session — its unique id (AIDA…, or the account id for root) and ARN. */
  parentUserId?: string;
  parentArn?: string;
  /** aws:PrincipalTag/* — the user's or role's tags, overlaid with session tags. */
  tags: Record<string, string>;
  /** Facts about the credentials used. */
  accessKeyId?: string;
  /** Set when the credentials were obtained with MFA (epoch ms of that authentication). */
  mfaAuthenticatedAt?: number;
  /** Temporary credentials only: when they were issued (epoch ms). */
  tokenIssuedAt?: number;
  /**
   * A console sign-in (src/console/): temporary like a session (aws:TokenIssueTime,
   * aws:MultiFactorAuthPresent are set) but not a GetSessionToken session, so none of
   * its call limits apply.
   */
  console?: true;
  sourceIdentity?: string;
  /** Session policies (JSON texts) that apply to temporary credentials. */
  sessionPolicies?: string[];
  /** ARNs of managed policies passed as session policies. */
  sessionPolicyArns?: string[];
  /**
   * Role sessions from AssumeRoleWithWebIdentity / AssumeRoleWithSAML: the identity
   * provider's ARN (aws:FederatedProvider) and the provider keys that stay in the request
   * context of the session's calls (<issuer>:sub/aud/amr; saml:sub, sub_type, namequalifier).
   */
  federation?: { provider: string; keys: Record<string, string | string[]> };
  /**
   * Keys a session carries into the request context of every call signed with it: the
   * role credentials of an EC2 instance bring aws:SourceInstanceARN,
   * ec2:SourceInstanceARN and ec2:RoleDelivery.
   */
  contextKeys?: Record<string, string>;
}

export function anonymousPrincipal(): Principal {
  return { type: 'anonymous', accountId: '', arn: '*', userId: 'anonymous', tags: {} };
}
