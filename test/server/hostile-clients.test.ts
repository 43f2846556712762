import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { sampleRss, spawnServer, type SpawnedServer } from '../helpers/spawned.js';

/**
 * What a hostile client can make the server hold, measured on a real server process
 * (VmRSS). Before: 12 unauthenticated 64 MiB bodies took it to 690 MB; headers at one byte
 * a second held a connection forever; there was no connection cap; bare LF hung.
 */

const MiB = 1024 * 1024;

/** Opens a connection, writes the head, then as much of the body as the server takes (up to `bodyBytes`). */
function flood(port: number, head: string, bodyBytes: number): Promise<{ text: string; sent: number }> {
  return new Promise((resolve) => {
    const socket: Socket = connect(port, '127.0.0.1');
    const piece = Buffer.alloc(64 * 1024, 0x61);
    let text = '';
    let sent = 0;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ text, sent });
    };
    const timer = setTimeout(finish, 8000);
    socket.on('data', (d) => (text += d.toString('latin1')));
    socket.on('close', finish);
    socket.on('error', finish);
    const pump = () => {
      while (!socket.destroyed && sent < bodyBytes) {
        sent += piece.length;
        if (!socket.write(piece)) return void socket.once('drain', pump);
      }
    };
    socket.on('connect', () => {
      socket.write(head);
      pump();
    });
  });
}

describe('hostile clients are bounded (spawned server, RSS measured)', () => {
  let server: SpawnedServer;
  before(async () => {
    server = await spawnServer(['--head-timeout-ms', '1500', '--max-connections', '64']);
    const s3 = new S3Client({ endpoint: server.url, region: 'us-east-1', credentials: server.root, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'hostile' }));
    s3.destroy();
    // Warm up: the first requests load code and fill caches (the same refusals, small); measure after.
    for (let i = 0; i < 3; i++) {
      await Promise.all([
        flood(server.port, 'GET /_iamlocal/health HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n', 0),
        flood(server.port, `PUT /hostile/big HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${4 * MiB}\r\n\r\n`, 4 * MiB),
        flood(server.port, `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${4 * MiB}\r\n\r\n`, 4 * MiB),
      ]);
    }
  });
  after(() => server.stop());

  test('12 connections claiming 64 MiB bodies, unauthenticated (S3 and IAM): refused, bodies never held', async () => {
    const before = server.rssMb();
    const rss = sampleRss(server, 20);
    const s3Head = `PUT /hostile/big HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${64 * MiB}\r\n\r\n`;
    const iamHead = `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${64 * MiB}\r\n\r\n`;
    const results = await Promise.all([
      ...Array.from({ length: 12 }, () => flood(server.port, s3Head, 64 * MiB)),
      ...Array.from({ length: 12 }, () => flood(server.port, iamHead, 64 * MiB)),
    ]);
    const peak = rss.stop();
    for (const r of results.slice(0, 12)) assert.match(r.text, /^HTTP\/1\.1 403 [\s\S]*<Code>AccessDenied<\/Code>/, r.text.slice(0, 200));
    for (const r of results.slice(12)) assert.match(r.text, /^HTTP\/1\.1 413 /, r.text.slice(0, 200));
    const sent = results.reduce((n, r) => n + r.sent, 0);
    console.log(`# unauthenticated bodies: RSS ${before.toFixed(1)} → peak ${peak.toFixed(1)} MiB; clients pushed ${(sent / MiB).toFixed(0)} MiB in all`);
    assert.ok(peak - before < 8, `RSS rose ${(peak - before).toFixed(1)} MiB`);
  });

  test('slowloris: heads sent a byte at a time are cut at the head deadline', async () => {
    const before = server.rssMb();
    const rss = sampleRss(server, 20);
    const started = Date.now();
    const closedAfter = await Promise.all(Array.from({ length: 40 }, () => new Promise<number>((resolve) => {
      const socket = connect(server.port, '127.0.0.1');
      const head = 'GET /_iamlocal/health HTTP/1.1\r\nHost: h\r\nX-Slow: ' + 'a'.repeat(1000);
      let i = 0;
      const timer = setInterval(() => {
        if (i < head.length) socket.write(head[i++]);
      }, 100);
      socket.on('error', () => {});
      socket.on('close', () => {
        clearInterval(timer);
        resolve(Date.now() - started);
      });
    })));
    const peak = rss.stop();
    console.log(`# slowloris: 40 connections cut after ${Math.min(...closedAfter)}–${Math.max(...closedAfter)} ms; RSS ${before.toFixed(1)} → peak ${peak.toFixed(1)} MiB`);
    for (const t of closedAfter) assert.ok(t >= 1400 && t < 3000, `closed after ${t} ms`);
    assert.ok(peak - before < 8, `RSS rose ${(peak - before).toFixed(1)} MiB`);
  });

  test('the connection cap: beyond it, 503 and close; the server keeps serving', async () => {
    const before = server.rssMb();
    const rss = sampleRss(server, 20);
    const sockets: Socket[] = [];
    const answers: string[] = [];
    await Promise.all(Array.from({ length: 300 }, () => new Promise<void>((resolve) => {
      const socket = connect(server.port, '127.0.0.1');
      sockets.push(socket);
      let text = '';
      socket.on('data', (d) => {
        text += d.toString('latin1');
      });
      socket.on('error', () => {});
      socket.on('close', () => {
        answers.push(text);
        resolve();
      });
      socket.on('connect', () => setTimeout(() => {
        answers.push(text);
        resolve();
      }, 1000));
    })));
    const peak = rss.stop();
    const refused = answers.filter((t) => t.startsWith('HTTP/1.1 503 Service Unavailable')).length;
    console.log(`# connection cap 64: ${refused} of 300 refused with 503; RSS ${before.toFixed(1)} → peak ${peak.toFixed(1)} MiB`);
    assert.ok(refused >= 300 - 64, `${refused} refused`);
    for (const socket of sockets) socket.destroy();
    await new Promise((r) => setTimeout(r, 200));
    const ok = await flood(server.port, 'GET /_iamlocal/health HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n', 0);
    assert.match(ok.text, /^HTTP\/1\.1 200 /);
    assert.ok(peak - before < 16, `RSS rose ${(peak - before).toFixed(1)} MiB`);
  });

  test('bare LF line ends: 400 and close at once, not a hang', async () => {
    const before = server.rssMb();
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: 40 }, () => flood(server.port, 'GET /_iamlocal/health HTTP/1.1\nHost: h\n\n', 0)));
    const took = Date.now() - started;
    for (const r of results) assert.match(r.text, /^HTTP\/1\.1 400 Bad Request\r\n/);
    assert.ok(took < 1000, `took ${took} ms`);
    assert.ok(server.rssMb() - before < 8);
  });
});
