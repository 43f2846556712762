import { AwsError } from '../../../protocol/errors.js';
import type { Handler } from '../../types.js';
import { checkChain, checkKeyPair, parseCertificate } from './certificate-format.js';
import { newServerCertificateId } from './credential-ids.js';
import { quotaExceeded } from '../../../identity/errors.js';
import { paginate, type PageRequest } from '../shared/paginate.js';
import {
  findServerCertificate,
  requireServerCertificate,
  SERVER_CERTIFICATE_KIND,
  serverCertificateMetadata,
  type ServerCertificateRow,
} from './server-certificate-rows.js';
import { checkNewTags, deleteAllTags, listTags, putTags, removeTags, type Tag } from '../../../identity/tags.js';

/** Server certificates (for load balancers, CloudFront): upload, get, list, rename/move, delete, tags. */

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

const uploadServerCertificate: Handler = (ctx, input: UploadInput) => {
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
  store
    .prepare(
      `INSERT INTO server_certificates (account_id, server_certificate_id, server_certificate_name, path, body, chain, expires_at, uploaded_at)
       VALUES (@account_id, @server_certificate_id, @server_certificate_name, @path, @body, @chain, @expires_at, @uploaded_at)`,
    )
    .run(row);
  const out: Record<string, unknown> = { ServerCertificateMetadata: serverCertificateMetadata(row) };
  if (input.Tags?.length) {
    putTags(store, accountId, SERVER_CERTIFICATE_KIND, row.server_certificate_id, input.Tags);
    out.Tags = listTags(store, accountId, SERVER_CERTIFICATE_KIND, row.server_certificate_id);
  }
  return out;
};

const getServerCertificate: Handler = (ctx, input: { ServerCertificateName: string }) => {
  const row = requireServerCertificate(ctx.store, ctx.accountId, input.ServerCertificateName);
  const cert: Record<string, unknown> = { ServerCertificateMetadata: serverCertificateMetadata(row), CertificateBody: row.body };
  if (row.chain !== null) cert.CertificateChain = row.chain;
  const tags = listTags(ctx.store, ctx.accountId, SERVER_CERTIFICATE_KIND, row.server_certificate_id);
  if (tags.length > 0) cert.Tags = tags;
  return { ServerCertificate: cert };
};

const listServerCertificates: Handler = (ctx, input: PageRequest & { PathPrefix?: string }) => {
  const prefix = input.PathPrefix ?? '/';
  const rows = ctx.store
    .prepare<ServerCertificateRow>('SELECT * FROM server_certificates WHERE account_id = ?')
    .all(ctx.accountId)
    .filter((c) => c.path.startsWith(prefix));
  const { items, more } = paginate(rows, input, (c) => c.server_certificate_name.toLowerCase());
  return { ServerCertificateMetadataList: items.map(serverCertificateMetadata), ...more };
};

const updateServerCertificate: Handler = (ctx, input: { ServerCertificateName: string; NewServerCertificateName?: string; NewPath?: string }) => {
  const row = requireServerCertificate(ctx.store, ctx.accountId, input.ServerCertificateName);
  const name = input.NewServerCertificateName ?? row.server_certificate_name;
  const other = findServerCertificate(ctx.store, ctx.accountId, name);
  if (other && other.server_certificate_id !== row.server_certificate_id) throw alreadyExists(name);
  ctx.store
    .prepare('UPDATE server_certificates SET server_certificate_name = ?, path = ? WHERE account_id = ? AND server_certificate_id = ?')
    .run(name, input.NewPath ?? row.path, ctx.accountId, row.server_certificate_id);
  return {};
};

const deleteServerCertificate: Handler = (ctx, input: { ServerCertificateName: string }) => {
  const row = requireServerCertificate(ctx.store, ctx.accountId, input.ServerCertificateName);
  deleteAllTags(ctx.store, ctx.accountId, SERVER_CERTIFICATE_KIND, row.server_certificate_id);
  ctx.store.prepare('DELETE FROM server_certificates WHERE account_id = ? AND server_certificate_id = ?').run(ctx.accountId, row.server_certificate_id);
  return {};
};

const tagServerCertificate: Handler = (ctx, input: { ServerCertificateName: string; Tags: Tag[] }) => {
  const row = requireServerCertificate(ctx.store, ctx.accountId, input.ServerCertificateName);
  putTags(ctx.store, ctx.accountId, SERVER_CERTIFICATE_KIND, row.server_certificate_id, input.Tags);
  return {};
};

const untagServerCertificate: Handler = (ctx, input: { ServerCertificateName: string; TagKeys: string[] }) => {
  const row = requireServerCertificate(ctx.store, ctx.accountId, input.ServerCertificateName);
  removeTags(ctx.store, ctx.accountId, SERVER_CERTIFICATE_KIND, row.server_certificate_id, input.TagKeys);
  return {};
};

const listServerCertificateTags: Handler = (ctx, input: PageRequest & { ServerCertificateName: string }) => {
  const row = requireServerCertificate(ctx.store, ctx.accountId, input.ServerCertificateName);
  const { items, more } = paginate(listTags(ctx.store, ctx.accountId, SERVER_CERTIFICATE_KIND, row.server_certificate_id), input);
  return { Tags: items, ...more };
};

export const serverCertificateHandlers: Record<string, Handler> = {
  UploadServerCertificate: uploadServerCertificate,
  GetServerCertificate: getServerCertificate,
  ListServerCertificates: listServerCertificates,
  UpdateServerCertificate: updateServerCertificate,
  DeleteServerCertificate: deleteServerCertificate,
  TagServerCertificate: tagServerCertificate,
  UntagServerCertificate: untagServerCertificate,
  ListServerCertificateTags: listServerCertificateTags,
};
