import type { AuthzEntry, AuthzRule, RequestContext } from '../../types.js';
import { targetResource } from '../users/caller.js';
import { findServerCertificate, SERVER_CERTIFICATE_KIND, serverCertificateArn } from './server-certificate-rows.js';
import { requestTagKeys, resourceTagKeys, tagRecord, type Tag } from '../../../identity/tags.js';
import { USER_KIND } from '../../../identity/users.js';

/**
 * What the user-credential operations ask the policy engine (Service Authorization
 * Reference): SSH keys, signing certificates and service-specific credentials act on the
 * user (the caller when UserName is omitted), with its tags as aws:/iam:ResourceTag;
 * server certificates act on arn:aws:iam::A:server-certificate/PATH/NAME, with their tags;
 * ListServerCertificates on "*".
 */

type Context = Record<string, string | string[]>;

function entry(action: string, resource: string, context: Context): AuthzEntry {
  return Object.keys(context).length > 0 ? { action, resource, context } : { action, resource };
}

function onUser(ctx: RequestContext, action: string, userName: string | undefined, extra: Context = {}): AuthzEntry {
  const target = targetResource(ctx, userName);
  const tags = target.row ? resourceTagKeys(tagRecord(ctx.store, target.row.account_id, USER_KIND, target.row.user_id)) : {};
  return entry(action, target.arn, { ...tags, ...extra });
}

const user =
  (action: string): AuthzRule =>
  (ctx, input: { UserName?: string }) =>
    onUser(ctx, action, input.UserName);

/** An existing certificate checks as it is (ARN with its path, its tags); a missing one by name at "/". */
function onServerCertificate(ctx: RequestContext, action: string, name: string, extra: Context = {}): AuthzEntry {
  const row = findServerCertificate(ctx.store, ctx.accountId, name);
  if (!row) return entry(action, serverCertificateArn(ctx.accountId, '/', name), extra);
  const tags = resourceTagKeys(tagRecord(ctx.store, ctx.accountId, SERVER_CERTIFICATE_KIND, row.server_certificate_id));
  return entry(action, serverCertificateArn(ctx.accountId, row.path, row.server_certificate_name), { ...tags, ...extra });
}

const serverCertificate =
  (action: string): AuthzRule =>
  (ctx, input: { ServerCertificateName: string }) =>
    onServerCertificate(ctx, action, input.ServerCertificateName);

export const credentialAuthz: Record<string, AuthzRule> = {
  UploadSSHPublicKey: user('iam:UploadSSHPublicKey'),
  GetSSHPublicKey: user('iam:GetSSHPublicKey'),
  ListSSHPublicKeys: user('iam:ListSSHPublicKeys'),
  UpdateSSHPublicKey: user('iam:UpdateSSHPublicKey'),
  DeleteSSHPublicKey: user('iam:DeleteSSHPublicKey'),

  UploadSigningCertificate: user('iam:UploadSigningCertificate'),
  ListSigningCertificates: user('iam:ListSigningCertificates'),
  UpdateSigningCertificate: user('iam:UpdateSigningCertificate'),
  DeleteSigningCertificate: user('iam:DeleteSigningCertificate'),

  CreateServiceSpecificCredential: (ctx, input: { UserName: string; ServiceName: string; CredentialAgeDays?: number }) => {
    const extra: Context = { 'iam:ServiceSpecificCredentialServiceName': input.ServiceName };
    if (input.CredentialAgeDays !== undefined) extra['iam:ServiceSpecificCredentialAgeDays'] = String(input.CredentialAgeDays);
    return onUser(ctx, 'iam:CreateServiceSpecificCredential', input.UserName, extra);
  },
  ListServiceSpecificCredentials: user('iam:ListServiceSpecificCredentials'),
  ResetServiceSpecificCredential: user('iam:ResetServiceSpecificCredential'),
  UpdateServiceSpecificCredential: user('iam:UpdateServiceSpecificCredential'),
  DeleteServiceSpecificCredential: user('iam:DeleteServiceSpecificCredential'),

  UploadServerCertificate: (ctx, input: { ServerCertificateName: string; Path?: string; Tags?: Tag[] }) =>
    entry('iam:UploadServerCertificate', serverCertificateArn(ctx.accountId, input.Path ?? '/', input.ServerCertificateName), requestTagKeys(input.Tags)),
  GetServerCertificate: serverCertificate('iam:GetServerCertificate'),
  ListServerCertificates: () => ({ action: 'iam:ListServerCertificates', resource: '*' }),
  // Renaming or moving needs permission on the certificate as it is and as it will be.
  UpdateServerCertificate: (ctx, input: { ServerCertificateName: string; NewServerCertificateName?: string; NewPath?: string }) => {
    const current = onServerCertificate(ctx, 'iam:UpdateServerCertificate', input.ServerCertificateName);
    const row = findServerCertificate(ctx.store, ctx.accountId, input.ServerCertificateName);
    const next = serverCertificateArn(ctx.accountId, input.NewPath ?? row?.path ?? '/', input.NewServerCertificateName ?? row?.server_certificate_name ?? input.ServerCertificateName);
    return next === current.resource ? current : [current, { action: 'iam:UpdateServerCertificate', resource: next }];
  },
  DeleteServerCertificate: serverCertificate('iam:DeleteServerCertificate'),
  TagServerCertificate: (ctx, input: { ServerCertificateName: string; Tags: Tag[] }) =>
    onServerCertificate(ctx, 'iam:TagServerCertificate', input.ServerCertificateName, requestTagKeys(input.Tags)),
  UntagServerCertificate: (ctx, input: { ServerCertificateName: string; TagKeys: string[] }) =>
    onServerCertificate(ctx, 'iam:UntagServerCertificate', input.ServerCertificateName, { 'aws:TagKeys': input.TagKeys }),
  ListServerCertificateTags: serverCertificate('iam:ListServerCertificateTags'),
};
