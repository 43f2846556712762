import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import { startTestServer, clientConfig, type TestServer } from '../helpers/server.js';
import { signedQuery, signedRaw, xmlError } from '../helpers/signed-fetch.js';

let server: TestServer;
before(async () => { server = await startTestServer(); });
after(async () => server.stop());

async function send(p: Promise<{ url: string; init: RequestInit }>) {
  const { url, init } = await p;
  const res = await fetch(url, init);
  return { status: res.status, ...xmlError(await res.text()) };
}

async function userNames(): Promise<string[]> {
  const iam = new IAMClient(clientConfig(server));
  return (await iam.send(new ListUsersCommand({}))).Users!.map((u) => u.UserName!);
}

describe('SigV4 over HTTP', () => {
  test('a correctly signed request succeeds', async () => {
    const r = await send(signedQuery(server.url, 'iam', { Action: 'CreateUser', UserName: 'signed-ok' }, server.root));
    assert.equal(r.status, 200);
    assert.ok((await userNames()).includes('signed-ok'));
  });

  test('wrong secret → SignatureDoesNotMatch, nothing written', async () => {
    const r = await send(signedQuery(server.url, 'iam', { Action: 'CreateUser', UserName: 'wrong-secret' }, { ...server.root, secretAccessKey: 'x'.repeat(40) }));
    assert.equal(r.status, 403);
    assert.equal(r.code, 'SignatureDoesNotMatch');
    assert.ok(!(await userNames()).includes('wrong-secret'));
  });

  test('tampered body after signing → SignatureDoesNotMatch, nothing written', async () => {
    const { url, init } = await signedQuery(server.url, 'iam', { Action: 'CreateUser', UserName: 'tamper1' }, server.root);
    const res = await fetch(url, { ...init, body: String(init.body).replace('tamper1', 'tamper2') });
    assert.equal(res.status, 403);
    assert.equal(xmlError(await res.text()).code, 'SignatureDoesNotMatch');
    const names = await userNames();
    assert.ok(!names.includes('tamper1') && !names.includes('tamper2'));
  });

  test('unknown access key → InvalidClientTokenId', async () => {
    const r = await send(signedQuery(server.url, 'sts', { Action: 'GetCallerIdentity' }, { accessKeyId: 'AKIAAAAAAAAAAAAAAAAA', secretAccessKey: 'x'.repeat(40) }));
    assert.equal(r.status, 403);
    assert.equal(r.code, 'InvalidClientTokenId');
    assert.equal(r.message, 'The security token included in the request is invalid.');
  });

  test('a clock 20 minutes off is refused, nothing written', async () => {
    const r = await send(signedQuery(server.url, 'iam', { Action: 'CreateUser', UserName: 'skewed' }, server.root, { signingDate: new Date(Date.now() - 20 * 60_000) }));
    assert.ok(r.status === 403 || r.status === 400, String(r.status));
    assert.equal(r.code, 'SignatureDoesNotMatch');
    assert.match(r.message ?? '', /Signature expired/);
    assert.ok(!(await userNames()).includes('skewed'));
  });

  // STS/IAM ignore X-Amz-Expires: a presigned query URL lives for the 15-minute window.
  test('a presigned URL works while fresh and is refused once outside the window', async () => {
    const fresh = await send(signedQuery(server.url, 'sts', { Action: 'GetCallerIdentity' }, server.root, { presignExpiresIn: 60 }));
    assert.equal(fresh.status, 200);
    const old = await send(signedQuery(server.url, 'sts', { Action: 'GetCallerIdentity' }, server.root, { presignExpiresIn: 60, signingDate: new Date(Date.now() - 20 * 60_000) }));
    assert.equal(old.status, 403);
    assert.equal(old.code, 'SignatureDoesNotMatch');
    assert.match(old.message ?? '', /^Signature expired: /);
  });

  test('no signature at all → MissingAuthenticationToken', async () => {
    const res = await fetch(`${server.url}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=ListUsers&Version=2010-05-08' });
    assert.equal(res.status, 403);
    assert.equal(xmlError(await res.text()).code, 'MissingAuthenticationToken');
  });

  test('an unknown action → InvalidAction, not a 500', async () => {
    const r = await send(signedQuery(server.url, 'iam', { Action: 'FlyToTheMoon' }, server.root));
    assert.equal(r.status, 400);
    assert.equal(r.code, 'InvalidAction');
  });

  test('malformed bodies get the protocol error and write nothing', async () => {
    const bad = await send(signedRaw(server.url, 'iam', 'Action=CreateUser&Version=2010-05-08&UserName=pct%ZZ', server.root));
    assert.equal(bad.status, 400);
    assert.equal(bad.code, 'MalformedQueryString');
    const binary = await send(signedRaw(server.url, 'iam', '\u00ff\u00fe\u0000\u0001', server.root));
    assert.equal(binary.code, 'MissingAction');
    const wrongVersion = await send(signedQuery(server.url, 'iam', { Action: 'CreateUser', UserName: 'v2099', Version: '2099-01-01' }, server.root));
    assert.equal(wrongVersion.code, 'InvalidAction');
    assert.equal(wrongVersion.message, 'Could not find operation CreateUser for version 2099-01-01');
    const missing = await send(signedQuery(server.url, 'iam', { Action: 'CreateUser' }, server.root));
    assert.equal(missing.code, 'ValidationError');
    assert.equal(missing.message, "1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null");
    const names = await userNames();
    assert.ok(!names.some((n) => n.startsWith('pct') || n === 'v2099'));
  });

  test('a malformed parameter (MaxItems not a number) → a 400 error, not a 500', async () => {
    const r = await send(signedQuery(server.url, 'iam', { Action: 'ListUsers', MaxItems: 'lots' }, server.root));
    assert.equal(r.status, 400);
    assert.ok(r.code);
  });
});
