import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, it } from 'node:test';
import { checksumOf, type ChecksumAlgorithm } from '../../src/auth/sigv4/checksums.js';
import { payloadVerifier, verifyRequest, verifyRequestHead } from '../../src/auth/sigv4/verify.js';
import { unframedHeaders, unframeUnverified } from '../../src/auth/sigv4/chunked.js';
import type { WireRequest } from '../../src/protocol/errors.js';
import { expectAwsError, LONG_TERM, lookupOf, signatureOf, signed, STAMP, T0 } from './sigv4-oracle.js';

const EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, text: string) => createHmac('sha256', key).update(text).digest();
const lookup = lookupOf(LONG_TERM);
const verify = (req: WireRequest) => verifyRequest(req, { family: 's3', lookup, now: T0 });

/** The payload and trailers a request decodes to when its body streams in pieces of `size` bytes. */
async function streamed(req: WireRequest, size: number, opts = { family: 's3' as const, lookup, now: T0 }) {
  const head = verifyRequestHead({ method: req.method, path: req.path, rawQuery: req.rawQuery, headers: req.headers }, opts);
  assert.ok(head);
  const verifier = payloadVerifier(head);
  const out: Buffer[] = [];
  const pieces = function* () {
    for (let i = 0; i < req.body.length; i += size) yield req.body.subarray(i, i + size);
  };
  await pipeline(Readable.from(pieces()), verifier, new Writable({ write: (c, _e, done) => (out.push(c), done()) }));
  return { payload: Buffer.concat(out), trailers: verifier.trailers };
}

describe('aws-chunked: the examples of the AWS documentation', () => {
  const docs = lookupOf({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' });
  const opts = { family: 's3' as const, lookup: docs, now: Date.parse('2013-05-24T00:00:00Z') };
  const A = Buffer.alloc(66560, 'a');
  const body = (signatures: string[], trailer: string[] = []) =>
    Buffer.concat([
      Buffer.from(`10000;chunk-signature=${signatures[0]}\r\n`),
      A.subarray(0, 65536),
      Buffer.from(`\r\n400;chunk-signature=${signatures[1]}\r\n`),
      A.subarray(0, 1024),
      Buffer.from(`\r\n0;chunk-signature=${signatures[2]}\r\n${trailer.map((l) => `${l}\r\n`).join('')}\r\n`),
    ]);
  const auth = (signedHeaders: string, signature: string) =>
    `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=${signedHeaders},Signature=${signature}`;
  const headers = {
    host: 's3.amazonaws.com',
    'x-amz-date': '20130524T000000Z',
    'x-amz-storage-class': 'REDUCED_REDUNDANCY',
    'content-encoding': 'aws-chunked',
    'x-amz-decoded-content-length': '66560',
  };
  const signedChunks: WireRequest = {
    method: 'PUT',
    path: '/examplebucket/chunkObject.txt',
    rawQuery: '',
    headers: {
      ...headers,
      'content-length': '66824',
      'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      authorization: auth(
        'content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class',
        '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9',
      ),
    },
    body: body([
      'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648',
      '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497',
      'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9',
    ]),
  };
  const signedTrailer: WireRequest = {
    method: 'PUT',
    path: '/examplebucket/chunkObject.txt',
    rawQuery: '',
    headers: {
      ...headers,
      'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
      'x-amz-trailer': 'x-amz-checksum-crc32c',
      authorization: auth(
        'content-encoding;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class;x-amz-trailer',
        '106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e',
      ),
    },
    body: body(
      [
        'b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2',
        '1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7',
        '2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992',
      ],
      ['x-amz-checksum-crc32c:sOO8/Q==', 'x-amz-trailer-signature:d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435'],
    ),
  };

  it('decodes the signed chunks of PUT Object, whole and streamed', async () => {
    assert.equal(signedChunks.body.length, 66824);
    const v = verifyRequest(signedChunks, opts);
    assert.ok(v?.body.equals(A));
    for (const size of [1, 13, 4096, 100_000]) assert.ok((await streamed(signedChunks, size, opts)).payload.equals(A));
  });

  it('decodes the signed chunks and the signed trailer, whole and streamed', async () => {
    const v = verifyRequest(signedTrailer, opts);
    assert.ok(v?.body.equals(A));
    assert.deepEqual(v?.trailers, { 'x-amz-checksum-crc32c': 'sOO8/Q==' });
    const s = await streamed(signedTrailer, 997, opts);
    assert.ok(s.payload.equals(A));
    assert.deepEqual(s.trailers, { 'x-amz-checksum-crc32c': 'sOO8/Q==' });
  });

  it('refuses a changed byte in a chunk: its signature no longer holds', async () => {
    const body = Buffer.from(signedChunks.body);
    body[66000] = 'b'.charCodeAt(0); // in the second chunk (1024 bytes from offset 65712)
    const e = expectAwsError(() => verifyRequest({ ...signedChunks, body }, opts), 'SignatureDoesNotMatch', 403);
    assert.match(e.extra.StringToSign, /^AWS4-HMAC-SHA256-PAYLOAD\n20130524T000000Z\n20130524\/us-east-1\/s3\/aws4_request\nad80c730/);
    assert.equal(e.extra.SignatureProvided, '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497');
    await assert.rejects(streamed({ ...signedChunks, body }, 4096, opts), { code: 'SignatureDoesNotMatch' });
  });
});

type Mode = 'signed' | 'signed-trailer' | 'unsigned-trailer';
const CONTENT_SHA256: Record<Mode, string> = {
  signed: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
  'signed-trailer': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
  'unsigned-trailer': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
};

interface ChunkedOptions {
  chunkSize?: number;
  /** The trailing header to send (name and value), announced in x-amz-trailer. */
  trailer?: [string, string];
  /** x-amz-decoded-content-length to sign; null: none. */
  decodedLength?: string | null;
  /** Sends the trailer without announcing it. */
  unannounced?: boolean;
}

/** A PUT with an aws-chunked body, encoded and signed here per the documented algorithm. */
async function chunkedPut(data: Buffer, mode: Mode, o: ChunkedOptions = {}): Promise<WireRequest> {
  const headers: Record<string, string> = { 'content-encoding': 'aws-chunked', 'x-amz-content-sha256': CONTENT_SHA256[mode] };
  if (o.decodedLength !== null) headers['x-amz-decoded-content-length'] = o.decodedLength ?? String(data.length);
  if (o.trailer && !o.unannounced) headers['x-amz-trailer'] = o.trailer[0];
  const req = await signed({ service: 's3', method: 'PUT', host: 'bucket.s3.localhost', path: '/key', headers });
  const scope = '20240101/us-east-1/s3/aws4_request';
  const key = ['20240101', 'us-east-1', 's3', 'aws4_request'].reduce<Buffer | string>((k, part) => hmac(k, part), `AWS4${LONG_TERM.secretAccessKey}`) as Buffer;
  const sign = (text: string) => hmac(key, text).toString('hex');
  let previous = signatureOf(req);
  const parts: Buffer[] = [];
  const size = o.chunkSize ?? 8192;
  const slices: Buffer[] = [];
  for (let i = 0; i < data.length; i += size) slices.push(data.subarray(i, i + size));
  slices.push(Buffer.alloc(0));
  for (const slice of slices) {
    let header = slice.length.toString(16);
    if (mode !== 'unsigned-trailer') {
      previous = sign(['AWS4-HMAC-SHA256-PAYLOAD', STAMP, scope, previous, EMPTY, sha256(slice)].join('\n'));
      header += `;chunk-signature=${previous}`;
    }
    parts.push(Buffer.from(`${header}\r\n`), slice, Buffer.from(slice.length > 0 ? '\r\n' : ''));
  }
  if (o.trailer) {
    parts.push(Buffer.from(`${o.trailer[0]}:${o.trailer[1]}\r\n`));
    if (mode === 'signed-trailer') {
      const signature = sign(['AWS4-HMAC-SHA256-TRAILER', STAMP, scope, previous, sha256(`${o.trailer[0]}:${o.trailer[1]}\n`)].join('\n'));
      parts.push(Buffer.from(`x-amz-trailer-signature:${signature}\r\n`));
    }
  }
  parts.push(Buffer.from('\r\n'));
  return { ...req, body: Buffer.concat(parts) };
}

const DATA = Buffer.alloc(2 * 8192 + 100, 'c');
for (let i = 0; i < DATA.length; i++) DATA[i] = (i * 31 + 7) & 0xff;
const checksum = (algorithm: ChecksumAlgorithm, data = DATA) => checksumOf(algorithm, data).toString('base64');
const crc32Trailer = (value = checksum('CRC32')): [string, string] => ['x-amz-checksum-crc32', value];

describe('aws-chunked: signed chunks', () => {
  it('decodes a body of signed chunks', async () => {
    const req = await chunkedPut(DATA, 'signed');
    assert.ok(verify(req)?.body.equals(DATA));
    assert.ok((await streamed(req, 1000)).payload.equals(DATA));
  });

  it('decodes an empty object', async () => {
    const req = await chunkedPut(Buffer.alloc(0), 'signed');
    assert.equal(verify(req)?.body.length, 0);
  });

  it('refuses a bad signature on the first, a middle or the final chunk', async () => {
    const req = await chunkedPut(DATA, 'signed');
    const text = req.body.toString('latin1');
    const at: number[] = [];
    for (let i = text.indexOf('chunk-signature='); i >= 0; i = text.indexOf('chunk-signature=', i + 1)) at.push(i + 16);
    assert.equal(at.length, 4);
    for (const index of at) {
      const body = Buffer.from(req.body);
      body[index] = body[index] === 0x30 ? 0x31 : 0x30;
      const e = expectAwsError(() => verify({ ...req, body }), 'SignatureDoesNotMatch', 403);
      assert.match(e.extra.StringToSign, /^AWS4-HMAC-SHA256-PAYLOAD\n/);
    }
  });

  it('refuses chunks in another order: each signature chains from the previous one', async () => {
    const data = Buffer.concat([Buffer.alloc(8192, 'x'), Buffer.alloc(8192, 'y')]);
    const req = await chunkedPut(data, 'signed');
    const first = req.body.indexOf('2000;');
    const second = req.body.indexOf('2000;', first + 1);
    const end = req.body.indexOf('0;chunk', second + 8192);
    const swapped = Buffer.concat([req.body.subarray(second, end), req.body.subarray(first, second), req.body.subarray(end)]);
    expectAwsError(() => verify({ ...req, body: swapped }), 'SignatureDoesNotMatch', 403);
  });

  it('refuses a chunk below 8 KiB that is not the last one', async () => {
    const req = await chunkedPut(DATA, 'signed', { chunkSize: 8191 });
    const e = expectAwsError(() => verify(req), 'InvalidChunkSizeError', 403, 'Only the last chunk is allowed to have a size less than 8192 bytes');
    assert.deepEqual(e.extra, { Chunk: '1', BadChunkSize: '8191' });
  });

  it('refuses a body that ends early, and a decoded length that differs', async () => {
    const req = await chunkedPut(DATA, 'signed');
    const cut = req.body.subarray(0, req.body.lastIndexOf('0;chunk-signature='));
    expectAwsError(() => verify({ ...req, body: cut }), 'IncompleteBody', 400, 'The request body terminated unexpectedly');
    await assert.rejects(streamed({ ...req, body: cut }, 512), { code: 'IncompleteBody' });
    for (const length of [DATA.length + 1, DATA.length - 1]) {
      const wrong = await chunkedPut(DATA, 'signed', { decodedLength: String(length) });
      expectAwsError(() => verify(wrong), 'IncompleteBody', 400);
    }
  });

  it('requires x-amz-decoded-content-length', async () => {
    const req = await chunkedPut(DATA, 'signed', { decodedLength: null });
    expectAwsError(() => verify(req), 'MissingContentLength', 411, 'You must provide the Content-Length HTTP header.');
  });

  it('refuses garbage in the framing', async () => {
    const req = await chunkedPut(DATA, 'signed');
    expectAwsError(() => verify({ ...req, body: Buffer.concat([Buffer.from('zz;chunk-signature=00\r\n'), req.body]) }), 'IncompleteBody', 400);
    const noCrlf = Buffer.from(req.body);
    noCrlf[noCrlf.indexOf('\r\n') + 2 + 8192] = 0x41; // the CR after the first chunk's data
    expectAwsError(() => verify({ ...req, body: noCrlf }), 'IncompleteBody', 400);
  });
});

describe('aws-chunked: trailers', () => {
  it('verifies a signed trailer and its checksum', async () => {
    const req = await chunkedPut(DATA, 'signed-trailer', { trailer: crc32Trailer() });
    const v = verify(req);
    assert.ok(v?.body.equals(DATA));
    assert.deepEqual(v?.trailers, { 'x-amz-checksum-crc32': checksum('CRC32') });
  });

  it('refuses a trailer whose signature does not hold', async () => {
    const req = await chunkedPut(DATA, 'signed-trailer', { trailer: crc32Trailer() });
    const text = req.body.toString('latin1');
    const index = text.indexOf('x-amz-trailer-signature:') + 24;
    const body = Buffer.from(req.body);
    body[index] = body[index] === 0x30 ? 0x31 : 0x30;
    const e = expectAwsError(() => verify({ ...req, body }), 'SignatureDoesNotMatch', 403);
    assert.match(e.extra.StringToSign, /^AWS4-HMAC-SHA256-TRAILER\n/);
  });

  for (const algorithm of ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'] as const) {
    it(`checks a ${algorithm} trailer of an unsigned body`, async () => {
      const name = `x-amz-checksum-${algorithm.toLowerCase()}`;
      const good = await chunkedPut(DATA, 'unsigned-trailer', { trailer: [name, checksum(algorithm)] });
      assert.ok(verify(good)?.body.equals(DATA));
      assert.deepEqual((await streamed(good, 3000)).trailers, { [name]: checksum(algorithm) });
      const other = checksum(algorithm, Buffer.from('other'));
      const bad = await chunkedPut(DATA, 'unsigned-trailer', { trailer: [name, other] });
      expectAwsError(() => verify(bad), 'BadDigest', 400, `The ${algorithm} you specified did not match the calculated checksum.`);
      await assert.rejects(streamed(bad, 3000), { code: 'BadDigest' });
    });
  }

  it('refuses a checksum that is not the base64 of a digest', async () => {
    const req = await chunkedPut(DATA, 'unsigned-trailer', { trailer: crc32Trailer('y/Q5Jg') });
    expectAwsError(() => verify(req), 'InvalidRequest', 400, 'Value for x-amz-checksum-crc32 trailing header is invalid.');
  });

  it('refuses an announced trailer that never comes', async () => {
    const req = await chunkedPut(DATA, 'unsigned-trailer', { trailer: crc32Trailer() });
    const body = Buffer.concat([req.body.subarray(0, req.body.lastIndexOf('x-amz-checksum-crc32')), Buffer.from('\r\n')]);
    expectAwsError(
      () => verify({ ...req, body }),
      'MalformedTrailerError',
      400,
      'The request contained trailing data that was not well-formed or did not conform to our published schema.',
    );
  });

  it('refuses unsigned chunks below 8 KiB that are not the last one', async () => {
    const req = await chunkedPut(DATA, 'unsigned-trailer', { chunkSize: 100, trailer: crc32Trailer() });
    assert.deepEqual(expectAwsError(() => verify(req), 'InvalidChunkSizeError', 403).extra, { Chunk: '1', BadChunkSize: '100' });
  });

  it('accepts a body that ends right after the final chunk, as the SDK sends it without a checksum', async () => {
    const req = await chunkedPut(DATA, 'unsigned-trailer');
    const body = req.body.subarray(0, req.body.length - 2);
    assert.ok(body.toString('latin1').endsWith('\r\n0\r\n'));
    assert.ok(verify({ ...req, body })?.body.equals(DATA));
  });
});

describe('aws-chunked: unframed without a signature (--auth off, anonymous)', () => {
  it('yields the payload and trailers, and the headers as if the body were sent plain', () => {
    const headers = { 'content-encoding': 'aws-chunked,gzip', 'x-amz-decoded-content-length': '3', 'content-length': '60', 'x-amz-trailer': 'x-amz-checksum-crc32' };
    const crc = checksumOf('CRC32', Buffer.from('abc')).toString('base64');
    const body = Buffer.from(`3;chunk-signature=aaa\r\nabc\r\n0;chunk-signature=bbb\r\nx-amz-checksum-crc32:${crc}\r\n\r\n`);
    const { payload, trailers } = unframeUnverified(headers, body);
    assert.deepEqual(payload, Buffer.from('abc'));
    assert.deepEqual(trailers, { 'x-amz-checksum-crc32': crc });
    const seen = unframedHeaders(headers, trailers);
    assert.equal(seen['content-encoding'], 'gzip');
    assert.equal(seen['content-length'], '3');
    assert.equal(seen['x-amz-checksum-crc32'], crc);
  });

  it('still refuses a truncated body, a wrong length and a wrong checksum', () => {
    const headers = { 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': '10' };
    expectAwsError(() => unframeUnverified(headers, Buffer.from('a;chunk-signature=x\r\nabc')), 'IncompleteBody', 400);
    expectAwsError(() => unframeUnverified({ ...headers, 'x-amz-decoded-content-length': '4' }, Buffer.from('3\r\nabc\r\n0\r\n\r\n')), 'IncompleteBody', 400);
    const bad = { ...headers, 'x-amz-decoded-content-length': '3', 'x-amz-trailer': 'x-amz-checksum-crc32' };
    assert.throws(() => unframeUnverified(bad, Buffer.from(`3\r\nabc\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n`)), (e: { code?: string }) => /Checksum|BadDigest|InvalidRequest/.test(e.code ?? ''));
  });
});
