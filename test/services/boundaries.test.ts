import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT, asRoot, call, openTestStore, throwsAws, userWithKey } from './context.js';
import { AWS_ARN, createPolicy, decide, decideAction, doc, EC2_TRUST, entriesOf, LOCAL_ARN, sessionOf, verdicts } from './managed-policies-support.js';
import type { Store } from '../../src/store/store.js';

let t: ReturnType<typeof openTestStore>;
let store: Store;
beforeEach(() => {
  t = openTestStore();
  store = t.store;
});
afterEach(() => t.dispose());

const root = () => asRoot(store);
const boundaryOf = (r: any) => r.PermissionsBoundary;

describe('Put/DeleteUserPermissionsBoundary', () => {
  test('sets the boundary GetUser reports, and removes it', () => {
    call(root(), 'CreateUser', { UserName: 'u' });
    const p = createPolicy(root(), 'Cap');
    call(root(), 'PutUserPermissionsBoundary', { UserName: 'u', PermissionsBoundary: p.Arn });
    assert.deepEqual(boundaryOf(call(root(), 'GetUser', { UserName: 'u' }).User), { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: p.Arn });
    call(root(), 'PutUserPermissionsBoundary', { UserName: 'u', PermissionsBoundary: AWS_ARN('PowerUserAccess') });
    assert.equal(boundaryOf(call(root(), 'GetUser', { UserName: 'u' }).User).PermissionsBoundaryArn, AWS_ARN('PowerUserAccess'));
    call(root(), 'DeleteUserPermissionsBoundary', { UserName: 'u' });
    assert.equal(boundaryOf(call(root(), 'GetUser', { UserName: 'u' }).User), undefined);
    // Deleting when there is none is not an error.
    call(root(), 'DeleteUserPermissionsBoundary', { UserName: 'u' });
  });

  test('a policy that does not exist, or a user that does not, is NoSuchEntity', () => {
    call(root(), 'CreateUser', { UserName: 'u' });
    const missing = LOCAL_ARN('Nope');
    throwsAws(() => call(root(), 'PutUserPermissionsBoundary', { UserName: 'u', PermissionsBoundary: missing }), 'NoSuchEntity', 404, `Scope ARN: ${missing} does not exist or is not attachable.`);
    throwsAws(() => call(root(), 'PutUserPermissionsBoundary', { UserName: 'ghost', PermissionsBoundary: AWS_ARN('PowerUserAccess') }), 'NoSuchEntity', 404, 'The user with name ghost cannot be found.');
    throwsAws(() => call(root(), 'DeleteUserPermissionsBoundary', { UserName: 'ghost' }), 'NoSuchEntity', 404);
  });

  test('CreateUser accepts a customer managed policy as boundary', () => {
    const p = createPolicy(root(), 'Cap');
    const { User } = call(root(), 'CreateUser', { UserName: 'u', PermissionsBoundary: p.Arn });
    assert.equal(User.PermissionsBoundary.PermissionsBoundaryArn, p.Arn);
    assert.equal(call(root(), 'GetPolicy', { PolicyArn: p.Arn }).Policy.PermissionsBoundaryUsageCount, 1);
  });
});

describe('Put/DeleteRolePermissionsBoundary', () => {
  test('sets and removes the boundary GetRole reports', () => {
    call(root(), 'CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: EC2_TRUST });
    const p = createPolicy(root(), 'Cap');
    call(root(), 'PutRolePermissionsBoundary', { RoleName: 'r', PermissionsBoundary: p.Arn });
    assert.equal(boundaryOf(call(root(), 'GetRole', { RoleName: 'r' }).Role).PermissionsBoundaryArn, p.Arn);
    call(root(), 'DeleteRolePermissionsBoundary', { RoleName: 'r' });
    assert.equal(boundaryOf(call(root(), 'GetRole', { RoleName: 'r' }).Role), undefined);
  });

  test('missing role or policy is NoSuchEntity; a service-linked role is UnmodifiableEntity', () => {
    throwsAws(() => call(root(), 'PutRolePermissionsBoundary', { RoleName: 'ghost', PermissionsBoundary: AWS_ARN('PowerUserAccess') }), 'NoSuchEntity', 404, 'The role with name ghost cannot be found.');
    call(root(), 'CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: EC2_TRUST });
    throwsAws(() => call(root(), 'PutRolePermissionsBoundary', { RoleName: 'r', PermissionsBoundary: LOCAL_ARN('Nope') }), 'NoSuchEntity', 404);
    const { RoleName } = call(root(), 'CreateServiceLinkedRole', { AWSServiceName: 'elasticloadbalancing.amazonaws.com' }).Role;
    throwsAws(() => call(root(), 'PutRolePermissionsBoundary', { RoleName, PermissionsBoundary: AWS_ARN('PowerUserAccess') }), 'UnmodifiableEntity', 400);
    throwsAws(() => call(root(), 'DeleteRolePermissionsBoundary', { RoleName }), 'UnmodifiableEntity', 400);
  });
});

describe('boundaries in effect', () => {
  test('allowed by identity but not by the boundary: implicitDeny, failedToAllow boundary', () => {
    const { principal } = userWithKey(store, 'dev');
    call(root(), 'AttachUserPolicy', { UserName: 'dev', PolicyArn: AWS_ARN('AdministratorAccess') });
    const cap = createPolicy(root(), 'S3Only', { PolicyDocument: doc([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }]) });
    call(root(), 'PutUserPermissionsBoundary', { UserName: 'dev', PermissionsBoundary: cap.Arn });

    const s3 = decideAction(store, principal, 's3:GetObject', 'arn:aws:s3:::b/k');
    assert.equal(s3.decision.decision, 'allowed');
    const iam = verdicts(store, principal, 'ListUsers', {})[0];
    assert.equal(iam.decision.decision, 'implicitDeny');
    assert.equal(iam.decision.failedToAllow, 'boundary');

    call(root(), 'DeleteUserPermissionsBoundary', { UserName: 'dev' });
    assert.equal(decide(store, principal, 'ListUsers', {}), 'allowed');
  });

  test('the boundary grants nothing by itself', () => {
    const { principal } = userWithKey(store, 'dev');
    call(root(), 'PutUserPermissionsBoundary', { UserName: 'dev', PermissionsBoundary: AWS_ARN('AdministratorAccess') });
    const v = verdicts(store, principal, 'ListUsers', {})[0];
    assert.equal(v.decision.decision, 'implicitDeny');
    assert.equal(v.decision.failedToAllow, 'identity');
  });

  test('a new default version of the boundary policy applies at once', () => {
    const { principal } = userWithKey(store, 'dev');
    call(root(), 'AttachUserPolicy', { UserName: 'dev', PolicyArn: AWS_ARN('AdministratorAccess') });
    const cap = createPolicy(root(), 'Cap', { PolicyDocument: doc([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }]) });
    call(root(), 'PutUserPermissionsBoundary', { UserName: 'dev', PermissionsBoundary: cap.Arn });
    assert.equal(decide(store, principal, 'ListUsers', {}), 'implicitDeny');
    call(root(), 'CreatePolicyVersion', { PolicyArn: cap.Arn, PolicyDocument: doc([{ Effect: 'Allow', Action: ['s3:*', 'iam:List*'], Resource: '*' }]), SetAsDefault: true });
    assert.equal(decide(store, principal, 'ListUsers', {}), 'allowed');
  });

  test('a role session is capped by the role\'s boundary', () => {
    call(root(), 'CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: EC2_TRUST });
    call(root(), 'AttachRolePolicy', { RoleName: 'app', PolicyArn: AWS_ARN('AmazonS3FullAccess') });
    call(root(), 'AttachRolePolicy', { RoleName: 'app', PolicyArn: AWS_ARN('AmazonDynamoDBFullAccess') });
    call(root(), 'PutRolePermissionsBoundary', { RoleName: 'app', PermissionsBoundary: AWS_ARN('AmazonS3ReadOnlyAccess') });
    const session = sessionOf(store, 'app');
    assert.equal(decideAction(store, session, 's3:GetObject', 'arn:aws:s3:::b/k').decision.decision, 'allowed');
    const put = decideAction(store, session, 's3:PutObject', 'arn:aws:s3:::b/k').decision;
    assert.equal(put.decision, 'implicitDeny');
    assert.equal(put.failedToAllow, 'boundary');
    assert.equal(decideAction(store, session, 'dynamodb:GetItem', `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/t`).decision.decision, 'implicitDeny');
  });
});

describe('authorization of boundary operations', () => {
  test('Put carries the boundary requested; Delete the one in place', () => {
    call(root(), 'CreateUser', { UserName: 'u', PermissionsBoundary: AWS_ARN('PowerUserAccess') });
    const [put] = entriesOf(root(), 'PutUserPermissionsBoundary', { UserName: 'u', PermissionsBoundary: AWS_ARN('ReadOnlyAccess') });
    assert.equal(put.action, 'iam:PutUserPermissionsBoundary');
    assert.equal(put.resource, `arn:aws:iam::${ACCOUNT}:user/u`);
    assert.equal(put.context?.['iam:PermissionsBoundary'], AWS_ARN('ReadOnlyAccess'));
    const [del] = entriesOf(root(), 'DeleteUserPermissionsBoundary', { UserName: 'u' });
    assert.equal(del.context?.['iam:PermissionsBoundary'], AWS_ARN('PowerUserAccess'));
    call(root(), 'CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: EC2_TRUST });
    const [role] = entriesOf(root(), 'PutRolePermissionsBoundary', { RoleName: 'r', PermissionsBoundary: AWS_ARN('ReadOnlyAccess') });
    assert.equal(role.resource, `arn:aws:iam::${ACCOUNT}:role/r`);
  });

  test('a delegated admin may only set the approved boundary (iam:PermissionsBoundary)', () => {
    const { principal } = userWithKey(store, 'delegate');
    call(root(), 'CreateUser', { UserName: 'target' });
    call(root(), 'PutUserPolicy', {
      UserName: 'delegate',
      PolicyName: 'set-boundary',
      PolicyDocument: doc([
        { Effect: 'Allow', Action: ['iam:PutUserPermissionsBoundary', 'iam:AttachUserPolicy'], Resource: '*', Condition: { StringEquals: { 'iam:PermissionsBoundary': AWS_ARN('ReadOnlyAccess') } } },
      ]),
    });
    assert.equal(decide(store, principal, 'PutUserPermissionsBoundary', { UserName: 'target', PermissionsBoundary: AWS_ARN('ReadOnlyAccess') }), 'allowed');
    assert.equal(decide(store, principal, 'PutUserPermissionsBoundary', { UserName: 'target', PermissionsBoundary: AWS_ARN('AdministratorAccess') }), 'implicitDeny');
    // Attaching is allowed only to users already bounded by the approved policy.
    assert.equal(decide(store, principal, 'AttachUserPolicy', { UserName: 'target', PolicyArn: AWS_ARN('AmazonS3FullAccess') }), 'implicitDeny');
    call(root(), 'PutUserPermissionsBoundary', { UserName: 'target', PermissionsBoundary: AWS_ARN('ReadOnlyAccess') });
    assert.equal(decide(store, principal, 'AttachUserPolicy', { UserName: 'target', PolicyArn: AWS_ARN('AmazonS3FullAccess') }), 'allowed');
  });
});
