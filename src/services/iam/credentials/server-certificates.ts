import { AwsError } from '../../../protocol/errors.js';
import { operation } from '../../operation.js';
import { insertRow } from '../shared/insert-row.js';
import { authzEntry } from '../shared/authz-entry.js';
import { checkChain, checkKeyPair, parseCertificate } from './certificate-format.js';
import { newServerCertificateId } from './credential-ids.js';
import { quotaExceeded } from '../../../identity/errors.js';
import { paginate, type PageRequest } from '../shared/paginate.js';
import { onServerCertificate, serverCertificateRule } from './server-certificate-resource.js';
import {
  findServerCertificate,
  requireServerCertificate,
  SERVER_CERTIFICATE_KIND,
  serverCertificateArn,
  serverCertificateMetadata,
  type ServerCertificateRow,
} from './server-certificate-rows.js';
import { checkNewTags, deleteAllTags, listTags, putTags, requestTagKeys, type Tag } from '../../../identity/tags.js';

/** Server certificates (for load balancers, CloudFront): upload, get, list, rename/move, delete. */

/** IAM's default quota (reference_iam-quotas.md). */
export const MAX_SERVER_CERTIFICATES_PER_ACCOUNT = 20;

function alreadyExists(name: string): AwsError {
  return new AwsError('EntityAlreadyExists', `The Server Certificate with name ${name} already exists.`, 409);
}

interface UploadInput {
  ServerCertificateName: string;
  Path?: string;
  CertificateBody: string;
  PrivateKey: string;
  CertificateChain?: string;
  Tags?: Tag[];
}

export const UploadServerCertificate = operation({
  writes: true,
  authorize: (ctx, input: UploadInput) =>
    authzEntry('iam:UploadServerCertificate', serverCertificateArn(ctx.accountId, input.Path ?? '/', input.ServerCertificateName), requestTagKeys(input.Tags)),
  run: (ctx, input: UploadInput) => {
    const { store, accountId } = ctx;
    if (findServerCertificate(store, accountId, input.ServerCertificateName)) throw alreadyExists(input.ServerCertificateName);
    if (input.Tags) checkNewTags(input.Tags);
    const parsed = parseCertificate(input.CertificateBody, ctx.now);
    checkKeyPair(parsed.cert, input.PrivateKey);
    if (input.CertificateChain !== undefined) checkChain(input.CertificateChain);
    const count = store.prepare<{ n: number }>('SELECT count(*) AS n FROM server_certificates WHERE account_id = ?').get(accountId)!.n;
    if (count >= MAX_SERVER_CERTIFICATES_PER_ACCOUNT) throw quotaExceeded('ServerCertificatesPerAccount', MAX_SERVER_CERTIFICATES_PER_ACCOUNT);
    const row: ServerCertificateRow = {
      account_id: accountId,
      server_certificate_id: newServerCertificateId(),
      server_certificate_name: input.ServerCertificateName,
      path: input.Path ?? '/',
      body: input.CertificateBody,
      chain: input.CertificateChain ?? null,
      expires_at: parsed.notAfter,
      uploaded_at: ctx.now,
    };
    insertRow(store, 'server_certificates', row);
    const out: Record<string, unknown> = { ServerCertificateMetadata: serverCertificateMetadata(row) };
    if (input.Tags?.length) {
      putTags(store, accountId, SERVER_CERTIFICATE_KIND, row.server_certificate_id, input.Tags);
      out.Tags = listTags(store, accountId, SERVER_CERTIFICATE_KIND, row.server_certificate_id);
    }
    return out;
  },
});

export const GetServerCertificate = operation({
  writes: false,
  authorize: serverCertificateRule('iam:GetServerCertificate'),
  run: (ctx, input: { ServerCertificateName: string }) => {
    const row = requireServerCertificate(ctx.store, ctx.accountId, input.ServerCertificateName);
    const cert: Record<string, unknown> = { ServerCertificateMetadata: serverCertificateMetadata(row), CertificateBody: row.body };
    if (row.chain !== null) cert.CertificateChain = row.chain;
    const tags = listTags(ctx.store, ctx.accountId, SERVER_CERTIFICATE_KIND, row.server_certificate_id);
    if (tags.length > 0) cert.Tags = tags;
    return { ServerCertificate: cert };
  },
});

export const ListServerCertificates = operation({
  writes: false,
  authorize: () => ({ action: 'iam:ListServerCertificates', resource: '*' }),
  run: (ctx, input: PageRequest & { PathPrefix?: string }) => {
    const prefix = input.PathPrefix ?? '/';
    const rows = ctx.store
      .prepare<ServerCertificateRow>('SELECT * FROM server_certificates WHERE account_id = ?')
      .all(ctx.accountId)
      .filter((c) => c.path.startsWith(prefix));
    const { items, more } = paginate(rows, input, (c) => c.server_certificate_name.toLowerCase());
    return { ServerCertificateMetadataList: items.map(serverCertificateMetadata), ...more };
  },
});

interface UpdateInput {
  ServerCertificateName: string;
  NewServerCertificateName?: string;
  NewPath?: string;
}

export const UpdateServerCertificate = operation({
  writes: true,
  // Renaming or moving needs permission on the certificate as it is and as it will be.
  authorize: (ctx, input: UpdateInput) => {
    const current = onServerCertificate(ctx, 'iam:UpdateServerCertificate', input.ServerCertificateName);
    const row = findServerCertificate(ctx.store, ctx.accountId, input.ServerCertificateName);
    const next = serverCertificateArn(ctx.accountId, input.NewPath ?? row?.path ?? '/', input.NewServerCertificateName ?? row?.server_certificate_name ?? input.ServerCertificateName);
    return next === current.resource ? current : [current, { action: 'iam:UpdateServerCertificate', resource: next }];
  },
  run: (ctx, input: UpdateInput) => {
    const row = requireServerCertificate(ctx.store, ctx.accountId, input.ServerCertificateName);
    const name = input.NewServerCertificateName ?? row.server_certificate_name;
    const other = findServerCertificate(ctx.store, ctx.accountId, name);
    if (other && other.server_certificate_id !== row.server_certificate_id) throw alreadyExists(name);
    ctx.store
      .prepare('UPDATE server_certificates SET server_certificate_name = ?, path = ? WHERE account_id = ? AND server_certificate_id = ?')
      .run(name, input.NewPath ?? row.path, ctx.accountId, row.server_certificate_id);
    return {};
  },
});

export const DeleteServerCertificate = operation({
  writes: true,
  authorize: serverCertificateRule('iam:DeleteServerCertificate'),
  run: (ctx, input: { ServerCertificateName: string }) => {
    const row = requireServerCertificate(ctx.store, ctx.accountId, input.ServerCertificateName);
    deleteAllTags(ctx.store, ctx.accountId, SERVER_CERTIFICATE_KIND, row.server_certificate_id);
    ctx.store.prepare('DELETE FROM server_certificates WHERE account_id = ? AND server_certificate_id = ?').run(ctx.accountId, row.server_certificate_id);
    return {};
  },
});
