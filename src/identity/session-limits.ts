import { AwsError } from '../protocol/errors.js';
import type { Principal } from './principal.js';

/**
 * What temporary credentials may not call, whatever policies say
 * (id_credentials_temp_request.md, "Comparing the AWS STS API operations"):
 *   GetSessionToken credentials: no IAM operation unless the session was MFA-authenticated;
 *     of STS, only AssumeRole and GetCallerIdentity;
 *   GetFederationToken credentials: no IAM operation; of STS, only GetCallerIdentity.
 * Role sessions have no such limits. The pipeline asks before authorizing.
 */
export function sessionCallRefusal(p: Principal, service: string, operation: string): AwsError | undefined {
  if (p.tokenIssuedAt === undefined || p.console) return undefined;
  const federated = p.type === 'federated-user';
  const sessionToken = p.type === 'user' || p.type === 'root';
  if (!federated && !sessionToken) return undefined;
  if (service === 'iam' && (federated || p.mfaAuthenticatedAt === undefined)) {
    return new AwsError('InvalidClientTokenId', 'The security token included in the request is invalid', 403);
  }
  if (service === 'sts') {
    const allowed = operation === 'GetCallerIdentity' || (sessionToken && operation === 'AssumeRole');
    if (!allowed) return new AwsError('AccessDenied', `Cannot call ${operation} with session credentials`, 403);
  }
  return undefined;
}
