import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileArnGlob, compileGlob, escapeGlob } from '../../src/policy/match.js';

test('plain globs: * and ? over the whole string, case-sensitive', () => {
  const cases: [string, string, boolean][] = [
    ['*', '', true],
    ['*', 'anything:at/all', true],
    ['abc', 'abc', true],
    ['abc', 'ABC', false],
    ['ab*', 'abcdef', true],
    ['ab*', 'xab', false],
    ['*ef', 'abcdef', true],
    ['*cd*', 'abcdef', true],
    ['*cd*', 'abef', false],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['a*c*e', 'abxcyye', true],
    ['a*c*e', 'abxcyy', false],
    ['home/${aws:username}/*', 'home/${aws:username}/x', true],
    ['a.b', 'axb', false],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'axb', false],
    ['a\\?b', 'a?b', true],
    ['a\\?b', 'axb', false],
  ];
  for (const [glob, value, expected] of cases) assert.equal(compileGlob(glob)(value), expected, `${glob} ~ ${value}`);
});

test('case-insensitive globs compare lower-cased values', () => {
  assert.equal(compileGlob('Get*', true)('getobject'), true);
  assert.equal(compileGlob('Get?bject', true)('GETOBJECT'), true);
  assert.equal(compileGlob('*Object*', true)('putobjectacl'), true);
});

test('ARN globs match the first five segments separately', () => {
  const cases: [string, string, boolean][] = [
    ['arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket/a/b/c.txt', true],
    ['arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket', false],
    ['arn:aws:s3:::bucket*', 'arn:aws:s3:::bucket-logs', true],
    ['arn:aws:s3:::*log*', 'arn:aws:s3:::carlossalazar-logs', true],
    ['arn:aws:s3:::*log*', 'arn:aws:s3:::carlossalazar', false],
    // A wildcard in an early segment does not run past its colon.
    ['arn:aws:someservice:*:111122223333:finance/*', 'arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt', false],
    ['arn:aws:someservice:*:111122223333:finance/*', 'arn:aws:someservice:us-east-2:111122223333:finance/document.txt', true],
    ['arn:aws:iam::*:user/bob', 'arn:aws:iam::111122223333:user/bob', true],
    ['arn:aws:iam::*:user/bob', 'arn:aws:iam::111122223333:user/bobby', false],
    ['arn:aws:ec2:*:*:instance/*', 'arn:aws:ec2:us-east-1:111122223333:instance/i-1', true],
    ['arn:aws:ec2:us-?ast-1:*:instance/*', 'arn:aws:ec2:us-east-1:111122223333:instance/i-1', true],
    // The resource part may contain colons, and its wildcard matches them.
    ['arn:aws:logs:us-east-1:111122223333:log-group:*', 'arn:aws:logs:us-east-1:111122223333:log-group:my-group:log-stream:s', true],
    // The S3 examples from reference_policies_elements_resource.md.
    ['arn:aws:s3:::DOC-EXAMPLE-BUCKET/*/test/*', 'arn:aws:s3:::DOC-EXAMPLE-BUCKET/1/2/test/3/object.jpg', true],
    ['arn:aws:s3:::DOC-EXAMPLE-BUCKET/*/test/*', 'arn:aws:s3:::DOC-EXAMPLE-BUCKET//test/object.jpg', true],
    ['arn:aws:s3:::DOC-EXAMPLE-BUCKET/*/test/*', 'arn:aws:s3:::DOC-EXAMPLE-BUCKET/1/test/', true],
    ['arn:aws:s3:::DOC-EXAMPLE-BUCKET/*/test/*', 'arn:aws:s3:::DOC-EXAMPLE-BUCKET/1-test/object.jpg', false],
    ['arn:aws:s3:::DOC-EXAMPLE-BUCKET/*/test/*', 'arn:aws:s3:::DOC-EXAMPLE-BUCKET/test/object.jpg', false],
    ['arn:aws:s3:::DOC-EXAMPLE-BUCKET/*/test/*', 'arn:aws:s3:::DOC-EXAMPLE-BUCKET/1/2/test.jpg', false],
    // Case-sensitive.
    ['arn:aws:s3:::Bucket/*', 'arn:aws:s3:::bucket/x', false],
    // A request for "*" (actions without resource types) only meets "*".
    ['arn:aws:s3:::*', '*', false],
    ['*', '*', true],
    // Short patterns: the last written segment covers the rest.
    ['arn:aws:s3:*', 'arn:aws:s3:::bucket/key', true],
    ['arn:aws:s3:*', 'arn:aws:ec2:us-east-1:1:instance/i', false],
  ];
  for (const [glob, value, expected] of cases) assert.equal(compileArnGlob(glob)(value), expected, `${glob} ~ ${value}`);
});

test('escapeGlob makes text literal', () => {
  assert.equal(escapeGlob('plain'), 'plain');
  assert.equal(escapeGlob('a*b?c\\d'), 'a\\*b\\?c\\\\d');
  assert.equal(compileGlob(`x/${escapeGlob('a*')}`)('x/a*'), true);
  assert.equal(compileGlob(`x/${escapeGlob('a*')}`)('x/ab'), false);
});

test('an escaped backslash before a wildcard leaves the wildcard active', () => {
  assert.equal(compileGlob('a\\\\*')('a\\xyz'), true);
  assert.equal(compileGlob('a\\\\*')('axyz'), false);
  assert.equal(compileGlob('\\*a*')('*abc'), true);
  assert.equal(compileGlob('\\*a*')('xabc'), false);
});
