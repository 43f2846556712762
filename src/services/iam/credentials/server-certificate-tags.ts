import { operation } from '../../operation.js';
import { paginate, type PageRequest } from '../shared/paginate.js';
import { onServerCertificate, serverCertificateRule } from './server-certificate-resource.js';
import { requireServerCertificate, SERVER_CERTIFICATE_KIND } from './server-certificate-rows.js';
import { listTags, putTags, removeTags, requestTagKeys, type Tag } from '../../../identity/tags.js';

export const TagServerCertificate = operation({
  writes: true,
  authorize: (ctx, input: { ServerCertificateName: string; Tags: Tag[] }) =>
    onServerCertificate(ctx, 'iam:TagServerCertificate', input.ServerCertificateName, requestTagKeys(input.Tags)),
  run: (ctx, input: { ServerCertificateName: string; Tags: Tag[] }) => {
    const row = requireServerCertificate(ctx.store, ctx.accountId, input.ServerCertificateName);
    putTags(ctx.store, ctx.accountId, SERVER_CERTIFICATE_KIND, row.server_certificate_id, input.Tags);
    return {};
  },
});

export const UntagServerCertificate = operation({
  writes: true,
  authorize: (ctx, input: { ServerCertificateName: string; TagKeys: string[] }) =>
    onServerCertificate(ctx, 'iam:UntagServerCertificate', input.ServerCertificateName, { 'aws:TagKeys': input.TagKeys }),
  run: (ctx, input: { ServerCertificateName: string; TagKeys: string[] }) => {
    const row = requireServerCertificate(ctx.store, ctx.accountId, input.ServerCertificateName);
    removeTags(ctx.store, ctx.accountId, SERVER_CERTIFICATE_KIND, row.server_certificate_id, input.TagKeys);
    return {};
  },
});

export const ListServerCertificateTags = operation({
  writes: false,
  authorize: serverCertificateRule('iam:ListServerCertificateTags'),
  run: (ctx, input: PageRequest & { ServerCertificateName: string }) => {
    const row = requireServerCertificate(ctx.store, ctx.accountId, input.ServerCertificateName);
    const { items, more } = paginate(listTags(ctx.store, ctx.accountId, SERVER_CERTIFICATE_KIND, row.server_certificate_id), input);
    return { Tags: items, ...more };
  },
});
