import type { Principal } from '../../identity/principal.js';
import type { ServiceName } from '../../protocol/index.js';

/** What the pipeline knows of one request, as CloudTrail needs it. */
export interface CallFacts {
  principal: Principal;
  service: ServiceName;
  operation: string;
  region: string;
  sourceIp: string;
  userAgent?: string;
  /** The decoded input and the handler's output (by model member names). */
  input?: Record<string, unknown>;
  output?: unknown;
  time: number;
  requestId: string;
  errorCode?: string;
  errorMessage?: string;
  /** An IAM Identity Center user calling the access portal (unsigned; its token names them). */
  portalUser?: { accountId: string; userId: string; identityStoreId: string; userName: string };
  /** The account the event is recorded for: the caller's, or (anonymous callers) the server's default. */
  recipientAccountId: string;
  /** Every [action, resource] the request was authorized for. */
  authz?: Array<[string, string]>;
  /** The resource the request was authorized on (the first authz entry's ARN). */
  resource?: string;
}
