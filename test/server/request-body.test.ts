import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BodyAborted, BodyTooLarge, RequestBody } from '../../src/server/request-body.js';

/** A body whose connection is simulated: it records what the body asked of it. */
function bodyOf(length: number | undefined) {
  const asked = { changed: 0, continues: 0 };
  const body = new RequestBody(length, { changed: () => asked.changed++, sendContinue: () => asked.continues++ });
  return { body, asked };
}

describe('RequestBody: bytes only when asked for', () => {
  test('a body that came whole is complete(); nobody is asked for anything', () => {
    const { body, asked } = bodyOf(5);
    assert.equal(body.demanding, false, 'unasked, it does not want the connection read');
    body.push(Buffer.from('he'));
    body.push(Buffer.from('llo'));
    body.end();
    assert.equal(body.complete()?.toString(), 'hello');
    assert.deepEqual(asked, { changed: 0, continues: 0 });
    assert.equal(bodyOf(0).body.complete()?.length, 0);
  });

  test('read(limit): 100 Continue, demand until it ends; refused unread when declared longer', async () => {
    const { body, asked } = bodyOf(6);
    const reading = body.read(10);
    assert.equal(asked.continues, 1);
    assert.equal(body.demanding, true);
    body.push(Buffer.from('abc'));
    body.push(Buffer.from('def'));
    body.end();
    assert.equal((await reading).toString(), 'abcdef');
    assert.equal(body.demanding, false);
    const big = bodyOf(64 * 1024 * 1024);
    await assert.rejects(big.body.read(1024), BodyTooLarge);
    assert.equal(big.asked.continues, 0, 'no 100 Continue for a body that will not be read');
    assert.equal(big.body.demanding, false);
  });

  test('read(limit) of a chunked body stops wanting bytes the moment it is over the limit', async () => {
    const { body } = bodyOf(undefined);
    const reading = body.read(4);
    body.push(Buffer.from('abc'));
    body.push(Buffer.from('de'));
    await assert.rejects(reading, BodyTooLarge);
    assert.equal(body.demanding, false);
  });

  test('stream(): demand follows the reader (backpressure); the end ends it', async () => {
    const { body, asked } = bodyOf(1_000_000);
    const stream = body.stream();
    assert.equal(asked.continues, 1);
    const got: Buffer[] = [];
    let release!: () => void;
    const slow = new Writable({
      highWaterMark: 1,
      write(chunk: Buffer, _e, done) {
        got.push(chunk);
        if (got.length === 1) release = done; // hold the first piece: the stream backs up
        else done();
      },
    });
    const piping = pipeline(stream, slow);
    await new Promise((r) => setImmediate(r));
    assert.equal(body.demanding, true);
    for (let i = 0; i < 20; i++) body.push(Buffer.alloc(50_000, i)); // more than the stream holds (512 KiB)
    assert.equal(body.demanding, false, 'full: the connection should stop reading');
    release();
    await new Promise((r) => setImmediate(r));
    body.end();
    await piping;
    assert.equal(Buffer.concat(got).length, 1_000_000);
  });

  test('a connection that goes away fails the reader', async () => {
    const { body } = bodyOf(10);
    const reading = body.read(100);
    body.push(Buffer.from('abc'));
    body.fail(new BodyAborted());
    await assert.rejects(reading, BodyAborted);
    const streamed = bodyOf(10).body;
    const stream = streamed.stream();
    streamed.fail(new BodyAborted());
    await assert.rejects(pipeline(stream, new Writable({ write: (_c, _e, done) => done() })), BodyAborted);
  });
});
