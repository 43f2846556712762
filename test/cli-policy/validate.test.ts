import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fixture, iamlocal, workspace } from './support.js';

test('seed 001: the broken engineer_access policy fails with its JSON error at line 40', () => {
  const ws = workspace({ 'engineer_access.json': fixture('engineer_access.broken.json') });
  try {
    const r = iamlocal(['policy', 'validate', 'engineer_access.json'], { cwd: ws.dir });
    assert.equal(r.status, 1, r.stderr);
    const lines = r.stdout.split('\n');
    const finding = lines.find((l) => l.startsWith('engineer_access.json:40:'));
    assert.ok(finding, r.stdout);
    assert.match(finding, /^engineer_access\.json:40:52: error JSON_SYNTAX_ERROR: Fix the JSON syntax error at index \d+ line 40 column 52\.$/);
    assert.ok(lines.some((l) => l.includes("trailing comma before ']'")), r.stdout);
    // The offending line is quoted with a caret under the comma.
    const quoted = lines.findIndex((l) => /^\s+40 \| .*"s3:GetEncryptionConfiguration",$/.test(l));
    assert.ok(quoted >= 0, r.stdout);
    const caretLine = lines[quoted + 1];
    assert.equal(caretLine.indexOf('^'), lines[quoted].lastIndexOf(','));
    assert.match(r.stdout, /engineer_access\.json: 1 error \(validated as identity policy\)/);
  } finally {
    ws.cleanup();
  }
});

test('seed 001: the fixed engineer_access policy passes (exit 0) with its PassRole warning', () => {
  const ws = workspace({ 'engineer_access.json': fixture('engineer_access.json') });
  try {
    const r = iamlocal(['policy', 'validate', join(ws.dir, 'engineer_access.json')]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /engineer_access\.json:79:29: security warning PASS_ROLE_WITH_STAR_IN_RESOURCE: Using the iam:PassRole action with wildcards/);
    assert.match(r.stdout, /1 security warning \(validated as identity policy\)/);
    assert.doesNotMatch(r.stdout, /: error /);
  } finally {
    ws.cleanup();
  }
});

test('several files, --json, and the exit status of the worst file', () => {
  const ws = workspace({
    'good.json': fixture('engineer_access.json'),
    'bad.json': JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObjet', Resource: '*' }] }),
  });
  try {
    const r = iamlocal(['policy', 'validate', 'good.json', 'bad.json', '--json'], { cwd: ws.dir });
    assert.equal(r.status, 1);
    const out = JSON.parse(r.stdout) as { file: string; kind: string; findings: { issueCode: string; findingType: string; findingDetails: string; learnMoreLink: string; locations: { span: { start: { line: number } } }[] }[] }[];
    assert.deepEqual(out.map((x) => [x.file, x.kind]), [['good.json', 'identity'], ['bad.json', 'identity']]);
    assert.deepEqual(out[0].findings.map((f) => f.issueCode), ['PASS_ROLE_WITH_STAR_IN_RESOURCE']);
    const bad = out[1].findings[0];
    assert.equal(bad.issueCode, 'INVALID_ACTION');
    assert.equal(bad.findingType, 'ERROR');
    assert.equal(bad.findingDetails, 'The action s3:GetObjet does not exist. Did you mean s3:GetObject?');
    assert.match(bad.learnMoreLink, /#access-analyzer-reference-policy-checks-error-invalid-action$/);
    assert.equal(bad.locations[0].span.start.line, 1);
  } finally {
    ws.cleanup();
  }
});

test('the policy kind is guessed from the document or taken from --kind', () => {
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }, null, 2);
  const bucket = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }] }, null, 2);
  const ws = workspace({ 'trust.json': trust, 'bucket.json': bucket });
  try {
    const guessed = iamlocal(['policy', 'validate', 'trust.json', 'bucket.json'], { cwd: ws.dir });
    assert.equal(guessed.status, 0, guessed.stdout);
    assert.match(guessed.stdout, /trust\.json: no findings \(validated as trust policy\)/);
    assert.match(guessed.stdout, /bucket\.json: no findings \(validated as resource policy\)/);
    const forced = iamlocal(['policy', 'validate', '--kind', 'identity', 'bucket.json'], { cwd: ws.dir });
    assert.equal(forced.status, 1);
    assert.match(forced.stdout, /bucket\.json:\d+:\d+: error UNSUPPORTED_PRINCIPAL: The policy type IDENTITY_POLICY does not support the Principal element/);
    const scp = iamlocal(['policy', 'validate', '--kind=SERVICE_CONTROL_POLICY', 'bucket.json'], { cwd: ws.dir });
    assert.match(scp.stdout, /SCP_SYNTAX_ERROR_PRINCIPAL/);
  } finally {
    ws.cleanup();
  }
});

test('standard input, bad usage and unreadable files', () => {
  const stdin = iamlocal(['policy', 'validate', '-'], { input: '{"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}' });
  assert.equal(stdin.status, 0);
  assert.match(stdin.stdout, /^-:1:1: warning MISSING_VERSION:/m);
  const none = iamlocal(['policy', 'validate']);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /validate needs at least one FILE/);
  const missing = iamlocal(['policy', 'validate', '/nonexistent/policy.json']);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /cannot read \/nonexistent\/policy\.json: ENOENT/);
  const kind = iamlocal(['policy', 'validate', '--kind', 'bucket', '-'], { input: '{}' });
  assert.equal(kind.status, 2);
  assert.match(kind.stderr, /unknown policy kind 'bucket'/);
  const unknown = iamlocal(['policy', 'frobnicate']);
  assert.equal(unknown.status, 2);
});

test('--help describes both commands', () => {
  const top = iamlocal(['policy', '--help']);
  assert.equal(top.status, 0);
  assert.match(top.stdout, /validate FILE…/);
  assert.match(top.stdout, /simulate/);
  const validate = iamlocal(['policy', 'validate', '--help']);
  assert.equal(validate.status, 0);
  assert.match(validate.stdout, /usage: iamlocal policy validate FILE… \[--kind KIND\] \[--json\]/);
  assert.match(validate.stdout, /Exit status: 0 when no file has an ERROR finding/);
});
