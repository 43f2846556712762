import { AwsError } from '../../../protocol/errors.js';
import { operation } from '../../operation.js';
import { insertRow } from '../shared/insert-row.js';
import type { RequestContext } from '../../types.js';
import { targetOf, type Target } from '../users/caller.js';
import { credentialOwnerRule } from './credential-owner.js';
import { parseCertificate } from './certificate-format.js';
import { newSigningCertificateId } from './credential-ids.js';
import { credentialDeletion, credentialStatusUpdate } from '../shared/credential-status.js';
import { noSuchEntity, quotaExceeded } from '../../../identity/errors.js';
import { paginate, type PageRequest } from '../shared/paginate.js';

/**
 * X.509 signing certificates of IAM users and of the root user (UserName omitted by a
 * root caller): upload, list, status, delete.
 */

/** IAM's fixed quota (reference_iam-quotas.md). */
export const MAX_SIGNING_CERTIFICATES_PER_USER = 2;

export interface SigningCertificateRow {
  account_id: string;
  certificate_id: string;
  user_id: string | null;
  body: string;
  fingerprint: string;
  status: 'Active' | 'Inactive';
  uploaded_at: number;
}

function certificatesOf(ctx: RequestContext, target: Target): SigningCertificateRow[] {
  const sql = 'SELECT * FROM signing_certificates WHERE account_id = ? AND user_id IS ? ORDER BY uploaded_at, certificate_id';
  return ctx.store.prepare<SigningCertificateRow>(sql).all(ctx.accountId, target.kind === 'user' ? target.row.user_id : null);
}

function certificateOf(ctx: RequestContext, target: Target, id: string): SigningCertificateRow {
  const cert = certificatesOf(ctx, target).find((c) => c.certificate_id === id);
  if (!cert) throw noSuchEntity(`The Certificate with id ${id} cannot be found.`);
  return cert;
}

/** The name IAM shows as a certificate's UserName: the user's, or the account id for the root user. */
function ownerName(target: Target): string {
  return target.kind === 'user' ? target.row.user_name : target.accountId;
}

function certificateShape(target: Target, c: SigningCertificateRow): Record<string, unknown> {
  return { UserName: ownerName(target), CertificateId: c.certificate_id, CertificateBody: c.body, Status: c.status, UploadDate: new Date(c.uploaded_at) };
}

export const UploadSigningCertificate = operation({
  writes: true,
  authorize: credentialOwnerRule('iam:UploadSigningCertificate'),
  run: (ctx, input: { UserName?: string; CertificateBody: string }) => {
    const target = targetOf(ctx, input.UserName);
    const parsed = parseCertificate(input.CertificateBody, ctx.now);
    const duplicate = ctx.store
      .prepare('SELECT 1 AS found FROM signing_certificates WHERE account_id = ? AND fingerprint = ?')
      .get(ctx.accountId, parsed.fingerprint);
    if (duplicate) throw new AwsError('DuplicateCertificate', 'The same certificate is associated with an IAM user in the account.', 409);
    if (certificatesOf(ctx, target).length >= MAX_SIGNING_CERTIFICATES_PER_USER) {
      throw quotaExceeded('SigningCertificatesPerUser', MAX_SIGNING_CERTIFICATES_PER_USER);
    }
    const row: SigningCertificateRow = {
      account_id: ctx.accountId,
      certificate_id: newSigningCertificateId(),
      user_id: target.kind === 'user' ? target.row.user_id : null,
      body: input.CertificateBody,
      fingerprint: parsed.fingerprint,
      status: 'Active',
      uploaded_at: ctx.now,
    };
    insertRow(ctx.store, 'signing_certificates', row);
    return { Certificate: certificateShape(target, row) };
  },
});

export const ListSigningCertificates = operation({
  writes: false,
  authorize: credentialOwnerRule('iam:ListSigningCertificates'),
  run: (ctx, input: PageRequest & { UserName?: string }) => {
    const target = targetOf(ctx, input.UserName);
    const { items, more } = paginate(certificatesOf(ctx, target), input);
    return { Certificates: items.map((c) => certificateShape(target, c)), ...more };
  },
});

/** The certificate a request names, as its owner's. */
const namedCertificate = (ctx: RequestContext, input: { UserName?: string; CertificateId: string }) =>
  certificateOf(ctx, targetOf(ctx, input.UserName), input.CertificateId).certificate_id;

export const UpdateSigningCertificate = credentialStatusUpdate('signing_certificates', credentialOwnerRule('iam:UpdateSigningCertificate'), namedCertificate);

export const DeleteSigningCertificate = credentialDeletion('signing_certificates', credentialOwnerRule('iam:DeleteSigningCertificate'), namedCertificate);
