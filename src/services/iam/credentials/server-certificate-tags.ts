import { tagOperations } from '../shared/tag-operations.js';
import { onServerCertificate } from './server-certificate-resource.js';
import { requireServerCertificate, SERVER_CERTIFICATE_KIND } from './server-certificate-rows.js';

export const { TagServerCertificate, UntagServerCertificate, ListServerCertificateTags } = tagOperations({
  noun: 'ServerCertificate',
  nameMember: 'ServerCertificateName',
  kind: SERVER_CERTIFICATE_KIND,
  tagId: (ctx, name) => requireServerCertificate(ctx.store, ctx.accountId, name).server_certificate_id,
  authorize: onServerCertificate,
});
