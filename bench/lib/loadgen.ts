import http from 'node:http';

export interface PreparedRequest { method: string; path: string; headers: Record<string, string>; body?: string }
export interface LoadResult { requests: number; seconds: number; rps: number; p50: number; p99: number; errors: number; firstError?: string }

/**
 * Replays prepared requests over keep-alive connections, `concurrency` in flight, until
 * `total` are done or `maxSeconds` pass (bounded: it always stops by itself). Latency is per
 * request in milliseconds.
 */
export async function drive(url: string, requests: PreparedRequest[], opts: { total: number; concurrency: number; maxSeconds?: number }): Promise<LoadResult> {
  const u = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.concurrency });
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  let firstError: string | undefined;
  const deadline = performance.now() + (opts.maxSeconds ?? 30) * 1000;
  const start = performance.now();

  const one = (r: PreparedRequest) =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      const req = http.request({ host: u.hostname, port: u.port, method: r.method, path: r.path, headers: r.headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          latencies.push(performance.now() - t0);
          if (res.statusCode !== 200) {
            errors++;
            firstError ??= `${res.statusCode} ${Buffer.concat(chunks).toString().slice(0, 300)}`;
          }
          resolve();
        });
      });
      req.on('error', (e) => { errors++; firstError ??= e.message; resolve(); });
      req.end(r.body);
    });

  const worker = async () => {
    while (next < opts.total && performance.now() < deadline) {
      const r = requests[next++ % requests.length];
      await one(r);
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? NaN;
  return { requests: latencies.length, seconds, rps: latencies.length / seconds, p50: pct(0.5), p99: pct(0.99), errors, firstError };
}

export function formatResult(name: string, r: LoadResult): string {
  return `${name.padEnd(44)} ${r.rps.toFixed(0).padStart(7)} req/s   p50 ${r.p50.toFixed(2)} ms   p99 ${r.p99.toFixed(2)} ms` +
    (r.errors ? `   (${r.errors} errors: ${r.firstError})` : '');
}
