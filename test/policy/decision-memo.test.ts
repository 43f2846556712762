import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DecisionMemo, compilePolicy, evaluate, type EvalRequest, type PolicySet } from '../../src/policy/index.js';
import type { EvalPrincipal } from '../../src/policy/index.js';
import { prng } from '../helpers/prng.js';

const fixture = (name: string) => readFileSync(new URL(`../../../test/policy/fixtures/${name}`, import.meta.url), 'utf8');
const policy = (doc: unknown, name: string) => compilePolicy(typeof doc === 'string' ? doc : JSON.stringify(doc), { kind: 'identity', name });

/** Policies that read the context every way the engine can: conditions, variables, sets, IfExists, Null, dates. */
const READERS = [
  policy(fixture('seed001-engineer_access.json'), 'engineer'),
  policy(fixture('seed001-admin_access.json'), 'admin'),
  policy(fixture('seed003-role-s3-read-ec2-full.json'), 'role'),
  policy({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Own', Effect: 'Allow', Action: 'iam:*AccessKey*', Resource: 'arn:aws:iam::111122223333:user/${aws:username}' },
      { Sid: 'Before', Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { DateGreaterThan: { 'aws:CurrentTime': '2026-06-01T00:00:00Z' } } },
      { Sid: 'Tags', Effect: 'Allow', Action: 'iam:TagUser', Resource: '*', Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team', 'cost'] } } },
      { Sid: 'Mfa', Effect: 'Allow', Action: 'iam:DeleteUser', Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'true' }, Null: { 'aws:TokenIssueTime': 'false' } } },
      { Sid: 'Ip', Effect: 'Deny', Action: 'iam:*', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '127.0.0.1/32'] } } },
    ],
  }, 'mixed'),
];

const ACTIONS = ['iam:CreateAccessKey', 'iam:CreateUser', 'iam:TagUser', 'iam:DeleteUser', 's3:GetObject', 's3:ListBucket', 'ec2:RunInstances', 'iam:GetUser'];
const RESOURCES = ['*', 'arn:aws:iam::111122223333:user/erika', 'arn:aws:iam::111122223333:user/bob', 'arn:aws:s3:::erika-analysis/x.csv', 'arn:aws:s3:::other'];
const PRINCIPALS: EvalPrincipal[] = [
  { type: 'user', arn: 'arn:aws:iam::111122223333:user/erika', accountId: '111122223333' },
  { type: 'user', arn: 'arn:aws:iam::111122223333:user/bob', accountId: '111122223333' },
  { type: 'assumed-role', arn: 'arn:aws:sts::111122223333:assumed-role/r/s', accountId: '111122223333', roleArn: 'arn:aws:iam::111122223333:role/r' },
];
const CHOICES: Record<string, Array<string | string[] | undefined>> = {
  'aws:RequestedRegion': ['us-east-1', 'ap-southeast-2', 'eu-west-1', undefined],
  'aws:CurrentTime': ['2026-01-01T00:00:00Z', '2026-11-23T12:00:00Z'],
  'aws:TagKeys': [['team'], ['team', 'cost'], ['owner'], [], undefined],
  'aws:MultiFactorAuthPresent': ['true', 'false', undefined],
  'aws:TokenIssueTime': ['2026-11-23T11:00:00Z', undefined],
  'aws:SourceIp': ['127.0.0.1', '10.1.2.3', '192.168.0.1'],
  'AWS:REQUESTEDREGION': [undefined, 'us-east-1'], // a key in another case: looked up case-insensitively
};

describe('DecisionMemo', () => {
  test('decides exactly as evaluate does, over random requests that repeat', () => {
    const rnd = prng(20261123);
    const memo = new DecisionMemo(1024);
    const sets: PolicySet[] = [{ identity: READERS }, { identity: READERS.slice(0, 2) }, { identity: [READERS[3]], boundary: READERS[0] }];
    let reused = 0;
    const seen = new WeakSet<object>();
    for (let i = 0; i < 20_000; i++) {
      const context: EvalRequest['context'] = {};
      for (const [k, values] of Object.entries(CHOICES)) {
        const v = rnd.pick(values);
        if (v !== undefined) context[k] = Array.isArray(v) ? [...v] : v;
      }
      const req: EvalRequest = { action: rnd.pick(ACTIONS), resource: rnd.pick(RESOURCES), principal: rnd.pick(PRINCIPALS), context };
      const set = rnd.pick(sets);
      const got = memo.evaluate(req, set);
      assert.deepEqual({ ...got }, { ...evaluate(req, set) }, `request ${i}: ${JSON.stringify(req)}`);
      if (seen.has(got)) reused++;
      seen.add(got);
    }
    // The requests repeat often: a memo that never remembered would be a memo in name only.
    assert.ok(reused > 3_000, `reused ${reused}`);
  });

  test('a key the policies read changes the decision; one they never read does not', () => {
    const memo = new DecisionMemo();
    const set: PolicySet = { identity: [READERS[3]] };
    const req = (time: string, region: string): EvalRequest => ({
      action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', principal: PRINCIPALS[0],
      context: { 'aws:CurrentTime': time, 'aws:RequestedRegion': region, 'aws:SourceIp': '127.0.0.1' },
    });
    const before = memo.evaluate(req('2026-01-01T00:00:00Z', 'us-east-1'), set);
    assert.equal(before.decision, 'implicitDeny');
    // The region is read by no statement that applies: the remembered decision stands.
    assert.equal(memo.evaluate(req('2026-01-01T00:00:00Z', 'eu-west-1'), set), before);
    // The time is: past the policy's date the deny applies.
    assert.equal(memo.evaluate(req('2026-07-01T00:00:00Z', 'us-east-1'), set).decision, 'explicitDeny');
  });

  test('another policy set object is another memo; decisions handed out are frozen', () => {
    const memo = new DecisionMemo();
    const req: EvalRequest = { action: 'iam:CreateAccessKey', resource: 'arn:aws:iam::111122223333:user/erika', principal: PRINCIPALS[0], context: { 'aws:SourceIp': '127.0.0.1' } };
    const a = memo.evaluate(req, { identity: [READERS[3]] });
    assert.equal(a.decision, 'allowed');
    assert.ok(Object.isFrozen(a) && Object.isFrozen(a.matched));
    assert.equal(memo.evaluate(req, { identity: [] }).decision, 'implicitDeny');
  });
});
