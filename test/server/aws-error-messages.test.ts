import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { signedQuery, xmlError, type Creds } from '../helpers/signed-fetch.js';
import { doc } from '../helpers/aws.js';
import { fixture } from '../services/credential-fixtures.js';

/**
 * IAM's and STS's error answers, word for word as AWS gives them: code, HTTP status and
 * message, read off the wire. Each row names where AWS's answer was confirmed: "LS" is the
 * repository localstack/localstack, whose tests/aws/services/{iam,sts}/*.snapshot.json
 * files hold responses recorded against AWS ("recorded-content"); "issue" rows quote
 * error bodies real AWS returned, as posted in public issue threads.
 */

let server: TestServer;

before(async () => {
  server = await startTestServer();
  await fixtures();
});
after(async () => server.stop());

const ACCOUNT = '000000000000';
const TRUST = doc([{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
const ANYONE_HERE = doc([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: ['sts:AssumeRole', 'sts:TagSession'] }]);
const S3_LIST = doc([{ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' }]);
const ALL = doc([{ Effect: 'Allow', Action: '*', Resource: '*' }]);

interface Answer {
  status: number;
  code?: string;
  /** undefined when the error has no Message element. */
  message?: string;
  hasMessage: boolean;
}

/** One query-protocol call, signed as `creds`, answered as the wire has it. */
async function send(service: 'iam' | 'sts', params: Record<string, string>, creds: Creds = server.root): Promise<Answer> {
  const { url, init } = await signedQuery(server.url, service, params, creds);
  const res = await fetch(url, init);
  const text = await res.text();
  const { code, message } = xmlError(text);
  return { status: res.status, code, message, hasMessage: /<Message>/.test(text) };
}

const iam = (action: string, params: Record<string, string> = {}, creds?: Creds) => send('iam', { Action: action, ...params }, creds);
const sts = (action: string, params: Record<string, string> = {}, creds?: Creds) => send('sts', { Action: action, ...params }, creds);

/** Must succeed (for set-up steps). */
async function ok(p: Promise<Answer>): Promise<void> {
  const a = await p;
  assert.equal(a.status, 200, `${a.code}: ${a.message}`);
}

/** Credentials of a user allowed everything, and of a session of a role allowed everything. */
let userCreds: Creds;
let roleCreds: Creds;

async function keysOf(userName: string): Promise<Creds> {
  const { url, init } = await signedQuery(server.url, 'iam', { Action: 'CreateAccessKey', UserName: userName }, server.root);
  const text = await (await fetch(url, init)).text();
  return { accessKeyId: /<AccessKeyId>([^<]+)</.exec(text)![1], secretAccessKey: /<SecretAccessKey>([^<]+)</.exec(text)![1] };
}

async function fixtures(): Promise<void> {
  await ok(iam('CreateUser', { UserName: 'alice' }));
  await ok(iam('CreateGroup', { GroupName: 'team' }));
  await ok(iam('CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: TRUST }));
  await ok(iam('CreatePolicy', { PolicyName: 'p1', PolicyDocument: S3_LIST }));
  await ok(iam('CreateInstanceProfile', { InstanceProfileName: 'prof' }));
  await ok(iam('CreateUser', { UserName: 'admin' }));
  await ok(iam('PutUserPolicy', { UserName: 'admin', PolicyName: 'all', PolicyDocument: ALL }));
  userCreds = await keysOf('admin');
  await ok(iam('CreateRole', { RoleName: 'admin-role', AssumeRolePolicyDocument: ANYONE_HERE }));
  await ok(iam('PutRolePolicy', { RoleName: 'admin-role', PolicyName: 'all', PolicyDocument: ALL }));
  const { url, init } = await signedQuery(server.url, 'sts', { Action: 'AssumeRole', RoleArn: `arn:aws:iam::${ACCOUNT}:role/admin-role`, RoleSessionName: 'sess' }, userCreds);
  const text = await (await fetch(url, init)).text();
  roleCreds = {
    accessKeyId: /<AccessKeyId>([^<]+)</.exec(text)![1],
    secretAccessKey: /<SecretAccessKey>([^<]+)</.exec(text)![1],
    sessionToken: /<SessionToken>([^<]+)</.exec(text)![1],
  };
}

interface Row {
  /** The call and its case. */
  name: string;
  /** Where AWS's answer was confirmed (repository and path, or issue thread). */
  source: string;
  call: () => Promise<Answer>;
  code: string;
  status: number;
  /** null: AWS's error has no Message element. */
  message: string | null;
}

const LS_PASSWORD = 'LS tests/aws/services/iam/test_iam_account_password_policy.snapshot.json';
const LS_USERS = 'LS tests/aws/services/iam/test_iam_users.snapshot.json';
const LS_GROUPS = 'LS tests/aws/services/iam/test_iam_groups.snapshot.json';
const LS_ROLES = 'LS tests/aws/services/iam/test_iam_roles.snapshot.json';
const LS_POLICIES = 'LS tests/aws/services/iam/test_iam_policies.snapshot.json';
const LS_MFA = 'LS tests/aws/services/iam/test_iam_mfa.snapshot.json';
const LS_OIDC = 'LS tests/aws/services/iam/test_iam_oidc.snapshot.json';
const LS_PROFILES = 'LS tests/aws/services/iam/test_iam_instance_profiles.snapshot.json';
const LS_SIGNING = 'LS tests/aws/services/iam/test_iam_signing_certificates.snapshot.json';
const LS_SERVER_CERTS = 'LS tests/aws/services/iam/test_iam_server_certificates.snapshot.json';
const LS_SAML = 'LS tests/aws/services/iam/test_iam_saml_providers.snapshot.json';
const LS_SSH = 'LS tests/aws/services/iam/test_iam_ssh_public_keys.snapshot.json';
const LS_REPORT = 'LS tests/aws/services/iam/test_iam_credential_report.snapshot.json';
const LS_IAM = 'LS tests/aws/services/iam/test_iam.snapshot.json';
const LS_STS = 'LS tests/aws/services/sts/test_sts.snapshot.json';

const ROWS: Row[] = [
  // ---- account password policy ----
  {
    name: 'GetAccountPasswordPolicy with none set', source: LS_PASSWORD,
    call: () => iam('GetAccountPasswordPolicy'),
    code: 'NoSuchEntity', status: 404, message: `The Password Policy with domain name ${ACCOUNT} cannot be found.`,
  },
  {
    name: 'DeleteAccountPasswordPolicy with none set', source: LS_PASSWORD,
    call: () => iam('DeleteAccountPasswordPolicy'),
    code: 'NoSuchEntity', status: 404, message: 'The account policy with name PasswordPolicy cannot be found.',
  },
  {
    name: 'UpdateAccountPasswordPolicy out of range: IAM names no value; members in the order AWS lists them', source: LS_PASSWORD,
    call: () => iam('UpdateAccountPasswordPolicy', { MaxPasswordAge: '1096', MinimumPasswordLength: '129', PasswordReusePrevention: '25' }),
    code: 'ValidationError', status: 400,
    message:
      '3 validation errors detected: ' +
      "Value at 'minimumPasswordLength' failed to satisfy constraint: Member must have value less than or equal to 128; " +
      "Value at 'passwordReusePrevention' failed to satisfy constraint: Member must have value less than or equal to 24; " +
      "Value at 'maxPasswordAge' failed to satisfy constraint: Member must have value less than or equal to 1095",
  },
  // ---- users, groups ----
  {
    name: 'GetUser of an unknown user', source: LS_USERS,
    call: () => iam('GetUser', { UserName: 'nonexistent-user' }),
    code: 'NoSuchEntity', status: 404, message: 'The user with name nonexistent-user cannot be found.',
  },
  {
    name: 'CreateUser of an existing name', source: LS_USERS,
    call: () => iam('CreateUser', { UserName: 'alice' }),
    code: 'EntityAlreadyExists', status: 409, message: 'User with name alice already exists.',
  },
  {
    name: 'GetLoginProfile of a user without one', source: LS_USERS,
    call: () => iam('GetLoginProfile', { UserName: 'alice' }),
    code: 'NoSuchEntity', status: 404, message: 'Login Profile for User alice cannot be found.',
  },
  {
    name: 'UpdateAccessKey of an unknown key', source: LS_USERS,
    call: () => iam('UpdateAccessKey', { UserName: 'alice', AccessKeyId: 'AKIAIOSFODNN7EXAMPLE', Status: 'Inactive' }),
    code: 'NoSuchEntity', status: 404, message: 'The Access Key with id AKIAIOSFODNN7EXAMPLE cannot be found.',
  },
  {
    name: 'GetAccessKeyLastUsed of an unknown key: AccessDenied ("perform iam:…", no colon)', source: LS_USERS,
    call: () => iam('GetAccessKeyLastUsed', { AccessKeyId: 'AKIAIOSFODNN7EXAMPLE' }, roleCreds),
    code: 'AccessDenied', status: 403,
    message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/admin-role/sess is not authorized to perform iam:GetAccessKeyLastUsed on resource: access key AKIAIOSFODNN7EXAMPLE`,
  },
  {
    name: 'DeleteAccessKey without UserName from a role session', source: LS_USERS,
    call: () => iam('DeleteAccessKey', { AccessKeyId: 'AKIAIOSFODNN7EXAMPLE' }, roleCreds),
    code: 'ValidationError', status: 400, message: 'Must specify userName when calling with non-User credentials',
  },
  {
    name: 'AttachUserPolicy of a policy that does not exist', source: LS_USERS,
    call: () => iam('AttachUserPolicy', { UserName: 'alice', PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/nonexistent` }),
    code: 'NoSuchEntity', status: 404, message: `Policy arn:aws:iam::${ACCOUNT}:policy/nonexistent does not exist or is not attachable.`,
  },
  {
    name: 'DetachUserPolicy of a policy not attached', source: LS_USERS,
    call: () => iam('DetachUserPolicy', { UserName: 'alice', PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/p1` }),
    code: 'NoSuchEntity', status: 404, message: `Policy arn:aws:iam::${ACCOUNT}:policy/p1 was not found.`,
  },
  {
    name: 'AttachRolePolicy with a bare name for an ARN', source: LS_IAM,
    call: () => iam('AttachRolePolicy', { RoleName: 'app', PolicyArn: 'longpolicynamebutnoarn' }),
    code: 'InvalidInput', status: 400, message: 'ARN longpolicynamebutnoarn is not valid.',
  },
  {
    name: 'AddUserToGroup of an unknown group', source: LS_GROUPS,
    call: () => iam('AddUserToGroup', { GroupName: 'nonexistent-group', UserName: 'alice' }),
    code: 'NoSuchEntity', status: 404, message: 'The group with name nonexistent-group cannot be found.',
  },
  {
    name: 'RemoveUserFromGroup with both the user and the group missing: the user is reported', source: LS_GROUPS + ' (test_remove_user_from_unknown_group)',
    call: () => iam('RemoveUserFromGroup', { GroupName: 'non-existent-group', UserName: 'any-user' }),
    code: 'NoSuchEntity', status: 404, message: 'The user with name any-user cannot be found.',
  },
  {
    name: 'GetGroupPolicy of an unknown policy', source: LS_GROUPS,
    call: () => iam('GetGroupPolicy', { GroupName: 'team', PolicyName: 'nope' }),
    code: 'NoSuchEntity', status: 404, message: 'The group policy with name nope cannot be found.',
  },
  // ---- DeleteConflict (issue threads quoting AWS's bodies; aws-iam-facts.md 1b) ----
  {
    name: 'DeleteUser with a signing certificate', source: 'issue rebuy-de/aws-nuke#671',
    call: async () => {
      await ok(iam('CreateUser', { UserName: 'with-cert' }));
      const { url, init } = await signedQuery(server.url, 'iam', { Action: 'UploadSigningCertificate', UserName: 'with-cert', CertificateBody: fixture('server-a.cert.pem') }, server.root);
      const certificateId = /<CertificateId>([^<]+)</.exec(await (await fetch(url, init)).text())![1];
      const answer = await iam('DeleteUser', { UserName: 'with-cert' });
      // The account's certificates must differ: free this one for the quota row.
      await ok(iam('DeleteSigningCertificate', { UserName: 'with-cert', CertificateId: certificateId }));
      return answer;
    },
    code: 'DeleteConflict', status: 409, message: 'Cannot delete entity, must delete certificates first.',
  },
  {
    name: 'DeleteUser with an SSH public key', source: 'issue rebuy-de/aws-nuke#470, #522',
    call: async () => {
      const { sshRsaKey } = await import('../services/credential-fixtures.js');
      await ok(iam('CreateUser', { UserName: 'with-ssh' }));
      await ok(iam('UploadSSHPublicKey', { UserName: 'with-ssh', SSHPublicKeyBody: sshRsaKey().openssh }));
      return iam('DeleteUser', { UserName: 'with-ssh' });
    },
    code: 'DeleteConflict', status: 409, message: 'Cannot delete entity, must remove referenced objects first.',
  },
  {
    name: 'DeleteUser with a service-specific credential', source: 'issue rebuy-de/aws-nuke#522, PR #319',
    call: async () => {
      await ok(iam('CreateUser', { UserName: 'with-ssc' }));
      await ok(iam('CreateServiceSpecificCredential', { UserName: 'with-ssc', ServiceName: 'codecommit.amazonaws.com' }));
      return iam('DeleteUser', { UserName: 'with-ssc' });
    },
    code: 'DeleteConflict', status: 409, message: 'Cannot delete entity, must remove referenced objects first.',
  },
  {
    name: 'DeleteUser with access keys', source: 'issue aws-controllers-k8s/community#2229',
    call: async () => {
      await ok(iam('CreateUser', { UserName: 'with-key' }));
      await ok(iam('CreateAccessKey', { UserName: 'with-key' }));
      return iam('DeleteUser', { UserName: 'with-key' });
    },
    code: 'DeleteConflict', status: 409, message: 'Cannot delete entity, must delete access keys first.',
  },
  {
    name: 'DeleteGroup with members', source: 'issue hashicorp/terraform#29147',
    call: async () => {
      await ok(iam('CreateGroup', { GroupName: 'with-member' }));
      await ok(iam('AddUserToGroup', { GroupName: 'with-member', UserName: 'alice' }));
      return iam('DeleteGroup', { GroupName: 'with-member' });
    },
    code: 'DeleteConflict', status: 409, message: 'Cannot delete entity, must remove users from group first.',
  },
  {
    name: 'DeletePolicy while attached', source: 'issue serverless/components#312; gruntwork-io/cloud-nuke#972',
    call: async () => {
      await ok(iam('CreatePolicy', { PolicyName: 'attached', PolicyDocument: S3_LIST }));
      await ok(iam('AttachRolePolicy', { RoleName: 'app', PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/attached` }));
      return iam('DeletePolicy', { PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/attached` });
    },
    code: 'DeleteConflict', status: 409, message: 'Cannot delete a policy attached to entities.',
  },
  {
    name: 'DeleteUser with a login profile', source: 'issue cloud-custodian/cloud-custodian#1663',
    call: async () => {
      await ok(iam('CreateUser', { UserName: 'with-login' }));
      await ok(iam('CreateLoginProfile', { UserName: 'with-login', Password: 'Aa1!aaaaaaaaaaaa' }));
      return iam('DeleteUser', { UserName: 'with-login' });
    },
    code: 'DeleteConflict', status: 409, message: 'Cannot delete entity, must delete login profile first.',
  },
  {
    name: 'CreateLoginProfile of a user who has one', source: LS_USERS,
    call: () => iam('CreateLoginProfile', { UserName: 'with-login', Password: 'Aa1!aaaaaaaaaaaa' }),
    code: 'EntityAlreadyExists', status: 409, message: 'Login Profile for user with-login already exists.',
  },
  {
    name: 'DeleteUser with an inline policy', source: LS_USERS,
    call: async () => {
      await ok(iam('CreateUser', { UserName: 'with-inline' }));
      await ok(iam('PutUserPolicy', { UserName: 'with-inline', PolicyName: 'p', PolicyDocument: S3_LIST }));
      return iam('DeleteUser', { UserName: 'with-inline' });
    },
    code: 'DeleteConflict', status: 409, message: 'Cannot delete entity, must delete policies first.',
  },
  {
    name: 'DeleteUser with an attached policy', source: LS_USERS,
    call: async () => {
      await ok(iam('CreateUser', { UserName: 'with-attached' }));
      await ok(iam('AttachUserPolicy', { UserName: 'with-attached', PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/p1` }));
      return iam('DeleteUser', { UserName: 'with-attached' });
    },
    code: 'DeleteConflict', status: 409, message: 'Cannot delete entity, must detach all policies first.',
  },
  {
    name: 'GetUserPolicy of an unknown policy', source: 'aws-iam-facts.md 1b (emulators validated by recordings agree; not itself recorded)',
    call: () => iam('GetUserPolicy', { UserName: 'alice', PolicyName: 'nope' }),
    code: 'NoSuchEntity', status: 404, message: 'The user policy with name nope cannot be found.',
  },
  {
    name: 'UpdateGroup to a name another group has', source: LS_GROUPS,
    call: async () => {
      await ok(iam('CreateGroup', { GroupName: 'other-team' }));
      return iam('UpdateGroup', { GroupName: 'other-team', NewGroupName: 'team' });
    },
    code: 'EntityAlreadyExists', status: 409, message: 'Group with name team already exists.',
  },
  {
    name: 'DeleteGroup with an inline policy', source: 'issue rebuy-de/aws-nuke PR #275',
    call: async () => {
      await ok(iam('CreateGroup', { GroupName: 'with-group-inline' }));
      await ok(iam('PutGroupPolicy', { GroupName: 'with-group-inline', PolicyName: 'p', PolicyDocument: S3_LIST }));
      return iam('DeleteGroup', { GroupName: 'with-group-inline' });
    },
    code: 'DeleteConflict', status: 409, message: 'Cannot delete entity, must delete policies first.',
  },
  {
    name: 'DeleteGroup with an attached policy', source: 'issue cloud-custodian/cloud-custodian#7484',
    call: async () => {
      await ok(iam('CreateGroup', { GroupName: 'with-group-attached' }));
      await ok(iam('AttachGroupPolicy', { GroupName: 'with-group-attached', PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/p1` }));
      return iam('DeleteGroup', { GroupName: 'with-group-attached' });
    },
    code: 'DeleteConflict', status: 409, message: 'Cannot delete entity, must detach all policies first.',
  },
  {
    name: 'TagUser beyond 50 tags', source: LS_OIDC + ' (TagOpenIDConnectProvider; the same text for every taggable entity)',
    call: async () => {
      await ok(iam('CreateUser', { UserName: 'many-tags' }));
      const tags = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [[`Tags.member.${i + 1}.Key`, `k${i}`], [`Tags.member.${i + 1}.Value`, 'v']]).flat());
      await ok(iam('TagUser', { UserName: 'many-tags', ...tags }));
      return iam('TagUser', { UserName: 'many-tags', 'Tags.member.1.Key': 'one-more', 'Tags.member.1.Value': 'v' });
    },
    code: 'LimitExceeded', status: 409, message: 'The number of tags has reached the maximum limit.',
  },
  // ---- roles, instance profiles ----
  {
    name: 'GetRole of an unknown role', source: LS_ROLES,
    call: () => iam('GetRole', { RoleName: 'test-nonexistent-role' }),
    code: 'NoSuchEntity', status: 404, message: 'The role with name test-nonexistent-role cannot be found.',
  },
  {
    name: 'GetRolePolicy of an unknown policy', source: LS_ROLES,
    call: () => iam('GetRolePolicy', { RoleName: 'app', PolicyName: 'nope' }),
    code: 'NoSuchEntity', status: 404, message: 'The role policy with name nope cannot be found.',
  },
  {
    name: 'AttachRolePolicy beyond the quota names PoliciesPerRole', source: 'issue aws/eks-hybrid PR #741; LBHackney-IT/Data-Platform#1882',
    call: async () => {
      await ok(iam('CreateRole', { RoleName: 'full', AssumeRolePolicyDocument: TRUST }));
      for (let i = 0; i < 10; i++) {
        await ok(iam('CreatePolicy', { PolicyName: `q${i}`, PolicyDocument: S3_LIST }));
        await ok(iam('AttachRolePolicy', { RoleName: 'full', PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/q${i}` }));
      }
      return iam('AttachRolePolicy', { RoleName: 'full', PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/p1` });
    },
    code: 'LimitExceeded', status: 409, message: 'Cannot exceed quota for PoliciesPerRole: 10',
  },
  {
    name: 'GetInstanceProfile of an unknown profile', source: LS_PROFILES,
    call: () => iam('GetInstanceProfile', { InstanceProfileName: 'nonexistent-profile' }),
    code: 'NoSuchEntity', status: 404, message: 'Instance Profile nonexistent-profile cannot be found.',
  },
  {
    name: 'CreateInstanceProfile of an existing name', source: LS_PROFILES,
    call: () => iam('CreateInstanceProfile', { InstanceProfileName: 'prof' }),
    code: 'EntityAlreadyExists', status: 409, message: 'Instance Profile prof already exists.',
  },
  {
    name: 'RemoveRoleFromInstanceProfile of a role not in it', source: LS_PROFILES,
    call: () => iam('RemoveRoleFromInstanceProfile', { InstanceProfileName: 'prof', RoleName: 'app' }),
    code: 'NoSuchEntity', status: 404, message: 'Role app in Instance Profile prof cannot be found.',
  },
  {
    name: 'DeleteRole with an inline policy', source: LS_ROLES,
    call: async () => {
      await ok(iam('CreateRole', { RoleName: 'with-role-inline', AssumeRolePolicyDocument: TRUST }));
      await ok(iam('PutRolePolicy', { RoleName: 'with-role-inline', PolicyName: 'p', PolicyDocument: S3_LIST }));
      return iam('DeleteRole', { RoleName: 'with-role-inline' });
    },
    code: 'DeleteConflict', status: 409, message: 'Cannot delete entity, must delete policies first.',
  },
  {
    name: 'DeleteRolePolicy with the name of an attached managed policy', source: 'issue aws/aws-cli#6139',
    call: async () => {
      await ok(iam('AttachRolePolicy', { RoleName: 'app', PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole' }));
      return iam('DeleteRolePolicy', { RoleName: 'app', PolicyName: 'AWSLambdaBasicExecutionRole' });
    },
    code: 'NoSuchEntity', status: 404, message: 'The role policy with name AWSLambdaBasicExecutionRole cannot be found.',
  },
  {
    name: 'A second role in an instance profile', source: LS_PROFILES,
    call: async () => {
      await ok(iam('CreateInstanceProfile', { InstanceProfileName: 'one-role' }));
      await ok(iam('CreateRole', { RoleName: 'second-role', AssumeRolePolicyDocument: TRUST }));
      await ok(iam('AddRoleToInstanceProfile', { InstanceProfileName: 'one-role', RoleName: 'app' }));
      return iam('AddRoleToInstanceProfile', { InstanceProfileName: 'one-role', RoleName: 'second-role' });
    },
    code: 'LimitExceeded', status: 409, message: 'Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1',
  },
  {
    name: 'DeleteInstanceProfile with a role', source: LS_PROFILES,
    call: () => iam('DeleteInstanceProfile', { InstanceProfileName: 'one-role' }),
    code: 'DeleteConflict', status: 409, message: 'Cannot delete entity, must remove roles from instance profile first.',
  },
  {
    name: 'DeleteRole while in an instance profile', source: 'aws-iam-facts.md 1b (the same wording as DeleteInstanceProfile\'s, LS test_iam_instance_profiles)',
    call: () => iam('DeleteRole', { RoleName: 'app' }),
    code: 'DeleteConflict', status: 409, message: 'Cannot delete entity, must remove roles from instance profile first.',
  },
  // ---- managed policies ----
  {
    name: 'CreatePolicy of an existing name', source: LS_POLICIES,
    call: () => iam('CreatePolicy', { PolicyName: 'p1', PolicyDocument: S3_LIST }),
    code: 'EntityAlreadyExists', status: 409, message: 'A policy called p1 already exists. Duplicate names are not allowed.',
  },
  {
    name: 'GetPolicyVersion of an unknown version', source: LS_POLICIES,
    call: () => iam('GetPolicyVersion', { PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/p1`, VersionId: 'v9' }),
    code: 'NoSuchEntity', status: 404, message: `Policy arn:aws:iam::${ACCOUNT}:policy/p1 version v9 does not exist or is not attachable.`,
  },
  {
    name: 'DeletePolicyVersion of the default version', source: LS_POLICIES,
    call: () => iam('DeletePolicyVersion', { PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/p1`, VersionId: 'v1' }),
    code: 'DeleteConflict', status: 409, message: 'Cannot delete the default version of a policy.',
  },
  {
    name: 'GetPolicyVersion with a malformed version id: IAM names no value', source: LS_POLICIES,
    call: () => iam('GetPolicyVersion', { PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/p1`, VersionId: 'wrong_version_id' }),
    code: 'ValidationError', status: 400,
    message: "1 validation error detected: Value at 'versionId' failed to satisfy constraint: Member must satisfy regular expression pattern: v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?",
  },
  {
    name: 'A sixth policy version', source: LS_POLICIES,
    call: async () => {
      const arn = `arn:aws:iam::${ACCOUNT}:policy/p1`;
      for (let i = 0; i < 4; i++) await ok(iam('CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: S3_LIST }));
      return iam('CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: S3_LIST });
    },
    code: 'LimitExceeded', status: 409, message: 'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.',
  },
  {
    name: 'GetPolicyVersion of a policy that does not exist', source: LS_POLICIES,
    call: () => iam('GetPolicyVersion', { PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/TestNonExistingPolicy`, VersionId: 'v1' }),
    code: 'NoSuchEntity', status: 404, message: `Policy arn:aws:iam::${ACCOUNT}:policy/TestNonExistingPolicy version v1 does not exist or is not attachable.`,
  },
  {
    name: 'SetDefaultPolicyVersion of a policy that does not exist', source: LS_POLICIES,
    call: () => iam('SetDefaultPolicyVersion', { PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/TestNonExistingPolicy`, VersionId: 'v1' }),
    code: 'NoSuchEntity', status: 404, message: `Policy arn:aws:iam::${ACCOUNT}:policy/TestNonExistingPolicy version v1 does not exist or is not attachable.`,
  },
  // ---- MFA ----
  {
    name: 'ListVirtualMFADevices with a Marker IAM did not give', source: LS_MFA,
    call: () => iam('ListVirtualMFADevices', { Marker: 'invalid-marker' }),
    code: 'ValidationError', status: 400, message: 'Invalid Marker.',
  },
  {
    name: 'ListUsers with a Marker IAM did not give (the same answer as ListVirtualMFADevices\')', source: LS_MFA + ' (ListVirtualMFADevices; ListUsers not recorded)',
    call: () => iam('ListUsers', { Marker: 'invalid-marker' }),
    code: 'ValidationError', status: 400, message: 'Invalid Marker.',
  },
  {
    name: 'DeleteVirtualMFADevice of an unknown serial', source: LS_MFA,
    call: () => iam('DeleteVirtualMFADevice', { SerialNumber: `arn:aws:iam::${ACCOUNT}:mfa/nonexistent-device` }),
    code: 'NoSuchEntity', status: 404, message: `MFA Device with serial number arn:aws:iam::${ACCOUNT}:mfa/nonexistent-device does not exist.`,
  },
  {
    name: 'DeactivateMFADevice of an unknown serial', source: LS_MFA,
    call: () => iam('DeactivateMFADevice', { UserName: 'alice', SerialNumber: `arn:aws:iam::${ACCOUNT}:mfa/nonexistent-mfa` }),
    code: 'NoSuchEntity', status: 404, message: `MFA Device with serial number arn:aws:iam::${ACCOUNT}:mfa/nonexistent-mfa does not exist.`,
  },
  {
    name: 'EnableMFADevice for an unknown user', source: LS_MFA,
    call: () => iam('EnableMFADevice', { UserName: 'nonexistent-user', SerialNumber: `arn:aws:iam::${ACCOUNT}:mfa/x`, AuthenticationCode1: '123456', AuthenticationCode2: '654321' }),
    code: 'NoSuchEntity', status: 404, message: 'The user with name nonexistent-user cannot be found.',
  },
  {
    name: 'CreateVirtualMFADevice of an existing name', source: LS_MFA,
    call: async () => {
      await ok(iam('CreateVirtualMFADevice', { VirtualMFADeviceName: 'dup-device' }));
      return iam('CreateVirtualMFADevice', { VirtualMFADeviceName: 'dup-device' });
    },
    code: 'EntityAlreadyExists', status: 409, message: 'MFA device already exists.',
  },
  {
    name: 'CreateVirtualMFADevice with a path without its trailing slash', source: LS_MFA,
    call: () => iam('CreateVirtualMFADevice', { VirtualMFADeviceName: 'bad-path', Path: '/no-trailing' }),
    code: 'ValidationError', status: 400,
    message: 'The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.',
  },
  // ---- identity providers ----
  {
    name: 'GetOpenIDConnectProvider of an unknown provider', source: LS_OIDC,
    call: () => iam('GetOpenIDConnectProvider', { OpenIDConnectProviderArn: `arn:aws:iam::${ACCOUNT}:oidc-provider/non-existent.example.com` }),
    code: 'NoSuchEntity', status: 404, message: `OpenIDConnect Provider not found for arn arn:aws:iam::${ACCOUNT}:oidc-provider/non-existent.example.com`,
  },
  {
    // The model's documentation calls the operation idempotent; AWS is not ("Verify operation is not idempotent",
    // LS test_iam_oidc.py). The text is not recorded: GetOpenIDConnectProvider's is assumed.
    name: 'DeleteOpenIDConnectProvider of a provider that is gone: an error, not success', source: LS_OIDC + ' (test code @ 3092b4b9)',
    call: async () => {
      await ok(iam('CreateOpenIDConnectProvider', { Url: 'https://gone.example.com', 'ThumbprintList.member.1': 'a'.repeat(40) }));
      await ok(iam('DeleteOpenIDConnectProvider', { OpenIDConnectProviderArn: `arn:aws:iam::${ACCOUNT}:oidc-provider/gone.example.com` }));
      return iam('DeleteOpenIDConnectProvider', { OpenIDConnectProviderArn: `arn:aws:iam::${ACCOUNT}:oidc-provider/gone.example.com` });
    },
    code: 'NoSuchEntity', status: 404, message: `OpenIDConnect Provider not found for arn arn:aws:iam::${ACCOUNT}:oidc-provider/gone.example.com`,
  },
  {
    name: 'CreateOpenIDConnectProvider of a URL already registered', source: LS_OIDC,
    call: async () => {
      await ok(iam('CreateOpenIDConnectProvider', { Url: 'https://oidc-dup.example.com', 'ThumbprintList.member.1': 'a'.repeat(40) }));
      return iam('CreateOpenIDConnectProvider', { Url: 'https://oidc-dup.example.com', 'ThumbprintList.member.1': 'a'.repeat(40) });
    },
    code: 'EntityAlreadyExists', status: 409, message: 'Provider with url https://oidc-dup.example.com already exists.',
  },
  {
    name: 'CreateOpenIDConnectProvider with six thumbprints', source: LS_OIDC,
    call: () => iam('CreateOpenIDConnectProvider', {
      Url: 'https://six.example.com', ...Object.fromEntries([1, 2, 3, 4, 5, 6].map((i) => [`ThumbprintList.member.${i}`, String(i).repeat(40)])),
    }),
    code: 'InvalidInput', status: 400, message: 'Thumbprint list must contain fewer than 5 entries.',
  },
  {
    name: 'CreateOpenIDConnectProvider with a URL without a scheme', source: LS_OIDC,
    call: () => iam('CreateOpenIDConnectProvider', { Url: 'example.org', 'ThumbprintList.member.1': 'a'.repeat(40) }),
    code: 'ValidationError', status: 400, message: 'Invalid Open ID Connect Provider URL',
  },
  {
    name: 'CreateOpenIDConnectProvider with three members too long: list members as one constraint, no values', source: LS_OIDC,
    call: () => iam('CreateOpenIDConnectProvider', {
      Url: `https://${'a'.repeat(248)}`, 'ThumbprintList.member.1': 'a'.repeat(41), 'ClientIDList.member.1': 'c'.repeat(256),
    }),
    code: 'ValidationError', status: 400,
    message:
      '3 validation errors detected: ' +
      "Value at 'clientIDList' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 255, Member must have length greater than or equal to 1]; " +
      "Value at 'thumbprintList' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 40, Member must have length greater than or equal to 40]; " +
      "Value at 'url' failed to satisfy constraint: Member must have length less than or equal to 255",
  },
  {
    name: 'AddClientIDToOpenIDConnectProvider beyond 100 client ids', source: LS_OIDC,
    call: async () => {
      const ids = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`ClientIDList.member.${i + 1}`, `client-${i}`]));
      return iam('CreateOpenIDConnectProvider', { Url: 'https://many.example.com', 'ThumbprintList.member.1': 'a'.repeat(40), ...ids });
    },
    code: 'LimitExceeded', status: 409, message: 'Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100',
  },
  {
    name: 'GetSAMLProvider of an unknown provider', source: LS_SAML,
    call: () => iam('GetSAMLProvider', { SAMLProviderArn: `arn:aws:iam::${ACCOUNT}:saml-provider/NonExistentProvider` }),
    code: 'NoSuchEntity', status: 404, message: `Manifest not found for arn arn:aws:iam::${ACCOUNT}:saml-provider/NonExistentProvider`,
  },
  // ---- certificates, SSH keys ----
  {
    name: 'A third UploadSigningCertificate names CertificatesPerUser', source: LS_SIGNING,
    call: async () => {
      await ok(iam('CreateUser', { UserName: 'certs' }));
      await ok(iam('UploadSigningCertificate', { UserName: 'certs', CertificateBody: fixture('server-a.cert.pem') }));
      await ok(iam('UploadSigningCertificate', { UserName: 'certs', CertificateBody: fixture('server-b.cert.pem') }));
      return iam('UploadSigningCertificate', { UserName: 'certs', CertificateBody: fixture('chain.cert.pem') });
    },
    code: 'LimitExceeded', status: 409, message: 'Cannot exceed quota for CertificatesPerUser: 2',
  },
  {
    name: 'UploadSigningCertificate of a body that is no certificate', source: LS_SIGNING,
    call: () => iam('UploadSigningCertificate', { UserName: 'alice', CertificateBody: 'invalid-certificate-body' }),
    code: 'MalformedCertificate', status: 400, message: 'Certificate invalid-certificate-body is malformed.',
  },
  {
    name: 'UpdateSigningCertificate of an unknown id', source: LS_SIGNING,
    call: () => iam('UpdateSigningCertificate', { UserName: 'alice', CertificateId: 'NONEXISTENTCERTID12345678901', Status: 'Inactive' }),
    code: 'NoSuchEntity', status: 404, message: 'The Certificate with id NONEXISTENTCERTID12345678901 cannot be found.',
  },
  {
    name: 'GetServerCertificate of an unknown name', source: LS_SERVER_CERTS,
    call: () => iam('GetServerCertificate', { ServerCertificateName: 'nonexistent-certificate' }),
    code: 'NoSuchEntity', status: 404, message: 'The Server Certificate with name nonexistent-certificate cannot be found.',
  },
  {
    name: 'UploadServerCertificate of an existing name', source: LS_SERVER_CERTS,
    call: async () => {
      await ok(iam('UploadServerCertificate', { ServerCertificateName: 'dup-cert', CertificateBody: fixture('server-b.cert.pem'), PrivateKey: fixture('server-b.key.pem') }));
      return iam('UploadServerCertificate', { ServerCertificateName: 'dup-cert', CertificateBody: fixture('server-b.cert.pem'), PrivateKey: fixture('server-b.key.pem') });
    },
    code: 'EntityAlreadyExists', status: 409, message: 'The Server Certificate with name dup-cert already exists.',
  },
  {
    name: 'GetSSHPublicKey of an unknown id', source: LS_SSH,
    call: () => iam('GetSSHPublicKey', { UserName: 'alice', SSHPublicKeyId: 'APKAXXXXXXXXXXXXXXXXX', Encoding: 'SSH' }),
    code: 'NoSuchEntity', status: 404, message: 'The Public Key with id APKAXXXXXXXXXXXXXXXXX cannot be found.',
  },
  {
    name: 'GetCredentialReport before any was generated: 410 and no Message', source: LS_REPORT,
    call: () => iam('GetCredentialReport'),
    code: 'ReportNotPresent', status: 410, message: null,
  },
  // ---- STS ----
  {
    name: 'AssumeRole of a RoleArn that is no ARN', source: LS_STS,
    call: () => sts('AssumeRole', { RoleArn: 'nothing-valid-in-here', RoleSessionName: 'session' }, userCreds),
    code: 'ValidationError', status: 400, message: 'nothing-valid-in-here is invalid',
  },
  ...['arn::b:::something/test-role', 'arn:a::::something/test-role', 'arn:a:::something/test-role', 'arn:a:a::aaaaaaaaaa:'].map((arn): Row => ({
    name: `AssumeRole of RoleArn ${arn}`, source: LS_STS,
    call: () => sts('AssumeRole', { RoleArn: arn, RoleSessionName: 'session' }, userCreds),
    code: 'ValidationError', status: 400, message: `${arn} is invalid`,
  })),
  {
    name: 'AssumeRole with a colon in RoleSessionName: STS quotes the value', source: LS_STS,
    call: () => sts('AssumeRole', { RoleArn: `arn:aws:iam::${ACCOUNT}:role/admin-role`, RoleSessionName: 'Session1:2' }, userCreds),
    code: 'ValidationError', status: 400,
    message: "1 validation error detected: Value 'Session1:2' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
  },
  {
    name: 'AssumeRole with a transitive tag key not among the tags', source: LS_STS,
    call: () => sts('AssumeRole', {
      RoleArn: `arn:aws:iam::${ACCOUNT}:role/admin-role`, RoleSessionName: 'session', 'Tags.member.1.Key': 'a', 'Tags.member.1.Value': 'b', 'TransitiveTagKeys.member.1': 'c',
    }, userCreds),
    code: 'InvalidParameterValue', status: 400, message: 'The specified transitive tag key must be included in the requested tags.',
  },
  {
    name: 'AssumeRole with tag keys differing only in case', source: LS_STS,
    call: () => sts('AssumeRole', {
      RoleArn: `arn:aws:iam::${ACCOUNT}:role/admin-role`, RoleSessionName: 'session',
      'Tags.member.1.Key': 'Key', 'Tags.member.1.Value': 'b', 'Tags.member.2.Key': 'key', 'Tags.member.2.Value': 'c',
    }, userCreds),
    code: 'InvalidParameterValue', status: 400, message: 'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
  },
  {
    name: 'AssumeRole along a chain setting a transitive tag of the calling session (in another case)', source: LS_STS,
    call: async () => {
      const roleArn = `arn:aws:iam::${ACCOUNT}:role/admin-role`;
      const { url, init } = await signedQuery(server.url, 'sts', {
        Action: 'AssumeRole', RoleArn: roleArn, RoleSessionName: 'first', 'Tags.member.1.Key': 'Project', 'Tags.member.1.Value': 'a', 'TransitiveTagKeys.member.1': 'Project',
      }, userCreds);
      const text = await (await fetch(url, init)).text();
      const chained = {
        accessKeyId: /<AccessKeyId>([^<]+)</.exec(text)![1],
        secretAccessKey: /<SecretAccessKey>([^<]+)</.exec(text)![1],
        sessionToken: /<SessionToken>([^<]+)</.exec(text)![1],
      };
      return sts('AssumeRole', { RoleArn: roleArn, RoleSessionName: 'second', 'Tags.member.1.Key': 'project', 'Tags.member.1.Value': 'b' }, chained);
    },
    code: 'InvalidParameterValue', status: 400,
    message: "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.",
  },
];

describe('IAM and STS error messages, as AWS words them', () => {
  for (const row of ROWS) {
    test(`${row.name} [${row.source}]`, async () => {
      const answer = await row.call();
      assert.deepEqual(
        { code: answer.code, status: answer.status, message: answer.hasMessage ? answer.message : null },
        { code: row.code, status: row.status, message: row.message },
      );
    });
  }
});
