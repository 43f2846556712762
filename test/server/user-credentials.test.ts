import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  IAMClient, CreateUserCommand, CreateAccessKeyCommand, PutUserPolicyCommand,
  UploadSSHPublicKeyCommand, GetSSHPublicKeyCommand, ListSSHPublicKeysCommand, UpdateSSHPublicKeyCommand, DeleteSSHPublicKeyCommand,
  UploadSigningCertificateCommand, ListSigningCertificatesCommand, DeleteSigningCertificateCommand,
  CreateServiceSpecificCredentialCommand, ListServiceSpecificCredentialsCommand, ResetServiceSpecificCredentialCommand,
  UploadServerCertificateCommand, GetServerCertificateCommand, ListServerCertificatesCommand, UpdateServerCertificateCommand,
  DeleteServerCertificateCommand, ListServerCertificateTagsCommand,
} from '@aws-sdk/client-iam';
import { startTestServer, clientConfig, type TestServer } from '../helpers/server.js';
import { doc, rejects } from '../helpers/aws.js';
import { fixture, sshRsaKey } from '../services/credential-fixtures.js';

let server: TestServer;
let iam: IAMClient;

before(async () => {
  server = await startTestServer();
  iam = new IAMClient(clientConfig(server));
});
after(async () => server.stop());

/** A user whose only permission is `statements`, and an IAM client signed with its key. */
async function clientFor(userName: string, statements: unknown[]): Promise<IAMClient> {
  await iam.send(new CreateUserCommand({ UserName: userName }));
  await iam.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: 'p', PolicyDocument: doc(statements) }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
  return new IAMClient(clientConfig(server, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }));
}

describe('SSH public keys over HTTP', () => {
  test('a user manages its own keys under ${aws:username}; not another user\'s', async () => {
    const own = await clientFor('coder', [
      { Effect: 'Allow', Action: ['iam:*SSHPublicKey*'], Resource: 'arn:aws:iam::*:user/${aws:username}' },
    ]);
    await iam.send(new CreateUserCommand({ UserName: 'bystander' }));
    const key = sshRsaKey();
    const { SSHPublicKey } = await own.send(new UploadSSHPublicKeyCommand({ UserName: 'coder', SSHPublicKeyBody: key.openssh }));
    assert.equal(SSHPublicKey?.Fingerprint, key.md5);
    assert.ok(SSHPublicKey?.UploadDate instanceof Date);
    const pem = await own.send(new GetSSHPublicKeyCommand({ UserName: 'coder', SSHPublicKeyId: SSHPublicKey!.SSHPublicKeyId, Encoding: 'PEM' }));
    assert.equal(pem.SSHPublicKey?.SSHPublicKeyBody, key.pem);
    await own.send(new UpdateSSHPublicKeyCommand({ UserName: 'coder', SSHPublicKeyId: SSHPublicKey!.SSHPublicKeyId, Status: 'Inactive' }));
    const listed = await own.send(new ListSSHPublicKeysCommand({}));
    assert.deepEqual(listed.SSHPublicKeys?.map((k) => k.Status), ['Inactive']);
    await rejects(own.send(new UploadSSHPublicKeyCommand({ UserName: 'bystander', SSHPublicKeyBody: sshRsaKey().openssh })), 'AccessDenied', /iam:UploadSSHPublicKey/, 403);
    await own.send(new DeleteSSHPublicKeyCommand({ UserName: 'coder', SSHPublicKeyId: SSHPublicKey!.SSHPublicKeyId }));
    await rejects(iam.send(new UploadSSHPublicKeyCommand({ UserName: 'coder', SSHPublicKeyBody: 'ssh-rsa AAAA' })), 'InvalidPublicKey', undefined, 400);
  });
});

describe('signing certificates and service-specific credentials over HTTP', () => {
  test('signing certificate upload, list and delete; duplicate is DuplicateCertificate', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'signer' }));
    const { Certificate } = await iam.send(new UploadSigningCertificateCommand({ UserName: 'signer', CertificateBody: fixture('server-b.cert.pem') }));
    assert.equal(Certificate?.Status, 'Active');
    await rejects(iam.send(new UploadSigningCertificateCommand({ UserName: 'signer', CertificateBody: fixture('server-b.cert.pem') })), 'DuplicateCertificate', undefined, 409);
    const { Certificates } = await iam.send(new ListSigningCertificatesCommand({ UserName: 'signer' }));
    assert.deepEqual(Certificates?.map((c) => c.CertificateId), [Certificate?.CertificateId]);
    await iam.send(new DeleteSigningCertificateCommand({ UserName: 'signer', CertificateId: Certificate!.CertificateId }));
  });

  test('CodeCommit credentials: create, list without the password, reset; unknown service is NotSupportedService', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'gitter' }));
    const { ServiceSpecificCredential: c } = await iam.send(new CreateServiceSpecificCredentialCommand({ UserName: 'gitter', ServiceName: 'codecommit.amazonaws.com' }));
    assert.equal(c?.ServiceUserName, 'gitter-at-000000000000');
    assert.ok(c?.ServicePassword);
    const listed = await iam.send(new ListServiceSpecificCredentialsCommand({ UserName: 'gitter' }));
    assert.equal(listed.ServiceSpecificCredentials?.length, 1);
    const reset = await iam.send(new ResetServiceSpecificCredentialCommand({ UserName: 'gitter', ServiceSpecificCredentialId: c!.ServiceSpecificCredentialId }));
    assert.notEqual(reset.ServiceSpecificCredential?.ServicePassword, c?.ServicePassword);
    await rejects(iam.send(new CreateServiceSpecificCredentialCommand({ UserName: 'gitter', ServiceName: 'ec2.amazonaws.com' })), 'ServiceNotSupported', undefined, 404);
  });
});

describe('server certificates over HTTP', () => {
  test('upload with tags, get, list by path, rename, delete', async () => {
    const up = await iam.send(new UploadServerCertificateCommand({
      ServerCertificateName: 'edge',
      Path: '/cloudfront/',
      CertificateBody: fixture('server-a.cert.pem'),
      PrivateKey: fixture('server-a.key.pem'),
      Tags: [{ Key: 'env', Value: 'test' }],
    }));
    const m = up.ServerCertificateMetadata!;
    assert.equal(m.Arn, 'arn:aws:iam::000000000000:server-certificate/cloudfront/edge');
    assert.ok(m.Expiration instanceof Date && m.Expiration.getTime() > Date.now());
    const got = await iam.send(new GetServerCertificateCommand({ ServerCertificateName: 'edge' }));
    assert.equal(got.ServerCertificate?.CertificateBody, fixture('server-a.cert.pem'));
    assert.deepEqual(got.ServerCertificate?.Tags, [{ Key: 'env', Value: 'test' }]);
    const list = await iam.send(new ListServerCertificatesCommand({ PathPrefix: '/cloudfront/' }));
    assert.deepEqual(list.ServerCertificateMetadataList?.map((c) => c.ServerCertificateName), ['edge']);
    await rejects(iam.send(new UploadServerCertificateCommand({
      ServerCertificateName: 'mismatch', CertificateBody: fixture('server-a.cert.pem'), PrivateKey: fixture('server-b.key.pem'),
    })), 'KeyPairMismatch', undefined, 400);
    await iam.send(new UpdateServerCertificateCommand({ ServerCertificateName: 'edge', NewServerCertificateName: 'edge2' }));
    const tags = await iam.send(new ListServerCertificateTagsCommand({ ServerCertificateName: 'edge2' }));
    assert.deepEqual(tags.Tags, [{ Key: 'env', Value: 'test' }]);
    await iam.send(new DeleteServerCertificateCommand({ ServerCertificateName: 'edge2' }));
    await rejects(iam.send(new GetServerCertificateCommand({ ServerCertificateName: 'edge2' })), 'NoSuchEntity', 'The Server Certificate with name edge2 cannot be found.', 404);
  });
});
