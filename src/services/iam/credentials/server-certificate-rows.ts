import type { Store } from '../../../store/store.js';
import { noSuchEntity } from '../../../identity/errors.js';

/** Server certificates as stored (the private key is checked at upload, never kept). */
export interface ServerCertificateRow {
  account_id: string;
  server_certificate_id: string;
  server_certificate_name: string;
  path: string;
  body: string;
  chain: string | null;
  expires_at: number;
  uploaded_at: number;
}

/** The tags table's resource_kind for server certificates. */
export const SERVER_CERTIFICATE_KIND = 'server-certificate';

export function serverCertificateArn(accountId: string, path: string, name: string): string {
  return `arn:aws:iam::${accountId}:server-certificate${path}${name}`;
}

export function findServerCertificate(store: Store, accountId: string, name: string): ServerCertificateRow | undefined {
  return store.prepare<ServerCertificateRow>('SELECT * FROM server_certificates WHERE account_id = ? AND server_certificate_name = ?').get(accountId, name);
}

export function requireServerCertificate(store: Store, accountId: string, name: string): ServerCertificateRow {
  const row = findServerCertificate(store, accountId, name);
  if (!row) throw noSuchEntity(`The Server Certificate with name ${name} cannot be found.`);
  return row;
}

export function serverCertificateMetadata(row: ServerCertificateRow): Record<string, unknown> {
  return {
    Path: row.path,
    ServerCertificateName: row.server_certificate_name,
    ServerCertificateId: row.server_certificate_id,
    Arn: serverCertificateArn(row.account_id, row.path, row.server_certificate_name),
    UploadDate: new Date(row.uploaded_at),
    Expiration: new Date(row.expires_at),
  };
}
