import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate, type Decision, type PolicySet } from '../../src/policy/index.js';
import { ACCOUNT, OTHER, anonymous, federated, pol, req, root, roleSession, service, user } from './support.js';

const OBJ = 'arn:aws:s3:::bucket/key';
const allowS3 = (extra: object = {}) => ({ Effect: 'Allow', Action: 's3:*', Resource: '*', ...extra });
const denyS3 = (extra: object = {}) => ({ Effect: 'Deny', Action: 's3:*', Resource: '*', ...extra });
const bucketPolicy = (principal: unknown, effect = 'Allow', name = 'bucket-policy') =>
  pol([{ Effect: effect, Principal: principal, Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/*' }], 'resource', name);

function verdict(d: Decision): string {
  return d.decision === 'implicitDeny' ? `implicitDeny:${d.failedToAllow}` : d.decision;
}

test('default deny, explicit allow, deny overrides allow', () => {
  const alice = user('alice');
  assert.equal(verdict(evaluate(req('s3:GetObject', OBJ, alice), { identity: [] })), 'implicitDeny:identity');
  assert.equal(verdict(evaluate(req('s3:GetObject', OBJ, alice), { identity: [pol([allowS3()])] })), 'allowed');
  assert.equal(verdict(evaluate(req('s3:GetObject', OBJ, alice), { identity: [pol([allowS3()]), pol([denyS3()])] })), 'explicitDeny');
  assert.equal(verdict(evaluate(req('s3:GetObject', OBJ, alice), { identity: [pol([allowS3(), { ...denyS3(), Action: 's3:GetObject' }])] })), 'explicitDeny');
});

test('Action / NotAction are case-insensitive wildcards; Resource / NotResource are case-sensitive', () => {
  const alice = user('alice');
  const cases: [object, string, string, string][] = [
    [{ Effect: 'Allow', Action: 'S3:getobject', Resource: '*' }, 's3:GetObject', OBJ, 'allowed'],
    [{ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }, 's3:GetObjectAcl', OBJ, 'allowed'],
    [{ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }, 's3:PutObject', OBJ, 'implicitDeny:identity'],
    [{ Effect: 'Allow', Action: 's3:*Object', Resource: '*' }, 's3:PutObject', OBJ, 'allowed'],
    [{ Effect: 'Allow', Action: 's3:?etObject', Resource: '*' }, 's3:GetObject', OBJ, 'allowed'],
    [{ Effect: 'Allow', Action: '*', Resource: '*' }, 'anything:AtAll', OBJ, 'allowed'],
    [{ Effect: 'Allow', Action: 'iam:*Report', Resource: '*' }, 'iam:GetOrganizationsAccessReport', '*', 'allowed'],
    [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }, 's3:GetObject', OBJ, 'allowed'],
    [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }, 'IAM:CreateUser', '*', 'implicitDeny:identity'],
    [{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::bucket/*' }, 's3:GetObject', OBJ, 'allowed'],
    [{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::BUCKET/*' }, 's3:GetObject', OBJ, 'implicitDeny:identity'],
    [{ Effect: 'Allow', Action: 's3:*', NotResource: 'arn:aws:s3:::secret/*' }, 's3:GetObject', OBJ, 'allowed'],
    [{ Effect: 'Allow', Action: 's3:*', NotResource: ['arn:aws:s3:::secret/*', 'arn:aws:s3:::bucket/*'] }, 's3:GetObject', OBJ, 'implicitDeny:identity'],
    [{ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: 'arn:aws:s3:::*' }, 's3:ListAllMyBuckets', '*', 'implicitDeny:identity'],
  ];
  for (const [statement, action, resource, expected] of cases) {
    assert.equal(verdict(evaluate(req(action, resource, alice), { identity: [pol([statement])] })), expected, `${JSON.stringify(statement)} / ${action}`);
  }
});

test('the carlossalazar example: deny on *log* buckets wins, own bucket allowed', () => {
  const identity = pol([
    { Sid: 'AllowS3ListRead', Effect: 'Allow', Action: ['s3:GetBucketLocation', 's3:GetAccountPublicAccessBlock', 's3:ListAccessPoints', 's3:ListAllMyBuckets'], Resource: 'arn:aws:s3:::*' },
    { Sid: 'AllowS3Self', Effect: 'Allow', Action: 's3:*', Resource: ['arn:aws:s3:::carlossalazar/*', 'arn:aws:s3:::carlossalazar'] },
    { Sid: 'DenyS3Logs', Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::*log*' },
  ], 'identity', 'carlos');
  const bucket = pol([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/carlossalazar` }, Action: 's3:*', Resource: ['arn:aws:s3:::carlossalazar/*', 'arn:aws:s3:::carlossalazar'] }], 'resource', 'carlossalazar bucket');
  const carlos = user('carlossalazar');
  const logs = evaluate(req('s3:PutObject', 'arn:aws:s3:::carlossalazar-logs', carlos), { identity: [identity] });
  assert.equal(logs.decision, 'explicitDeny');
  assert.equal(logs.matched[0].sid, 'DenyS3Logs');
  const own = evaluate(req('s3:PutObject', 'arn:aws:s3:::carlossalazar/file', carlos), { identity: [identity], resource: [bucket] });
  assert.equal(own.decision, 'allowed');
  assert.equal(own.matched[0].policyType, 'resource', 'the bucket policy names the user directly');
});

test('same account: a resource policy naming the user grants on its own, even past a boundary', () => {
  const alice = user('alice');
  const boundary = pol([{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }], 'boundary', 'boundary');
  const set: PolicySet = { identity: [], resource: [bucketPolicy({ AWS: alice.arn })], boundary };
  assert.equal(verdict(evaluate(req('s3:GetObject', OBJ, alice), set)), 'allowed');
  // Naming the account only delegates to the account's own policies.
  assert.equal(verdict(evaluate(req('s3:GetObject', OBJ, alice), { identity: [], resource: [bucketPolicy({ AWS: ACCOUNT })] })), 'implicitDeny:identity');
  assert.equal(verdict(evaluate(req('s3:GetObject', OBJ, alice), { identity: [], resource: [bucketPolicy({ AWS: `arn:aws:iam::${ACCOUNT}:root` })] })), 'implicitDeny:identity');
  assert.equal(verdict(evaluate(req('s3:GetObject', OBJ, alice), { identity: [pol([allowS3()])], resource: [bucketPolicy({ AWS: ACCOUNT })] })), 'allowed');
  // Principal "*" names everyone directly.
  assert.equal(verdict(evaluate(req('s3:GetObject', OBJ, alice), { identity: [], resource: [bucketPolicy('*')] })), 'allowed');
  // An explicit deny in the resource policy still wins over an identity allow.
  assert.equal(verdict(evaluate(req('s3:GetObject', OBJ, alice), { identity: [pol([allowS3()])], resource: [bucketPolicy('*', 'Deny')] })), 'explicitDeny');
});

test('same account: a resource policy naming the role is limited by boundary and session policies, not by identity policies', () => {
  const s = roleSession('reader', 'sess');
  const byRole = bucketPolicy({ AWS: s.roleArn });
  const bySession = bucketPolicy({ AWS: s.arn });
  const boundaryNoS3 = pol([{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }], 'boundary', 'b');
  const sessionNoS3 = pol([{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }], 'session', 's');
  assert.equal(verdict(evaluate(req('s3:GetObject', OBJ, s), { identity: [], resource: [byRole] })), 'allowed');
  assert.equal(verdict(evaluate(req('s3:GetObject', OBJ, s), { identity: [], resource: [byRole], boundary: boundaryNoS3 })), 'implicitDeny:boundary');
  assert.equal(verdict(evaluate(req('s3:GetObject', OBJ, s), { identity: [], resource: [byRole], session: [sessionNoS3] })), 'implicitDeny:session');
  // Naming the session grants directly: boundary and session policies do not limit it.
  assert.equal(verdict(evaluate(req('s3:GetObject', OBJ, s), { identity: [], resource: [bySession], boundary: boundaryNoS3, session: [sessionNoS3] })), 'allowed');
});

test('federated users: session ARN grants directly; the federating user\'s ARN is limited by the session policy', () => {
  const f = federated('fed', 'broker');
  const sessionS3 = pol([allowS3()], 'session', 'fed-session');
  const sessionEc2 = pol([{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }], 'session', 'fed-session-ec2');
  assert.equal(verdict(evaluate(req('s3:GetObject', OBJ, f), { identity: [], resource: [bucketPolicy({ AWS: f.arn })], session: [sessionEc2] })), 'allowed');
  assert.equal(verdict(evaluate(req('s3:GetObject', OBJ, f), { identity: [], resource: [bucketPolicy({ AWS: f.userArn })], session: [sessionEc2] })), 'implicitDeny:session');
  assert.equal(verdict(evaluate(req('s3:GetObject', OBJ, f), { identity: [], resource: [bucketPolicy({ AWS: f.userArn })], session: [sessionS3] })), 'allowed');
  // Identity policies (of the federating user) intersect with the session policy.
  assert.equal(verdict(evaluate(req('s3:GetObject', OBJ, f), { identity: [pol([allowS3()])], session: [sessionS3] })), 'allowed');
  assert.equal(verdict(evaluate(req('s3:GetObject', OBJ, f), { identity: [pol([allowS3()])], session: [sessionEc2] })), 'implicitDeny:session');
  // Without a session policy a federated session has no permissions.
  assert.equal(verdict(evaluate(req('s3:GetObject', OBJ, f), { identity: [pol([allowS3()])] })), 'implicitDeny:session');
});

test('boundaries and session policies intersect with identity policies', () => {
  const u = user('dev');
  const s = roleSession('dev-role', 'x');
  const boundary = (action: string) => pol([{ Effect: 'Allow', Action: action, Resource: '*' }], 'boundary', `boundary ${action}`);
  const session = (action: string) => pol([{ Effect: 'Allow', Action: action, Resource: '*' }], 'session', `session ${action}`);
  const identity = [pol([allowS3()])];
  assert.equal(verdict(evaluate(req('s3:GetObject', OBJ, u), { identity, boundary: boundary('s3:Get*') })), 'allowed');
  assert.equal(verdict(evaluate(req('s3:PutObject', OBJ, u), { identity, boundary: boundary('s3:Get*') })), 'implicitDeny:boundary');
  assert.equal(verdict(evaluate(req('iam:CreateUser', '*', u), { identity, boundary: boundary('iam:*') })), 'implicitDeny:identity');
  assert.equal(verdict(evaluate(req('s3:GetObject', OBJ, s), { identity, session: [session('s3:GetObject')] })), 'allowed');
  assert.equal(verdict(evaluate(req('s3:PutObject', OBJ, s), { identity, session: [session('s3:GetObject')] })), 'implicitDeny:session');
  // Several session policies (inline + managed ARNs) together set the limit.
  assert.equal(verdict(evaluate(req('s3:PutObject', OBJ, s), { identity, session: [session('s3:GetObject'), session('s3:PutObject')] })), 'allowed');
  // A deny in a boundary is an explicit deny.
  const denyBoundary = pol([{ Effect: 'Allow', Action: '*', Resource: '*' }, denyS3()], 'boundary', 'deny-boundary');
  const d = evaluate(req('s3:GetObject', OBJ, u), { identity, boundary: denyBoundary });
  assert.equal(d.decision, 'explicitDeny');
  assert.equal(d.matched[0].policyType, 'boundary');
});

test('cross-account: both the identity policy and the resource policy must allow', () => {
  const carlos = user('carlossalazar', OTHER);
  const identity = [pol([{ Effect: 'Allow', Action: 's3:*Object*', Resource: 'arn:aws:s3:::Production/*' }])];
  const bucket = pol([{ Effect: 'Allow', Action: ['s3:GetObject*', 's3:PutObject*'], Principal: { AWS: carlos.arn }, Resource: 'arn:aws:s3:::Production/*' }], 'resource', 'Production');
  const put = (set: PolicySet) => verdict(evaluate(req('s3:PutObject', 'arn:aws:s3:::Production/file', carlos, {}, ACCOUNT), set));
  assert.equal(put({ identity, resource: [bucket] }), 'allowed');
  assert.equal(put({ identity: [], resource: [bucket] }), 'implicitDeny:identity');
  assert.equal(put({ identity }), 'implicitDeny:resource');
  assert.equal(put({ identity, resource: [bucketPolicy({ AWS: ACCOUNT })] }), 'implicitDeny:resource');
  // Naming the other account delegates to it: its identity policies then decide.
  const byAccount = pol([{ Effect: 'Allow', Action: 's3:PutObject', Principal: { AWS: OTHER }, Resource: 'arn:aws:s3:::Production/*' }], 'resource', 'acct');
  assert.equal(put({ identity, resource: [byAccount] }), 'allowed');
  assert.equal(put({ identity: [], resource: [byAccount] }), 'implicitDeny:identity');
  // The principal's boundary still applies.
  assert.equal(put({ identity, resource: [bucket], boundary: pol([{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }], 'boundary', 'b') }), 'implicitDeny:boundary');
  const deleteDenied = verdict(evaluate(req('s3:DeleteObject', 'arn:aws:s3:::Production/file', carlos, {}, ACCOUNT), { identity, resource: [bucket] }));
  assert.equal(deleteDenied, 'implicitDeny:resource');
});

test('role trust policies must allow even in the same account', () => {
  const alice = user('alice');
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/admin`;
  const assume = (trust: object, identity: object[] = []) => verdict(evaluate(
    req('sts:AssumeRole', roleArn, alice),
    { identity: identity.map((s) => pol([s])), resource: [pol([trust], 'trust', 'trust')], resourcePolicyRequired: true },
  ));
  const allowAssume = { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: roleArn };
  assert.equal(assume({ Effect: 'Allow', Principal: { AWS: alice.arn }, Action: 'sts:AssumeRole' }), 'allowed');
  assert.equal(assume({ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' }), 'implicitDeny:identity');
  assert.equal(assume({ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' }, [allowAssume]), 'allowed');
  assert.equal(assume({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }, [allowAssume]), 'implicitDeny:resource');
  // With MFA required (seed 003): the condition decides.
  const mfa = { Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } };
  const withMfa = evaluate(req('sts:AssumeRole', roleArn, alice, { 'aws:MultiFactorAuthPresent': 'true' }), { identity: [pol([allowAssume])], resource: [pol([mfa], 'trust', 't')], resourcePolicyRequired: true });
  assert.equal(withMfa.decision, 'allowed');
  const noMfa = evaluate(req('sts:AssumeRole', roleArn, alice, {}), { identity: [pol([allowAssume])], resource: [pol([mfa], 'trust', 't')], resourcePolicyRequired: true });
  assert.equal(verdict(noMfa), 'implicitDeny:resource');
  assert.deepEqual(noMfa.missingContextKeys, ['aws:MultiFactorAuthPresent']);
});

test('service principals and anonymous callers only get what a resource policy grants', () => {
  const ec2 = service('ec2.amazonaws.com');
  const trust = pol([{ Effect: 'Allow', Principal: { Service: ['ec2.amazonaws.com'] }, Action: ['sts:AssumeRole'] }], 'trust', 'ec2-trust');
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/app`;
  assert.equal(verdict(evaluate(req('sts:AssumeRole', roleArn, ec2), { identity: [], resource: [trust], resourcePolicyRequired: true })), 'allowed');
  assert.equal(verdict(evaluate(req('sts:AssumeRole', roleArn, service('lambda.amazonaws.com')), { identity: [], resource: [trust], resourcePolicyRequired: true })), 'implicitDeny:resource');
  assert.equal(verdict(evaluate(req('s3:GetObject', OBJ, anonymous()), { identity: [] })), 'implicitDeny:resource');
  assert.equal(verdict(evaluate(req('s3:GetObject', OBJ, anonymous()), { identity: [], resource: [bucketPolicy('*')] })), 'allowed');
  assert.equal(verdict(evaluate(req('s3:GetObject', OBJ, anonymous()), { identity: [], resource: [bucketPolicy({ AWS: '*' })] })), 'allowed');
  assert.equal(verdict(evaluate(req('s3:GetObject', OBJ, anonymous()), { identity: [], resource: [bucketPolicy({ AWS: ACCOUNT })] })), 'implicitDeny:resource');
  // Identity policies never apply to anonymous callers.
  assert.equal(verdict(evaluate(req('s3:GetObject', OBJ, anonymous()), { identity: [pol([allowS3()])] })), 'implicitDeny:resource');
});

test('the root user: full access at home, limited by explicit denies and SCPs', () => {
  const r = root();
  assert.equal(verdict(evaluate(req('iam:CreateUser', '*', r), { identity: [] })), 'allowed');
  assert.equal(verdict(evaluate(req('s3:GetObject', OBJ, r), { identity: [], resource: [bucketPolicy('*', 'Deny')] })), 'explicitDeny');
  const scpDeny = pol([{ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 'iam:*', Resource: '*' }], 'scp', 'scp');
  assert.equal(verdict(evaluate(req('iam:CreateUser', '*', r), { identity: [], scps: [[scpDeny]] })), 'explicitDeny');
  assert.equal(verdict(evaluate(req('s3:ListAllMyBuckets', '*', r), { identity: [], scps: [[scpDeny]] })), 'allowed');
  // Identity policies do not limit root (it cannot have any; they are ignored if passed).
  assert.equal(verdict(evaluate(req('s3:GetObject', OBJ, r), { identity: [pol([denyS3()])] })), 'allowed');
  // In another account, root needs the resource policy.
  assert.equal(verdict(evaluate(req('s3:GetObject', OBJ, root(OTHER), {}, ACCOUNT), { identity: [] })), 'implicitDeny:resource');
  assert.equal(verdict(evaluate(req('s3:GetObject', OBJ, root(OTHER), {}, ACCOUNT), { identity: [], resource: [bucketPolicy({ AWS: OTHER })] })), 'allowed');
});

test('SCPs and RCPs: every organization level must allow; a deny anywhere wins', () => {
  const alice = user('alice');
  const full = pol([{ Effect: 'Allow', Action: '*', Resource: '*' }], 'scp', 'FullAWSAccess');
  const onlyEc2 = pol([{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }], 'scp', 'OnlyEc2');
  const identity = [pol([allowS3()])];
  assert.equal(verdict(evaluate(req('s3:GetObject', OBJ, alice), { identity, scps: [[full], [full]] })), 'allowed');
  const d = evaluate(req('s3:GetObject', OBJ, alice), { identity, scps: [[full], [onlyEc2]] });
  assert.equal(verdict(d), 'implicitDeny:scp');
  assert.equal(d.failedToAllowLevel, 1);
  assert.equal(verdict(evaluate(req('s3:GetObject', OBJ, alice), { identity, scps: [[full], [onlyEc2, full]] })), 'allowed');
  const rcpDenyInsecure = pol([{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }, { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }], 'rcp', 'rcp');
  assert.equal(verdict(evaluate(req('s3:GetObject', OBJ, alice, { 'aws:SecureTransport': 'false' }), { identity, rcps: [[rcpDenyInsecure]] })), 'explicitDeny');
  assert.equal(verdict(evaluate(req('s3:GetObject', OBJ, alice, { 'aws:SecureTransport': 'true' }), { identity, rcps: [[rcpDenyInsecure]] })), 'allowed');
  const rcpNone = pol([{ Effect: 'Allow', Principal: '*', Action: 'ec2:*', Resource: '*' }], 'rcp', 'rcp-ec2');
  assert.equal(verdict(evaluate(req('s3:GetObject', OBJ, alice), { identity, rcps: [[rcpNone]] })), 'implicitDeny:rcp');
});

test('NotPrincipal with Deny spares only principals whose whole identity chain is listed', () => {
  const bob = user('Bob', OTHER);
  const s = roleSession('cross-account-read-only-role', 'cross-account-audit-app', OTHER);
  const denyAllBut = (list: string[]) => pol([
    { Effect: 'Deny', NotPrincipal: { AWS: list }, Action: 's3:*', Resource: ['arn:aws:s3:::bucket', 'arn:aws:s3:::bucket/*'] },
    { Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::bucket/*' },
  ], 'resource', 'not-principal');
  const run = (p: typeof bob, list: string[]) => verdict(evaluate(req('s3:GetObject', OBJ, p, {}, ACCOUNT), { identity: [pol([allowS3()])], resource: [denyAllBut(list)] }));
  assert.equal(run(bob, [bob.arn, `arn:aws:iam::${OTHER}:root`]), 'allowed');
  assert.equal(run(bob, [bob.arn]), 'explicitDeny', 'without the account ARN the account itself is denied');
  assert.equal(run(s, [s.arn, s.roleArn!, `arn:aws:iam::${OTHER}:root`]), 'allowed');
  assert.equal(run(s, [s.arn, `arn:aws:iam::${OTHER}:root`]), 'explicitDeny', 'without the role ARN the role is denied');
  assert.equal(run(user('eve', OTHER), [bob.arn, `arn:aws:iam::${OTHER}:root`]), 'explicitDeny');
});

test('identity-policy Allow with NotResource and Deny with NotAction (the MFA self-management pattern)', () => {
  const alice = user('alice');
  const p = pol([
    { Sid: 'AllowManageOwn', Effect: 'Allow', Action: ['iam:CreateAccessKey', 'iam:ListAccessKeys'], Resource: 'arn:aws:iam::*:user/${aws:username}' },
    { Sid: 'DenyAllExceptListedIfNoMFA', Effect: 'Deny', NotAction: ['iam:CreateVirtualMFADevice', 'iam:EnableMFADevice', 'iam:GetUser', 'iam:ListMFADevices', 'sts:GetSessionToken'], Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } },
  ], 'identity', 'self-manage');
  const run = (action: string, context: Record<string, string>) => evaluate(req(action, alice.arn, alice, context), { identity: [p] });
  assert.equal(verdict(run('iam:CreateAccessKey', { 'aws:MultiFactorAuthPresent': 'true' })), 'allowed');
  const noMfa = run('iam:CreateAccessKey', { 'aws:MultiFactorAuthPresent': 'false' });
  assert.equal(verdict(noMfa), 'explicitDeny');
  assert.equal(noMfa.matched[0].sid, 'DenyAllExceptListedIfNoMFA');
  // Long-term keys carry no aws:MultiFactorAuthPresent: BoolIfExists makes the Deny apply.
  assert.equal(verdict(run('iam:CreateAccessKey', {})), 'explicitDeny');
  assert.equal(verdict(run('iam:ListMFADevices', {})), 'implicitDeny:identity');
});

test('decisions name the statements that decided them, with positions', () => {
  const p = pol([
    { Sid: 'AllowAll', Effect: 'Allow', Action: '*', Resource: '*' },
    { Sid: 'DenyCreateUser', Effect: 'Deny', Action: 'iam:CreateUser', Resource: '*' },
  ], 'identity', 'deny-iam-users');
  const d = evaluate(req('iam:CreateUser', `arn:aws:iam::${ACCOUNT}:user/x`, user('a')), { identity: [p] });
  assert.equal(d.decision, 'explicitDeny');
  assert.deepEqual(d.matched, [{ policyName: 'deny-iam-users', policyKind: 'identity', policyType: 'identity', sid: 'DenyCreateUser', statementIndex: 1, effect: 'Deny', line: 10, column: 5 }]);
  const ok = evaluate(req('iam:ListUsers', '*', user('a')), { identity: [p] });
  assert.equal(ok.decision, 'allowed');
  assert.equal(ok.matched[0].sid, 'AllowAll');
  assert.equal(ok.matched[0].line, 4);
});

test('missingContextKeys lists the keys the applicable statements asked for', () => {
  const p = pol([
    { Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' }, IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
    { Effect: 'Allow', Action: 'ec2:*', Resource: '*', Condition: { StringEquals: { 'ec2:InstanceType': 't2.micro' } } },
  ]);
  const d = evaluate(req('s3:GetObject', OBJ, user('a'), { 'aws:RequestedRegion': 'us-east-1' }), { identity: [p] });
  assert.equal(d.decision, 'implicitDeny');
  assert.deepEqual(d.missingContextKeys, ['aws:SourceIp']);
});

test('keys derived from the principal fill in for a missing context', () => {
  const p = pol([{ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalType': 'AssumedRole', 'aws:PrincipalAccount': ACCOUNT }, ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/app-*` } } }]);
  assert.equal(verdict(evaluate(req('s3:GetObject', OBJ, roleSession('app-1', 's')), { identity: [p] })), 'allowed');
  assert.equal(verdict(evaluate(req('s3:GetObject', OBJ, roleSession('web', 's')), { identity: [p] })), 'implicitDeny:identity');
  assert.equal(verdict(evaluate(req('s3:GetObject', OBJ, user('app-1')), { identity: [p] })), 'implicitDeny:identity');
  // The caller's context wins over derivation.
  assert.equal(verdict(evaluate(req('s3:GetObject', OBJ, roleSession('app-1', 's'), { 'aws:PrincipalType': 'User' }), { identity: [p] })), 'implicitDeny:identity');
});
