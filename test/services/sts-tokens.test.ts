import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureAccount, rootPrincipal } from '../../src/identity/accounts.js';
import { resolveCredential } from '../../src/identity/credentials.js';
import { authorizationMessage, encodeAuthorizationMessage } from '../../src/services/sts/index.js';
import { evaluate } from '../../src/policy/index.js';
import { ACCOUNT, asRoot, call, contextFor, openTestStore, throwsAws, userWithKey } from './context.js';
import { allow, iam, policy, sessionOf, sts, userWithMfa } from './sts-support.js';

let t: ReturnType<typeof openTestStore>;
beforeEach(() => {
  t = openTestStore();
});
afterEach(() => t.dispose());

const NOW = Date.UTC(2026, 5, 6, 8, 0, 0);

describe('GetSessionToken', () => {
  test('acts as the user itself, for 12 hours by default, without needing any permission', () => {
    const { principal, user } = userWithKey(t.store, 'alice');
    const out = sts(contextFor(t.store, principal, NOW), 'GetSessionToken');
    assert.match(out.Credentials.AccessKeyId, /^ASIA/);
    assert.deepEqual(out.Credentials.Expiration, new Date(NOW + 43_200_000));
    const session = sessionOf(t.store, out);
    assert.equal(session.type, 'user');
    assert.equal(session.arn, user.Arn);
    assert.equal(session.userId, user.UserId);
    assert.equal(session.tokenIssuedAt, NOW);
    assert.equal(session.mfaAuthenticatedAt, undefined);
    // Same caller identity as the user.
    assert.deepEqual(sts(contextFor(t.store, session, NOW), 'GetCallerIdentity'), { UserId: user.UserId, Account: ACCOUNT, Arn: user.Arn });
  });

  test('without MFA its credentials cannot call IAM; with MFA they can, and carry aws:MultiFactorAuthPresent', () => {
    const u = userWithMfa(t.store, 'carol', NOW);
    call(asRoot(t.store), 'PutUserPolicy', {
      UserName: 'carol',
      PolicyName: 'mfa-only',
      PolicyDocument: policy(allow('iam:ListUsers', '*', { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } })),
    });
    const plain = sessionOf(t.store, sts(u.ctx(NOW), 'GetSessionToken'));
    throwsAws(() => iam(contextFor(t.store, plain, NOW), 'ListUsers'), 'InvalidClientTokenId', 403, 'The security token included in the request is invalid');
    const later = NOW + 30_000;
    const withMfa = sts(u.ctx(later), 'GetSessionToken', { SerialNumber: u.serial, TokenCode: u.codeAt(later), DurationSeconds: 900 });
    assert.deepEqual(withMfa.Credentials.Expiration, new Date(later + 900_000));
    const session = sessionOf(t.store, withMfa);
    assert.equal(session.mfaAuthenticatedAt, later);
    iam(contextFor(t.store, session, later + 1000), 'ListUsers');
    // The long-term key itself has no MFA: the condition fails.
    throwsAws(() => iam(u.ctx(later), 'ListUsers'), 'AccessDenied', 403);
    // Replaying the code is refused.
    throwsAws(() => sts(u.ctx(later + 1000), 'GetSessionToken', { SerialNumber: u.serial, TokenCode: u.codeAt(later) }), 'AccessDenied', 403, /invalid MFA one time pass code/);
  });

  test('session credentials cannot get another session token; of STS they may call AssumeRole and GetCallerIdentity only', () => {
    const { principal } = userWithKey(t.store, 'alice');
    const session = sessionOf(t.store, sts(contextFor(t.store, principal, NOW), 'GetSessionToken'));
    const as = contextFor(t.store, session, NOW);
    throwsAws(() => sts(as, 'GetSessionToken'), 'AccessDenied', 403, 'Cannot call GetSessionToken with session credentials');
    throwsAws(() => sts(as, 'GetFederationToken', { Name: 'x' }), 'AccessDenied', 403);
    sts(as, 'GetCallerIdentity');
  });

  test('the root user’s session is capped at one hour', () => {
    const out = sts(asRoot(t.store, NOW), 'GetSessionToken', { DurationSeconds: 7200 });
    assert.deepEqual(out.Credentials.Expiration, new Date(NOW + 3600_000));
    const session = sessionOf(t.store, out);
    assert.equal(session.type, 'root');
    assert.equal(resolveCredential(t.store, out.Credentials.AccessKeyId)?.expiresAt, NOW + 3600_000);
  });

  test('deleting the user ends its session credentials', () => {
    const { principal, key } = userWithKey(t.store, 'temp');
    const out = sts(contextFor(t.store, principal, NOW), 'GetSessionToken');
    call(asRoot(t.store), 'DeleteAccessKey', { UserName: 'temp', AccessKeyId: key.AccessKeyId });
    call(asRoot(t.store), 'DeleteUser', { UserName: 'temp' });
    assert.equal(resolveCredential(t.store, out.Credentials.AccessKeyId), undefined);
  });
});

describe('GetFederationToken', () => {
  test('needs sts:GetFederationToken; the session has the intersection of the user’s and the session policy', () => {
    const { principal, user } = userWithKey(t.store, 'broker');
    const ctx = contextFor(t.store, principal, NOW);
    throwsAws(() => sts(ctx, 'GetFederationToken', { Name: 'jane' }), 'AccessDenied', 403, /sts:GetFederationToken on resource: arn:aws:sts::123456789012:federated-user\/jane/);
    call(asRoot(t.store), 'PutUserPolicy', { UserName: 'broker', PolicyName: 'p', PolicyDocument: policy(allow(['sts:GetFederationToken', 'iam:ListUsers', 'iam:ListRoles'])) });
    const out = sts(ctx, 'GetFederationToken', { Name: 'jane', Policy: policy(allow(['iam:ListUsers', 'iam:CreateUser'])), DurationSeconds: 1800 });
    assert.deepEqual(out.FederatedUser, { FederatedUserId: `${ACCOUNT}:jane`, Arn: `arn:aws:sts::${ACCOUNT}:federated-user/jane` });
    assert.deepEqual(out.Credentials.Expiration, new Date(NOW + 1_800_000));
    assert.ok(out.PackedPolicySize > 0);
    const session = sessionOf(t.store, out);
    assert.equal(session.type, 'federated-user');
    assert.equal(session.parentArn, user.Arn);
    // Federated sessions may not call IAM at all…
    throwsAws(() => iam(contextFor(t.store, session, NOW), 'ListUsers'), 'InvalidClientTokenId', 403);
    // …nor STS except GetCallerIdentity.
    throwsAws(() => sts(contextFor(t.store, session, NOW), 'AssumeRole', { RoleArn: `arn:aws:iam::${ACCOUNT}:role/x`, RoleSessionName: 's' }), 'AccessDenied', 403);
    assert.equal(sts(contextFor(t.store, session, NOW), 'GetCallerIdentity').Arn, `arn:aws:sts::${ACCOUNT}:federated-user/jane`);
  });

  test('the policy set of a federated session: the user’s policies limited by the session policy, none without one', async () => {
    const { policySetFor } = await import('../../src/server/authorize.js');
    const { principal } = userWithKey(t.store, 'broker');
    call(asRoot(t.store), 'PutUserPolicy', { UserName: 'broker', PolicyName: 'p', PolicyDocument: policy(allow(['sts:GetFederationToken', 's3:GetObject', 's3:PutObject'])) });
    const ctx = contextFor(t.store, principal, NOW);
    const decide = (session: ReturnType<typeof sessionOf>, action: string) =>
      evaluate(
        { action, resource: 'arn:aws:s3:::b/k', principal: { type: session.type, arn: session.arn, accountId: session.accountId, userArn: session.parentArn }, context: {} },
        policySetFor(t.store, session),
      ).decision;
    const scoped = sessionOf(t.store, sts(ctx, 'GetFederationToken', { Name: 'reader', Policy: policy(allow(['s3:GetObject', 's3:DeleteObject'])) }));
    assert.equal(decide(scoped, 's3:GetObject'), 'allowed');
    assert.equal(decide(scoped, 's3:PutObject'), 'implicitDeny');
    assert.equal(decide(scoped, 's3:DeleteObject'), 'implicitDeny');
    const bare = sessionOf(t.store, sts(ctx, 'GetFederationToken', { Name: 'nobody' }));
    assert.equal(decide(bare, 's3:GetObject'), 'implicitDeny');
  });
});

describe('GetAccessKeyInfo', () => {
  test('names the account of any key this server issued, long-term or temporary', () => {
    const { principal, key } = userWithKey(t.store, 'alice');
    call(asRoot(t.store), 'PutUserPolicy', { UserName: 'alice', PolicyName: 'p', PolicyDocument: policy(allow('sts:GetAccessKeyInfo')) });
    const ctx = contextFor(t.store, principal, NOW);
    assert.deepEqual(sts(ctx, 'GetAccessKeyInfo', { AccessKeyId: key.AccessKeyId }), { Account: ACCOUNT });
    const other = ensureAccount(t.store, '222222222222');
    assert.deepEqual(sts(ctx, 'GetAccessKeyInfo', { AccessKeyId: other.rootAccessKeyId }), { Account: '222222222222' });
    throwsAws(() => sts(ctx, 'GetAccessKeyInfo', { AccessKeyId: 'AKIAUNKNOWNUNKNOWN00' }), 'InvalidParameterValue', 400);
  });
});

describe('DecodeAuthorizationMessage', () => {
  test('opens a message sealed for the account; another account cannot; tampering is detected', () => {
    const { principal } = userWithKey(t.store, 'alice');
    const request = { action: 'ec2:RunInstances', resource: 'arn:aws:ec2:us-east-1:123456789012:instance/*', context: { 'ec2:InstanceType': 't3.micro' } };
    const decision = evaluate(
      { action: request.action, resource: request.resource, principal: { type: 'user', arn: principal.arn, accountId: ACCOUNT }, context: request.context },
      { identity: [] },
    );
    const encoded = t.store.tx(() => encodeAuthorizationMessage(t.store, ACCOUNT, authorizationMessage(principal, request, decision)));
    const decoded = JSON.parse(sts(asRoot(t.store, NOW), 'DecodeAuthorizationMessage', { EncodedMessage: encoded }).DecodedMessage);
    assert.equal(decoded.allowed, false);
    assert.equal(decoded.explicitDeny, false);
    assert.equal(decoded.context.action, 'ec2:RunInstances');
    assert.equal(decoded.context.principal.arn, principal.arn);
    assert.deepEqual(decoded.context.conditions.items, [{ key: 'ec2:InstanceType', values: { items: [{ value: 't3.micro' }] } }]);
    // The user needs sts:DecodeAuthorizationMessage.
    throwsAws(() => sts(contextFor(t.store, principal, NOW), 'DecodeAuthorizationMessage', { EncodedMessage: encoded }), 'AccessDenied', 403);
    ensureAccount(t.store, '222222222222');
    throwsAws(() => sts(contextFor(t.store, rootPrincipal(t.store, '222222222222'), NOW), 'DecodeAuthorizationMessage', { EncodedMessage: encoded }), 'InvalidAuthorizationMessageException', 400);
    const tampered = encoded.slice(0, -2) + (encoded.endsWith('AA') ? 'BB' : 'AA');
    throwsAws(() => sts(asRoot(t.store, NOW), 'DecodeAuthorizationMessage', { EncodedMessage: tampered }), 'InvalidAuthorizationMessageException', 400);
  });
});
