import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT, asRoot, call, contextFor, openTestStore, throwsAws, userWithKey } from './context.js';
import { iamService } from '../../src/services/iam/index.js';
import { MAX_INSTANCE_PROFILES_PER_ACCOUNT } from '../../src/services/iam/roles/instance-profiles.js';
import { authorize, policySetFor } from '../../src/server/authorize.js';
import { globalConditionKeys } from '../../src/server/request-facts.js';
import type { Principal } from '../../src/identity/principal.js';
import type { Store } from '../../src/store/store.js';

let t: ReturnType<typeof openTestStore>;
let store: Store;
beforeEach(() => {
  t = openTestStore();
  store = t.store;
});
afterEach(() => t.dispose());

const root = () => asRoot(store);
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

function createRole(name: string, extra: Record<string, unknown> = {}) {
  return call(root(), 'CreateRole', { RoleName: name, AssumeRolePolicyDocument: TRUST, ...extra }).Role;
}

describe('CreateInstanceProfile / GetInstanceProfile / ListInstanceProfiles', () => {
  test('CreateInstanceProfile returns an AIPA id, the ARN with its path, no roles yet, and its tags', () => {
    const now = Date.UTC(2026, 3, 5, 6, 7, 8);
    const { InstanceProfile } = call(asRoot(store, now), 'CreateInstanceProfile', {
      InstanceProfileName: 'web',
      Path: '/ec2/',
      Tags: [{ Key: 'tier', Value: 'front' }],
    });
    assert.match(InstanceProfile.InstanceProfileId, /^AIPA[A-Z2-7]{17}$/);
    assert.equal(InstanceProfile.Arn, `arn:aws:iam::${ACCOUNT}:instance-profile/ec2/web`);
    assert.equal(InstanceProfile.InstanceProfileName, 'web');
    assert.deepEqual(InstanceProfile.Roles, []);
    assert.deepEqual(InstanceProfile.Tags, [{ Key: 'tier', Value: 'front' }]);
    assert.deepEqual(InstanceProfile.CreateDate, new Date(now));
  });

  test('names are unique case-insensitively; missing ones are NoSuchEntity in IAM words', () => {
    call(root(), 'CreateInstanceProfile', { InstanceProfileName: 'web' });
    throwsAws(() => call(root(), 'CreateInstanceProfile', { InstanceProfileName: 'WEB' }), 'EntityAlreadyExists', 409, 'Instance Profile WEB already exists.');
    throwsAws(() => call(root(), 'GetInstanceProfile', { InstanceProfileName: 'db' }), 'NoSuchEntity', 404, 'Instance Profile db cannot be found.');
  });

  test('the instance-profiles-per-account quota is enforced', () => {
    const insert = store.db.prepare("INSERT INTO instance_profiles (account_id, instance_profile_id, instance_profile_name, path, created_at) VALUES (?, ?, ?, '/', 0)");
    store.tx(() => {
      for (let i = 0; i < MAX_INSTANCE_PROFILES_PER_ACCOUNT; i++) insert.run(ACCOUNT, `AIPAFILL${String(i).padStart(13, '0')}`, `ip${i}`);
    });
    throwsAws(() => call(root(), 'CreateInstanceProfile', { InstanceProfileName: 'extra' }), 'LimitExceeded', 409, 'Cannot exceed quota for InstanceProfilesPerAccount: 1000');
  });

  test('GetInstanceProfile shows its role in ListRoles\' shape', () => {
    const role = createRole('app');
    call(root(), 'CreateInstanceProfile', { InstanceProfileName: 'web' });
    call(root(), 'AddRoleToInstanceProfile', { InstanceProfileName: 'web', RoleName: 'app' });
    const { InstanceProfile } = call(root(), 'GetInstanceProfile', { InstanceProfileName: 'WEB' });
    assert.equal(InstanceProfile.Roles.length, 1);
    assert.equal(InstanceProfile.Roles[0].RoleId, role.RoleId);
    assert.equal(InstanceProfile.Roles[0].Arn, `arn:aws:iam::${ACCOUNT}:role/app`);
    assert.equal(InstanceProfile.Roles[0].AssumeRolePolicyDocument, encodeURIComponent(TRUST));
  });

  test('ListInstanceProfiles filters by PathPrefix and paginates', () => {
    call(root(), 'CreateInstanceProfile', { InstanceProfileName: 'b', Path: '/x/' });
    call(root(), 'CreateInstanceProfile', { InstanceProfileName: 'a', Path: '/x/y/' });
    call(root(), 'CreateInstanceProfile', { InstanceProfileName: 'c' });
    assert.deepEqual(call(root(), 'ListInstanceProfiles', {}).InstanceProfiles.map((p: any) => p.InstanceProfileName), ['a', 'b', 'c']);
    assert.deepEqual(call(root(), 'ListInstanceProfiles', { PathPrefix: '/x/' }).InstanceProfiles.map((p: any) => p.InstanceProfileName), ['a', 'b']);
    const page = call(root(), 'ListInstanceProfiles', { MaxItems: 2 });
    assert.equal(page.IsTruncated, true);
    assert.deepEqual(call(root(), 'ListInstanceProfiles', { Marker: page.Marker }).InstanceProfiles.map((p: any) => p.InstanceProfileName), ['c']);
  });
});

describe('roles in instance profiles', () => {
  test('an instance profile holds one role: a second is LimitExceeded', () => {
    createRole('one');
    createRole('two');
    call(root(), 'CreateInstanceProfile', { InstanceProfileName: 'ip' });
    call(root(), 'AddRoleToInstanceProfile', { InstanceProfileName: 'ip', RoleName: 'one' });
    throwsAws(
      () => call(root(), 'AddRoleToInstanceProfile', { InstanceProfileName: 'ip', RoleName: 'two' }),
      'LimitExceeded',
      409,
      'Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1',
    );
  });

  test('missing profile or role are NoSuchEntity', () => {
    createRole('one');
    call(root(), 'CreateInstanceProfile', { InstanceProfileName: 'ip' });
    throwsAws(() => call(root(), 'AddRoleToInstanceProfile', { InstanceProfileName: 'nope', RoleName: 'one' }), 'NoSuchEntity', 404, 'Instance Profile nope cannot be found.');
    throwsAws(() => call(root(), 'AddRoleToInstanceProfile', { InstanceProfileName: 'ip', RoleName: 'nope' }), 'NoSuchEntity', 404, 'The role with name nope cannot be found.');
    throwsAws(() => call(root(), 'RemoveRoleFromInstanceProfile', { InstanceProfileName: 'ip', RoleName: 'nope' }), 'NoSuchEntity', 404, 'The role with name nope cannot be found.');
    throwsAws(() => call(root(), 'RemoveRoleFromInstanceProfile', { InstanceProfileName: 'ip', RoleName: 'one' }), 'NoSuchEntity', 404, 'Role one in Instance Profile ip cannot be found.');
  });

  test('a role can be in several profiles; ListInstanceProfilesForRole lists them, paginated', () => {
    createRole('app');
    createRole('other');
    for (const name of ['z', 'a', 'm']) {
      call(root(), 'CreateInstanceProfile', { InstanceProfileName: name });
      call(root(), 'AddRoleToInstanceProfile', { InstanceProfileName: name, RoleName: 'app' });
    }
    const page = call(root(), 'ListInstanceProfilesForRole', { RoleName: 'app', MaxItems: 2 });
    assert.deepEqual(page.InstanceProfiles.map((p: any) => p.InstanceProfileName), ['a', 'm']);
    assert.equal(page.InstanceProfiles[0].Roles[0].RoleName, 'app');
    assert.deepEqual(call(root(), 'ListInstanceProfilesForRole', { RoleName: 'app', Marker: page.Marker }).InstanceProfiles.map((p: any) => p.InstanceProfileName), ['z']);
    assert.deepEqual(call(root(), 'ListInstanceProfilesForRole', { RoleName: 'other' }).InstanceProfiles, []);
    throwsAws(() => call(root(), 'ListInstanceProfilesForRole', { RoleName: 'ghost' }), 'NoSuchEntity', 404);
  });

  test('RemoveRoleFromInstanceProfile frees the slot', () => {
    createRole('one');
    createRole('two');
    call(root(), 'CreateInstanceProfile', { InstanceProfileName: 'ip' });
    call(root(), 'AddRoleToInstanceProfile', { InstanceProfileName: 'ip', RoleName: 'one' });
    call(root(), 'RemoveRoleFromInstanceProfile', { InstanceProfileName: 'ip', RoleName: 'one' });
    call(root(), 'AddRoleToInstanceProfile', { InstanceProfileName: 'ip', RoleName: 'two' });
    assert.deepEqual(call(root(), 'GetInstanceProfile', { InstanceProfileName: 'ip' }).InstanceProfile.Roles.map((r: any) => r.RoleName), ['two']);
  });
});

describe('DeleteInstanceProfile', () => {
  test('refuses while it holds a role; then deletes it and its tags', () => {
    createRole('app');
    call(root(), 'CreateInstanceProfile', { InstanceProfileName: 'ip', Tags: [{ Key: 'k', Value: 'v' }] });
    call(root(), 'AddRoleToInstanceProfile', { InstanceProfileName: 'ip', RoleName: 'app' });
    throwsAws(() => call(root(), 'DeleteInstanceProfile', { InstanceProfileName: 'ip' }), 'DeleteConflict', 409, 'Cannot delete entity, must remove roles from instance profile first.');
    call(root(), 'RemoveRoleFromInstanceProfile', { InstanceProfileName: 'ip', RoleName: 'app' });
    call(root(), 'DeleteInstanceProfile', { InstanceProfileName: 'ip' });
    throwsAws(() => call(root(), 'GetInstanceProfile', { InstanceProfileName: 'ip' }), 'NoSuchEntity', 404);
    assert.equal((store.db.prepare("SELECT count(*) AS n FROM tags WHERE resource_kind = 'instance-profile'").get() as { n: number }).n, 0);
    throwsAws(() => call(root(), 'DeleteInstanceProfile', { InstanceProfileName: 'ip' }), 'NoSuchEntity', 404, 'Instance Profile ip cannot be found.');
  });
});

describe('instance profile tags', () => {
  test('Tag / Untag / ListInstanceProfileTags', () => {
    call(root(), 'CreateInstanceProfile', { InstanceProfileName: 'ip' });
    call(root(), 'TagInstanceProfile', { InstanceProfileName: 'ip', Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] });
    call(root(), 'TagInstanceProfile', { InstanceProfileName: 'ip', Tags: [{ Key: 'A', Value: '3' }] });
    assert.deepEqual(call(root(), 'ListInstanceProfileTags', { InstanceProfileName: 'ip' }).Tags, [
      { Key: 'A', Value: '3' },
      { Key: 'b', Value: '2' },
    ]);
    call(root(), 'UntagInstanceProfile', { InstanceProfileName: 'ip', TagKeys: ['b'] });
    assert.deepEqual(call(root(), 'GetInstanceProfile', { InstanceProfileName: 'ip' }).InstanceProfile.Tags, [{ Key: 'A', Value: '3' }]);
    throwsAws(() => call(root(), 'TagInstanceProfile', { InstanceProfileName: 'x', Tags: [{ Key: 'a', Value: '1' }] }), 'NoSuchEntity', 404);
  });
});

describe('authorization map for instance profiles', () => {
  function decide(principal: Principal, op: string, input: Record<string, unknown>): string {
    const ctx = contextFor(store, principal);
    const rule = iamService.operations[op].authorize(ctx, input);
    const entries = rule === null ? [] : Array.isArray(rule) ? rule : [rule];
    const keys = globalConditionKeys(principal, { now: ctx.now, region: ctx.region, sourceIp: ctx.sourceIp, secureTransport: true });
    const verdicts = authorize(principal, entries, keys, policySetFor(store, principal));
    return verdicts.find((v) => v.decision.decision !== 'allowed')?.decision.decision ?? 'allowed';
  }

  test('profile actions act on the profile ARN with aws:ResourceTag only', () => {
    call(root(), 'CreateInstanceProfile', { InstanceProfileName: 'ip', Path: '/p/', Tags: [{ Key: 'k', Value: 'v' }] });
    assert.deepEqual(iamService.operations.GetInstanceProfile.authorize(root(), { InstanceProfileName: 'ip' }), {
      action: 'iam:GetInstanceProfile',
      resource: `arn:aws:iam::${ACCOUNT}:instance-profile/p/ip`,
      context: { 'aws:ResourceTag/k': 'v' },
    });
    assert.deepEqual(iamService.operations.ListInstanceProfiles.authorize(root(), {}), { action: 'iam:ListInstanceProfiles', resource: `arn:aws:iam::${ACCOUNT}:instance-profile/` });
  });

  test('AddRoleToInstanceProfile also needs iam:PassRole on the role, passed to EC2', () => {
    createRole('app', { Path: '/svc/' });
    call(root(), 'CreateInstanceProfile', { InstanceProfileName: 'ip' });
    assert.deepEqual(iamService.operations.AddRoleToInstanceProfile.authorize(root(), { InstanceProfileName: 'ip', RoleName: 'app' }), [
      { action: 'iam:AddRoleToInstanceProfile', resource: `arn:aws:iam::${ACCOUNT}:instance-profile/ip` },
      { action: 'iam:PassRole', resource: `arn:aws:iam::${ACCOUNT}:role/svc/app`, context: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
    ]);
    const { principal } = userWithKey(store, 'ops');
    const put = (statements: unknown[]) =>
      call(root(), 'PutUserPolicy', { UserName: 'ops', PolicyName: 'p', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: statements }) });
    put([{ Effect: 'Allow', Action: 'iam:AddRoleToInstanceProfile', Resource: '*' }]);
    assert.equal(decide(principal, 'AddRoleToInstanceProfile', { InstanceProfileName: 'ip', RoleName: 'app' }), 'implicitDeny');
    put([
      { Effect: 'Allow', Action: 'iam:AddRoleToInstanceProfile', Resource: '*' },
      { Effect: 'Allow', Action: 'iam:PassRole', Resource: '*', Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } } },
    ]);
    assert.equal(decide(principal, 'AddRoleToInstanceProfile', { InstanceProfileName: 'ip', RoleName: 'app' }), 'allowed');
  });
});
