import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MalformedPolicyError, parsePolicy, PolicySizeError } from '../../src/policy/index.js';
import { AwsError } from '../../src/protocol/errors.js';
import { answeringPolicyErrors } from '../../src/identity/policy-errors.js';

test('a policy the engine refuses leaves IAM and STS as their AwsError: code, message, status', () => {
  assert.throws(() => answeringPolicyErrors(() => parsePolicy('{"Statement":', { kind: 'identity' })), (e: unknown) => {
    assert.ok(e instanceof AwsError);
    assert.deepEqual([e.code, e.status, e.message], ['MalformedPolicyDocument', 400, 'Syntax errors in policy.']);
    return true;
  });
  assert.throws(() => answeringPolicyErrors(() => { throw new PolicySizeError('Cannot exceed quota for PolicySize: 6144', 7000, 6144); }), (e: unknown) => {
    assert.ok(e instanceof AwsError);
    assert.deepEqual([e.code, e.status, e.message], ['LimitExceeded', 409, 'Cannot exceed quota for PolicySize: 6144']);
    return true;
  });
  const other = new Error('not a policy problem');
  assert.throws(() => answeringPolicyErrors(() => { throw other; }), (e: unknown) => e === other);
  assert.equal(answeringPolicyErrors(() => 7), 7);
  assert.ok(!(new MalformedPolicyError('x') instanceof AwsError));
});
