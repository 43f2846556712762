import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, iamlocal, workspace } from './support.js';

interface SimOutput {
  principal: { type: string; arn: string; accountId: string; roleArn?: string };
  context: Record<string, string | string[]>;
  results: {
    action: string; resource: string; decision: string; explanation: string; failedToAllow?: string;
    matched: { sid?: string; policyName: string; policyType: string; effect: string; line: number }[];
    missingContextKeys: string[]; accessDenied?: string;
  }[];
}

const doc = (statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2);
const ERIKA = 'arn:aws:iam::111122223333:user/engineer_erika';

function simulate(dir: string, args: string[]): { status: number | null; out: SimOutput } {
  const r = iamlocal(['policy', 'simulate', ...args, '--json'], { cwd: dir });
  assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
  return { status: r.status, out: JSON.parse(r.stdout) as SimOutput };
}

test('seed 001 engineer: object access in Sydney is allowed by AccessAllS3Buckets, elsewhere denied', () => {
  const ws = workspace({ 'engineer_access.json': fixture('engineer_access.json') });
  try {
    const sydney = simulate(ws.dir, ['--policy', 'engineer_access.json', '--action', 's3:GetObject', 's3:PutObject', '--resource', 'arn:aws:s3:::erika-analysis/data.csv',
      '--principal', ERIKA, '--context', 'aws:RequestedRegion=ap-southeast-2']);
    assert.equal(sydney.status, 0);
    assert.deepEqual(sydney.out.results.map((r) => [r.action, r.decision, r.matched[0]?.sid]), [
      ['s3:GetObject', 'allowed', 'AccessAllS3Buckets'],
      ['s3:PutObject', 'allowed', 'AccessAllS3Buckets'],
    ]);
    assert.equal(sydney.out.results[0].matched[0].line, 46);

    const virginia = simulate(ws.dir, ['--policy', 'engineer_access.json', '--action', 's3:GetObject', '--resource', 'arn:aws:s3:::erika-analysis/data.csv',
      '--principal', ERIKA, '--region', 'us-east-1']);
    assert.equal(virginia.status, 1);
    const r = virginia.out.results[0];
    assert.equal(r.decision, 'implicitDeny');
    assert.equal(r.failedToAllow, 'identity');
    assert.equal(r.accessDenied, `User: ${ERIKA} is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::erika-analysis/data.csv because no identity-based policy allows the s3:GetObject action`);

    // Without a Region the request lacks the key the policy's conditions need.
    const noRegion = simulate(ws.dir, ['--policy', 'engineer_access.json', '--action', 's3:GetObject', '--resource', 'arn:aws:s3:::erika-analysis/data.csv', '--principal', ERIKA]);
    assert.deepEqual(noRegion.out.results[0].missingContextKeys, ['aws:RequestedRegion']);
  } finally {
    ws.cleanup();
  }
});

test('seed 001 engineer: ${aws:username} comes from --principal', () => {
  const ws = workspace({ 'engineer_access.json': fixture('engineer_access.json') });
  try {
    const { status, out } = simulate(ws.dir, ['--policy', 'engineer_access.json', '--action', 'iam:CreateAccessKey', '--principal', ERIKA, '--region', 'us-east-1',
      '--resource', ERIKA, 'arn:aws:iam::111122223333:user/someone_else']);
    assert.equal(status, 1);
    assert.deepEqual(out.results.map((r) => r.decision), ['allowed', 'implicitDeny']);
    assert.equal(out.results[0].matched[0].sid, 'ManageOwnSecurityCredentials');
    assert.equal(out.principal.type, 'user');
    assert.match(String(out.context['aws:userid']), /^AIDA[A-Z2-7]{17}$/);
    assert.equal(out.context['aws:RequestedRegion'], 'us-east-1');
  } finally {
    ws.cleanup();
  }
});

test('an explicit deny names its statement; text output explains each decision', () => {
  const ws = workspace({
    'allow.json': doc([{ Sid: 'AllS3', Effect: 'Allow', Action: 's3:*', Resource: '*' }]),
    'deny.json': doc([{ Sid: 'NoDelete', Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*' }]),
  });
  try {
    const { status, out } = simulate(ws.dir, ['--policy', 'allow.json', 'deny.json', '--action', 's3:DeleteObject,s3:GetObject', '--resource', 'arn:aws:s3:::b/k']);
    assert.equal(status, 1);
    const [del, get] = out.results;
    assert.equal(del.decision, 'explicitDeny');
    assert.deepEqual(del.matched.map((m) => [m.sid, m.policyName, m.effect]), [['NoDelete', 'deny.json', 'Deny']]);
    assert.match(del.accessDenied ?? '', /with an explicit deny in an identity-based policy$/);
    assert.equal(get.decision, 'allowed');

    const text = iamlocal(['policy', 'simulate', '--policy', 'allow.json', 'deny.json', '--action', 's3:DeleteObject', '--resource', 'arn:aws:s3:::b/k'], { cwd: ws.dir });
    assert.equal(text.status, 1);
    assert.match(text.stdout, /^DENIED \(explicit deny\) {2}s3:DeleteObject {2}arn:aws:s3:::b\/k$/m);
    assert.match(text.stdout, /explicitly denied by statement "NoDelete" \(line 4\) of policy "deny\.json"/);
    assert.match(text.stdout, /0 of 1 request allowed/);
  } finally {
    ws.cleanup();
  }
});

test('a permissions boundary or SCP that does not allow is the policy type that failed', () => {
  const ws = workspace({
    'allow.json': doc([{ Effect: 'Allow', Action: '*', Resource: '*' }]),
    'boundary.json': doc([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }]),
    'scp.json': doc([{ Effect: 'Allow', Action: ['s3:*', 'iam:*'], Resource: '*' }]),
  });
  try {
    const boundary = simulate(ws.dir, ['--policy', 'allow.json', '--boundary', 'boundary.json', '--action', 's3:GetObject', 'ec2:RunInstances']);
    assert.deepEqual(boundary.out.results.map((r) => [r.decision, r.failedToAllow]), [['allowed', undefined], ['implicitDeny', 'boundary']]);
    const scp = simulate(ws.dir, ['--policy', 'allow.json', '--scp', 'scp.json', '--action', 'iam:ListUsers', 'ec2:RunInstances']);
    assert.deepEqual(scp.out.results.map((r) => [r.decision, r.failedToAllow]), [['allowed', undefined], ['implicitDeny', 'scp']]);
    assert.match(scp.out.results[1].accessDenied ?? '', /because no service control policy allows the ec2:RunInstances action$/);
  } finally {
    ws.cleanup();
  }
});

test('resource and trust policies; principals from role, session and account ARNs', () => {
  const ws = workspace({
    'bucket.json': doc([{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:role/reader' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::shared/*' }]),
    'trust.json': doc([{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'sts:AssumeRole', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }]),
    'admin.json': doc([{ Effect: 'Allow', Action: '*', Resource: '*' }]),
  });
  try {
    // Cross-account: the role's own account must allow too (no identity policy here).
    const cross = simulate(ws.dir, ['--resource-policy', 'bucket.json', '--action', 's3:GetObject', '--resource', 'arn:aws:s3:::shared/x', '--resource-account', '111122223333',
      '--principal', 'arn:aws:iam::444455556666:role/reader']);
    assert.equal(cross.out.principal.type, 'assumed-role');
    assert.equal(cross.out.principal.roleArn, 'arn:aws:iam::444455556666:role/reader');
    assert.deepEqual([cross.out.results[0].decision, cross.out.results[0].failedToAllow], ['implicitDeny', 'identity']);
    const both = simulate(ws.dir, ['--policy', 'admin.json', '--resource-policy', 'bucket.json', '--action', 's3:GetObject', '--resource', 'arn:aws:s3:::shared/x',
      '--resource-account', '111122223333', '--principal', 'arn:aws:sts::444455556666:assumed-role/reader/session-1']);
    assert.equal(both.out.results[0].decision, 'allowed');

    const role = 'arn:aws:iam::111122223333:role/admin';
    const noMfa = simulate(ws.dir, ['--policy', 'admin.json', '--trust-policy', 'trust.json', '--action', 'sts:AssumeRole', '--resource', role, '--principal', 'arn:aws:iam::111122223333:user/alice']);
    assert.deepEqual([noMfa.out.results[0].decision, noMfa.out.results[0].failedToAllow], ['implicitDeny', 'resource']);
    assert.deepEqual(noMfa.out.results[0].missingContextKeys, ['aws:MultiFactorAuthPresent']);
    const mfa = simulate(ws.dir, ['--policy', 'admin.json', '--trust-policy', 'trust.json', '--action', 'sts:AssumeRole', '--resource', role,
      '--principal', 'arn:aws:iam::111122223333:user/alice', '--context', 'aws:MultiFactorAuthPresent=true']);
    assert.equal(mfa.out.results[0].decision, 'allowed');

    const root = simulate(ws.dir, ['--action', 'iam:CreateUser', '--principal', '111122223333']);
    assert.equal(root.out.principal.arn, 'arn:aws:iam::111122223333:root');
    assert.equal(root.out.results[0].decision, 'allowed');
  } finally {
    ws.cleanup();
  }
});

test('context values: repeated keys and comma lists are multivalued', () => {
  const ws = workspace({
    'tags.json': doc([{ Effect: 'Allow', Action: 'ec2:CreateTags', Resource: '*', Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env', 'team'] } } }]),
  });
  try {
    const ok = simulate(ws.dir, ['--policy', 'tags.json', '--action', 'ec2:CreateTags', '--context', 'aws:TagKeys=env', '--context', 'aws:TagKeys=team']);
    assert.deepEqual(ok.out.context['aws:TagKeys'], ['env', 'team']);
    assert.equal(ok.out.results[0].decision, 'allowed');
    const extra = simulate(ws.dir, ['--policy', 'tags.json', '--action', 'ec2:CreateTags', '--context', 'aws:TagKeys=env,owner']);
    assert.deepEqual(extra.out.context['aws:TagKeys'], ['env', 'owner']);
    assert.equal(extra.out.results[0].decision, 'implicitDeny');
  } finally {
    ws.cleanup();
  }
});

test('a policy IAM would refuse, and bad usage, exit 2 with a message', () => {
  const ws = workspace({ 'broken.json': fixture('engineer_access.broken.json'), 'ok.json': doc([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }]) });
  try {
    const broken = iamlocal(['policy', 'simulate', '--policy', 'broken.json', '--action', 's3:GetObject'], { cwd: ws.dir });
    assert.equal(broken.status, 2);
    assert.match(broken.stderr, /^iamlocal policy: broken\.json:40:52: IAM would refuse this identity policy: Syntax errors in policy\./);
    const noAction = iamlocal(['policy', 'simulate', '--policy', 'ok.json'], { cwd: ws.dir });
    assert.equal(noAction.status, 2);
    assert.match(noAction.stderr, /simulate needs --action/);
    const badPrincipal = iamlocal(['policy', 'simulate', '--policy', 'ok.json', '--action', 's3:GetObject', '--principal', 'bob'], { cwd: ws.dir });
    assert.equal(badPrincipal.status, 2);
    assert.match(badPrincipal.stderr, /--principal bob: expected/);
    const badContext = iamlocal(['policy', 'simulate', '--policy', 'ok.json', '--action', 's3:GetObject', '--context', 'novalue'], { cwd: ws.dir });
    assert.equal(badContext.status, 2);
    const unknownFlag = iamlocal(['policy', 'simulate', '--policy', 'ok.json', '--action', 's3:GetObject', '--frob'], { cwd: ws.dir });
    assert.equal(unknownFlag.status, 2);
    assert.match(unknownFlag.stderr, /unknown option --frob/);
    const help = iamlocal(['policy', 'simulate', '--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /--context KEY=VALUE/);
    assert.match(help.stdout, /Exit status: 0 when every request is allowed, 1 when any is denied/);
  } finally {
    ws.cleanup();
  }
});
