import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compilePolicy, evaluate, parsePolicy, validatePolicy, MalformedPolicyError, PolicySizeError, type PolicyKind } from '../../src/policy/index.js';
import { iamDataCatalog as catalog } from '../../src/catalog/iam-data-catalog.js';
import { prng } from '../helpers/prng.js';
import { fixture } from './support.js';

const SEEDS = ['seed001-engineer_access.json', 'seed001-admin_access.json', 'seed003-trust-mfa.json', 'seed000-ec2-trust.json', 'seed002-ec2-all-but-terminate.json'];
const PIECES = ['{', '}', '[', ']', '"', ',', ':', '*', '$', '${aws:username}', ' ', '\\', '0', 'null', 'true', '${', '}', '"Condition":{}', 'ForAllValues:'];

test('mutated seed policies are accepted or refused as IAM refuses them, never crash parse, evaluate or validate', () => {
  const rnd = prng(20261123);
  const docs = SEEDS.map(fixture);
  let accepted = 0;
  let refused = 0;
  for (let i = 0; i < 3000; i++) {
    let d = rnd.pick(docs);
    for (let m = 1 + rnd.int(3); m > 0; m--) {
      const at = rnd.int(d.length);
      const r = rnd.next();
      d = r < 0.4 ? d.slice(0, at) + d.slice(at + 1) : r < 0.8 ? d.slice(0, at) + rnd.pick(PIECES) + d.slice(at) : d.slice(0, at) + rnd.pick(PIECES) + d.slice(at + 1);
    }
    const kind: PolicyKind = rnd.pick(['identity', 'resource', 'trust']);
    try {
      parsePolicy(d, { kind });
      const compiled = compilePolicy(d, { kind, name: 'fuzzed' });
      const principal = { type: 'user' as const, arn: 'arn:aws:iam::123456789012:user/u', accountId: '123456789012' };
      const set = kind === 'identity' ? { identity: [compiled] } : { identity: [], resource: [compiled] };
      const d1 = evaluate({ action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', principal, context: { 'aws:RequestedRegion': 'us-east-1' } }, set);
      assert.ok(['allowed', 'explicitDeny', 'implicitDeny'].includes(d1.decision));
      accepted++;
    } catch (e) {
      assert.ok(e instanceof MalformedPolicyError || e instanceof PolicySizeError, `unexpected ${(e as Error).stack}\nfor ${d}`);
      refused++;
    }
    if (i % 10 === 0) assert.ok(Array.isArray(validatePolicy(d, { kind, catalog })));
  }
  assert.ok(accepted > 50 && refused > 50, `both outcomes exercised (accepted ${accepted}, refused ${refused})`);
});
