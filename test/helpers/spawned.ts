import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real `iamlocal start` in its own process (the bundled command), for what must be
 * measured or killed from outside: its memory (VmRSS), a kill -9 in the middle of a write.
 */
export interface SpawnedServer {
  child: ChildProcess;
  url: string;
  port: number;
  dataDir: string;
  root: { accessKeyId: string; secretAccessKey: string };
  /** Resident memory of the server process, in MiB (from /proc/<pid>/status). */
  rssMb(): number;
  /** SIGTERM and wait; the data directory stays unless `remove`. */
  stop(remove?: boolean): Promise<void>;
  /** kill -9: no cleanup of any kind. */
  kill9(): Promise<void>;
}

export const ROOT = { accessKeyId: 'AKIASPAWNEDROOTKEY00', secretAccessKey: 'spawnedRootSecret00000000000000000000000x' };
const cli = new URL('../../iamlocal.js', import.meta.url).pathname;

export async function spawnServer(args: string[] = [], dataDir = mkdtempSync(join(tmpdir(), 'iamlocal-spawned-'))): Promise<SpawnedServer> {
  const child = spawn(process.execPath, [cli, 'start', '--port', '0', '--data-dir', dataDir, '--log-format', 'none', ...args], {
    env: { ...process.env, IAMLOCAL_ROOT_ACCESS_KEY_ID: ROOT.accessKeyId, IAMLOCAL_ROOT_SECRET_ACCESS_KEY: ROOT.secretAccessKey },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before listening`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    url,
    port: Number(new URL(url).port),
    dataDir,
    root: ROOT,
    rssMb: () => {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      return m ? Number(m[1]) / 1024 : NaN;
    },
    async stop(remove = true) {
      child.kill('SIGTERM');
      await exited;
      if (remove) rmSync(dataDir, { recursive: true, force: true });
    },
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Samples a process's RSS every `ms` until stopped: the peak, in MiB. */
export function sampleRss(server: SpawnedServer, ms = 50): { stop(): number; peak(): number } {
  let peak = server.rssMb();
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, server.rssMb());
    } catch {
      // the process is gone
    }
  }, ms);
  return {
    stop: () => {
      clearInterval(timer);
      return peak;
    },
    peak: () => peak,
  };
}
