import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT, asRoot, call, contextFor, openTestStore, throwsAws, userWithKey } from './context.js';
import { iamService } from '../../src/services/iam/index.js';
import { fixture, sshRsaKey } from './credential-fixtures.js';
import type { Store } from '../../src/store/store.js';

let t: ReturnType<typeof openTestStore>;
let store: Store;
beforeEach(() => {
  t = openTestStore();
  store = t.store;
});
afterEach(() => t.dispose());

const root = (now?: number) => asRoot(store, now);

describe('SSH public keys', () => {
  test('UploadSSHPublicKey returns an APKA id, the MD5 fingerprint of the key, Active', () => {
    call(root(), 'CreateUser', { UserName: 'dev' });
    const key = sshRsaKey();
    const now = Date.UTC(2026, 1, 2, 3, 4, 5);
    const { SSHPublicKey } = call(root(now), 'UploadSSHPublicKey', { UserName: 'dev', SSHPublicKeyBody: key.openssh });
    assert.match(SSHPublicKey.SSHPublicKeyId, /^APKA[A-Z2-7]{16}$/);
    assert.equal(SSHPublicKey.Fingerprint, key.md5);
    assert.equal(SSHPublicKey.Status, 'Active');
    assert.equal(SSHPublicKey.UserName, 'dev');
    assert.deepEqual(SSHPublicKey.UploadDate, new Date(now));
  });

  test('a PEM upload has the same fingerprint; Get returns SSH or PEM encodings of one key', () => {
    call(root(), 'CreateUser', { UserName: 'dev' });
    const key = sshRsaKey();
    const { SSHPublicKey } = call(root(), 'UploadSSHPublicKey', { UserName: 'dev', SSHPublicKeyBody: key.pem });
    assert.equal(SSHPublicKey.Fingerprint, key.md5);
    const ssh = call(root(), 'GetSSHPublicKey', { UserName: 'dev', SSHPublicKeyId: SSHPublicKey.SSHPublicKeyId, Encoding: 'SSH' }).SSHPublicKey;
    assert.equal(ssh.SSHPublicKeyBody, key.openssh.replace(/ me@laptop$/, ''));
    const pem = call(root(), 'GetSSHPublicKey', { UserName: 'dev', SSHPublicKeyId: SSHPublicKey.SSHPublicKeyId, Encoding: 'PEM' }).SSHPublicKey;
    assert.equal(pem.SSHPublicKeyBody, key.pem);
  });

  test('malformed, short and unknown-format keys are refused in IAM words', () => {
    call(root(), 'CreateUser', { UserName: 'dev' });
    const upload = (body: string) => () => call(root(), 'UploadSSHPublicKey', { UserName: 'dev', SSHPublicKeyBody: body });
    throwsAws(upload('ssh-rsa AAAAB3NzaC1yc2EAAAAD'), 'InvalidPublicKey', 400);
    throwsAws(upload(sshRsaKey(1024).openssh), 'InvalidPublicKey', 400);
    throwsAws(upload('ssh-dss AAAAB3NzaC1kc3MAAACBAP'), 'UnrecognizedPublicKeyEncoding', 400);
    throwsAws(upload('not a key'), 'UnrecognizedPublicKeyEncoding', 400);
  });

  test('the same key twice is DuplicateSSHPublicKey; a sixth key exceeds the quota of 5', () => {
    call(root(), 'CreateUser', { UserName: 'dev' });
    const first = sshRsaKey();
    call(root(), 'UploadSSHPublicKey', { UserName: 'dev', SSHPublicKeyBody: first.openssh });
    throwsAws(() => call(root(), 'UploadSSHPublicKey', { UserName: 'dev', SSHPublicKeyBody: first.pem }), 'DuplicateSSHPublicKey', 400);
    for (let i = 0; i < 4; i++) call(root(), 'UploadSSHPublicKey', { UserName: 'dev', SSHPublicKeyBody: sshRsaKey().openssh });
    throwsAws(
      () => call(root(), 'UploadSSHPublicKey', { UserName: 'dev', SSHPublicKeyBody: sshRsaKey().openssh }),
      'LimitExceeded',
      409,
      'Cannot exceed quota for SSHPublicKeysPerUser: 5',
    );
  });

  test('List, Update (Inactive), Delete; another user cannot reach the key; DeleteUser waits for keys', () => {
    call(root(), 'CreateUser', { UserName: 'dev' });
    call(root(), 'CreateUser', { UserName: 'other' });
    const { SSHPublicKey } = call(root(), 'UploadSSHPublicKey', { UserName: 'dev', SSHPublicKeyBody: sshRsaKey().openssh });
    const id = SSHPublicKey.SSHPublicKeyId;
    call(root(), 'UpdateSSHPublicKey', { UserName: 'dev', SSHPublicKeyId: id, Status: 'Inactive' });
    const listed = call(root(), 'ListSSHPublicKeys', { UserName: 'dev' });
    assert.deepEqual(listed.SSHPublicKeys.map((k: any) => [k.SSHPublicKeyId, k.Status, k.UserName]), [[id, 'Inactive', 'dev']]);
    assert.equal(listed.IsTruncated, false);
    throwsAws(() => call(root(), 'DeleteSSHPublicKey', { UserName: 'other', SSHPublicKeyId: id }), 'NoSuchEntity', 404, `The Public Key with id ${id} cannot be found.`);
    throwsAws(() => call(root(), 'DeleteUser', { UserName: 'dev' }), 'DeleteConflict', 409, 'Cannot delete entity, must remove referenced objects first.');
    call(root(), 'DeleteSSHPublicKey', { UserName: 'dev', SSHPublicKeyId: id });
    assert.deepEqual(call(root(), 'ListSSHPublicKeys', { UserName: 'dev' }).SSHPublicKeys, []);
    call(root(), 'DeleteUser', { UserName: 'dev' });
  });

  test('a user lists its own keys without naming itself', () => {
    const { principal } = userWithKey(store, 'self');
    call(root(), 'UploadSSHPublicKey', { UserName: 'self', SSHPublicKeyBody: sshRsaKey().openssh });
    assert.equal(call(contextFor(store, principal), 'ListSSHPublicKeys', {}).SSHPublicKeys.length, 1);
  });
});

describe('signing certificates', () => {
  test('Upload returns a 28-character id and the body; List, Update, Delete', () => {
    call(root(), 'CreateUser', { UserName: 'signer' });
    const body = fixture('server-a.cert.pem');
    const { Certificate } = call(root(), 'UploadSigningCertificate', { UserName: 'signer', CertificateBody: body });
    assert.match(Certificate.CertificateId, /^[A-Z2-7]{28}$/);
    assert.equal(Certificate.CertificateBody, body);
    assert.equal(Certificate.Status, 'Active');
    call(root(), 'UpdateSigningCertificate', { UserName: 'signer', CertificateId: Certificate.CertificateId, Status: 'Inactive' });
    const { Certificates } = call(root(), 'ListSigningCertificates', { UserName: 'signer' });
    assert.deepEqual(Certificates.map((c: any) => [c.CertificateId, c.Status, c.UserName]), [[Certificate.CertificateId, 'Inactive', 'signer']]);
    throwsAws(() => call(root(), 'DeleteUser', { UserName: 'signer' }), 'DeleteConflict', 409, 'Cannot delete entity, must delete certificates first.');
    call(root(), 'DeleteSigningCertificate', { UserName: 'signer', CertificateId: Certificate.CertificateId });
    throwsAws(
      () => call(root(), 'DeleteSigningCertificate', { UserName: 'signer', CertificateId: Certificate.CertificateId }),
      'NoSuchEntity',
      404,
      `The Certificate with id ${Certificate.CertificateId} cannot be found.`,
    );
  });

  test('malformed and expired certificates, duplicates in the account, and the quota of 2', () => {
    call(root(), 'CreateUser', { UserName: 'a' });
    call(root(), 'CreateUser', { UserName: 'b' });
    throwsAws(() => call(root(), 'UploadSigningCertificate', { UserName: 'a', CertificateBody: 'garbage' }), 'MalformedCertificate', 400);
    const farFuture = Date.UTC(2200, 0, 1);
    throwsAws(() => call(root(farFuture), 'UploadSigningCertificate', { UserName: 'a', CertificateBody: fixture('server-a.cert.pem') }), 'MalformedCertificate', 400);
    call(root(), 'UploadSigningCertificate', { UserName: 'a', CertificateBody: fixture('server-a.cert.pem') });
    throwsAws(() => call(root(), 'UploadSigningCertificate', { UserName: 'b', CertificateBody: fixture('server-a.cert.pem') }), 'DuplicateCertificate', 409);
    call(root(), 'UploadSigningCertificate', { UserName: 'a', CertificateBody: fixture('server-b.cert.pem') });
    throwsAws(
      () => call(root(), 'UploadSigningCertificate', { UserName: 'a', CertificateBody: fixture('chain.cert.pem') }),
      'LimitExceeded',
      409,
      'Cannot exceed quota for CertificatesPerUser: 2',
    );
  });

  test('the root user has its own certificates, shown under the account id', () => {
    call(root(), 'CreateUser', { UserName: 'a' });
    const { Certificate } = call(root(), 'UploadSigningCertificate', { CertificateBody: fixture('server-a.cert.pem') });
    assert.equal(Certificate.UserName, ACCOUNT);
    assert.equal(call(root(), 'ListSigningCertificates', {}).Certificates.length, 1);
    assert.equal(call(root(), 'ListSigningCertificates', { UserName: 'a' }).Certificates.length, 0);
  });
});

describe('service-specific credentials', () => {
  test('CodeCommit: NAME-at-ACCOUNT with a password shown only at Create and Reset', () => {
    call(root(), 'CreateUser', { UserName: 'git' });
    const { ServiceSpecificCredential: c } = call(root(), 'CreateServiceSpecificCredential', { UserName: 'git', ServiceName: 'codecommit.amazonaws.com' });
    assert.match(c.ServiceSpecificCredentialId, /^ACCA[A-Z2-7]{17}$/);
    assert.equal(c.ServiceUserName, `git-at-${ACCOUNT}`);
    assert.equal(c.Status, 'Active');
    assert.ok(typeof c.ServicePassword === 'string' && c.ServicePassword.length >= 40);
    const listed = call(root(), 'ListServiceSpecificCredentials', { UserName: 'git' }).ServiceSpecificCredentials;
    assert.equal(listed.length, 1);
    assert.equal(listed[0].ServicePassword, undefined);
    assert.equal(listed[0].ServiceUserName, `git-at-${ACCOUNT}`);
    const reset = call(root(), 'ResetServiceSpecificCredential', { UserName: 'git', ServiceSpecificCredentialId: c.ServiceSpecificCredentialId });
    assert.notEqual(reset.ServiceSpecificCredential.ServicePassword, c.ServicePassword);
    assert.equal(reset.ServiceSpecificCredential.ServiceSpecificCredentialId, c.ServiceSpecificCredentialId);
  });

  test('unsupported services, the quota of 2 per service, filters, Update and Delete', () => {
    call(root(), 'CreateUser', { UserName: 'git' });
    throwsAws(() => call(root(), 'CreateServiceSpecificCredential', { UserName: 'git', ServiceName: 's3.amazonaws.com' }), 'NotSupportedService', 404);
    const create = (service: string) => call(root(), 'CreateServiceSpecificCredential', { UserName: 'git', ServiceName: service }).ServiceSpecificCredential;
    const first = create('codecommit.amazonaws.com');
    create('codecommit.amazonaws.com');
    throwsAws(() => create('codecommit.amazonaws.com'), 'LimitExceeded', 409, 'Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: 2');
    create('cassandra.amazonaws.com');
    const forKeyspaces = call(root(), 'ListServiceSpecificCredentials', { UserName: 'git', ServiceName: 'cassandra.amazonaws.com' }).ServiceSpecificCredentials;
    assert.deepEqual(forKeyspaces.map((c: any) => c.ServiceName), ['cassandra.amazonaws.com']);
    call(root(), 'UpdateServiceSpecificCredential', { UserName: 'git', ServiceSpecificCredentialId: first.ServiceSpecificCredentialId, Status: 'Inactive' });
    const all = call(root(), 'ListServiceSpecificCredentials', { UserName: 'git' }).ServiceSpecificCredentials;
    assert.equal(all.find((c: any) => c.ServiceSpecificCredentialId === first.ServiceSpecificCredentialId).Status, 'Inactive');
    throwsAws(() => call(root(), 'DeleteUser', { UserName: 'git' }), 'DeleteConflict', 409, 'Cannot delete entity, must remove referenced objects first.');
    for (const c of all) call(root(), 'DeleteServiceSpecificCredential', { UserName: 'git', ServiceSpecificCredentialId: c.ServiceSpecificCredentialId });
    throwsAws(
      () => call(root(), 'DeleteServiceSpecificCredential', { UserName: 'git', ServiceSpecificCredentialId: first.ServiceSpecificCredentialId }),
      'NoSuchEntity',
      404,
    );
    call(root(), 'DeleteUser', { UserName: 'git' });
  });

  test('Bedrock API keys: alias and secret, expiring after CredentialAgeDays; AllUsers lists every user', () => {
    call(root(), 'CreateUser', { UserName: 'a' });
    call(root(), 'CreateUser', { UserName: 'b' });
    const now = Date.UTC(2026, 0, 1);
    const { ServiceSpecificCredential: k } = call(root(now), 'CreateServiceSpecificCredential', { UserName: 'a', ServiceName: 'bedrock.amazonaws.com', CredentialAgeDays: 30 });
    assert.match(k.ServiceCredentialAlias, new RegExp(`^a\\+[0-9a-f]+-at-${ACCOUNT}$`));
    assert.ok(k.ServiceCredentialSecret);
    assert.equal(k.ServicePassword, undefined);
    assert.deepEqual(k.ExpirationDate, new Date(now + 30 * 86_400_000));
    call(root(), 'CreateServiceSpecificCredential', { UserName: 'b', ServiceName: 'bedrock.amazonaws.com' });
    throwsAws(() => call(root(), 'CreateServiceSpecificCredential', { UserName: 'b', ServiceName: 'codecommit.amazonaws.com', CredentialAgeDays: 3 }), 'InvalidInput', 400);
    const every = call(root(), 'ListServiceSpecificCredentials', { AllUsers: true, ServiceName: 'bedrock.amazonaws.com' }).ServiceSpecificCredentials;
    assert.deepEqual(every.map((c: any) => c.UserName).sort(), ['a', 'b']);
  });
});

describe('server certificates', () => {
  const upload = (name: string, extra: Record<string, unknown> = {}, now?: number) =>
    call(root(now), 'UploadServerCertificate', {
      ServerCertificateName: name,
      CertificateBody: fixture('server-a.cert.pem'),
      PrivateKey: fixture('server-a.key.pem'),
      ...extra,
    });

  test('Upload returns metadata with an ASCA id, the ARN with its path, the expiration, and tags', () => {
    const now = Date.UTC(2026, 5, 1);
    const out = upload('web', { Path: '/cloudfront/', Tags: [{ Key: 'env', Value: 'prod' }], CertificateChain: fixture('chain.cert.pem') }, now);
    const m = out.ServerCertificateMetadata;
    assert.match(m.ServerCertificateId, /^ASCA[A-Z2-7]{17}$/);
    assert.equal(m.Arn, `arn:aws:iam::${ACCOUNT}:server-certificate/cloudfront/web`);
    assert.deepEqual(m.UploadDate, new Date(now));
    assert.ok(m.Expiration instanceof Date && m.Expiration.getTime() > now);
    assert.deepEqual(out.Tags, [{ Key: 'env', Value: 'prod' }]);
    const got = call(root(), 'GetServerCertificate', { ServerCertificateName: 'WEB' }).ServerCertificate;
    assert.equal(got.CertificateBody, fixture('server-a.cert.pem'));
    assert.equal(got.CertificateChain, fixture('chain.cert.pem'));
    assert.deepEqual(got.Tags, [{ Key: 'env', Value: 'prod' }]);
    assert.equal(got.PrivateKey, undefined);
  });

  test('a private key of another certificate is KeyPairMismatch; bad bodies are MalformedCertificate', () => {
    throwsAws(() => upload('web', { PrivateKey: fixture('server-b.key.pem') }), 'KeyPairMismatch', 400);
    throwsAws(() => upload('web', { CertificateBody: 'nope' }), 'MalformedCertificate', 400);
    throwsAws(() => upload('web', {}, Date.UTC(2200, 0, 1)), 'MalformedCertificate', 400, 'Certificate is expired.');
    throwsAws(() => upload('web', { CertificateChain: 'nope' }), 'MalformedCertificate', 400);
  });

  test('names are unique; List filters by PathPrefix; Update renames and moves; Delete', () => {
    upload('web', { Path: '/a/' });
    upload('api', { Path: '/b/' });
    throwsAws(() => upload('WEB'), 'EntityAlreadyExists', 409, 'The Server Certificate with name WEB already exists.');
    const names = (prefix?: string) =>
      call(root(), 'ListServerCertificates', prefix ? { PathPrefix: prefix } : {}).ServerCertificateMetadataList.map((m: any) => m.ServerCertificateName);
    assert.deepEqual(names(), ['api', 'web']);
    assert.deepEqual(names('/a/'), ['web']);
    throwsAws(() => call(root(), 'UpdateServerCertificate', { ServerCertificateName: 'web', NewServerCertificateName: 'api' }), 'EntityAlreadyExists', 409);
    call(root(), 'UpdateServerCertificate', { ServerCertificateName: 'web', NewServerCertificateName: 'www', NewPath: '/c/' });
    assert.deepEqual(names('/c/'), ['www']);
    throwsAws(() => call(root(), 'GetServerCertificate', { ServerCertificateName: 'web' }), 'NoSuchEntity', 404, 'The Server Certificate with name web cannot be found.');
    call(root(), 'DeleteServerCertificate', { ServerCertificateName: 'www' });
    assert.deepEqual(names(), ['api']);
  });

  test('tags: Tag, Untag, ListServerCertificateTags', () => {
    upload('web');
    call(root(), 'TagServerCertificate', { ServerCertificateName: 'web', Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] });
    call(root(), 'UntagServerCertificate', { ServerCertificateName: 'web', TagKeys: ['a'] });
    assert.deepEqual(call(root(), 'ListServerCertificateTags', { ServerCertificateName: 'web' }).Tags, [{ Key: 'b', Value: '2' }]);
  });

  test('the account quota of 20 server certificates is enforced', () => {
    const insert = store.db.prepare(
      "INSERT INTO server_certificates (account_id, server_certificate_id, server_certificate_name, path, body, expires_at, uploaded_at) VALUES (?, ?, ?, '/', 'x', 0, 0)",
    );
    store.tx(() => {
      for (let i = 0; i < 20; i++) insert.run(ACCOUNT, `ASCAFILL${String(i).padStart(13, '0')}`, `c${i}`);
    });
    throwsAws(() => upload('extra'), 'LimitExceeded', 409, 'Cannot exceed quota for ServerCertificatesPerAccount: 20');
  });
});

describe('authorization entries', () => {
  test('user-credential operations act on the user ARN; server certificates on their own ARN', () => {
    call(root(), 'CreateUser', { UserName: 'dev', Path: '/eng/' });
    upload();
    const ops = iamService.operations;
    assert.deepEqual(ops.UploadSSHPublicKey.authorize(root(), { UserName: 'dev' }), { action: 'iam:UploadSSHPublicKey', resource: `arn:aws:iam::${ACCOUNT}:user/eng/dev` });
    assert.deepEqual(ops.CreateServiceSpecificCredential.authorize(root(), { UserName: 'dev', ServiceName: 'codecommit.amazonaws.com' }), {
      action: 'iam:CreateServiceSpecificCredential',
      resource: `arn:aws:iam::${ACCOUNT}:user/eng/dev`,
      context: { 'iam:ServiceSpecificCredentialServiceName': 'codecommit.amazonaws.com' },
    });
    assert.deepEqual(ops.GetServerCertificate.authorize(root(), { ServerCertificateName: 'web' }), {
      action: 'iam:GetServerCertificate',
      resource: `arn:aws:iam::${ACCOUNT}:server-certificate/lb/web`,
    });
    const moved = ops.UpdateServerCertificate.authorize(root(), { ServerCertificateName: 'web', NewPath: '/edge/' });
    assert.deepEqual(
      (moved as any[]).map((e) => e.resource),
      [`arn:aws:iam::${ACCOUNT}:server-certificate/lb/web`, `arn:aws:iam::${ACCOUNT}:server-certificate/edge/web`],
    );
  });

  function upload() {
    call(root(), 'UploadServerCertificate', {
      ServerCertificateName: 'web',
      Path: '/lb/',
      CertificateBody: fixture('server-a.cert.pem'),
      PrivateKey: fixture('server-a.key.pem'),
    });
  }
});

describe('credential report', () => {
  test('signing certificates fill the cert_1/cert_2 columns, oldest first', () => {
    const now = Date.UTC(2026, 2, 3);
    call(root(now), 'CreateUser', { UserName: 'signer' });
    const first = call(root(now), 'UploadSigningCertificate', { UserName: 'signer', CertificateBody: fixture('server-a.cert.pem') }).Certificate;
    call(root(now + 1000), 'UploadSigningCertificate', { UserName: 'signer', CertificateBody: fixture('server-b.cert.pem') });
    call(root(now), 'UpdateSigningCertificate', { UserName: 'signer', CertificateId: first.CertificateId, Status: 'Inactive' });
    call(root(now), 'GenerateCredentialReport');
    const lines = (call(root(now + 2000), 'GetCredentialReport').Content as Buffer).toString('utf8').split('\n');
    const header = lines[0].split(',');
    const row = lines.find((l) => l.startsWith('signer,'))!.split(',');
    const col = (name: string) => row[header.indexOf(name)];
    assert.equal(col('cert_1_active'), 'false');
    assert.equal(col('cert_2_active'), 'true');
    assert.equal(col('cert_2_last_rotated'), new Date(now + 1000).toISOString().replace('.000Z', '+00:00'));
  });
});
