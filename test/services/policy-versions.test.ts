import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { asRoot, call, openTestStore, throwsAws, userWithKey } from './context.js';
import { AWS_ARN, createPolicy, decide, doc, LOCAL_ARN } from './managed-policies-support.js';
import { awsManagedPolicy } from '../../src/identity/aws-managed-catalog.js';
import type { Store } from '../../src/store/store.js';

let t: ReturnType<typeof openTestStore>;
let store: Store;
beforeEach(() => {
  t = openTestStore();
  store = t.store;
});
afterEach(() => t.dispose());

const root = () => asRoot(store);
const allow = (action: string) => doc([{ Effect: 'Allow', Action: action, Resource: '*' }]);
const LIMIT_MESSAGE = 'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.';

function versionIds(arn: string): string[] {
  return call(root(), 'ListPolicyVersions', { PolicyArn: arn }).Versions.map((v: any) => v.VersionId);
}

describe('CreatePolicyVersion', () => {
  test('adds v2 (not default unless asked); SetAsDefault makes it the one in force', () => {
    const p = createPolicy(root(), 'P', { PolicyDocument: allow('s3:GetObject') });
    const later = Date.now() + 60_000;
    const v2 = call(asRoot(store, later), 'CreatePolicyVersion', { PolicyArn: p.Arn, PolicyDocument: allow('s3:PutObject') }).PolicyVersion;
    assert.deepEqual(v2, { VersionId: 'v2', IsDefaultVersion: false, CreateDate: new Date(later) });
    assert.equal(call(root(), 'GetPolicy', { PolicyArn: p.Arn }).Policy.DefaultVersionId, 'v1');
    assert.deepEqual(call(root(), 'GetPolicy', { PolicyArn: p.Arn }).Policy.UpdateDate, new Date(later));

    const v3 = call(root(), 'CreatePolicyVersion', { PolicyArn: p.Arn, PolicyDocument: allow('s3:DeleteObject'), SetAsDefault: true }).PolicyVersion;
    assert.equal(v3.VersionId, 'v3');
    assert.equal(v3.IsDefaultVersion, true);
    assert.equal(call(root(), 'GetPolicy', { PolicyArn: p.Arn }).Policy.DefaultVersionId, 'v3');
  });

  test('at most five versions; ids are never reused after a delete', () => {
    const p = createPolicy(root(), 'P');
    for (let i = 0; i < 4; i++) call(root(), 'CreatePolicyVersion', { PolicyArn: p.Arn, PolicyDocument: allow(`s3:Get${i}`) });
    throwsAws(() => call(root(), 'CreatePolicyVersion', { PolicyArn: p.Arn, PolicyDocument: allow('s3:x') }), 'LimitExceeded', 409, LIMIT_MESSAGE);
    call(root(), 'DeletePolicyVersion', { PolicyArn: p.Arn, VersionId: 'v5' });
    const next = call(root(), 'CreatePolicyVersion', { PolicyArn: p.Arn, PolicyDocument: allow('s3:y') }).PolicyVersion;
    assert.equal(next.VersionId, 'v6');
    assert.deepEqual(versionIds(p.Arn), ['v6', 'v4', 'v3', 'v2', 'v1']);
  });

  test('the new document is checked like CreatePolicy\'s', () => {
    const p = createPolicy(root(), 'P');
    throwsAws(() => call(root(), 'CreatePolicyVersion', { PolicyArn: p.Arn, PolicyDocument: '{' }), 'MalformedPolicyDocument', 400);
    assert.deepEqual(versionIds(p.Arn), ['v1']);
  });

  test('a missing policy is NoSuchEntity', () => {
    throwsAws(() => call(root(), 'CreatePolicyVersion', { PolicyArn: LOCAL_ARN('Nope'), PolicyDocument: allow('s3:*') }), 'NoSuchEntity', 404);
  });
});

describe('GetPolicyVersion and ListPolicyVersions', () => {
  test('GetPolicyVersion returns the document URL-encoded, exactly as sent', () => {
    const text = '{\n  "Version": "2012-10-17",\n  "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]\n}';
    const p = createPolicy(root(), 'P', { PolicyDocument: text });
    const v = call(root(), 'GetPolicyVersion', { PolicyArn: p.Arn, VersionId: 'v1' }).PolicyVersion;
    assert.equal(decodeURIComponent(v.Document), text);
    assert.equal(v.VersionId, 'v1');
    assert.equal(v.IsDefaultVersion, true);
    assert.ok(v.CreateDate instanceof Date);
  });

  test('a version that is not there is NoSuchEntity in AWS words', () => {
    const p = createPolicy(root(), 'P');
    throwsAws(
      () => call(root(), 'GetPolicyVersion', { PolicyArn: p.Arn, VersionId: 'v7' }),
      'NoSuchEntity',
      404,
      `Policy ${p.Arn} version v7 does not exist or is not attachable.`,
    );
  });

  test('ListPolicyVersions: newest first, without documents, paginated', () => {
    const p = createPolicy(root(), 'P');
    call(root(), 'CreatePolicyVersion', { PolicyArn: p.Arn, PolicyDocument: allow('s3:a'), SetAsDefault: true });
    call(root(), 'CreatePolicyVersion', { PolicyArn: p.Arn, PolicyDocument: allow('s3:b') });
    const all = call(root(), 'ListPolicyVersions', { PolicyArn: p.Arn });
    assert.deepEqual(all.Versions.map((v: any) => [v.VersionId, v.IsDefaultVersion]), [['v3', false], ['v2', true], ['v1', false]]);
    assert.ok(all.Versions.every((v: any) => !('Document' in v)));
    const first = call(root(), 'ListPolicyVersions', { PolicyArn: p.Arn, MaxItems: 2 });
    assert.equal(first.IsTruncated, true);
    const rest = call(root(), 'ListPolicyVersions', { PolicyArn: p.Arn, MaxItems: 2, Marker: first.Marker });
    assert.deepEqual(rest.Versions.map((v: any) => v.VersionId), ['v1']);
    assert.equal(rest.IsTruncated, false);
  });

  test('AWS managed policies show their default version from the catalogue', () => {
    const arn = AWS_ARN('AmazonS3ReadOnlyAccess');
    const entry = awsManagedPolicy(arn)!;
    const versions = call(root(), 'ListPolicyVersions', { PolicyArn: arn }).Versions;
    assert.deepEqual(versions[0], { VersionId: entry.defaultVersionId, IsDefaultVersion: true, CreateDate: new Date(entry.versionCreateDate) });
    const v = call(root(), 'GetPolicyVersion', { PolicyArn: arn, VersionId: entry.defaultVersionId }).PolicyVersion;
    assert.deepEqual(JSON.parse(decodeURIComponent(v.Document)), JSON.parse(entry.document));
    throwsAws(() => call(root(), 'GetPolicyVersion', { PolicyArn: arn, VersionId: 'v99' }), 'NoSuchEntity', 404);
  });

  test('AWS managed policies keep their older versions: AmazonS3FullAccess v1 is s3:* alone', () => {
    // As AWS answers (LS test_iam_account_authorization_details.snapshot.json lists
    // AmazonS3FullAccess v2 (default) and v1 {"Action":"s3:*","Effect":"Allow","Resource":"*"}).
    const arn = AWS_ARN('AmazonS3FullAccess');
    const v1 = call(root(), 'GetPolicyVersion', { PolicyArn: arn, VersionId: 'v1' }).PolicyVersion;
    assert.equal(v1.VersionId, 'v1');
    assert.equal(v1.IsDefaultVersion, false);
    assert.ok(v1.CreateDate instanceof Date);
    assert.deepEqual(JSON.parse(decodeURIComponent(v1.Document)).Statement, [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }]);
    const listed = call(root(), 'ListPolicyVersions', { PolicyArn: arn }).Versions;
    assert.deepEqual(listed.map((v: any) => [v.VersionId, v.IsDefaultVersion]), [['v2', true], ['v1', false]]);
  });

  test('ListPolicyVersions of an AWS managed policy lists every version the data has, newest first, one default', () => {
    const arn = AWS_ARN('IAMUserChangePassword');
    const entry = awsManagedPolicy(arn)!;
    const all = call(root(), 'ListPolicyVersions', { PolicyArn: arn }).Versions;
    assert.equal(entry.versionsCount, undefined, 'the data has all its versions');
    assert.deepEqual(all.map((v: any) => v.VersionId), ['v5', 'v4', 'v3', 'v2', 'v1']);
    assert.deepEqual(all.filter((v: any) => v.IsDefaultVersion).map((v: any) => v.VersionId), [entry.defaultVersionId]);
    const page = call(root(), 'ListPolicyVersions', { PolicyArn: arn, MaxItems: 2 });
    assert.equal(page.IsTruncated, true);
    assert.deepEqual(page.Versions.map((v: any) => v.VersionId), ['v5', 'v4']);
  });

  test('where the data lacks versions of an AWS managed policy, those are NoSuchEntity', () => {
    // ReadOnlyAccess: AWS counts more versions than the bundled data holds (README, IAM).
    const arn = AWS_ARN('ReadOnlyAccess');
    const entry = awsManagedPolicy(arn)!;
    const listed = call(root(), 'ListPolicyVersions', { PolicyArn: arn, MaxItems: 1000 }).Versions.map((v: any) => v.VersionId);
    assert.ok(entry.versionsCount !== undefined && listed.length < entry.versionsCount);
    const missing = Array.from({ length: entry.versionsCount }, (_, i) => `v${i + 1}`).find((id) => !listed.includes(id))!;
    throwsAws(() => call(root(), 'GetPolicyVersion', { PolicyArn: arn, VersionId: missing }), 'NoSuchEntity', 404, `Policy ${arn} version ${missing} does not exist or is not attachable.`);
  });
});

describe('DeletePolicyVersion and SetDefaultPolicyVersion', () => {
  test('the default version cannot be deleted; another can', () => {
    const p = createPolicy(root(), 'P');
    call(root(), 'CreatePolicyVersion', { PolicyArn: p.Arn, PolicyDocument: allow('s3:a') });
    throwsAws(() => call(root(), 'DeletePolicyVersion', { PolicyArn: p.Arn, VersionId: 'v1' }), 'DeleteConflict', 409, 'Cannot delete the default version of a policy.');
    call(root(), 'DeletePolicyVersion', { PolicyArn: p.Arn, VersionId: 'v2' });
    assert.deepEqual(versionIds(p.Arn), ['v1']);
    throwsAws(() => call(root(), 'DeletePolicyVersion', { PolicyArn: p.Arn, VersionId: 'v2' }), 'NoSuchEntity', 404);
  });

  test('SetDefaultPolicyVersion switches which version is in force', () => {
    const p = createPolicy(root(), 'P');
    call(root(), 'CreatePolicyVersion', { PolicyArn: p.Arn, PolicyDocument: allow('s3:a') });
    call(root(), 'SetDefaultPolicyVersion', { PolicyArn: p.Arn, VersionId: 'v2' });
    assert.equal(call(root(), 'GetPolicy', { PolicyArn: p.Arn }).Policy.DefaultVersionId, 'v2');
    const listed = call(root(), 'ListPolicyVersions', { PolicyArn: p.Arn }).Versions;
    assert.deepEqual(listed.map((v: any) => v.IsDefaultVersion), [true, false]);
    // Now v1 may go, and v2 may not.
    call(root(), 'DeletePolicyVersion', { PolicyArn: p.Arn, VersionId: 'v1' });
    throwsAws(() => call(root(), 'SetDefaultPolicyVersion', { PolicyArn: p.Arn, VersionId: 'v1' }), 'NoSuchEntity', 404, `Policy ${p.Arn} version v1 does not exist or is not attachable.`);
  });

  test('AWS managed policies refuse both (AccessDenied)', () => {
    const arn = AWS_ARN('ReadOnlyAccess');
    throwsAws(() => call(root(), 'SetDefaultPolicyVersion', { PolicyArn: arn, VersionId: 'v1' }), 'AccessDenied', 403);
    throwsAws(() => call(root(), 'DeletePolicyVersion', { PolicyArn: arn, VersionId: 'v1' }), 'AccessDenied', 403);
  });

  test('the default version is what an attached user is allowed, at once after each change', () => {
    const { principal } = userWithKey(store, 'dev');
    const p = createPolicy(root(), 'P', { PolicyDocument: allow('iam:ListUsers') });
    call(root(), 'AttachUserPolicy', { UserName: 'dev', PolicyArn: p.Arn });
    assert.equal(decide(store, principal, 'ListUsers', {}), 'allowed');
    assert.equal(decide(store, principal, 'ListPolicies', {}), 'implicitDeny');

    call(root(), 'CreatePolicyVersion', { PolicyArn: p.Arn, PolicyDocument: allow('iam:ListPolicies') });
    assert.equal(decide(store, principal, 'ListUsers', {}), 'allowed', 'a non-default version changes nothing');
    call(root(), 'SetDefaultPolicyVersion', { PolicyArn: p.Arn, VersionId: 'v2' });
    assert.equal(decide(store, principal, 'ListUsers', {}), 'implicitDeny');
    assert.equal(decide(store, principal, 'ListPolicies', {}), 'allowed');
  });
});
