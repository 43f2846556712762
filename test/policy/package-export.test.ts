import { test } from 'node:test';
import assert from 'node:assert/strict';

// Users import the engine as the package export "iamlocal/policy". The specifier is built
// at run time so the type checker does not need dist/ before it has emitted it.
const specifier = ['iamlocal', 'policy'].join('/');

test('the engine is importable as iamlocal/policy and decides and explains', async () => {
  const lib = await import(specifier);
  const policy = lib.compilePolicy(
    JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'ReadReports', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::reports/*' }] }),
    { kind: 'identity', name: 'reports-reader' },
  );
  const principal = { type: 'user', arn: 'arn:aws:iam::123456789012:user/ana', accountId: '123456789012' };
  const allowed = lib.evaluate({ action: 's3:GetObject', resource: 'arn:aws:s3:::reports/q3.csv', principal, context: {} }, { identity: [policy] });
  assert.equal(allowed.decision, 'allowed');
  assert.equal(lib.explain(allowed), 'allowed by statement "ReadReports" (line 1) of policy "reports-reader"');
  const denied = lib.evaluate({ action: 's3:PutObject', resource: 'arn:aws:s3:::reports/q3.csv', principal, context: {} }, { identity: [policy] });
  assert.equal(denied.decision, 'implicitDeny');
  assert.equal(typeof lib.validatePolicy, 'function');
});
