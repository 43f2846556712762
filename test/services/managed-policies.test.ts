import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNT, asRoot, call, openTestStore, throwsAws } from './context.js';
import { ALLOW_ALL, AWS_ARN, createPolicy, doc, EC2_TRUST, LOCAL_ARN } from './managed-policies-support.js';
import { listAwsManagedPolicies } from '../../src/identity/aws-managed-catalog.js';
import { quota } from '../../src/identity/quotas.js';
import { MALFORMED_POLICY_MESSAGES as MSG } from '../../src/policy/index.js';
import type { Store } from '../../src/store/store.js';

let t: ReturnType<typeof openTestStore>;
let store: Store;
beforeEach(() => {
  t = openTestStore();
  store = t.store;
});
afterEach(() => t.dispose());

const root = () => asRoot(store);

/** Every page of ListPolicies with these filters, MaxItems at a time. */
function listAll(input: Record<string, unknown>, maxItems = 1000): any[] {
  const out: any[] = [];
  let marker: string | undefined;
  for (;;) {
    const page = call(root(), 'ListPolicies', { ...input, MaxItems: maxItems, ...(marker ? { Marker: marker } : {}) });
    out.push(...page.Policies);
    if (!page.IsTruncated) return out;
    marker = page.Marker;
  }
}

describe('CreatePolicy and GetPolicy', () => {
  test('returns the Policy shape: ANPA id, ARN with path, v1, no use yet', () => {
    const now = Date.UTC(2026, 1, 3, 4, 5, 6);
    const p = createPolicy(asRoot(store, now), 'S3Reader', { Path: '/team/', Description: 'reads buckets', Tags: [{ Key: 'env', Value: 'dev' }] });
    assert.match(p.PolicyId, /^ANPA[A-Z2-7]{17}$/);
    assert.equal(p.Arn, `arn:aws:iam::${ACCOUNT}:policy/team/S3Reader`);
    assert.equal(p.Path, '/team/');
    assert.equal(p.DefaultVersionId, 'v1');
    assert.equal(p.AttachmentCount, 0);
    assert.equal(p.PermissionsBoundaryUsageCount, 0);
    assert.equal(p.IsAttachable, true);
    // CreatePolicy does not answer with the Description (LS test_iam_policies.snapshot.json); GetPolicy does.
    assert.equal('Description' in p, false);
    assert.deepEqual(p.CreateDate, new Date(now));
    assert.deepEqual(p.UpdateDate, new Date(now));
    assert.deepEqual(p.Tags, [{ Key: 'env', Value: 'dev' }]);

    const got = call(root(), 'GetPolicy', { PolicyArn: p.Arn }).Policy;
    assert.deepEqual(got, { ...p, Description: 'reads buckets' });
  });

  test('the path defaults to / and Description and Tags are left out when absent; GetPolicy answers Tags: []', () => {
    const p = createPolicy(root(), 'Plain');
    assert.equal(p.Arn, LOCAL_ARN('Plain'));
    assert.equal('Description' in p, false);
    assert.equal('Tags' in p, false);
    const got = call(root(), 'GetPolicy', { PolicyArn: p.Arn }).Policy;
    assert.equal('Description' in got, false);
    assert.deepEqual(got.Tags, []);
  });

  test('names are unique in the account whatever the path and case', () => {
    createPolicy(root(), 'Dup');
    throwsAws(() => createPolicy(root(), 'DUP', { Path: '/other/' }), 'EntityAlreadyExists', 409, 'A policy called DUP already exists. Duplicate names are not allowed.');
  });

  test('a name an AWS managed policy has is free for the account', () => {
    const p = createPolicy(root(), 'AdministratorAccess');
    assert.equal(p.Arn, LOCAL_ARN('AdministratorAccess'));
    assert.equal(call(root(), 'GetPolicy', { PolicyArn: AWS_ARN('AdministratorAccess') }).Policy.Arn, AWS_ARN('AdministratorAccess'));
  });

  test('documents are checked as identity policies; nothing is written on refusal', () => {
    throwsAws(() => createPolicy(root(), 'Bad', { PolicyDocument: '{"Version":"2012-10-17","Statement":[' }), 'MalformedPolicyDocument', 400, MSG.syntax);
    const withPrincipal = doc([{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }]);
    throwsAws(() => createPolicy(root(), 'Bad', { PolicyDocument: withPrincipal }), 'MalformedPolicyDocument', 400);
    throwsAws(() => createPolicy(root(), 'Bad', { PolicyDocument: EC2_TRUST }), 'MalformedPolicyDocument', 400);
    throwsAws(() => call(root(), 'GetPolicy', { PolicyArn: LOCAL_ARN('Bad') }), 'NoSuchEntity', 404);
  });

  test('managed policies must say Version 2012-10-17', () => {
    const old = JSON.stringify({ Version: '2008-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] });
    throwsAws(() => createPolicy(root(), 'Old', { PolicyDocument: old }), 'MalformedPolicyDocument', 400, MSG.versionTooOld);
  });

  test('documents over 6,144 characters (white space not counted) are LimitExceeded', () => {
    const big = (n: number) => doc([{ Sid: 'S' + 'x'.repeat(n), Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }]);
    const base = big(0).replace(/\s/g, '').length;
    createPolicy(root(), 'Fits', { PolicyDocument: big(6144 - base) + ' '.repeat(500) });
    throwsAws(() => createPolicy(root(), 'TooBig', { PolicyDocument: big(6145 - base) }), 'LimitExceeded', 409, 'Cannot exceed quota for PolicySize: 6144');
  });

  test('duplicate tag keys are refused before anything is written', () => {
    throwsAws(
      () => createPolicy(root(), 'Tagged', { Tags: [{ Key: 'a', Value: '1' }, { Key: 'A', Value: '2' }] }),
      'InvalidInput',
      400,
      'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
    );
    throwsAws(() => call(root(), 'GetPolicy', { PolicyArn: LOCAL_ARN('Tagged') }), 'NoSuchEntity', 404);
  });

  test('the customer-managed-policies quota is enforced', () => {
    const insert = store.db.prepare(
      "INSERT INTO managed_policies (account_id, policy_id, policy_name, path, default_version_id, next_version, created_at, updated_at) VALUES (?, ?, ?, '/', 'v1', 2, 0, 0)",
    );
    store.tx(() => {
      for (let i = 0; i < quota('PoliciesPerAccount'); i++) insert.run(ACCOUNT, `ANPAFILL${String(i).padStart(13, '0')}`, `fill${i}`);
    });
    throwsAws(() => createPolicy(root(), 'OneTooMany'), 'LimitExceeded', 409, 'Cannot exceed quota for PoliciesPerAccount: 1500');
  });

  test('GetPolicy: missing policies are NoSuchEntity in AWS words; the path is part of the ARN', () => {
    createPolicy(root(), 'Pathed', { Path: '/a/' });
    throwsAws(() => call(root(), 'GetPolicy', { PolicyArn: LOCAL_ARN('Pathed') }), 'NoSuchEntity', 404, `Policy ${LOCAL_ARN('Pathed')} was not found.`);
    throwsAws(() => call(root(), 'GetPolicy', { PolicyArn: AWS_ARN('NoSuchThing') }), 'NoSuchEntity', 404, `Policy ${AWS_ARN('NoSuchThing')} was not found.`);
    // Another account's policy is not visible from this one.
    const other = `arn:aws:iam::111122223333:policy/Pathed`;
    throwsAws(() => call(root(), 'GetPolicy', { PolicyArn: other }), 'NoSuchEntity', 404);
  });

  test('an ARN that names no policy is InvalidInput', () => {
    const arn = `arn:aws:iam::${ACCOUNT}:user/alice`;
    throwsAws(() => call(root(), 'GetPolicy', { PolicyArn: arn }), 'InvalidInput', 400, `ARN ${arn} is not valid.`);
  });
});

describe('AWS managed policies', () => {
  test('GetPolicy answers from the catalogue with its description and dates, and Tags: []', () => {
    const p = call(root(), 'GetPolicy', { PolicyArn: AWS_ARN('AmazonEC2FullAccess') }).Policy;
    const entry = listAwsManagedPolicies().find((e) => e.name === 'AmazonEC2FullAccess')!;
    assert.equal(p.PolicyName, 'AmazonEC2FullAccess');
    assert.equal(p.PolicyId, entry.policyId);
    assert.equal(p.Path, '/');
    assert.equal(p.DefaultVersionId, entry.defaultVersionId);
    assert.equal(p.AttachmentCount, 0);
    assert.equal(p.IsAttachable, true);
    assert.deepEqual(p.CreateDate, new Date(entry.createDate));
    assert.deepEqual(p.UpdateDate, new Date(entry.updateDate));
    if (entry.description !== undefined) assert.equal(p.Description, entry.description);
    assert.deepEqual(p.Tags, []);
  });

  test('cannot be deleted, versioned or tagged: AccessDenied (they belong to AWS)', () => {
    const arn = AWS_ARN('ReadOnlyAccess');
    const denied = (action: string) => new RegExp(`^User: arn:aws:iam::${ACCOUNT}:root is not authorized to perform: iam:${action} on resource: policy ${arn}`);
    throwsAws(() => call(root(), 'DeletePolicy', { PolicyArn: arn }), 'AccessDenied', 403, denied('DeletePolicy'));
    throwsAws(() => call(root(), 'CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: ALLOW_ALL }), 'AccessDenied', 403, denied('CreatePolicyVersion'));
    throwsAws(() => call(root(), 'TagPolicy', { PolicyArn: arn, Tags: [{ Key: 'k', Value: 'v' }] }), 'AccessDenied', 403, denied('TagPolicy'));
    assert.equal(call(root(), 'GetPolicy', { PolicyArn: arn }).Policy.DefaultVersionId.startsWith('v'), true);
  });
});

describe('ListPolicies', () => {
  test('Scope=Local lists the account\'s policies by name, without Description or Tags', () => {
    createPolicy(root(), 'beta', { Description: 'd', Tags: [{ Key: 'k', Value: 'v' }] });
    createPolicy(root(), 'Alpha', { Path: '/x/' });
    const names = listAll({ Scope: 'Local' }).map((p) => p.PolicyName);
    assert.deepEqual(names, ['Alpha', 'beta']);
    for (const p of listAll({ Scope: 'Local' })) {
      assert.equal('Description' in p, false);
      assert.equal('Tags' in p, false);
    }
  });

  test('Scope=AWS lists the whole catalogue; All adds the account\'s own', () => {
    createPolicy(root(), 'Mine');
    const aws = listAll({ Scope: 'AWS' });
    assert.equal(aws.length, listAwsManagedPolicies().length);
    assert.ok(aws.every((p) => p.Arn.startsWith('arn:aws:iam::aws:policy/')));
    const all = listAll({});
    assert.equal(all.length, aws.length + 1);
    assert.ok(all.some((p) => p.Arn === LOCAL_ARN('Mine')));
  });

  test('PathPrefix filters by policy path', () => {
    createPolicy(root(), 'InTeam', { Path: '/team/a/' });
    createPolicy(root(), 'Elsewhere', { Path: '/other/' });
    assert.deepEqual(listAll({ Scope: 'Local', PathPrefix: '/team/' }).map((p) => p.PolicyName), ['InTeam']);
    const jobFunctions = listAll({ Scope: 'AWS', PathPrefix: '/job-function/' });
    assert.ok(jobFunctions.length > 0);
    assert.ok(jobFunctions.every((p) => p.Path === '/job-function/'));
  });

  test('pages with Marker/MaxItems visit every policy exactly once', () => {
    for (let i = 0; i < 7; i++) createPolicy(root(), `p${i}`);
    const paged = listAll({ Scope: 'Local' }, 3).map((p) => p.PolicyName);
    assert.deepEqual(paged, ['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6']);
    const first = call(root(), 'ListPolicies', { Scope: 'Local', MaxItems: 3 });
    assert.equal(first.IsTruncated, true);
    assert.equal(first.Policies.length, 3);
    const allAws = listAll({ Scope: 'All' }, 250);
    assert.equal(new Set(allAws.map((p) => p.Arn)).size, allAws.length);
  });

  test('OnlyAttached and PolicyUsageFilter keep policies by how they are used; counts are real', () => {
    call(root(), 'CreateUser', { UserName: 'u' });
    call(root(), 'CreateGroup', { GroupName: 'g' });
    call(root(), 'CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: EC2_TRUST });
    const attached = createPolicy(root(), 'Attached');
    const boundary = createPolicy(root(), 'Boundary');
    createPolicy(root(), 'Unused');
    call(root(), 'AttachUserPolicy', { UserName: 'u', PolicyArn: attached.Arn });
    call(root(), 'AttachGroupPolicy', { GroupName: 'g', PolicyArn: attached.Arn });
    call(root(), 'AttachRolePolicy', { RoleName: 'r', PolicyArn: AWS_ARN('AmazonS3FullAccess') });
    call(root(), 'PutUserPermissionsBoundary', { UserName: 'u', PermissionsBoundary: boundary.Arn });
    call(root(), 'PutRolePermissionsBoundary', { RoleName: 'r', PermissionsBoundary: boundary.Arn });

    const names = (input: Record<string, unknown>) => listAll(input).map((p) => p.PolicyName);
    assert.deepEqual(names({ Scope: 'Local', OnlyAttached: true }), ['Attached']);
    assert.deepEqual(names({ OnlyAttached: true }), ['AmazonS3FullAccess', 'Attached']);
    assert.deepEqual(names({ Scope: 'Local', PolicyUsageFilter: 'PermissionsBoundary' }), ['Boundary']);
    assert.deepEqual(names({ Scope: 'Local', PolicyUsageFilter: 'PermissionsPolicy' }), ['Attached']);
    assert.deepEqual(names({ Scope: 'AWS', OnlyAttached: true }), ['AmazonS3FullAccess']);

    const byName = new Map(listAll({ Scope: 'Local' }).map((p) => [p.PolicyName, p]));
    assert.equal(byName.get('Attached').AttachmentCount, 2);
    assert.equal(byName.get('Boundary').PermissionsBoundaryUsageCount, 2);
    assert.equal(byName.get('Boundary').AttachmentCount, 0);
    assert.equal(call(root(), 'GetPolicy', { PolicyArn: AWS_ARN('AmazonS3FullAccess') }).Policy.AttachmentCount, 1);
  });
});

describe('DeletePolicy', () => {
  test('removes the policy, its versions and its tags', () => {
    const p = createPolicy(root(), 'Gone', { Tags: [{ Key: 'k', Value: 'v' }] });
    call(root(), 'DeletePolicy', { PolicyArn: p.Arn });
    throwsAws(() => call(root(), 'GetPolicy', { PolicyArn: p.Arn }), 'NoSuchEntity', 404);
    const left = store.db.prepare('SELECT (SELECT count(*) FROM managed_policy_versions) + (SELECT count(*) FROM tags WHERE resource_kind = ?) AS n').get('policy') as { n: number };
    assert.equal(left.n, 0);
    // The name is free again.
    createPolicy(root(), 'Gone');
  });

  test('refuses while attached or used as a boundary', () => {
    call(root(), 'CreateUser', { UserName: 'u' });
    const p = createPolicy(root(), 'InUse');
    call(root(), 'AttachUserPolicy', { UserName: 'u', PolicyArn: p.Arn });
    throwsAws(() => call(root(), 'DeletePolicy', { PolicyArn: p.Arn }), 'DeleteConflict', 409, 'Cannot delete a policy attached to entities.');
    call(root(), 'DetachUserPolicy', { UserName: 'u', PolicyArn: p.Arn });
    call(root(), 'PutUserPermissionsBoundary', { UserName: 'u', PermissionsBoundary: p.Arn });
    throwsAws(() => call(root(), 'DeletePolicy', { PolicyArn: p.Arn }), 'DeleteConflict', 409, 'Cannot delete a policy attached to entities.');
    call(root(), 'DeleteUserPermissionsBoundary', { UserName: 'u' });
    call(root(), 'DeletePolicy', { PolicyArn: p.Arn });
  });

  test('refuses while it has versions besides the default', () => {
    const p = createPolicy(root(), 'Versioned');
    call(root(), 'CreatePolicyVersion', { PolicyArn: p.Arn, PolicyDocument: ALLOW_ALL });
    throwsAws(
      () => call(root(), 'DeletePolicy', { PolicyArn: p.Arn }),
      'DeleteConflict',
      409,
      "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
    );
    call(root(), 'DeletePolicyVersion', { PolicyArn: p.Arn, VersionId: 'v2' });
    call(root(), 'DeletePolicy', { PolicyArn: p.Arn });
  });

  test('a missing policy is NoSuchEntity', () => {
    throwsAws(() => call(root(), 'DeletePolicy', { PolicyArn: LOCAL_ARN('Nope') }), 'NoSuchEntity', 404, `Policy ${LOCAL_ARN('Nope')} was not found.`);
  });
});

describe('policy tags', () => {
  test('TagPolicy adds and overwrites, UntagPolicy removes, ListPolicyTags pages in order', () => {
    const p = createPolicy(root(), 'T', { Tags: [{ Key: 'a', Value: '1' }] });
    call(root(), 'TagPolicy', { PolicyArn: p.Arn, Tags: [{ Key: 'b', Value: '2' }, { Key: 'A', Value: '3' }] });
    assert.deepEqual(call(root(), 'ListPolicyTags', { PolicyArn: p.Arn }).Tags, [{ Key: 'A', Value: '3' }, { Key: 'b', Value: '2' }]);
    const page = call(root(), 'ListPolicyTags', { PolicyArn: p.Arn, MaxItems: 1 });
    assert.equal(page.IsTruncated, true);
    assert.deepEqual(call(root(), 'ListPolicyTags', { PolicyArn: p.Arn, Marker: page.Marker }).Tags, [{ Key: 'b', Value: '2' }]);
    call(root(), 'UntagPolicy', { PolicyArn: p.Arn, TagKeys: ['a', 'missing'] });
    assert.deepEqual(call(root(), 'GetPolicy', { PolicyArn: p.Arn }).Policy.Tags, [{ Key: 'b', Value: '2' }]);
  });

  test('an AWS managed policy lists no tags; a missing policy is NoSuchEntity', () => {
    assert.deepEqual(call(root(), 'ListPolicyTags', { PolicyArn: AWS_ARN('ReadOnlyAccess') }).Tags, []);
    throwsAws(() => call(root(), 'TagPolicy', { PolicyArn: LOCAL_ARN('Nope'), Tags: [{ Key: 'k', Value: 'v' }] }), 'NoSuchEntity', 404);
  });

  test('at most 50 tags', () => {
    const p = createPolicy(root(), 'Many');
    const tags = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    call(root(), 'TagPolicy', { PolicyArn: p.Arn, Tags: tags });
    throwsAws(() => call(root(), 'TagPolicy', { PolicyArn: p.Arn, Tags: [{ Key: 'one-more', Value: 'v' }] }), 'LimitExceeded', 409);
  });
});
