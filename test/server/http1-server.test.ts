import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { Readable } from 'node:stream';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { signedQuery } from '../helpers/signed-fetch.js';
import { Http1Server } from '../../src/server/http1-server.js';
import type { WireResponse } from '../../src/protocol/errors.js';

/** A raw connection: what was written, and everything the server sent back until it closed or `until` matched. */
function rawExchange(port: number, chunks: Array<string | Buffer>, until?: (text: string) => boolean): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1');
    let text = '';
    const timer = setTimeout(() => finish(false), 3000);
    const finish = (closed: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ text, closed });
    };
    socket.on('data', (d) => {
      text += d.toString('latin1');
      if (until?.(text)) finish(false);
    });
    socket.on('end', () => finish(true));
    socket.on('error', reject);
    socket.on('connect', () => {
      for (const c of chunks) socket.write(c);
    });
  });
}

/** A signed IAM request written out as HTTP/1.1 bytes. */
async function signedBytes(s: TestServer, params: Record<string, string>, extraHeaders: Record<string, string> = {}): Promise<string> {
  const { init } = await signedQuery(s.url, 'iam', params, s.root);
  const headers = { ...(init.headers as Record<string, string>), ...extraHeaders };
  let head = 'POST / HTTP/1.1\r\n';
  for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`;
  return `${head}content-length: ${Buffer.byteLength(init.body as string)}\r\n\r\n${init.body as string}`;
}

const count = (text: string, re: RegExp) => text.match(re)?.length ?? 0;

describe('HTTP/1.1 server', () => {
  let s: TestServer;
  let port: number;
  before(async () => {
    s = await startTestServer();
    port = Number(new URL(s.url).port);
  });
  after(() => s.stop());

  test('pipelined requests on one connection are answered in order', async () => {
    const create = await signedBytes(s, { Action: 'CreateUser', UserName: 'piped' });
    const get = await signedBytes(s, { Action: 'GetUser', UserName: 'piped' });
    const { text } = await rawExchange(port, [create + get], (t) => count(t, /<\/\w+Response>/g) === 2);
    const first = text.indexOf('<CreateUserResponse');
    const second = text.indexOf('<GetUserResponse');
    assert.ok(first >= 0 && second > first, text);
    assert.equal(count(text, /HTTP\/1\.1 200 OK\r\n/g), 2, text);
    assert.match(text, /^date: \w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT\r$/m);
    assert.match(text, /^connection: keep-alive\r$/m);
  });

  test('Expect: 100-continue gets 100 Continue before the body is sent', async () => {
    const bytes = await signedBytes(s, { Action: 'GetUser' }, { expect: '100-continue' });
    const split = bytes.indexOf('\r\n\r\n') + 4;
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (d) => (text += d));
    await new Promise((r) => socket.once('connect', r));
    socket.write(bytes.slice(0, split));
    await new Promise((r) => socket.once('data', r));
    assert.equal(text, 'HTTP/1.1 100 Continue\r\n\r\n');
    socket.write(bytes.slice(split));
    await new Promise((r) => socket.once('data', r));
    socket.destroy();
    assert.match(text, /HTTP\/1\.1 200 OK[\s\S]*<GetUserResponse/);
  });

  test('a chunked request body is decoded before the signature is checked', async () => {
    const plain = await signedBytes(s, { Action: 'GetUser' });
    const [head, body] = plain.split('\r\n\r\n');
    const chunked = `${head.replace(/content-length: \d+/, 'transfer-encoding: chunked')}\r\n\r\n${(5).toString(16)}\r\n${body.slice(0, 5)}\r\n${Buffer.byteLength(body.slice(5)).toString(16)}\r\n${body.slice(5)}\r\n0\r\n\r\n`;
    const { text } = await rawExchange(port, [chunked], (t) => t.includes('</GetUserResponse>'));
    assert.match(text, /^HTTP\/1\.1 200 OK/);
  });

  test('Connection: close is honoured after the answer', async () => {
    const bytes = await signedBytes(s, { Action: 'GetUser' }, { connection: 'close' });
    const { text, closed } = await rawExchange(port, [bytes]);
    assert.equal(closed, true);
    assert.match(text, /^connection: close\r$/m);
    assert.match(text, /<GetUserResponse/);
  });

  test('requests pipelined behind Connection: close are neither run nor answered', async () => {
    const last = await signedBytes(s, { Action: 'GetUser' }, { connection: 'close' });
    const after = await signedBytes(s, { Action: 'CreateUser', UserName: 'behind-close' });
    const { text, closed } = await rawExchange(port, [last + after]);
    assert.equal(closed, true);
    assert.equal(count(text, /HTTP\/1\.1 /g), 1, text);
    assert.match(text, /<GetUserResponse/);
    const check = await rawExchange(port, [await signedBytes(s, { Action: 'GetUser', UserName: 'behind-close' })], (t) => t.includes('</ErrorResponse>') || t.includes('</GetUserResponse>'));
    assert.match(check.text, /<Code>NoSuchEntity<\/Code>/);
  });

  test('HEAD gets the headers and no body', async () => {
    const { text, closed } = await rawExchange(port, ['HEAD /_iamlocal/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n']);
    assert.equal(closed, true);
    assert.match(text, /^HTTP\/1\.1 \d{3} /);
    assert.match(text, /content-length: \d+/);
    assert.ok(text.endsWith('\r\n\r\n'), 'no body follows the head');
  });

  test('an unreadable request gets 400 and the connection closes; the server keeps serving', async () => {
    for (const bad of ['GARBAGE\r\n\r\n', 'GET / HTTP/1.1\r\nHost: h\r\nBad Header\r\n\r\n', 'POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n']) {
      const { text, closed } = await rawExchange(port, [bad]);
      assert.equal(closed, true);
      assert.match(text, /^HTTP\/1\.1 400 Bad Request\r\n/);
    }
    const big = await rawExchange(port, [`GET / HTTP/1.1\r\nHost: h\r\nX: ${'a'.repeat(20_000)}\r\n\r\n`]);
    assert.match(big.text, /^HTTP\/1\.1 431 /);
    const { text } = await rawExchange(port, ['GET /_iamlocal/health HTTP/1.1\r\nHost: h\r\n\r\n'], (t) => t.includes('}'));
    assert.match(text, /"status":"ok"/);
  });

  test('HTTP/1.0 without keep-alive is answered and closed', async () => {
    const { text, closed } = await rawExchange(port, ['GET /_iamlocal/health HTTP/1.0\r\n\r\n']);
    assert.equal(closed, true);
    assert.match(text, /"status":"ok"/);
  });
});

describe('HTTP/1.1 server: streamed responses', () => {
  test('a streamed body is piped; the next pipelined request waits for it', async () => {
    const server = new Http1Server((req): WireResponse =>
      req.target === '/stream'
        ? { status: 200, headers: { 'content-length': '6' }, body: '', stream: Readable.from([Buffer.from('abc'), Buffer.from('def')]) }
        : { status: 200, headers: {}, body: 'after' },
    );
    const { port } = await server.listen(0, '127.0.0.1');
    try {
      const { text } = await rawExchange(port, ['GET /stream HTTP/1.1\r\nHost: h\r\n\r\nGET /next HTTP/1.1\r\nHost: h\r\n\r\n'], (t) => t.endsWith('after'));
      assert.match(text, /content-length: 6\r\n[\s\S]*\r\n\r\nabcdefHTTP\/1\.1 200 OK[\s\S]*\r\n\r\nafter$/);
    } finally {
      await server.close();
    }
  });

  test('text, streamed and Buffer answers pipelined on one connection keep their order, a closing one last', async () => {
    // Text answers wait for the end of the event loop's turn; whatever else is written first lets them go.
    const server = new Http1Server((req): WireResponse => {
      if (req.target === '/stream') return { status: 200, headers: { 'content-length': '3' }, body: '', stream: Readable.from([Buffer.from('STR')]) };
      if (req.target === '/buffer') return { status: 200, headers: {}, body: Buffer.from('BUF') };
      return { status: 200, headers: {}, body: `text${req.target}` };
    });
    const { port } = await server.listen(0, '127.0.0.1');
    try {
      const get = (target: string, close = false) => `GET ${target} HTTP/1.1\r\nHost: h\r\n${close ? 'Connection: close\r\n' : ''}\r\n`;
      const { text, closed } = await rawExchange(port, [get('/a') + get('/b') + get('/stream') + get('/c') + get('/buffer') + get('/d', true)]);
      assert.equal(closed, true);
      const bodies = text.split(/HTTP\/1\.1 200 OK\r\n[\s\S]*?\r\n\r\n/).filter(Boolean);
      assert.deepEqual(bodies, ['text/a', 'text/b', 'STR', 'text/c', 'BUF', 'text/d'], text);
      assert.match(text, /connection: close\r\n\r\ntext\/d$/);
    } finally {
      await server.close();
    }
  });

  test('a stream without a length ends with the connection', async () => {
    const server = new Http1Server(() => ({ status: 200, headers: {}, body: '', stream: Readable.from([Buffer.from('xyz')]) }));
    const { port } = await server.listen(0, '127.0.0.1');
    try {
      const { text, closed } = await rawExchange(port, ['GET / HTTP/1.1\r\nHost: h\r\n\r\n']);
      assert.equal(closed, true);
      assert.match(text, /connection: close\r\n\r\nxyz$/);
    } finally {
      await server.close();
    }
  });

  test('an answer that cannot be written drops its connection, not the server', async () => {
    const unwritable = { status: 200, headers: {}, body: undefined } as unknown as WireResponse;
    const server = new Http1Server((req) =>
      req.target === '/now' ? unwritable : req.target === '/later' ? Promise.resolve(unwritable) : { status: 200, headers: {}, body: 'fine' },
    );
    const { port } = await server.listen(0, '127.0.0.1');
    const quiet = console.error;
    console.error = () => {};
    try {
      for (const target of ['/now', '/later']) {
        const { text, closed } = await rawExchange(port, [`GET ${target} HTTP/1.1\r\nHost: h\r\n\r\n`]);
        assert.deepEqual({ text, closed }, { text: '', closed: true }, target);
      }
      const { text } = await rawExchange(port, ['GET /ok HTTP/1.1\r\nHost: h\r\n\r\n'], (t) => t.endsWith('fine'));
      assert.match(text, /^HTTP\/1\.1 200 OK[\s\S]*fine$/);
    } finally {
      console.error = quiet;
      await server.close();
    }
  });

  test('a handler that throws gets a 500, not a crash', async () => {
    const server = new Http1Server(() => {
      throw new Error('boom (expected by this test)');
    });
    const { port } = await server.listen(0, '127.0.0.1');
    const quiet = console.error;
    console.error = () => {};
    try {
      const { text, closed } = await rawExchange(port, ['GET / HTTP/1.1\r\nHost: h\r\n\r\n']);
      assert.equal(closed, true);
      assert.match(text, /^HTTP\/1\.1 500 Internal Server Error/);
    } finally {
      console.error = quiet;
      await server.close();
    }
  });
});
