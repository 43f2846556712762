import type { AuthzEntry, AuthzRule, RequestContext } from '../../types.js';
import { authzEntry, type ConditionKeys } from '../shared/authz-entry.js';
import { findServerCertificate, SERVER_CERTIFICATE_KIND, serverCertificateArn } from './server-certificate-rows.js';
import { resourceTagKeys, tagRecord } from '../../../identity/tags.js';

/**
 * What a server-certificate operation asks the policy engine (Service Authorization
 * Reference): arn:aws:iam::A:server-certificate/PATH/NAME, with the certificate's tags.
 * An existing certificate checks as it is (ARN with its path, its tags); a missing one
 * by name at "/".
 */
export function onServerCertificate(ctx: RequestContext, action: string, name: string, extra: ConditionKeys = {}): AuthzEntry {
  const row = findServerCertificate(ctx.store, ctx.accountId, name);
  if (!row) return authzEntry(action, serverCertificateArn(ctx.accountId, '/', name), extra);
  const tags = resourceTagKeys(tagRecord(ctx.store, ctx.accountId, SERVER_CERTIFICATE_KIND, row.server_certificate_id));
  return authzEntry(action, serverCertificateArn(ctx.accountId, row.path, row.server_certificate_name), { ...tags, ...extra });
}

export const serverCertificateRule =
  (action: string): AuthzRule =>
  (ctx, input: { ServerCertificateName: string }) =>
    onServerCertificate(ctx, action, input.ServerCertificateName);
