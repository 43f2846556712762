import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT, asRoot, call, contextFor, openTestStore, throwsAws } from './context.js';
import { ensureAccount, resetAccount } from '../../src/identity/accounts.js';
import { MALFORMED_POLICY_MESSAGES as MSG } from '../../src/policy/index.js';
import { iamService } from '../../src/services/iam/index.js';
import { findRoleByArn, findRoleByName, recordRoleUse } from '../../src/identity/roles.js';
import { MAX_ROLES_PER_ACCOUNT } from '../../src/services/iam/roles/role-rows.js';
import { identityPoliciesFor } from '../../src/identity/effective-policies.js';
import { authorize, policySetFor } from '../../src/server/authorize.js';
import { globalConditionKeys } from '../../src/server/request-facts.js';
import type { Principal } from '../../src/identity/principal.js';
import type { Store } from '../../src/store/store.js';
import { sessionOf } from './managed-policies-support.js';

let t: ReturnType<typeof openTestStore>;
let store: Store;
beforeEach(() => {
  t = openTestStore();
  store = t.store;
});
afterEach(() => t.dispose());

const root = () => asRoot(store);

function policy(statements: unknown[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

const EC2_TRUST = policy([{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }]);

function createRole(name: string, extra: Record<string, unknown> = {}) {
  return call(root(), 'CreateRole', { RoleName: name, AssumeRolePolicyDocument: EC2_TRUST, ...extra }).Role;
}

function decide(principal: Principal, op: string, input: Record<string, unknown>): string {
  const ctx = contextFor(store, principal);
  const rule = iamService.operations[op].authorize(ctx, input);
  const entries = rule === null ? [] : Array.isArray(rule) ? rule : [rule];
  const keys = globalConditionKeys(principal, { now: ctx.now, region: ctx.region, sourceIp: ctx.sourceIp, secureTransport: true });
  const verdicts = authorize(principal, entries, keys, policySetFor(store, principal));
  return verdicts.find((v) => v.decision.decision !== 'allowed')?.decision.decision ?? 'allowed';
}

describe('CreateRole', () => {
  test('returns an AROA id, the ARN with its path, the trust policy URL-encoded, description and tags', () => {
    const now = Date.UTC(2026, 2, 4, 5, 6, 7);
    const { Role } = call(asRoot(store, now), 'CreateRole', {
      RoleName: 'app',
      Path: '/svc/',
      AssumeRolePolicyDocument: EC2_TRUST,
      Description: 'for the app',
      Tags: [{ Key: 'env', Value: 'prod' }],
    });
    assert.match(Role.RoleId, /^AROA[A-Z2-7]{17}$/);
    assert.equal(Role.Arn, `arn:aws:iam::${ACCOUNT}:role/svc/app`);
    assert.equal(Role.Path, '/svc/');
    assert.equal(Role.AssumeRolePolicyDocument, encodeURIComponent(EC2_TRUST));
    assert.equal(Role.Description, 'for the app');
    assert.deepEqual(Role.Tags, [{ Key: 'env', Value: 'prod' }]);
    assert.deepEqual(Role.CreateDate, new Date(now));
  });

  test('names are unique case-insensitively', () => {
    createRole('app');
    throwsAws(() => createRole('APP'), 'EntityAlreadyExists', 409, 'Role with name APP already exists.');
  });

  test('a trust policy must name a principal, takes no Resource, and fits ACLSizePerRole', () => {
    const noPrincipal = policy([{ Effect: 'Allow', Action: 'sts:AssumeRole' }]);
    throwsAws(() => createRole('a', { AssumeRolePolicyDocument: noPrincipal }), 'MalformedPolicyDocument', 400, 'Missing required field Principal');
    const withResource = policy([{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole', Resource: '*' }]);
    throwsAws(() => createRole('a', { AssumeRolePolicyDocument: withResource }), 'MalformedPolicyDocument', 400, MSG.prohibitedField('Resource'));
    const huge = policy([{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'x'.repeat(2100) } } }]);
    throwsAws(() => createRole('a', { AssumeRolePolicyDocument: huge }), 'LimitExceeded', 409, 'Cannot exceed quota for ACLSizePerRole: 2048');
    throwsAws(() => call(root(), 'GetRole', { RoleName: 'a' }), 'NoSuchEntity', 404);
  });

  test('an AWS principal naming a user or role of a known account must exist', () => {
    call(root(), 'CreateUser', { UserName: 'alice', Path: '/eng/' });
    const trusting = (arn: string) => policy([{ Effect: 'Allow', Principal: { AWS: arn }, Action: 'sts:AssumeRole' }]);
    createRole('ok-user', { AssumeRolePolicyDocument: trusting(`arn:aws:iam::${ACCOUNT}:user/eng/alice`) });
    createRole('ok-role', { AssumeRolePolicyDocument: trusting(`arn:aws:iam::${ACCOUNT}:role/ok-user`) });
    createRole('ok-root', { AssumeRolePolicyDocument: trusting(`arn:aws:iam::${ACCOUNT}:root`) });
    // An account this server does not hold cannot be checked: taken on trust.
    createRole('ok-foreign', { AssumeRolePolicyDocument: trusting('arn:aws:iam::999999999999:user/anyone') });
    const missing = `arn:aws:iam::${ACCOUNT}:user/bob`;
    throwsAws(() => createRole('bad', { AssumeRolePolicyDocument: trusting(missing) }), 'MalformedPolicyDocument', 400, `Invalid principal in policy: "AWS":"${missing}"`);
    const wrongPath = `arn:aws:iam::${ACCOUNT}:user/alice`;
    throwsAws(() => createRole('bad', { AssumeRolePolicyDocument: trusting(wrongPath) }), 'MalformedPolicyDocument', 400, `Invalid principal in policy: "AWS":"${wrongPath}"`);
    const wildcard = `arn:aws:iam::${ACCOUNT}:role/*`;
    throwsAws(() => createRole('bad', { AssumeRolePolicyDocument: trusting(wildcard) }), 'MalformedPolicyDocument', 400, `Invalid principal in policy: "AWS":"${wildcard}"`);
  });

  test('a permissions boundary must be a managed policy that exists', () => {
    const missing = `arn:aws:iam::${ACCOUNT}:policy/nothing`;
    throwsAws(() => createRole('b', { PermissionsBoundary: missing }), 'NoSuchEntity', 404, `Scope ARN: ${missing} does not exist or is not attachable.`);
    const arn = 'arn:aws:iam::aws:policy/PowerUserAccess';
    const created = createRole('b', { PermissionsBoundary: arn });
    assert.deepEqual(created.PermissionsBoundary, { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: arn });
    assert.equal(call(root(), 'GetRole', { RoleName: 'b' }).Role.PermissionsBoundary.PermissionsBoundaryArn, arn);
  });

  test('the roles-per-account quota is enforced', () => {
    const insert = store.db.prepare(
      "INSERT INTO roles (account_id, role_id, role_name, path, created_at, assume_role_policy_document, max_session_duration) VALUES (?, ?, ?, '/', 0, '{}', 3600)",
    );
    store.tx(() => {
      for (let i = 0; i < MAX_ROLES_PER_ACCOUNT; i++) insert.run(ACCOUNT, `AROAFILL${String(i).padStart(13, '0')}`, `r${i}`);
    });
    throwsAws(() => createRole('extra'), 'LimitExceeded', 409, 'Cannot exceed quota for RolesPerAccount: 1000');
  });
});

describe('GetRole / ListRoles', () => {
  test('GetRole has MaxSessionDuration and RoleLastUsed (empty until a session uses the role)', () => {
    createRole('app', { MaxSessionDuration: 7200 });
    const { Role } = call(root(), 'GetRole', { RoleName: 'APP' });
    assert.equal(Role.RoleName, 'app');
    assert.equal(Role.MaxSessionDuration, 7200);
    assert.deepEqual(Role.RoleLastUsed, {});
    const used = Date.UTC(2026, 5, 1);
    recordRoleUse(store, ACCOUNT, Role.RoleId, used, 'eu-west-1');
    assert.deepEqual(call(root(), 'GetRole', { RoleName: 'app' }).Role.RoleLastUsed, { LastUsedDate: new Date(used), Region: 'eu-west-1' });
  });

  test('GetRole of a missing role is NoSuchEntity in IAM words', () => {
    throwsAws(() => call(root(), 'GetRole', { RoleName: 'ghost' }), 'NoSuchEntity', 404, 'The role with name ghost cannot be found.');
  });

  test('ListRoles filters by PathPrefix, pages by name, and leaves out tags', () => {
    createRole('b', { Path: '/svc/', Tags: [{ Key: 'k', Value: 'v' }] });
    createRole('a', { Path: '/svc/web/' });
    createRole('c');
    const all = call(root(), 'ListRoles', {});
    assert.deepEqual(all.Roles.map((r: any) => r.RoleName), ['a', 'b', 'c']);
    assert.equal(all.Roles[1].MaxSessionDuration, 3600);
    assert.equal('Tags' in all.Roles[1], false);
    assert.deepEqual(call(root(), 'ListRoles', { PathPrefix: '/svc/' }).Roles.map((r: any) => r.RoleName), ['a', 'b']);
    const page = call(root(), 'ListRoles', { MaxItems: 2 });
    assert.equal(page.IsTruncated, true);
    assert.deepEqual(call(root(), 'ListRoles', { Marker: page.Marker }).Roles.map((r: any) => r.RoleName), ['c']);
  });
});

describe('UpdateRole / UpdateRoleDescription / UpdateAssumeRolePolicy', () => {
  test('UpdateRole sets the description and the maximum session duration', () => {
    createRole('app', { Description: 'old' });
    call(root(), 'UpdateRole', { RoleName: 'app', Description: 'new', MaxSessionDuration: 43200 });
    const { Role } = call(root(), 'GetRole', { RoleName: 'app' });
    assert.equal(Role.Description, 'new');
    assert.equal(Role.MaxSessionDuration, 43200);
    call(root(), 'UpdateRole', { RoleName: 'app', Description: '' });
    assert.equal('Description' in call(root(), 'GetRole', { RoleName: 'app' }).Role, false);
  });

  test('UpdateRoleDescription answers with the updated role', () => {
    createRole('app');
    const { Role } = call(root(), 'UpdateRoleDescription', { RoleName: 'app', Description: 'described' });
    assert.equal(Role.Description, 'described');
    assert.equal(Role.RoleName, 'app');
    throwsAws(() => call(root(), 'UpdateRoleDescription', { RoleName: 'x', Description: 'd' }), 'NoSuchEntity', 404, 'The role with name x cannot be found.');
  });

  test('UpdateAssumeRolePolicy replaces the trust policy, checked as CreateRole checks it', () => {
    createRole('app');
    const next = policy([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }]);
    call(root(), 'UpdateAssumeRolePolicy', { RoleName: 'app', PolicyDocument: next });
    assert.equal(findRoleByName(store, ACCOUNT, 'app')!.assume_role_policy_document, next);
    throwsAws(
      () => call(root(), 'UpdateAssumeRolePolicy', { RoleName: 'app', PolicyDocument: policy([{ Effect: 'Allow', Action: 'sts:AssumeRole' }]) }),
      'MalformedPolicyDocument',
      400,
      'Missing required field Principal',
    );
    assert.equal(findRoleByName(store, ACCOUNT, 'app')!.assume_role_policy_document, next);
  });
});

describe('DeleteRole', () => {
  test('refuses while the role is in an instance profile or has inline or attached policies', () => {
    const role = createRole('app');
    call(root(), 'CreateInstanceProfile', { InstanceProfileName: 'ip' });
    call(root(), 'AddRoleToInstanceProfile', { InstanceProfileName: 'ip', RoleName: 'app' });
    call(root(), 'PutRolePolicy', { RoleName: 'app', PolicyName: 'p', PolicyDocument: policy([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }]) });
    store.db
      .prepare('INSERT INTO role_policy_attachments (account_id, role_id, policy_arn, attached_at) VALUES (?, ?, ?, 0)')
      .run(ACCOUNT, role.RoleId, 'arn:aws:iam::aws:policy/AmazonS3FullAccess');
    throwsAws(() => call(root(), 'DeleteRole', { RoleName: 'app' }), 'DeleteConflict', 409, 'Cannot delete entity, must remove roles from instance profile first.');
    call(root(), 'RemoveRoleFromInstanceProfile', { InstanceProfileName: 'ip', RoleName: 'app' });
    throwsAws(() => call(root(), 'DeleteRole', { RoleName: 'app' }), 'DeleteConflict', 409, 'Cannot delete entity, must delete policies first.');
    call(root(), 'DeleteRolePolicy', { RoleName: 'app', PolicyName: 'p' });
    throwsAws(() => call(root(), 'DeleteRole', { RoleName: 'app' }), 'DeleteConflict', 409, 'Cannot delete entity, must detach all policies first.');
    store.db.prepare('DELETE FROM role_policy_attachments WHERE role_id = ?').run(role.RoleId);
    call(root(), 'DeleteRole', { RoleName: 'app' });
    throwsAws(() => call(root(), 'GetRole', { RoleName: 'app' }), 'NoSuchEntity', 404);
  });

  test('takes the role\'s tags with it: a new role of the same name starts untagged', () => {
    createRole('app', { Tags: [{ Key: 'k', Value: 'v' }] });
    call(root(), 'DeleteRole', { RoleName: 'app' });
    createRole('app');
    assert.deepEqual(call(root(), 'ListRoleTags', { RoleName: 'app' }).Tags, []);
    assert.equal((store.db.prepare("SELECT count(*) AS n FROM tags WHERE resource_kind = 'role'").get() as { n: number }).n, 0);
  });

  test('a missing role is NoSuchEntity', () => {
    throwsAws(() => call(root(), 'DeleteRole', { RoleName: 'ghost' }), 'NoSuchEntity', 404, 'The role with name ghost cannot be found.');
  });
});

describe('role tags', () => {
  test('TagRole adds and overwrites (keys case-insensitive), UntagRole removes, ListRoleTags pages', () => {
    createRole('app', { Tags: [{ Key: 'env', Value: 'dev' }] });
    call(root(), 'TagRole', { RoleName: 'app', Tags: [{ Key: 'ENV', Value: 'prod' }, { Key: 'team', Value: 'blue' }] });
    assert.deepEqual(call(root(), 'ListRoleTags', { RoleName: 'app' }).Tags, [
      { Key: 'ENV', Value: 'prod' },
      { Key: 'team', Value: 'blue' },
    ]);
    const page = call(root(), 'ListRoleTags', { RoleName: 'app', MaxItems: 1 });
    assert.equal(page.IsTruncated, true);
    assert.deepEqual(call(root(), 'ListRoleTags', { RoleName: 'app', Marker: page.Marker }).Tags, [{ Key: 'team', Value: 'blue' }]);
    call(root(), 'UntagRole', { RoleName: 'app', TagKeys: ['env', 'absent'] });
    assert.deepEqual(call(root(), 'GetRole', { RoleName: 'app' }).Role.Tags, [{ Key: 'team', Value: 'blue' }]);
  });

  test('at most 50 tags; the aws: prefix is reserved', () => {
    createRole('app');
    const tags = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    call(root(), 'TagRole', { RoleName: 'app', Tags: tags });
    throwsAws(() => call(root(), 'TagRole', { RoleName: 'app', Tags: [{ Key: 'one-more', Value: 'v' }] }), 'LimitExceeded', 409);
    throwsAws(() => call(root(), 'TagRole', { RoleName: 'app', Tags: [{ Key: 'aws:x', Value: 'v' }] }), 'InvalidInput', 400);
  });
});

describe('role inline policies', () => {
  const doc = policy([{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }]);

  test('Put / Get / List / Delete, with IAM\'s messages for what is missing', () => {
    createRole('app');
    call(root(), 'PutRolePolicy', { RoleName: 'app', PolicyName: 'read', PolicyDocument: doc });
    assert.deepEqual(call(root(), 'GetRolePolicy', { RoleName: 'APP', PolicyName: 'READ' }), {
      RoleName: 'app',
      PolicyName: 'read',
      PolicyDocument: encodeURIComponent(doc),
    });
    assert.deepEqual(call(root(), 'ListRolePolicies', { RoleName: 'app' }).PolicyNames, ['read']);
    call(root(), 'DeleteRolePolicy', { RoleName: 'app', PolicyName: 'read' });
    throwsAws(() => call(root(), 'GetRolePolicy', { RoleName: 'app', PolicyName: 'read' }), 'NoSuchEntity', 404, 'The role policy with name read cannot be found.');
    throwsAws(() => call(root(), 'PutRolePolicy', { RoleName: 'x', PolicyName: 'p', PolicyDocument: doc }), 'NoSuchEntity', 404, 'The role with name x cannot be found.');
  });

  test('the role inline quota is 10,240 characters across its policies', () => {
    createRole('app');
    const big = (n: number) => policy([{ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${'x'.repeat(n)}` }]);
    const base = big(0).length;
    call(root(), 'PutRolePolicy', { RoleName: 'app', PolicyName: 'one', PolicyDocument: big(6000 - base) });
    throwsAws(
      () => call(root(), 'PutRolePolicy', { RoleName: 'app', PolicyName: 'two', PolicyDocument: big(4241 - base) }),
      'LimitExceeded',
      409,
      'Maximum policy size of 10240 bytes exceeded for role app',
    );
    call(root(), 'PutRolePolicy', { RoleName: 'app', PolicyName: 'two', PolicyDocument: big(4240 - base) });
  });
});

describe('findRoleByName / findRoleByArn (for STS)', () => {
  test('return the row with its ARN, trust policy, duration, boundary and tags', () => {
    createRole('app', { Path: '/svc/', MaxSessionDuration: 5400, Tags: [{ Key: 'team', Value: 'red' }], PermissionsBoundary: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
    const byName = findRoleByName(store, ACCOUNT, 'APP')!;
    assert.equal(byName.arn, `arn:aws:iam::${ACCOUNT}:role/svc/app`);
    assert.equal(byName.assume_role_policy_document, EC2_TRUST);
    assert.equal(byName.max_session_duration, 5400);
    assert.equal(byName.permissions_boundary_arn, 'arn:aws:iam::aws:policy/ReadOnlyAccess');
    assert.deepEqual(byName.tags, { team: 'red' });
    assert.deepEqual(findRoleByArn(store, byName.arn), byName);
  });

  test('the ARN must carry the role\'s own path and account', () => {
    createRole('app', { Path: '/svc/' });
    assert.equal(findRoleByArn(store, `arn:aws:iam::${ACCOUNT}:role/app`), undefined);
    assert.equal(findRoleByArn(store, 'arn:aws:iam::111111111111:role/svc/app'), undefined);
    assert.equal(findRoleByArn(store, `arn:aws:iam::${ACCOUNT}:user/svc/app`), undefined);
    assert.equal(findRoleByName(store, ACCOUNT, 'nope'), undefined);
  });

  test('finds roles in any account the server holds', () => {
    const other = '111111111111';
    ensureAccount(store, other);
    const ctx = contextFor(store, { type: 'root', accountId: other, arn: `arn:aws:iam::${other}:root`, userId: other, tags: {} });
    call(ctx, 'CreateRole', { RoleName: 'cross', AssumeRolePolicyDocument: policy([{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' }]) });
    assert.equal(findRoleByArn(store, `arn:aws:iam::${other}:role/cross`)?.account_id, other);
    assert.equal(findRoleByName(store, ACCOUNT, 'cross'), undefined);
  });
});

describe('role sessions: the role\'s policies are the session\'s', () => {
  test('inline policies apply at once and stop applying when removed', () => {
    createRole('app');
    const session = sessionOf(store, 'app');
    assert.equal(decide(session, 'ListRoles', {}), 'implicitDeny');
    call(root(), 'PutRolePolicy', { RoleName: 'app', PolicyName: 'list', PolicyDocument: policy([{ Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*' }]) });
    assert.equal(decide(session, 'ListRoles', {}), 'allowed');
    assert.deepEqual(identityPoliciesFor(store, session).identity.map((p) => p.name), ['list (inline, role app)']);
    call(root(), 'DeleteRolePolicy', { RoleName: 'app', PolicyName: 'list' });
    assert.equal(decide(session, 'ListRoles', {}), 'implicitDeny');
  });

  test('the role\'s boundary caps its sessions', () => {
    createRole('app', { PermissionsBoundary: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' });
    call(root(), 'PutRolePolicy', { RoleName: 'app', PolicyName: 'all', PolicyDocument: policy([{ Effect: 'Allow', Action: '*', Resource: '*' }]) });
    const session = sessionOf(store, 'app');
    assert.equal(identityPoliciesFor(store, session).boundary?.name, 'AmazonS3ReadOnlyAccess');
    assert.equal(decide(session, 'ListRoles', {}), 'implicitDeny');
  });

  test('a session of a deleted role has no permissions, even if a role of that name comes back', () => {
    createRole('app');
    call(root(), 'PutRolePolicy', { RoleName: 'app', PolicyName: 'list', PolicyDocument: policy([{ Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*' }]) });
    const session = sessionOf(store, 'app');
    call(root(), 'DeleteRolePolicy', { RoleName: 'app', PolicyName: 'list' });
    call(root(), 'DeleteRole', { RoleName: 'app' });
    createRole('app');
    call(root(), 'PutRolePolicy', { RoleName: 'app', PolicyName: 'list', PolicyDocument: policy([{ Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*' }]) });
    assert.equal(decide(session, 'ListRoles', {}), 'implicitDeny');
    assert.equal(decide(sessionOf(store, 'app'), 'ListRoles', {}), 'allowed');
  });
});

describe('authorization map for roles', () => {
  test('role actions carry the role\'s tags and, where IAM defines it, its boundary', () => {
    createRole('app', { Path: '/svc/', Tags: [{ Key: 'team', Value: 'red' }], PermissionsBoundary: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
    const arn = `arn:aws:iam::${ACCOUNT}:role/svc/app`;
    const tags = { 'aws:ResourceTag/team': 'red', 'iam:ResourceTag/team': 'red' };
    assert.deepEqual(iamService.operations.PutRolePolicy.authorize(root(), { RoleName: 'app' }), {
      action: 'iam:PutRolePolicy',
      resource: arn,
      context: { ...tags, 'iam:PermissionsBoundary': 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
    });
    assert.deepEqual(iamService.operations.GetRolePolicy.authorize(root(), { RoleName: 'app' }), { action: 'iam:GetRolePolicy', resource: arn, context: tags });
    assert.deepEqual(iamService.operations.UntagRole.authorize(root(), { RoleName: 'app', TagKeys: ['team'] }), {
      action: 'iam:UntagRole',
      resource: arn,
      context: { ...tags, 'aws:TagKeys': ['team'] },
    });
  });

  test('CreateRole brings the request\'s tags and boundary; missing roles are checked at /', () => {
    assert.deepEqual(
      iamService.operations.CreateRole.authorize(root(), { RoleName: 'r', Path: '/p/', PermissionsBoundary: 'arn:b', Tags: [{ Key: 'k', Value: 'v' }] }),
      { action: 'iam:CreateRole', resource: `arn:aws:iam::${ACCOUNT}:role/p/r`, context: { 'aws:TagKeys': ['k'], 'aws:RequestTag/k': 'v', 'iam:PermissionsBoundary': 'arn:b' } },
    );
    assert.deepEqual(iamService.operations.GetRole.authorize(root(), { RoleName: 'none' }), { action: 'iam:GetRole', resource: `arn:aws:iam::${ACCOUNT}:role/none` });
    assert.deepEqual(iamService.operations.ListRoles.authorize(root(), {}), { action: 'iam:ListRoles', resource: `arn:aws:iam::${ACCOUNT}:role/` });
  });

  test('a user allowed only on roles under a path can manage those and no others', () => {
    call(root(), 'CreateUser', { UserName: 'ops' });
    const { AccessKey } = call(root(), 'CreateAccessKey', { UserName: 'ops' });
    call(root(), 'PutUserPolicy', {
      UserName: 'ops',
      PolicyName: 'p',
      PolicyDocument: policy([{ Effect: 'Allow', Action: ['iam:GetRole', 'iam:PutRolePolicy'], Resource: 'arn:aws:iam::*:role/app/*' }]),
    });
    createRole('mine', { Path: '/app/' });
    createRole('theirs');
    const principal = { type: 'user' as const, accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/ops`, userId: findUserId('ops'), userName: 'ops', tags: {}, accessKeyId: AccessKey.AccessKeyId };
    assert.equal(decide(principal, 'GetRole', { RoleName: 'mine' }), 'allowed');
    assert.equal(decide(principal, 'PutRolePolicy', { RoleName: 'mine' }), 'allowed');
    assert.equal(decide(principal, 'GetRole', { RoleName: 'theirs' }), 'implicitDeny');
  });
});

function findUserId(userName: string): string {
  return call(root(), 'GetUser', { UserName: userName }).User.UserId;
}

describe('resetAccount', () => {
  test('wipes groups, memberships, roles, their policies, instance profiles and deletion tasks', () => {
    call(root(), 'CreateUser', { UserName: 'u' });
    call(root(), 'CreateGroup', { GroupName: 'g' });
    call(root(), 'AddUserToGroup', { GroupName: 'g', UserName: 'u' });
    call(root(), 'PutGroupPolicy', { GroupName: 'g', PolicyName: 'p', PolicyDocument: policy([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }]) });
    createRole('app', { Tags: [{ Key: 'k', Value: 'v' }] });
    call(root(), 'PutRolePolicy', { RoleName: 'app', PolicyName: 'p', PolicyDocument: policy([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }]) });
    call(root(), 'CreateInstanceProfile', { InstanceProfileName: 'ip' });
    call(root(), 'AddRoleToInstanceProfile', { InstanceProfileName: 'ip', RoleName: 'app' });
    call(root(), 'CreateServiceLinkedRole', { AWSServiceName: 'ecs.amazonaws.com' });
    call(root(), 'DeleteServiceLinkedRole', { RoleName: 'AWSServiceRoleForECS' });
    resetAccount(store, ACCOUNT);
    for (const table of ['groups', 'group_members', 'group_policies', 'roles', 'role_policies', 'instance_profiles', 'instance_profile_roles', 'service_linked_role_deletions', 'tags']) {
      assert.equal((store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n, 0, table);
    }
    createRole('app');
  });
});
