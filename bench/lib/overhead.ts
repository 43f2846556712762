import { readFileSync } from 'node:fs';
import { benchScript, spawnListening, stop } from './children.js';
import { drive, formatResult, type LoadResult, type PreparedRequest } from './loadgen.js';

/**
 * "What does feature X cost a request?": the same request measured without X and with
 * it, in rounds whose half-second slices alternate between the two (off-on, on-off, …)
 * so that drift on a shared machine falls on both alike, next to plain Node answering a
 * fixed reply (the load generator's ceiling).
 * Besides req/s (noisy when other work shares the machine), the server's CPU time per
 * request: its main thread's (the request path) and the whole process's (worker threads too).
 */
export interface Side {
  name: string;
  url: string;
  pid: number;
  requests: PreparedRequest[];
  /**
   * Replaces the side's server with a fresh process (url, pid and requests updated in
   * place): two processes of the same code differ by up to 10% between them on this
   * machine (placement in memory and caches), which fresh processes every round average out.
   */
  restart?: () => Promise<void>;
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

/** A round's drive is cut in slices of this length, the sides taking turns: the machine's drift (other tenants) falls on both. */
const SLICE_SECONDS = 0.5;

/** One round: both sides driven in alternating slices (which goes first alternates too), `opts.seconds` each in all. */
async function measureRound(sides: [Side, Side], round: number, opts: OverheadOptions, settleMs: number): Promise<{ without: Round; with: Round }> {
  const slices = Math.max(1, Math.round(opts.seconds / SLICE_SECONDS));
  // Two processes: each one's CPU over the whole round is its own (its idle slices cost it
  // nothing; work it leaves for later, a writer thread's, counts after `settleMs`). One
  // process serving both sides: its CPU during each side's slices.
  const shared = sides[0].pid === sides[1].pid;
  const snapshot = (pid: number) => ({ main: cpuUs(pid, pid), proc: cpuUs(pid) });
  const cpu = sides.map(() => ({ main: 0, proc: 0 }));
  const roundStart = sides.map((side) => snapshot(side.pid));
  const results: LoadResult[][] = [[], []];
  for (let k = 0; k < slices; k++) {
    const order = (round + k) % 2 === 0 ? [0, 1] : [1, 0];
    for (const j of order) {
      const side = sides[j];
      const before = snapshot(side.pid);
      const r = await drive(side.url, side.requests, { total: 10_000_000, concurrency: opts.concurrency, maxSeconds: opts.seconds / slices });
      if (r.errors > 0) throw new Error(`${side.name}: ${r.errors} failed requests: ${r.firstError}`);
      results[j].push(r);
      const after = snapshot(side.pid);
      cpu[j].main += after.main - before.main;
      cpu[j].proc += after.proc - before.proc;
    }
  }
  if (settleMs) await new Promise((res) => setTimeout(res, settleMs));
  if (!shared) {
    sides.forEach((side, j) => {
      const end = snapshot(side.pid);
      cpu[j] = { main: end.main - roundStart[j].main, proc: end.proc - roundStart[j].proc };
    });
  }
  const [without, withIt] = sides.map((side, j): Round => {
    const rs = results[j];
    const requests = rs.reduce((n, r) => n + r.requests, 0);
    const seconds = rs.reduce((n, r) => n + r.seconds, 0);
    return {
      requests, seconds, rps: requests / seconds, p50: median(rs.map((r) => r.p50)), p99: median(rs.map((r) => r.p99)), errors: 0,
      mainUs: cpu[j].main / requests, processUs: cpu[j].proc / requests,
    };
  });
  return { without, with: withIt };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const pct = (without: number, withIt: number) => (100 * (without - withIt)) / without;

/** Runs the rounds and prints each, then the summary; returns the req/s overhead in percent (median of the rounds' pairs). */
export async function compareOverhead(without: Side, withIt: Side, opts: OverheadOptions, settleMs = 0): Promise<number> {
  const warmUp = async () => {
    for (const side of [without, withIt]) await drive(side.url, side.requests, { total: 3000, concurrency: opts.concurrency, maxSeconds: 2 });
  };
  await warmUp();
  const restarts = without.restart !== undefined && withIt.restart !== undefined;
  const rounds: Array<{ without: Round; with: Round }> = [];
  for (let i = 0; i < opts.rounds; i++) {
    if (restarts && i > 0) {
      await without.restart!();
      await withIt.restart!();
      await warmUp();
    }
    const pair = await measureRound([without, withIt], i, opts, settleMs);
    for (const [which, side] of [['without', without], ['with', withIt]] as const) {
      const r = pair[which];
      console.log(`${formatResult(`round ${i + 1}: ${side.name}`, r)}   CPU/request: main thread ${r.mainUs.toFixed(0)} µs, process ${r.processUs.toFixed(0)} µs`);
    }
    rounds.push(pair);
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
  const pairs = rounds.map((r) => pct(r.without.rps, r.with.rps)).sort((a, b) => a - b);
  const paired = median(pairs);
  const quartile = (q: number) => pairs[Math.min(pairs.length - 1, Math.max(0, Math.round(q * (pairs.length - 1))))];
  const cpu = (pick: (r: Round) => number) => {
    const a = median(rounds.map((r) => pick(r.without)));
    const b = median(rounds.map((r) => pick(r.with)));
    const change = -pct(a, b);
    return `${a.toFixed(1)} → ${b.toFixed(1)} µs (${change >= 0 ? '+' : ''}${change.toFixed(1)}%)`;
  };
  console.log('');
  console.log(`${opts.feature}, GetUser, ${opts.rounds} rounds of ${opts.seconds} s a side (in alternating ${SLICE_SECONDS} s slices), ${opts.concurrency} connections${restarts ? ', fresh server processes every round' : ''}:`);
  console.log(`  req/s without: ${rpsWithout.toFixed(0)}   with: ${rpsWith.toFixed(0)}   hello world: ${baseline.rps.toFixed(0)}`);
  console.log(`  overhead: ${paired.toFixed(1)}% (median of the rounds' pairs; ${pct(rpsWithout, rpsWith).toFixed(1)}% from the medians)   target ≤ ${opts.targetPercent}%`);
  // Two processes of the same code differ by several percent from round to round: the spread says how far to trust the median.
  console.log(`  the pairs' middle half: ${quartile(0.25).toFixed(1)}% to ${quartile(0.75).toFixed(1)}%`);
  console.log(`  server CPU per request: main thread ${cpu((r) => r.mainUs)}; whole process ${cpu((r) => r.processUs)}`);
  return paired;
}
