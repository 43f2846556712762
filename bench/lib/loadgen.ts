import net from 'node:net';

export interface PreparedRequest { method: string; path: string; headers: Record<string, string>; body?: string }
export interface LoadResult { requests: number; seconds: number; rps: number; p50: number; p99: number; errors: number; firstError?: string }

/** The exact bytes of a request, built once: the load loop only writes buffers. */
function toBytes(r: PreparedRequest): Buffer {
  const body = r.body ?? '';
  const headers = { ...r.headers, 'content-length': String(Buffer.byteLength(body)), connection: 'keep-alive' };
  let head = `${r.method} ${r.path} HTTP/1.1\r\n`;
  for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`;
  return Buffer.concat([Buffer.from(head + '\r\n', 'latin1'), Buffer.from(body)]);
}

/**
 * Replays prepared requests over raw keep-alive TCP connections, one in flight per
 * connection, until `total` are done or `maxSeconds` pass (bounded: it always stops by
 * itself). A raw socket client costs far less CPU than node:http's, so on a 2-core machine
 * the server, not the load generator, is what gets measured. Latency in milliseconds.
 */
export async function drive(url: string, requests: PreparedRequest[], opts: { total: number; concurrency: number; maxSeconds?: number }): Promise<LoadResult> {
  const u = new URL(url);
  const payloads = requests.map(toBytes);
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  let firstError: string | undefined;
  const deadline = performance.now() + (opts.maxSeconds ?? 30) * 1000;
  const start = performance.now();

  const connection = () =>
    new Promise<void>((resolve) => {
      const socket = net.connect(Number(u.port), u.hostname);
      socket.setNoDelay(true);
      let buf: Buffer = Buffer.alloc(0);
      let t0 = 0;
      const send = () => {
        if (next >= opts.total || performance.now() >= deadline) {
          socket.end();
          return resolve();
        }
        t0 = performance.now();
        socket.write(payloads[next++ % payloads.length]);
      };
      socket.on('connect', send);
      // A large answer (a 4 MB page) comes in many chunks: they are kept aside and joined
      // once it is all here, not copied again at every chunk.
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      let need = 0;
      socket.on('data', (chunk: Buffer) => {
        if (need > 0) {
          pending.push(chunk);
          pendingBytes += chunk.length;
          if (pendingBytes < need) return;
          chunk = Buffer.concat(pending, pendingBytes);
          pending = [];
          pendingBytes = 0;
          need = 0;
        }
        buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
        for (;;) {
          const end = buf.indexOf('\r\n\r\n');
          if (end < 0) return;
          const head = buf.subarray(0, end).toString('latin1');
          const length = Number(/content-length: *(\d+)/i.exec(head)?.[1] ?? 0);
          if (buf.length < end + 4 + length) {
            need = end + 4 + length;
            pending = [buf];
            pendingBytes = buf.length;
            buf = Buffer.alloc(0);
            return;
          }
          const status = Number(head.slice(9, 12));
          if (status !== 200) {
            errors++;
            firstError ??= `${status} ${buf.subarray(end + 4, end + 4 + length).toString().slice(0, 300)}`;
          }
          buf = buf.subarray(end + 4 + length);
          latencies.push(performance.now() - t0);
          send();
        }
      });
      socket.on('error', (e) => {
        errors++;
        firstError ??= e.message;
        resolve();
      });
    });

  await Promise.all(Array.from({ length: opts.concurrency }, connection));
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? NaN;
  return { requests: latencies.length, seconds, rps: latencies.length / seconds, p50: pct(0.5), p99: pct(0.99), errors, firstError };
}

export function formatResult(name: string, r: LoadResult): string {
  return `${name.padEnd(44)} ${r.rps.toFixed(0).padStart(7)} req/s   p50 ${r.p50.toFixed(2)} ms   p99 ${r.p99.toFixed(2)} ms` +
    (r.errors ? `   (${r.errors} errors: ${r.firstError})` : '');
}
