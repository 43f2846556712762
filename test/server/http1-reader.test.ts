import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { HttpError, MAX_HEAD_BYTES, RequestReader, type Http1Head } from '../../src/server/http1-reader.js';

type Whole = Omit<Http1Head, 'length' | 'expectsContinue'> & { body: Buffer };

/** A reader whose requests are collected whole (head + body pieces joined) once their body ends. */
function collecting() {
  const requests: Whole[] = [];
  let head: Http1Head | undefined;
  let parts: Buffer[] = [];
  let continues = 0;
  const reader = new RequestReader({
    head: (h) => {
      head = h;
      parts = [];
      if (h.expectsContinue) continues++;
    },
    data: (b) => parts.push(Buffer.from(b)),
    end: () => {
      const { method, target, headers, keepAlive } = head!;
      requests.push({ method, target, headers, keepAlive, body: Buffer.concat(parts) });
    },
  });
  return { reader, requests, continues: () => continues };
}

/** Feeds the bytes in pieces of the given sizes (cycling) and collects what the reader saw. */
function read(bytes: string | Buffer, pieces: number[] = [Infinity]) {
  const { reader, requests, continues: counted } = collecting();
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes, 'latin1');
  for (let i = 0, k = 0; i < buf.length; k++) {
    const n = Math.min(pieces[k % pieces.length], buf.length - i);
    reader.push(buf.subarray(i, i + n));
    i += n;
  }
  return { requests, continues: counted() };
}

function refused(bytes: string, status: number) {
  assert.throws(() => read(bytes), (e: unknown) => e instanceof HttpError && e.status === status, `expected ${status} for ${JSON.stringify(bytes.slice(0, 60))}`);
}

const POST = 'POST /?a=1 HTTP/1.1\r\nHost: h\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello world';

describe('HTTP/1.1 request reader', () => {
  test('reads method, raw target, lower-cased headers and the body', () => {
    const { requests } = read(POST);
    assert.equal(requests.length, 1);
    const [r] = requests;
    assert.equal(r.method, 'POST');
    assert.equal(r.target, '/?a=1');
    assert.deepEqual(r.headers, { host: 'h', 'content-type': 'text/plain', 'content-length': '11' });
    assert.equal(r.body.toString(), 'hello world');
    assert.equal(r.keepAlive, true);
  });

  test('the same request arriving in any split reads the same', () => {
    const whole = read(POST).requests[0];
    for (const size of [1, 2, 3, 7, 13, 40]) {
      const { requests } = read(POST, [size]);
      assert.equal(requests.length, 1, `pieces of ${size}`);
      assert.deepEqual({ ...requests[0], body: requests[0].body.toString() }, { ...whole, body: whole.body.toString() });
    }
  });

  test('pipelined requests come out in order, with empty lines between them ignored', () => {
    const get = 'GET /one HTTP/1.1\r\nHost: h\r\n\r\n';
    const { requests } = read(`${get}\r\n${POST}GET /two HTTP/1.1\r\nhost: h\r\n\r\n`, [5, 17]);
    assert.deepEqual(requests.map((r) => r.target), ['/one', '/?a=1', '/two']);
    assert.equal(requests[0].body.length, 0);
  });

  test('body bytes stay bytes: UTF-8 and binary survive', () => {
    const body = Buffer.concat([Buffer.from('zé€'), Buffer.from([0, 255, 13, 10])]);
    const bytes = Buffer.concat([Buffer.from(`PUT /x HTTP/1.1\r\nHost: h\r\nContent-Length: ${body.length}\r\n\r\n`), body]);
    assert.deepEqual(read(bytes, [3]).requests[0].body, body);
  });

  test('a repeated header joins its values with a comma; header values are trimmed', () => {
    const { requests } = read('GET / HTTP/1.1\r\nHost: h\r\nX-Amz-Meta-A:  one \r\nx-amz-meta-a: two\r\n\r\n');
    assert.equal(requests[0].headers['x-amz-meta-a'], 'one,two');
  });

  test('chunked bodies are decoded, with extensions and trailers', () => {
    const bytes = 'POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\nGET /next HTTP/1.1\r\nHost: h\r\n\r\n';
    for (const size of [1, 4, 1000]) {
      const { requests } = read(bytes, [size]);
      assert.equal(requests.length, 2);
      assert.equal(requests[0].body.toString(), 'hello world');
      assert.equal(requests[1].target, '/next');
    }
  });

  test('the head is announced before its body; the body comes in pieces and is not kept', () => {
    const head = 'PUT / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n';
    const events: string[] = [];
    const reader = new RequestReader({
      head: (h) => events.push(`head ${h.length} ${h.expectsContinue}`),
      data: (b) => events.push(`data ${b.toString()}`),
      end: () => events.push('end'),
    });
    reader.push(Buffer.from(head));
    assert.deepEqual(events, ['head 4 true']);
    assert.equal(reader.readingBody, true);
    reader.push(Buffer.from('ok'));
    reader.push(Buffer.from('!!GET'));
    assert.deepEqual(events, ['head 4 true', 'data ok', 'data !!', 'end']);
    assert.equal(reader.headPending, true);
  });

  test('a chunked body is announced without a length', () => {
    const lengths: Array<number | undefined> = [];
    const reader = new RequestReader({ head: (h) => lengths.push(h.length), data: () => {}, end: () => {} });
    reader.push(Buffer.from('POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n'));
    assert.deepEqual(lengths, [undefined]);
  });

  test('bare LF line ends are refused with 400, in any split', () => {
    for (const bad of ['GET / HTTP/1.1\nHost: h\n\n', 'GET / HTTP/1.1\r\nHost: h\n\r\n', 'GET / HTTP/1.1\r\nHost: h\r\n\n']) {
      for (const size of [1, 2, 5, 1000]) {
        assert.throws(() => read(bad, [size]), (e: unknown) => e instanceof HttpError && e.status === 400, JSON.stringify(bad));
      }
    }
  });

  test('keep-alive: HTTP/1.1 unless Connection: close; HTTP/1.0 only when asked', () => {
    assert.equal(read('GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n').requests[0].keepAlive, false);
    assert.equal(read('GET / HTTP/1.0\r\n\r\n').requests[0].keepAlive, false);
    assert.equal(read('GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n').requests[0].keepAlive, true);
  });

  test('a half-read request is not a request yet', () => {
    assert.equal(read('GET / HTTP/1.1\r\nHo').requests.length, 0);
    assert.equal(read('POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nab').requests.length, 0);
    assert.equal(read('POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n').requests.length, 0);
  });

  test('malformed heads are refused with 400', () => {
    refused('GET /\r\n\r\n', 400);
    refused('GET / HTTP/2.0\r\nHost: h\r\n\r\n', 400);
    refused('GET  / HTTP/1.1\r\nHost: h\r\n\r\n', 400);
    refused('G(T / HTTP/1.1\r\nHost: h\r\n\r\n', 400);
    refused('GET / HTTP/1.1\r\n\r\n', 400); // HTTP/1.1 without Host
    refused('GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n', 400);
    refused('GET / HTTP/1.1\r\nHost: h\r\nBad Name: v\r\n\r\n', 400);
    refused('GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n folded\r\n\r\n', 400);
    refused('GET / HTTP/1.1\r\nHost: h\r\nX: a\x00b\r\n\r\n', 400);
  });

  test('ambiguous framing is refused: it is how requests get smuggled', () => {
    refused('POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab', 400);
    refused('POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n', 400);
    refused('POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n', 400);
    refused('POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1e3\r\n\r\n', 400);
    refused('POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n', 501);
    refused('POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', 400);
    refused('POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n', 400);
    // The same length twice is one length.
    assert.equal(read('POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nab').requests[0].body.toString(), 'ab');
  });

  test('limits: a head over 16 KiB gets 431, in one piece or many; bodies are not the reader\'s to bound', () => {
    refused(`GET / HTTP/1.1\r\nHost: h\r\nX: ${'a'.repeat(MAX_HEAD_BYTES)}\r\n\r\n`, 431);
    refused(`GET / HTTP/1.1\r\nHost: h\r\nX: ${'a'.repeat(MAX_HEAD_BYTES)}`, 431); // no end in sight
    assert.throws(() => read(`GET / HTTP/1.1\r\nHost: h\r\nX: ${'a'.repeat(MAX_HEAD_BYTES)}`, [100]), (e: unknown) => e instanceof HttpError && e.status === 431);
    const lengths: Array<number | undefined> = [];
    new RequestReader({ head: (h) => lengths.push(h.length), data: () => {}, end: () => {} }).push(Buffer.from(`PUT / HTTP/1.1\r\nHost: h\r\nContent-Length: ${5 * 1024 ** 4}\r\n\r\n`));
    assert.deepEqual(lengths, [5 * 1024 ** 4]);
  });
});
