import { readFileSync } from 'node:fs';
import { benchScript, spawnListening, stop } from './children.js';
import { drive, formatResult, type LoadResult, type PreparedRequest } from './loadgen.js';

/**
 * "What does feature X cost a request?": the same request measured without X and with
 * it, in alternating rounds (off-on, on-off, …) so that drift on a shared machine falls on
 * both alike, next to plain Node answering a fixed reply (the load generator's ceiling).
 * Besides req/s (noisy when other work shares the machine), the server's CPU time per
 * request: its main thread's (the request path) and the whole process's (worker threads too).
 */
export interface Side {
  name: string;
  url: string;
  pid: number;
  requests: PreparedRequest[];
}

export interface OverheadOptions {
  rounds: number;
  seconds: number;
  concurrency: number;
  /** Said in the summary: what is measured ("CloudTrail recording"). */
  feature: string;
  targetPercent: number;
}

interface Round extends LoadResult {
  mainUs: number;
  processUs: number;
}

/** CPU time (user + system) in µs: of a thread of `pid` (its main thread: tid = pid), or of the whole process. */
function cpuUs(pid: number, tid?: number): number {
  const stat = readFileSync(tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000; // utime + stime, in clock ticks of 10 ms
}

async function measure(side: Side, opts: OverheadOptions, settleMs: number): Promise<Round> {
  const main0 = cpuUs(side.pid, side.pid);
  const proc0 = cpuUs(side.pid);
  const r = await drive(side.url, side.requests, { total: 10_000_000, concurrency: opts.concurrency, maxSeconds: opts.seconds });
  // Work the requests left behind (events written a moment later) counts as theirs.
  if (settleMs) await new Promise((res) => setTimeout(res, settleMs));
  if (r.errors > 0) throw new Error(`${side.name}: ${r.errors} failed requests: ${r.firstError}`);
  return { ...r, mainUs: (cpuUs(side.pid, side.pid) - main0) / r.requests, processUs: (cpuUs(side.pid) - proc0) / r.requests };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const pct = (without: number, withIt: number) => (100 * (without - withIt)) / without;

/** Runs the rounds and prints each, then the summary; returns the req/s overhead in percent (median of the rounds' pairs). */
export async function compareOverhead(without: Side, withIt: Side, opts: OverheadOptions, settleMs = 0): Promise<number> {
  for (const side of [without, withIt]) await drive(side.url, side.requests, { total: 3000, concurrency: opts.concurrency, maxSeconds: 2 }); // warm up
  const rounds: Array<{ without: Round; with: Round }> = [];
  for (let i = 0; i < opts.rounds; i++) {
    const pair: Partial<{ without: Round; with: Round }> = {};
    const order = i % 2 === 0 ? (['without', 'with'] as const) : (['with', 'without'] as const);
    for (const which of order) {
      const side = which === 'without' ? without : withIt;
      const r = await measure(side, opts, settleMs);
      pair[which] = r;
      console.log(`${formatResult(`round ${i + 1}: ${side.name}`, r)}   CPU/request: main thread ${r.mainUs.toFixed(0)} µs, process ${r.processUs.toFixed(0)} µs`);
    }
    rounds.push(pair as { without: Round; with: Round });
  }
  const hello = await spawnListening([benchScript('hello-server')]);
  let baseline: LoadResult;
  try {
    baseline = await drive(hello.url, [{ method: 'GET', path: '/', headers: { host: '127.0.0.1' } }], { total: 10_000_000, concurrency: opts.concurrency, maxSeconds: opts.seconds });
  } finally {
    await stop(hello.child);
  }
  console.log(formatResult('hello world (plain node:http, no auth, no store)', baseline));

  const rpsWithout = median(rounds.map((r) => r.without.rps));
  const rpsWith = median(rounds.map((r) => r.with.rps));
  const paired = median(rounds.map((r) => pct(r.without.rps, r.with.rps)));
  const cpu = (pick: (r: Round) => number) => {
    const a = median(rounds.map((r) => pick(r.without)));
    const b = median(rounds.map((r) => pick(r.with)));
    return `${a.toFixed(1)} → ${b.toFixed(1)} µs (+${(-pct(a, b)).toFixed(1)}%)`;
  };
  console.log('');
  console.log(`${opts.feature}, GetUser, ${opts.rounds} alternating rounds of ${opts.seconds} s, ${opts.concurrency} connections:`);
  console.log(`  req/s without: ${rpsWithout.toFixed(0)}   with: ${rpsWith.toFixed(0)}   hello world: ${baseline.rps.toFixed(0)}`);
  console.log(`  overhead: ${paired.toFixed(1)}% (median of the rounds' pairs; ${pct(rpsWithout, rpsWith).toFixed(1)}% from the medians)   target ≤ ${opts.targetPercent}%`);
  console.log(`  server CPU per request: main thread ${cpu((r) => r.mainUs)}; whole process ${cpu((r) => r.processUs)}`);
  return paired;
}
