import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  IAMClient,
  CreateUserCommand, GetUserCommand, ListUsersCommand, PutUserPolicyCommand,
  CreateGroupCommand, GetGroupCommand, ListGroupsCommand, AddUserToGroupCommand,
  CreateRoleCommand, GetRoleCommand, ListRolesCommand, UpdateRoleDescriptionCommand,
  CreatePolicyCommand, GetPolicyCommand, ListPoliciesCommand, CreatePolicyVersionCommand, GetPolicyVersionCommand, ListPolicyVersionsCommand,
  CreateInstanceProfileCommand, GetInstanceProfileCommand, ListInstanceProfilesCommand, AddRoleToInstanceProfileCommand,
  TagInstanceProfileCommand, UntagInstanceProfileCommand, ListInstanceProfilesForRoleCommand,
  GetAccountAuthorizationDetailsCommand, GetAccountSummaryCommand,
  UpdateAccountPasswordPolicyCommand, GetAccountPasswordPolicyCommand, DeleteAccountPasswordPolicyCommand,
  CreateOpenIDConnectProviderCommand, GetOpenIDConnectProviderCommand, ListOpenIDConnectProvidersCommand,
  CreateSAMLProviderCommand, GetSAMLProviderCommand, ListSAMLProvidersCommand,
  UploadServerCertificateCommand, GetServerCertificateCommand, ListServerCertificatesCommand,
  UploadSigningCertificateCommand, ListSigningCertificatesCommand,
  UploadSSHPublicKeyCommand, GetSSHPublicKeyCommand, ListSSHPublicKeysCommand,
  CreateAccessKeyCommand, ListAccessKeysCommand, GetAccessKeyLastUsedCommand,
  CreateLoginProfileCommand, GetLoginProfileCommand,
  CreateVirtualMFADeviceCommand, ListVirtualMFADevicesCommand, ListMFADevicesCommand,
  ListUserTagsCommand, ListRoleTagsCommand, ListUserPoliciesCommand, ListAttachedUserPoliciesCommand, ListGroupsForUserCommand,
} from '@aws-sdk/client-iam';
import { STSClient, GetCallerIdentityCommand, GetSessionTokenCommand, AssumeRoleCommand, GetFederationTokenCommand } from '@aws-sdk/client-sts';
import { startTestServer, clientConfig, type TestServer } from '../helpers/server.js';
import { doc } from '../helpers/aws.js';
import { fixture, sshRsaKey } from '../services/credential-fixtures.js';

/**
 * The members each IAM and STS operation answers with, as AWS answers them: which are left out,
 * and which are present though empty (Tags: [], RoleLastUsed: {}). Each row names where
 * AWS's response was recorded; "LS" is the repository localstack/localstack, whose
 * *.snapshot.json files hold responses recorded against AWS ("recorded-content"). The
 * model's documentation (src/protocol/models/iam/service-2.json.gz) is cited where it
 * says what an operation leaves out.
 */

let server: TestServer;
let iam: IAMClient;
/** STS as an IAM user allowed everything (root may not assume roles). */
let sts: STSClient;

before(async () => {
  server = await startTestServer();
  iam = new IAMClient(clientConfig(server));
});
after(async () => server.stop());

const ACCOUNT = '000000000000';
const TRUST = doc([{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
const S3_LIST = doc([{ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' }]);
const BOUNDARY = 'arn:aws:iam::aws:policy/PowerUserAccess';

/** The member names of a value, sorted: what a row compares. */
function keysOf(value: unknown): string[] {
  assert.ok(value !== null && typeof value === 'object', `expected a structure, got ${JSON.stringify(value)}`);
  return Object.keys(value).filter((k) => k !== '$metadata').sort();
}

/** The value at a dotted path ('Role', 'Roles.0', 'Role.RoleLastUsed'); '' is the whole output. */
function at(output: unknown, path: string): unknown {
  if (path === '') return output;
  return path.split('.').reduce<any>((v, part) => v?.[part], output);
}

interface Row {
  /** Operation, and the case when it matters. */
  name: string;
  /** Where AWS's answer was recorded. */
  source: string;
  call: () => Promise<unknown>;
  /** Path in the output → the members AWS answers with there. */
  members: Record<string, string[]>;
}

const USER = ['Arn', 'CreateDate', 'Path', 'UserId', 'UserName'];
const GROUP = ['Arn', 'CreateDate', 'GroupId', 'GroupName', 'Path'];
const ROLE_CREATED = ['Arn', 'AssumeRolePolicyDocument', 'CreateDate', 'Path', 'RoleId', 'RoleName'];
const POLICY = ['Arn', 'AttachmentCount', 'CreateDate', 'DefaultVersionId', 'IsAttachable', 'Path', 'PermissionsBoundaryUsageCount', 'PolicyId', 'PolicyName', 'UpdateDate'];
const PROFILE = ['Arn', 'CreateDate', 'InstanceProfileId', 'InstanceProfileName', 'Path', 'Roles'];

const SAML_METADATA = `<?xml version="1.0"?>
<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.com" validUntil="2035-01-01T00:00:00Z">
  <IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>${'MIIC'.padEnd(1100, 'B')}</X509Certificate></X509Data></KeyInfo></KeyDescriptor>
    <SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp.example.com/sso"/>
  </IDPSSODescriptor>
</EntityDescriptor>`;
const OIDC_ARN = `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.example.com`;
const SAML_ARN = `arn:aws:iam::${ACCOUNT}:saml-provider/Corp`;

async function fixtures(): Promise<void> {
  await iam.send(new CreateUserCommand({ UserName: 'plain-user' }));
  await iam.send(new CreateUserCommand({ UserName: 'bounded-user', PermissionsBoundary: BOUNDARY, Tags: [{ Key: 'team', Value: 'blue' }] }));
  await iam.send(new CreateGroupCommand({ GroupName: 'plain-group' }));
  await iam.send(new AddUserToGroupCommand({ GroupName: 'plain-group', UserName: 'bounded-user' }));
  await iam.send(new CreateRoleCommand({ RoleName: 'plain-role', AssumeRolePolicyDocument: TRUST }));
  await iam.send(new CreateRoleCommand({
    RoleName: 'full-role', AssumeRolePolicyDocument: TRUST, Description: 'described', PermissionsBoundary: BOUNDARY, Tags: [{ Key: 'env', Value: 'dev' }],
  }));
  await iam.send(new CreatePolicyCommand({ PolicyName: 'plain-policy', PolicyDocument: S3_LIST }));
  await iam.send(new CreatePolicyCommand({ PolicyName: 'described-policy', PolicyDocument: S3_LIST, Description: 'described' }));
  await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'plain-profile' }));
  await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'role-profile' }));
  await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'role-profile', RoleName: 'full-role' }));
  await iam.send(new CreateOpenIDConnectProviderCommand({ Url: 'https://oidc.example.com', ThumbprintList: ['a'.repeat(40)] }));
  await iam.send(new CreateSAMLProviderCommand({ Name: 'Corp', SAMLMetadataDocument: SAML_METADATA }));
  await iam.send(new UploadServerCertificateCommand({
    ServerCertificateName: 'plain-cert', CertificateBody: fixture('server-a.cert.pem'), PrivateKey: fixture('server-a.key.pem'),
  }));
  await iam.send(new CreateUserCommand({ UserName: 'sts-user' }));
  await iam.send(new PutUserPolicyCommand({ UserName: 'sts-user', PolicyName: 'all', PolicyDocument: doc([{ Effect: 'Allow', Action: '*', Resource: '*' }]) }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'sts-user' }));
  sts = new STSClient(clientConfig(server, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! }));
  const trustAccount = doc([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }]);
  await iam.send(new CreateRoleCommand({ RoleName: 'sts-role', AssumeRolePolicyDocument: trustAccount }));
}

const ROWS: Row[] = [
  // ---- users (LS tests/aws/services/iam/test_iam_users.snapshot.json @ e7e721c1) ----
  {
    name: 'CreateUser', source: 'LS test_iam_users.snapshot.json',
    call: () => iam.send(new CreateUserCommand({ UserName: 'shape-user' })),
    members: { '': ['User'], User: USER },
  },
  {
    name: 'GetUser without tags: no Tags member', source: 'LS test_iam_users.snapshot.json',
    call: () => iam.send(new GetUserCommand({ UserName: 'plain-user' })),
    members: { '': ['User'], User: USER },
  },
  {
    name: 'GetUser with a boundary and tags', source: 'model: ListUsers documentation ("To view all of the information for a user, see GetUser")',
    call: () => iam.send(new GetUserCommand({ UserName: 'bounded-user' })),
    members: { User: [...USER, 'PermissionsBoundary', 'Tags'] },
  },
  {
    name: 'ListUsers leaves out PermissionsBoundary and Tags', source: 'model: ListUsers documentation ("does not return … PermissionsBoundary, Tags")',
    call: () => iam.send(new ListUsersCommand({ PathPrefix: '/' })),
    members: { '': ['IsTruncated', 'Users'], 'Users.0': USER, 'Users.1': USER },
  },
  // ---- groups (LS tests/aws/services/iam/test_iam_groups.snapshot.json @ 75184f65) ----
  {
    name: 'CreateGroup', source: 'LS test_iam_groups.snapshot.json',
    call: () => iam.send(new CreateGroupCommand({ GroupName: 'shape-group' })),
    members: { '': ['Group'], Group: GROUP },
  },
  {
    name: 'GetGroup of an empty group: Users: []', source: 'LS test_iam_groups.snapshot.json',
    call: () => iam.send(new GetGroupCommand({ GroupName: 'shape-group' })),
    members: { '': ['Group', 'IsTruncated', 'Users'], Group: GROUP },
  },
  {
    name: 'GetGroup: its users as ListUsers lists them', source: 'LS test_iam_users.snapshot.json (GetGroup Users entries)',
    call: () => iam.send(new GetGroupCommand({ GroupName: 'plain-group' })),
    members: { 'Users.0': USER },
  },
  {
    name: 'ListGroups', source: 'LS test_iam_groups.snapshot.json',
    call: () => iam.send(new ListGroupsCommand({})),
    members: { '': ['Groups', 'IsTruncated'], 'Groups.0': GROUP },
  },
  // ---- roles (LS tests/aws/services/iam/test_iam_roles.snapshot.json @ 5617326a) ----
  {
    name: 'CreateRole: no MaxSessionDuration, no RoleLastUsed', source: 'LS test_iam_roles.snapshot.json',
    call: () => iam.send(new CreateRoleCommand({ RoleName: 'shape-role', AssumeRolePolicyDocument: TRUST })),
    members: { '': ['Role'], Role: ROLE_CREATED },
  },
  {
    name: 'CreateRole with a description and tags', source: 'LS test_iam_roles.snapshot.json',
    call: () => iam.send(new CreateRoleCommand({ RoleName: 'shape-role-2', AssumeRolePolicyDocument: TRUST, Description: 'd', Tags: [{ Key: 'k', Value: 'v' }] })),
    members: { Role: [...ROLE_CREATED, 'Description', 'Tags'] },
  },
  {
    name: 'GetRole: MaxSessionDuration and RoleLastUsed: {} always, no Tags when none', source: 'LS test_iam_roles.snapshot.json',
    call: () => iam.send(new GetRoleCommand({ RoleName: 'plain-role' })),
    members: { '': ['Role'], Role: [...ROLE_CREATED, 'MaxSessionDuration', 'RoleLastUsed'], 'Role.RoleLastUsed': [] },
  },
  {
    name: 'GetRole with a description, boundary and tags', source: 'LS test_iam_roles.snapshot.json; model: ListRoles documentation',
    call: () => iam.send(new GetRoleCommand({ RoleName: 'full-role' })),
    members: { Role: [...ROLE_CREATED, 'Description', 'MaxSessionDuration', 'PermissionsBoundary', 'RoleLastUsed', 'Tags'] },
  },
  {
    name: 'ListRoles: MaxSessionDuration; no Tags, boundary or RoleLastUsed', source: 'LS test_iam_roles.snapshot.json; LS test_iam.snapshot.json test_list_roles_with_permission_boundary',
    call: () => iam.send(new ListRolesCommand({})),
    members: { '': ['IsTruncated', 'Roles'], 'Roles.0': [...ROLE_CREATED, 'Description', 'MaxSessionDuration'], 'Roles.1': [...ROLE_CREATED, 'MaxSessionDuration'] },
  },
  {
    name: 'UpdateRoleDescription: as CreateRole answers, with the description', source: 'LS test_iam_roles.snapshot.json',
    call: () => iam.send(new UpdateRoleDescriptionCommand({ RoleName: 'shape-role', Description: 'now described' })),
    members: { '': ['Role'], Role: [...ROLE_CREATED, 'Description'] },
  },
  // ---- managed policies (LS tests/aws/services/iam/test_iam_policies.snapshot.json @ ffe45abd; test_iam_managed_policies.snapshot.json @ 412dac45) ----
  {
    name: 'CreatePolicy: no Description, no Tags', source: 'LS test_iam_policies.snapshot.json; model: Policy.Description documentation (GetPolicy only)',
    call: () => iam.send(new CreatePolicyCommand({ PolicyName: 'shape-policy', PolicyDocument: S3_LIST, Description: 'described' })),
    members: { '': ['Policy'], Policy: POLICY },
  },
  {
    name: 'GetPolicy without tags: Tags: []', source: 'LS test_iam_policies.snapshot.json',
    call: () => iam.send(new GetPolicyCommand({ PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/plain-policy` })),
    members: { '': ['Policy'], Policy: [...POLICY, 'Tags'], 'Policy.Tags': [] },
  },
  {
    name: 'GetPolicy with a description', source: 'model: Policy.Description documentation',
    call: () => iam.send(new GetPolicyCommand({ PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/described-policy` })),
    members: { Policy: [...POLICY, 'Description', 'Tags'] },
  },
  {
    // AWS answers with a Description too; the bundled catalogue has none (README, IAM).
    name: 'GetPolicy of an AWS managed policy: Tags: []', source: 'LS test_iam_managed_policies.snapshot.json',
    call: () => iam.send(new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/IAMUserChangePassword' })),
    members: { Policy: [...POLICY, 'Tags'], 'Policy.Tags': [] },
  },
  {
    name: 'ListPolicies: no Description, no Tags', source: 'LS test_iam_policies.snapshot.json; LS test_iam_managed_policies.snapshot.json',
    call: () => iam.send(new ListPoliciesCommand({ Scope: 'Local' })),
    members: { '': ['IsTruncated', 'Policies'], 'Policies.0': POLICY, 'Policies.1': POLICY },
  },
  {
    name: 'CreatePolicyVersion: no Document', source: 'LS test_iam_policies.snapshot.json',
    call: () => iam.send(new CreatePolicyVersionCommand({ PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/plain-policy`, PolicyDocument: S3_LIST })),
    members: { '': ['PolicyVersion'], PolicyVersion: ['CreateDate', 'IsDefaultVersion', 'VersionId'] },
  },
  {
    name: 'GetPolicyVersion', source: 'LS test_iam_policies.snapshot.json',
    call: () => iam.send(new GetPolicyVersionCommand({ PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/plain-policy`, VersionId: 'v2' })),
    members: { '': ['PolicyVersion'], PolicyVersion: ['CreateDate', 'Document', 'IsDefaultVersion', 'VersionId'] },
  },
  {
    name: 'ListPolicyVersions', source: 'LS test_iam_policies.snapshot.json',
    call: () => iam.send(new ListPolicyVersionsCommand({ PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/plain-policy` })),
    members: { '': ['IsTruncated', 'Versions'], 'Versions.0': ['CreateDate', 'IsDefaultVersion', 'VersionId'] },
  },
  // ---- instance profiles (LS tests/aws/services/iam/test_iam_instance_profiles.snapshot.json @ 561a513d) ----
  {
    name: 'CreateInstanceProfile: Roles: [], no Tags', source: 'LS test_iam_instance_profiles.snapshot.json',
    call: () => iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'shape-profile' })),
    members: { '': ['InstanceProfile'], InstanceProfile: PROFILE },
  },
  {
    name: 'GetInstanceProfile without tags: Tags: []', source: 'LS test_iam_instance_profiles.snapshot.json',
    call: () => iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'plain-profile' })),
    members: { InstanceProfile: [...PROFILE, 'Tags'], 'InstanceProfile.Tags': [] },
  },
  {
    name: 'GetInstanceProfile after its last tag is removed: Tags: []', source: 'LS test_iam_instance_profiles.snapshot.json',
    call: async () => {
      await iam.send(new TagInstanceProfileCommand({ InstanceProfileName: 'shape-profile', Tags: [{ Key: 'k', Value: 'v' }] }));
      await iam.send(new UntagInstanceProfileCommand({ InstanceProfileName: 'shape-profile', TagKeys: ['k'] }));
      return iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'shape-profile' }));
    },
    members: { InstanceProfile: [...PROFILE, 'Tags'], 'InstanceProfile.Tags': [] },
  },
  {
    name: 'GetInstanceProfile: its role without MaxSessionDuration, RoleLastUsed, boundary or tags', source: 'LS test_iam_instance_profiles.snapshot.json',
    call: () => iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'role-profile' })),
    members: { 'InstanceProfile.Roles.0': [...ROLE_CREATED, 'Description'] },
  },
  {
    name: 'ListInstanceProfiles: no Tags', source: 'LS test_iam_instance_profiles.snapshot.json',
    call: () => iam.send(new ListInstanceProfilesCommand({})),
    members: { '': ['InstanceProfiles', 'IsTruncated'], 'InstanceProfiles.0': PROFILE, 'InstanceProfiles.1': PROFILE },
  },
  {
    name: 'ListInstanceProfilesForRole: no Tags; roles as in GetInstanceProfile', source: 'LS test_iam_instance_profiles.snapshot.json',
    call: () => iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: 'full-role' })),
    members: { '': ['InstanceProfiles', 'IsTruncated'], 'InstanceProfiles.0': PROFILE, 'InstanceProfiles.0.Roles.0': [...ROLE_CREATED, 'Description'] },
  },
  // ---- GetAccountAuthorizationDetails (LS tests/aws/services/iam/test_iam_account_authorization_details.snapshot.json @ 561a513d) ----
  {
    name: 'GetAccountAuthorizationDetails: an untagged user without inline policies (Tags: [], no UserPolicyList)', source: 'LS test_iam_account_authorization_details.snapshot.json (no-filter-result)',
    call: async () => {
      const out = await iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['User'] }));
      return { user: out.UserDetailList!.find((u) => u.UserName === 'plain-user') };
    },
    members: { user: ['Arn', 'AttachedManagedPolicies', 'CreateDate', 'GroupList', 'Path', 'Tags', 'UserId', 'UserName'], 'user.Tags': [] },
  },
  {
    name: 'GetAccountAuthorizationDetails: an empty group (GroupPolicyList: [])', source: 'LS test_iam_account_authorization_details.snapshot.json (no-filter-result)',
    call: async () => {
      const out = await iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Group'] }));
      return { group: out.GroupDetailList!.find((g) => g.GroupName === 'shape-group') };
    },
    members: { group: ['Arn', 'AttachedManagedPolicies', 'CreateDate', 'GroupId', 'GroupName', 'GroupPolicyList', 'Path'] },
  },
  {
    name: 'GetAccountAuthorizationDetails: an untagged role (Tags: [], RoleLastUsed: {}, no MaxSessionDuration)', source: 'LS test_iam_account_authorization_details.snapshot.json (no-filter-result)',
    call: async () => {
      const out = await iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Role'] }));
      return { role: out.RoleDetailList!.find((r) => r.RoleName === 'plain-role') };
    },
    members: {
      role: ['Arn', 'AssumeRolePolicyDocument', 'AttachedManagedPolicies', 'CreateDate', 'InstanceProfileList', 'Path', 'RoleId', 'RoleLastUsed', 'RoleName', 'RolePolicyList', 'Tags'],
      'role.Tags': [],
    },
  },
  {
    name: 'GetAccountAuthorizationDetails: a role in an instance profile (profile without Tags; its roles as in GetInstanceProfile)',
    source: 'LS test_iam_account_authorization_details.snapshot.json (role-filter-result)',
    call: async () => {
      const out = await iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Role'] }));
      return { profile: out.RoleDetailList!.find((r) => r.RoleName === 'full-role')!.InstanceProfileList![0] };
    },
    members: { profile: PROFILE, 'profile.Roles.0': [...ROLE_CREATED, 'Description'] },
  },
  {
    name: 'GetAccountAuthorizationDetails: a managed policy (no Description)',
    source: 'LS test_iam_account_authorization_details.snapshot.json (local-managed-policy-filter-result); github 99designs/iamy#26 ("in the context of listing policies the Description is omitted")',
    call: async () => {
      const out = await iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['LocalManagedPolicy'] }));
      return { policy: out.Policies!.find((p) => p.PolicyName === 'described-policy') };
    },
    members: { policy: [...POLICY, 'PolicyVersionList'] },
  },
  // ---- account password policy (LS tests/aws/services/iam/test_iam_account_password_policy.snapshot.json @ 67ea9499) ----
  {
    name: 'GetAccountPasswordPolicy after an Update without parameters: no MaxPasswordAge, HardExpiry or PasswordReusePrevention',
    source: 'LS test_iam_account_password_policy.snapshot.json',
    call: async () => {
      await iam.send(new UpdateAccountPasswordPolicyCommand({}));
      return iam.send(new GetAccountPasswordPolicyCommand({}));
    },
    members: {
      '': ['PasswordPolicy'],
      PasswordPolicy: [
        'AllowUsersToChangePassword', 'ExpirePasswords', 'MinimumPasswordLength',
        'RequireLowercaseCharacters', 'RequireNumbers', 'RequireSymbols', 'RequireUppercaseCharacters',
      ],
    },
  },
  {
    name: 'GetAccountPasswordPolicy with every value set', source: 'LS test_iam_account_password_policy.snapshot.json',
    call: async () => {
      await iam.send(new UpdateAccountPasswordPolicyCommand({
        MinimumPasswordLength: 10, RequireSymbols: true, RequireNumbers: true, RequireUppercaseCharacters: true, RequireLowercaseCharacters: true,
        AllowUsersToChangePassword: true, MaxPasswordAge: 60, PasswordReusePrevention: 3, HardExpiry: true,
      }));
      const out = await iam.send(new GetAccountPasswordPolicyCommand({}));
      await iam.send(new DeleteAccountPasswordPolicyCommand({}));
      return out;
    },
    members: {
      PasswordPolicy: [
        'AllowUsersToChangePassword', 'ExpirePasswords', 'HardExpiry', 'MaxPasswordAge', 'MinimumPasswordLength', 'PasswordReusePrevention',
        'RequireLowercaseCharacters', 'RequireNumbers', 'RequireSymbols', 'RequireUppercaseCharacters',
      ],
    },
  },
  // ---- identity providers (LS test_iam_oidc.snapshot.json @ 3092b4b9; test_iam_saml_providers.snapshot.json @ 972f50c2) ----
  {
    name: 'GetOpenIDConnectProvider: ClientIDList: [] and Tags: [] when empty', source: 'LS test_iam_oidc.snapshot.json',
    call: () => iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: OIDC_ARN })),
    members: { '': ['ClientIDList', 'CreateDate', 'Tags', 'ThumbprintList', 'Url'], ClientIDList: [], Tags: [] },
  },
  {
    name: 'ListOpenIDConnectProviders', source: 'LS test_iam_oidc.snapshot.json',
    call: () => iam.send(new ListOpenIDConnectProvidersCommand({})),
    members: { '': ['OpenIDConnectProviderList'], 'OpenIDConnectProviderList.0': ['Arn'] },
  },
  {
    name: 'CreateSAMLProvider: the ARN only', source: 'LS test_iam_saml_providers.snapshot.json',
    call: () => iam.send(new CreateSAMLProviderCommand({ Name: 'Corp2', SAMLMetadataDocument: SAML_METADATA })),
    members: { '': ['SAMLProviderArn'] },
  },
  {
    name: 'GetSAMLProvider: AssertionEncryptionMode, PrivateKeyList: [], Tags: []', source: 'LS test_iam_saml_providers.snapshot.json',
    call: () => iam.send(new GetSAMLProviderCommand({ SAMLProviderArn: SAML_ARN })),
    members: {
      '': ['AssertionEncryptionMode', 'CreateDate', 'PrivateKeyList', 'SAMLMetadataDocument', 'SAMLProviderUUID', 'Tags', 'ValidUntil'],
      PrivateKeyList: [], Tags: [],
    },
  },
  {
    name: 'ListSAMLProviders', source: 'LS test_iam_saml_providers.snapshot.json',
    call: () => iam.send(new ListSAMLProvidersCommand({})),
    members: { '': ['SAMLProviderList'], 'SAMLProviderList.0': ['Arn', 'CreateDate', 'ValidUntil'] },
  },
  // ---- server certificates (LS tests/aws/services/iam/test_iam_server_certificates.snapshot.json @ 571deba3) ----
  {
    name: 'GetServerCertificate without tags: Tags: []', source: 'LS test_iam_server_certificates.snapshot.json',
    call: () => iam.send(new GetServerCertificateCommand({ ServerCertificateName: 'plain-cert' })),
    members: {
      '': ['ServerCertificate'],
      ServerCertificate: ['CertificateBody', 'ServerCertificateMetadata', 'Tags'],
      'ServerCertificate.ServerCertificateMetadata': ['Arn', 'Expiration', 'Path', 'ServerCertificateId', 'ServerCertificateName', 'UploadDate'],
      'ServerCertificate.Tags': [],
    },
  },
  {
    name: 'ListServerCertificates', source: 'LS test_iam_server_certificates.snapshot.json',
    call: () => iam.send(new ListServerCertificatesCommand({})),
    members: {
      '': ['IsTruncated', 'ServerCertificateMetadataList'],
      'ServerCertificateMetadataList.0': ['Arn', 'Expiration', 'Path', 'ServerCertificateId', 'ServerCertificateName', 'UploadDate'],
    },
  },
  // ---- user credentials (LS test_iam_users / test_iam_signing_certificates / test_iam_ssh_public_keys / test_iam_mfa snapshots) ----
  {
    name: 'ListAccessKeys of a user without keys: AccessKeyMetadata: []', source: 'LS test_iam_users.snapshot.json',
    call: () => iam.send(new ListAccessKeysCommand({ UserName: 'plain-user' })),
    members: { '': ['AccessKeyMetadata', 'IsTruncated'], AccessKeyMetadata: [] },
  },
  {
    name: 'CreateAccessKey', source: 'LS test_iam_users.snapshot.json',
    call: () => iam.send(new CreateAccessKeyCommand({ UserName: 'bounded-user' })),
    members: { '': ['AccessKey'], AccessKey: ['AccessKeyId', 'CreateDate', 'SecretAccessKey', 'Status', 'UserName'] },
  },
  {
    name: 'GetAccessKeyLastUsed of a key never used: Region and ServiceName N/A, no LastUsedDate', source: 'LS test_iam_users.snapshot.json',
    call: async () => {
      const { AccessKeyMetadata } = await iam.send(new ListAccessKeysCommand({ UserName: 'bounded-user' }));
      return iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: AccessKeyMetadata![0].AccessKeyId! }));
    },
    members: { '': ['AccessKeyLastUsed', 'UserName'], AccessKeyLastUsed: ['Region', 'ServiceName'] },
  },
  {
    name: 'ListAccessKeys', source: 'LS test_iam_users.snapshot.json',
    call: () => iam.send(new ListAccessKeysCommand({ UserName: 'bounded-user' })),
    members: { 'AccessKeyMetadata.0': ['AccessKeyId', 'CreateDate', 'Status', 'UserName'] },
  },
  {
    name: 'CreateLoginProfile / GetLoginProfile', source: 'LS test_iam_users.snapshot.json',
    call: async () => {
      await iam.send(new CreateLoginProfileCommand({ UserName: 'bounded-user', Password: 'Aa1!aaaaaaaaaaaa' }));
      return iam.send(new GetLoginProfileCommand({ UserName: 'bounded-user' }));
    },
    members: { '': ['LoginProfile'], LoginProfile: ['CreateDate', 'PasswordResetRequired', 'UserName'] },
  },
  {
    name: 'ListSigningCertificates of a user without any: Certificates: []', source: 'LS test_iam_signing_certificates.snapshot.json',
    call: () => iam.send(new ListSigningCertificatesCommand({ UserName: 'plain-user' })),
    members: { '': ['Certificates', 'IsTruncated'], Certificates: [] },
  },
  {
    name: 'UploadSigningCertificate', source: 'LS test_iam_signing_certificates.snapshot.json',
    call: () => iam.send(new UploadSigningCertificateCommand({ UserName: 'bounded-user', CertificateBody: fixture('server-b.cert.pem') })),
    members: { '': ['Certificate'], Certificate: ['CertificateBody', 'CertificateId', 'Status', 'UploadDate', 'UserName'] },
  },
  {
    name: 'ListSSHPublicKeys of a user without any: SSHPublicKeys: []', source: 'LS test_iam_ssh_public_keys.snapshot.json',
    call: () => iam.send(new ListSSHPublicKeysCommand({ UserName: 'plain-user' })),
    members: { '': ['IsTruncated', 'SSHPublicKeys'], SSHPublicKeys: [] },
  },
  {
    name: 'UploadSSHPublicKey / GetSSHPublicKey / ListSSHPublicKeys', source: 'LS test_iam_ssh_public_keys.snapshot.json',
    call: async () => {
      const up = await iam.send(new UploadSSHPublicKeyCommand({ UserName: 'bounded-user', SSHPublicKeyBody: sshRsaKey().openssh }));
      const id = up.SSHPublicKey!.SSHPublicKeyId!;
      const got = await iam.send(new GetSSHPublicKeyCommand({ UserName: 'bounded-user', SSHPublicKeyId: id, Encoding: 'SSH' }));
      const list = await iam.send(new ListSSHPublicKeysCommand({ UserName: 'bounded-user' }));
      return { up: up.SSHPublicKey, got: got.SSHPublicKey, listed: list.SSHPublicKeys![0] };
    },
    members: {
      up: ['Fingerprint', 'SSHPublicKeyBody', 'SSHPublicKeyId', 'Status', 'UploadDate', 'UserName'],
      got: ['Fingerprint', 'SSHPublicKeyBody', 'SSHPublicKeyId', 'Status', 'UploadDate', 'UserName'],
      listed: ['SSHPublicKeyId', 'Status', 'UploadDate', 'UserName'],
    },
  },
  {
    name: 'CreateVirtualMFADevice', source: 'LS test_iam_mfa.snapshot.json',
    call: () => iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'shape-mfa' })),
    members: { '': ['VirtualMFADevice'], VirtualMFADevice: ['Base32StringSeed', 'QRCodePNG', 'SerialNumber'] },
  },
  {
    name: 'ListVirtualMFADevices: an unassigned device has only its SerialNumber', source: 'LS test_iam_mfa.snapshot.json',
    call: () => iam.send(new ListVirtualMFADevicesCommand({})),
    members: { '': ['IsTruncated', 'VirtualMFADevices'], 'VirtualMFADevices.0': ['SerialNumber'] },
  },
  {
    name: 'ListMFADevices of a user without any: MFADevices: []', source: 'LS test_iam_mfa.snapshot.json',
    call: () => iam.send(new ListMFADevicesCommand({ UserName: 'plain-user' })),
    members: { '': ['IsTruncated', 'MFADevices'], MFADevices: [] },
  },
  // ---- sub-collections answer empty lists (LS test_iam_users / test_iam_roles snapshots) ----
  {
    name: 'ListUserTags / ListRoleTags of untagged ones: Tags: []', source: 'LS test_iam_users.snapshot.json; LS test_iam_roles.snapshot.json',
    call: async () => ({
      user: await iam.send(new ListUserTagsCommand({ UserName: 'plain-user' })),
      role: await iam.send(new ListRoleTagsCommand({ RoleName: 'plain-role' })),
    }),
    members: { user: ['IsTruncated', 'Tags'], 'user.Tags': [], role: ['IsTruncated', 'Tags'], 'role.Tags': [] },
  },
  {
    name: 'ListUserPolicies / ListAttachedUserPolicies / ListGroupsForUser of a bare user: empty lists', source: 'LS test_iam_users.snapshot.json',
    call: async () => ({
      inline: await iam.send(new ListUserPoliciesCommand({ UserName: 'plain-user' })),
      attached: await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'plain-user' })),
      groups: await iam.send(new ListGroupsForUserCommand({ UserName: 'plain-user' })),
    }),
    members: {
      inline: ['IsTruncated', 'PolicyNames'], 'inline.PolicyNames': [],
      attached: ['AttachedPolicies', 'IsTruncated'], 'attached.AttachedPolicies': [],
      groups: ['Groups', 'IsTruncated'], 'groups.Groups': [],
    },
  },
  // ---- GetAccountSummary (LS tests/aws/services/iam/test_iam_account_summary.snapshot.json @ 4a0cf7b5) ----
  {
    name: 'GetAccountSummary: the 34 keys of SummaryMap', source: 'LS test_iam_account_summary.snapshot.json',
    call: () => iam.send(new GetAccountSummaryCommand({})),
    members: {
      '': ['SummaryMap'],
      SummaryMap: [
        'AccessKeysPerUserQuota', 'AccountAccessKeysPresent', 'AccountMFAEnabled', 'AccountPasswordPresent', 'AccountSigningCertificatesPresent',
        'AssumeRolePolicySizeQuota', 'AttachedPoliciesPerGroupQuota', 'AttachedPoliciesPerRoleQuota', 'AttachedPoliciesPerUserQuota',
        'GlobalEndpointTokenVersion', 'GroupPolicySizeQuota', 'Groups', 'GroupsPerUserQuota', 'GroupsQuota', 'InstanceProfiles',
        'InstanceProfilesQuota', 'MFADevices', 'MFADevicesInUse', 'Policies', 'PoliciesQuota', 'PolicySizeQuota', 'PolicyVersionsInUse',
        'PolicyVersionsInUseQuota', 'Providers', 'RolePolicySizeQuota', 'Roles', 'RolesQuota', 'ServerCertificates', 'ServerCertificatesQuota',
        'SigningCertificatesPerUserQuota', 'UserPolicySizeQuota', 'Users', 'UsersQuota', 'VersionsPerPolicyQuota',
      ],
    },
  },
  // ---- STS (LS tests/aws/services/sts/test_sts.snapshot.json @ 1ed72f1b) ----
  {
    name: 'GetCallerIdentity', source: 'LS test_sts.snapshot.json',
    call: () => sts.send(new GetCallerIdentityCommand({})),
    members: { '': ['Account', 'Arn', 'UserId'] },
  },
  {
    name: 'GetSessionToken', source: 'model: GetSessionTokenResponse',
    call: () => sts.send(new GetSessionTokenCommand({})),
    members: { '': ['Credentials'], Credentials: ['AccessKeyId', 'Expiration', 'SecretAccessKey', 'SessionToken'] },
  },
  {
    name: 'AssumeRole without a session policy or tags: no PackedPolicySize', source: 'LS test_sts.snapshot.json',
    call: () => sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/sts-role`, RoleSessionName: 's1' })),
    members: { '': ['AssumedRoleUser', 'Credentials'], AssumedRoleUser: ['Arn', 'AssumedRoleId'] },
  },
  {
    name: 'AssumeRole with an inline session policy: PackedPolicySize', source: 'LS test_sts.snapshot.json',
    call: () => sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/sts-role`, RoleSessionName: 's2', Policy: S3_LIST })),
    members: { '': ['AssumedRoleUser', 'Credentials', 'PackedPolicySize'] },
  },
  {
    name: 'GetFederationToken: PackedPolicySize even without a policy', source: 'LS test_sts.snapshot.json',
    call: () => sts.send(new GetFederationTokenCommand({ Name: 'fed' })),
    members: { '': ['Credentials', 'FederatedUser', 'PackedPolicySize'], FederatedUser: ['Arn', 'FederatedUserId'] },
  },
];

describe('IAM and STS response members, as AWS answers', () => {
  before(fixtures);
  for (const row of ROWS) {
    test(`${row.name} [${row.source}]`, async () => {
      const output = await row.call();
      for (const [path, members] of Object.entries(row.members)) {
        assert.deepEqual(keysOf(at(output, path)), [...members].sort(), `${path || '(output)'} of ${row.name}`);
      }
    });
  }
});

