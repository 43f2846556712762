import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { resolveCredential } from '../../src/identity/credentials.js';
import { ensureAccount, rootPrincipal } from '../../src/identity/accounts.js';
import { ACCOUNT, asRoot, call, contextFor, openTestStore, throwsAws, userWithKey } from './context.js';
import { allow, createRole, deny, iam, policy, sessionOf, sts, trust, userWithMfa } from './sts-support.js';

let t: ReturnType<typeof openTestStore>;
beforeEach(() => {
  t = openTestStore();
});
afterEach(() => t.dispose());

const NOW = Date.UTC(2026, 4, 4, 10, 0, 0);
const ACCOUNT_ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const READ_IAM = policy(allow(['iam:ListUsers', 'iam:ListRoles', 'iam:GetUser']));

/** A user allowed to call sts:AssumeRole on anything by its own policy. */
function assumer(name = 'alice') {
  const u = userWithKey(t.store, name);
  call(asRoot(t.store), 'PutUserPolicy', { UserName: name, PolicyName: 'assume', PolicyDocument: policy(allow(['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'])) });
  return { ...u, ctx: (at = NOW) => contextFor(t.store, u.principal, at) };
}

describe('AssumeRole: who may assume', () => {
  test('a trust policy naming the account delegates to the caller’s own policies', () => {
    createRole(t.store, 'app', policy(trust(ACCOUNT_ROOT)), { policy: READ_IAM });
    const stranger = userWithKey(t.store, 'mallory');
    throwsAws(
      () => sts(contextFor(t.store, stranger.principal, NOW), 'AssumeRole', { RoleArn: `arn:aws:iam::${ACCOUNT}:role/app`, RoleSessionName: 's1' }),
      'AccessDenied',
      403,
      new RegExp(`^User: arn:aws:iam::${ACCOUNT}:user/mallory is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${ACCOUNT}:role/app`),
    );
    const out = sts(assumer().ctx(), 'AssumeRole', { RoleArn: `arn:aws:iam::${ACCOUNT}:role/app`, RoleSessionName: 's1' });
    assert.match(out.Credentials.AccessKeyId, /^ASIA[A-Z2-7]{16}$/);
    assert.ok(out.Credentials.SessionToken.length >= 300);
    assert.equal(out.Credentials.SecretAccessKey.length, 40);
    assert.deepEqual(out.Credentials.Expiration, new Date(NOW + 3600_000));
    assert.equal(out.AssumedRoleUser.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/app/s1`);
    assert.match(out.AssumedRoleUser.AssumedRoleId, /^AROA[A-Z2-7]{17}:s1$/);
    assert.equal('PackedPolicySize' in out, false);
  });

  test('a trust policy naming the user lets it assume without any policy of its own', () => {
    const bob = userWithKey(t.store, 'bob');
    createRole(t.store, 'direct', policy(trust(bob.user.Arn)));
    const out = sts(contextFor(t.store, bob.principal, NOW), 'AssumeRole', { RoleArn: `arn:aws:iam::${ACCOUNT}:role/direct`, RoleSessionName: 'b' });
    assert.equal(out.AssumedRoleUser.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/direct/b`);
  });

  test('identity permission alone is not enough: the trust policy must allow', () => {
    const bob = userWithKey(t.store, 'bob');
    createRole(t.store, 'bobs', policy(trust(bob.user.Arn)));
    throwsAws(
      () => sts(assumer().ctx(), 'AssumeRole', { RoleArn: `arn:aws:iam::${ACCOUNT}:role/bobs`, RoleSessionName: 's' }),
      'AccessDenied',
      403,
      /because no resource-based policy allows the sts:AssumeRole action/,
    );
  });

  test('a role that does not exist is the same AccessDenied', () => {
    throwsAws(() => sts(assumer().ctx(), 'AssumeRole', { RoleArn: `arn:aws:iam::${ACCOUNT}:role/ghost`, RoleSessionName: 's' }), 'AccessDenied', 403, /sts:AssumeRole on resource: arn:aws:iam::123456789012:role\/ghost/);
  });

  test('the root user cannot assume roles', () => {
    createRole(t.store, 'app', policy(trust(ACCOUNT_ROOT)));
    throwsAws(() => sts(asRoot(t.store, NOW), 'AssumeRole', { RoleArn: `arn:aws:iam::${ACCOUNT}:role/app`, RoleSessionName: 's' }), 'AccessDenied', 403, 'Roles may not be assumed by root accounts.');
  });

  test('ExternalId and RoleSessionName are condition keys of the trust policy', () => {
    createRole(t.store, 'vendor', policy(trust(ACCOUNT_ROOT, { Condition: { StringEquals: { 'sts:ExternalId': 'xyz-123' }, StringLike: { 'sts:RoleSessionName': '${aws:username}' } } })));
    const a = assumer();
    const arn = `arn:aws:iam::${ACCOUNT}:role/vendor`;
    throwsAws(() => sts(a.ctx(), 'AssumeRole', { RoleArn: arn, RoleSessionName: 'alice' }), 'AccessDenied', 403);
    throwsAws(() => sts(a.ctx(), 'AssumeRole', { RoleArn: arn, RoleSessionName: 'alice', ExternalId: 'wrong' }), 'AccessDenied', 403);
    throwsAws(() => sts(a.ctx(), 'AssumeRole', { RoleArn: arn, RoleSessionName: 'other', ExternalId: 'xyz-123' }), 'AccessDenied', 403);
    sts(a.ctx(), 'AssumeRole', { RoleArn: arn, RoleSessionName: 'alice', ExternalId: 'xyz-123' });
  });
});

describe('AssumeRole: MFA', () => {
  const mfaTrust = () => policy(trust(ACCOUNT_ROOT, { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }));

  test('without a code the MFA condition fails; with a valid code it holds and the session is MFA-authenticated', () => {
    createRole(t.store, 'admin', mfaTrust(), { policy: READ_IAM });
    const u = userWithMfa(t.store, 'carol', NOW);
    call(asRoot(t.store), 'PutUserPolicy', { UserName: 'carol', PolicyName: 'assume', PolicyDocument: policy(allow('sts:AssumeRole')) });
    const arn = `arn:aws:iam::${ACCOUNT}:role/admin`;
    const later = NOW + 60_000;
    throwsAws(() => sts(u.ctx(later), 'AssumeRole', { RoleArn: arn, RoleSessionName: 'c' }), 'AccessDenied', 403);
    const out = sts(u.ctx(later), 'AssumeRole', { RoleArn: arn, RoleSessionName: 'c', SerialNumber: u.serial, TokenCode: u.codeAt(later) });
    const session = sessionOf(t.store, out);
    assert.equal(session.mfaAuthenticatedAt, later);
    assert.equal(session.tokenIssuedAt, later);
    // The same code a second time is a replay.
    throwsAws(
      () => sts(u.ctx(later + 1000), 'AssumeRole', { RoleArn: arn, RoleSessionName: 'c', SerialNumber: u.serial, TokenCode: u.codeAt(later) }),
      'AccessDenied',
      403,
      'MultiFactorAuthentication failed with invalid MFA one time pass code.',
    );
    // The next step's code works.
    sts(u.ctx(later + 30_000), 'AssumeRole', { RoleArn: arn, RoleSessionName: 'c', SerialNumber: u.serial, TokenCode: u.codeAt(later + 30_000) });
  });

  test('MFA errors: only one of serial and code; a device that is not the caller’s; a wrong code', () => {
    createRole(t.store, 'admin', mfaTrust());
    const u = userWithMfa(t.store, 'carol', NOW);
    const other = userWithMfa(t.store, 'dave', NOW);
    const arn = `arn:aws:iam::${ACCOUNT}:role/admin`;
    const later = NOW + 60_000;
    throwsAws(() => sts(u.ctx(later), 'AssumeRole', { RoleArn: arn, RoleSessionName: 'c', SerialNumber: u.serial }), 'AccessDenied', 403, 'MultiFactorAuthentication failed, must provide both MFA serial number and one time pass code.');
    throwsAws(
      () => sts(u.ctx(later), 'AssumeRole', { RoleArn: arn, RoleSessionName: 'c', SerialNumber: other.serial, TokenCode: other.codeAt(later) }),
      'AccessDenied',
      403,
      /unable to validate MFA code/,
    );
    const wrong = u.codeAt(later) === '000000' ? '111111' : '000000';
    throwsAws(() => sts(u.ctx(later), 'AssumeRole', { RoleArn: arn, RoleSessionName: 'c', SerialNumber: u.serial, TokenCode: wrong }), 'AccessDenied', 403, 'MultiFactorAuthentication failed with invalid MFA one time pass code.');
  });
});

describe('AssumeRole: the session', () => {
  test('acts with the role’s policies, read live: removing a policy revokes at once', () => {
    createRole(t.store, 'reader', policy(trust(ACCOUNT_ROOT)), { policy: READ_IAM });
    const session = sessionOf(t.store, sts(assumer().ctx(), 'AssumeRole', { RoleArn: `arn:aws:iam::${ACCOUNT}:role/reader`, RoleSessionName: 'r' }));
    assert.equal(session.type, 'assumed-role');
    assert.equal(session.roleName, 'reader');
    const as = contextFor(t.store, session, NOW + 1000);
    iam(as, 'ListUsers');
    throwsAws(() => iam(as, 'CreateUser', { UserName: 'x' }), 'AccessDenied', 403, /assumed-role\/reader\/r is not authorized to perform: iam:CreateUser/);
    call(asRoot(t.store), 'DeleteRolePolicy', { RoleName: 'reader', PolicyName: 'perms' });
    throwsAws(() => iam(as, 'ListUsers'), 'AccessDenied', 403);
  });

  test('a trust policy change refuses the next AssumeRole at once; aws:TokenIssueTime denies revoke older sessions', () => {
    createRole(t.store, 'reader', policy(trust(ACCOUNT_ROOT)), { policy: READ_IAM });
    const a = assumer();
    const session = sessionOf(t.store, sts(a.ctx(), 'AssumeRole', { RoleArn: `arn:aws:iam::${ACCOUNT}:role/reader`, RoleSessionName: 'r' }));
    const as = contextFor(t.store, session, NOW + 5000);
    iam(as, 'ListUsers');
    // The trust policy decides who may start a session, not what a session may do (as in AWS).
    const other = userWithKey(t.store, 'trusted-now');
    call(asRoot(t.store), 'UpdateAssumeRolePolicy', { RoleName: 'reader', PolicyDocument: policy(trust(other.user.Arn)) });
    throwsAws(() => sts(a.ctx(NOW + 1000), 'AssumeRole', { RoleArn: `arn:aws:iam::${ACCOUNT}:role/reader`, RoleSessionName: 'r' }), 'AccessDenied', 403);
    iam(as, 'ListUsers');
    call(asRoot(t.store), 'UpdateAssumeRolePolicy', { RoleName: 'reader', PolicyDocument: policy(trust(ACCOUNT_ROOT)) });
    // The console's "revoke active sessions": deny everything to tokens issued before now.
    const revokeBefore = new Date(NOW + 1000).toISOString();
    call(asRoot(t.store), 'PutRolePolicy', {
      RoleName: 'reader',
      PolicyName: 'AWSRevokeOlderSessions',
      PolicyDocument: policy(deny('*', '*', { Condition: { DateLessThan: { 'aws:TokenIssueTime': revokeBefore } } })),
    });
    throwsAws(() => iam(as, 'ListUsers'), 'AccessDenied', 403, /explicit deny/);
    const fresh = sessionOf(t.store, sts(assumer('erin').ctx(NOW + 2000), 'AssumeRole', { RoleArn: `arn:aws:iam::${ACCOUNT}:role/reader`, RoleSessionName: 'r2' }));
    iam(contextFor(t.store, fresh, NOW + 3000), 'ListUsers');
  });

  test('DurationSeconds: default one hour, up to the role’s MaxSessionDuration, one hour when chaining', () => {
    createRole(t.store, 'long', policy(trust(ACCOUNT_ROOT)), { maxSessionDuration: 7200, policy: policy(allow('sts:AssumeRole')) });
    const a = assumer();
    const arn = `arn:aws:iam::${ACCOUNT}:role/long`;
    const two = sts(a.ctx(), 'AssumeRole', { RoleArn: arn, RoleSessionName: 's', DurationSeconds: 7200 });
    assert.deepEqual(two.Credentials.Expiration, new Date(NOW + 7200_000));
    assert.equal(resolveCredential(t.store, two.Credentials.AccessKeyId)?.expiresAt, NOW + 7200_000);
    throwsAws(() => sts(a.ctx(), 'AssumeRole', { RoleArn: arn, RoleSessionName: 's', DurationSeconds: 7201 }), 'ValidationError', 400, 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
    const chained = contextFor(t.store, sessionOf(t.store, two), NOW + 1000);
    throwsAws(
      () => sts(chained, 'AssumeRole', { RoleArn: arn, RoleSessionName: 's2', DurationSeconds: 3601 }),
      'ValidationError',
      400,
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    );
    const hop = sts(chained, 'AssumeRole', { RoleArn: arn, RoleSessionName: 's2' });
    assert.equal(hop.AssumedRoleUser.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/long/s2`);
  });

  test('session policies narrow the role’s permissions (intersection), inline and managed', () => {
    createRole(t.store, 'reader', policy(trust(ACCOUNT_ROOT)), { policy: READ_IAM });
    const a = assumer();
    const arn = `arn:aws:iam::${ACCOUNT}:role/reader`;
    const out = sts(a.ctx(), 'AssumeRole', { RoleArn: arn, RoleSessionName: 's', Policy: policy(allow(['iam:ListUsers', 'iam:CreateUser'])) });
    assert.ok(out.PackedPolicySize > 0 && out.PackedPolicySize < 20, `PackedPolicySize ${out.PackedPolicySize}`);
    const as = contextFor(t.store, sessionOf(t.store, out), NOW);
    iam(as, 'ListUsers');
    throwsAws(() => iam(as, 'ListRoles'), 'AccessDenied', 403, /because no session policy allows/);
    // The session policy cannot grant what the role does not have.
    throwsAws(() => iam(as, 'CreateUser', { UserName: 'x' }), 'AccessDenied', 403);
    // A managed policy as the session policy: IAMReadOnlyAccess allows List*/Get*.
    const managed = sts(a.ctx(), 'AssumeRole', { RoleArn: arn, RoleSessionName: 'm', PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }] });
    iam(contextFor(t.store, sessionOf(t.store, managed), NOW), 'ListRoles');
    // An unknown managed policy allows nothing.
    const none = sts(a.ctx(), 'AssumeRole', { RoleArn: arn, RoleSessionName: 'n', PolicyArns: [{ arn: `arn:aws:iam::${ACCOUNT}:policy/missing` }] });
    throwsAws(() => iam(contextFor(t.store, sessionOf(t.store, none), NOW), 'ListUsers'), 'AccessDenied', 403);
  });

  test('a malformed session policy is MalformedPolicyDocument; oversized ones are refused', () => {
    createRole(t.store, 'reader', policy(trust(ACCOUNT_ROOT, {}, ['sts:AssumeRole', 'sts:TagSession'])));
    const a = assumer();
    const arn = `arn:aws:iam::${ACCOUNT}:role/reader`;
    throwsAws(() => sts(a.ctx(), 'AssumeRole', { RoleArn: arn, RoleSessionName: 's', Policy: '{"Statement":' }), 'MalformedPolicyDocument', 400);
    throwsAws(() => sts(a.ctx(), 'AssumeRole', { RoleArn: arn, RoleSessionName: 's', Policy: policy({ Effect: 'Allow', Action: 's3:*' }) }), 'MalformedPolicyDocument', 400);
    const big = policy(...Array.from({ length: 40 }, (_, i) => allow(`iam:Get${i}`, `arn:aws:iam::${ACCOUNT}:user/u${i}`)));
    assert.ok(big.length > 2048);
    throwsAws(() => sts(a.ctx(), 'AssumeRole', { RoleArn: arn, RoleSessionName: 's', Policy: big }), 'ValidationError', 400, /less than or equal to 2048/);
    const noisyTags = Array.from({ length: 40 }, (_, i) => ({ Key: `k${i}`, Value: randomBytes(96).toString('base64url').slice(0, 128) }));
    throwsAws(() => sts(a.ctx(), 'AssumeRole', { RoleArn: arn, RoleSessionName: 's', Tags: noisyTags }), 'PackedPolicyTooLarge', 400, /^Packed policy consumes \d+% of allotted space/);
  });
});

describe('AssumeRole: session tags and source identity', () => {
  test('session tags overlay the role’s tags; passing tags needs sts:TagSession in the trust policy', () => {
    const roleTags = [{ Key: 'team', Value: 'core' }, { Key: 'env', Value: 'dev' }];
    createRole(t.store, 'tagged', policy(trust(ACCOUNT_ROOT)), { tags: roleTags });
    createRole(t.store, 'tagging', policy(trust(ACCOUNT_ROOT, {}, ['sts:AssumeRole', 'sts:TagSession'])), { tags: roleTags });
    const a = assumer();
    throwsAws(
      () => sts(a.ctx(), 'AssumeRole', { RoleArn: `arn:aws:iam::${ACCOUNT}:role/tagged`, RoleSessionName: 's', Tags: [{ Key: 'env', Value: 'prod' }] }),
      'AccessDenied',
      403,
      /sts:TagSession/,
    );
    const out = sts(a.ctx(), 'AssumeRole', { RoleArn: `arn:aws:iam::${ACCOUNT}:role/tagging`, RoleSessionName: 's', Tags: [{ Key: 'ENV', Value: 'prod' }] });
    assert.deepEqual(sessionOf(t.store, out).tags, { team: 'core', ENV: 'prod' });
    assert.ok(out.PackedPolicySize >= 1);
  });

  test('transitive tags pass along a role chain and cannot be changed there', () => {
    const chainTrust = policy(trust(ACCOUNT_ROOT, {}, ['sts:AssumeRole', 'sts:TagSession']));
    createRole(t.store, 'first', chainTrust, { policy: policy(allow(['sts:AssumeRole', 'sts:TagSession'])) });
    createRole(t.store, 'second', chainTrust);
    createRole(t.store, 'untagging', policy(trust(ACCOUNT_ROOT)));
    const out = sts(assumer().ctx(), 'AssumeRole', {
      RoleArn: `arn:aws:iam::${ACCOUNT}:role/first`,
      RoleSessionName: 's',
      Tags: [{ Key: 'project', Value: 'apollo' }, { Key: 'temp', Value: 'x' }],
      TransitiveTagKeys: ['project'],
    });
    const chained = contextFor(t.store, sessionOf(t.store, out), NOW);
    const next = sts(chained, 'AssumeRole', { RoleArn: `arn:aws:iam::${ACCOUNT}:role/second`, RoleSessionName: 's2' });
    assert.deepEqual(sessionOf(t.store, next).tags, { project: 'apollo' });
    // Carrying transitive tags into a role needs sts:TagSession from its trust policy.
    throwsAws(() => sts(chained, 'AssumeRole', { RoleArn: `arn:aws:iam::${ACCOUNT}:role/untagging`, RoleSessionName: 's4' }), 'AccessDenied', 403, /sts:TagSession/);
    throwsAws(
      () => sts(chained, 'AssumeRole', { RoleArn: `arn:aws:iam::${ACCOUNT}:role/second`, RoleSessionName: 's3', Tags: [{ Key: 'Project', Value: 'gemini' }] }),
      'InvalidParameterValue',
      400,
    );
    throwsAws(
      () => sts(assumer('zed').ctx(), 'AssumeRole', { RoleArn: `arn:aws:iam::${ACCOUNT}:role/first`, RoleSessionName: 's', Tags: [{ Key: 'a', Value: '1' }], TransitiveTagKeys: ['b'] }),
      'InvalidParameterValue',
      400,
    );
  });

  test('SourceIdentity needs sts:SetSourceIdentity, is returned, and stays fixed along the chain', () => {
    const t1 = policy(trust(ACCOUNT_ROOT, {}, ['sts:AssumeRole', 'sts:SetSourceIdentity']));
    createRole(t.store, 'first', t1, { policy: policy(allow(['sts:AssumeRole', 'sts:SetSourceIdentity'])) });
    createRole(t.store, 'plain', policy(trust(ACCOUNT_ROOT)));
    const a = assumer();
    throwsAws(() => sts(a.ctx(), 'AssumeRole', { RoleArn: `arn:aws:iam::${ACCOUNT}:role/plain`, RoleSessionName: 's', SourceIdentity: 'alice@corp' }), 'AccessDenied', 403, /sts:SetSourceIdentity/);
    const out = sts(a.ctx(), 'AssumeRole', { RoleArn: `arn:aws:iam::${ACCOUNT}:role/first`, RoleSessionName: 's', SourceIdentity: 'alice@corp' });
    assert.equal(out.SourceIdentity, 'alice@corp');
    const session = sessionOf(t.store, out);
    assert.equal(session.sourceIdentity, 'alice@corp');
    const next = sts(contextFor(t.store, session, NOW), 'AssumeRole', { RoleArn: `arn:aws:iam::${ACCOUNT}:role/first`, RoleSessionName: 's2' });
    assert.equal(next.SourceIdentity, 'alice@corp');
    throwsAws(
      () => sts(contextFor(t.store, session, NOW), 'AssumeRole', { RoleArn: `arn:aws:iam::${ACCOUNT}:role/first`, RoleSessionName: 's3', SourceIdentity: 'mallory' }),
      'ValidationError',
      400,
    );
  });
});

describe('AssumeRole across accounts', () => {
  const OTHER = '111111111111';

  test('both the caller’s account (identity policy) and the role’s trust policy must allow', () => {
    ensureAccount(t.store, OTHER);
    const otherRoot = contextFor(t.store, rootPrincipal(t.store, OTHER), NOW);
    call(otherRoot, 'CreateRole', { RoleName: 'partner', AssumeRolePolicyDocument: policy(trust(ACCOUNT)) });
    call(otherRoot, 'PutRolePolicy', { RoleName: 'partner', PolicyName: 'p', PolicyDocument: READ_IAM });
    const arn = `arn:aws:iam::${OTHER}:role/partner`;
    const noPolicy = userWithKey(t.store, 'nopol');
    throwsAws(() => sts(contextFor(t.store, noPolicy.principal, NOW), 'AssumeRole', { RoleArn: arn, RoleSessionName: 'x' }), 'AccessDenied', 403);
    const out = sts(assumer().ctx(), 'AssumeRole', { RoleArn: arn, RoleSessionName: 'x' });
    assert.equal(out.AssumedRoleUser.Arn, `arn:aws:sts::${OTHER}:assumed-role/partner/x`);
    const session = sessionOf(t.store, out);
    assert.equal(session.accountId, OTHER);
    // The session acts in the role's account.
    const listed = iam(contextFor(t.store, session, NOW), 'ListRoles');
    assert.deepEqual(listed.Roles.map((r: { Arn: string }) => r.Arn), [arn]);
  });

  test('a trust policy that does not name the caller’s account refuses it even with identity permission', () => {
    ensureAccount(t.store, OTHER);
    const otherRoot = contextFor(t.store, rootPrincipal(t.store, OTHER), NOW);
    call(otherRoot, 'CreateRole', { RoleName: 'closed', AssumeRolePolicyDocument: policy(trust('222222222222')) });
    throwsAws(() => sts(assumer().ctx(), 'AssumeRole', { RoleArn: `arn:aws:iam::${OTHER}:role/closed`, RoleSessionName: 'x' }), 'AccessDenied', 403);
  });
});
