import type { Principal } from '../identity/principal.js';
import type { Store } from '../store/store.js';

/** Everything a handler may know about the request it serves. */
export interface RequestContext {
  /** The account whose resources the request acts on (the caller's account). */
  accountId: string;
  region: string;
  requestId: string;
  /** Request time, fixed once per request (epoch ms). */
  now: number;
  principal: Principal;
  store: Store;
  /** Source IP of the caller. */
  sourceIp: string;
  /**
   * The server's --auth mode, when the pipeline set it. 'off' trusts every caller as the
   * root user: checks that are about who the caller is (root may not assume roles, MFA
   * codes must match a device of the caller) stand down too.
   */
  authMode?: 'enforce' | 'audit' | 'off';
  /** The request's headers (names lower-cased): S3 reads some into condition keys (Referer, x-amz-*) and its rules. */
  headers?: Record<string, string>;
  /** How the request was signed (absent when it was not): S3's s3:authType and s3:signatureAge. */
  signature?: { signedAt: number; presigned: boolean };
  /** Whether the connection was TLS. */
  secure?: boolean;
  /**
   * Asks the policy engine about one more entry, beyond the operation's own rule: for
   * decisions per item (S3 DeleteObjects) or that choose the answer (NoSuchKey or
   * AccessDenied). Returns the service's AccessDenied, or undefined when allowed.
   */
  permits?: (entry: AuthzEntry) => import('../protocol/errors.js').AwsError | undefined;
  /**
   * Write operations: runs fn once this request's writes are durable (its commit group
   * committed), never if they are undone. For what lives outside the database and the
   * write made garbage: a replaced object's blob is unlinked this way.
   */
  afterCommit?: (fn: () => void) => void;
}

/** What an operation touches, for authorization: one entry per IAM action it needs. */
export interface AuthzEntry {
  action: string;
  resource: string;
  /** Service-specific condition keys for this request, e.g. {'iam:PolicyARN': '…'}. */
  context?: Record<string, string | string[]>;
  /** Account that owns the resource when it is not the caller's (cross-account). */
  resourceAccount?: string;
  /** Resource-based policies on the resource (bucket policy, role trust policy…), compiled. */
  resourcePolicies?: import('../policy/index.js').CompiledPolicy[];
  /**
   * The resource policy itself must allow, whatever the identity policies say: role trust
   * policies (sts:AssumeRole, sts:TagSession…). resourcePolicies: [] then denies everyone.
   */
  resourcePolicyRequired?: boolean;
  /**
   * Web identity and SAML federation: the IAM identity provider (OIDC or SAML provider
   * ARN) the unsigned caller proved itself through. The engine then sees the caller as
   * that provider's federated identity, which a trust policy's "Federated" principal names.
   */
  identityProvider?: string;
  /** The AccessDenied message when AWS words this denial its own way ("Not authorized to perform sts:AssumeRoleWithSAML"). */
  denial?: string;
}

/** How to compute an operation's authorization entries from its input. */
export type AuthzRule = (ctx: RequestContext, input: any) => AuthzEntry | AuthzEntry[] | null;

