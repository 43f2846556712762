/**
 * Failed sign-in attempts: rate-limited, never locked out. The first FREE failures of a
 * name cost nothing; after that each further attempt must wait
 * twice as long as the one before (1 s, 2 s, 4 s… at most MAX_WAIT_S) since the last
 * failure. A success clears the name's count. Kept in memory: a restart forgives.
 */
const FREE = 5;
const MAX_WAIT_S = 300;
/** Failures older than this are forgotten. */
const FORGET_MS = 15 * 60 * 1000;

interface Tally {
  failures: number;
  lastAt: number;
}

export class SignInAttempts {
  private readonly tallies = new Map<string, Tally>();

  /** Seconds the caller must still wait before trying any of `keys` again (0: go ahead). */
  waitSeconds(keys: string[], now: number): number {
    let wait = 0;
    for (const key of keys) {
      const t = this.current(key, now);
      if (!t || t.failures < FREE) continue;
      const needed = Math.min(2 ** (t.failures - FREE), MAX_WAIT_S) * 1000;
      wait = Math.max(wait, Math.ceil((t.lastAt + needed - now) / 1000));
    }
    return wait;
  }

  failed(keys: string[], now: number): void {
    for (const key of keys) {
      const t = this.current(key, now) ?? { failures: 0, lastAt: now };
      t.failures++;
      t.lastAt = now;
      this.tallies.set(key, t);
    }
    if (this.tallies.size > 10_000) this.sweep(now);
  }

  succeeded(key: string): void {
    this.tallies.delete(key);
  }

  private current(key: string, now: number): Tally | undefined {
    const t = this.tallies.get(key);
    if (t && now - t.lastAt > FORGET_MS) {
      this.tallies.delete(key);
      return undefined;
    }
    return t;
  }

  private sweep(now: number): void {
    for (const [key, t] of this.tallies) if (now - t.lastAt > FORGET_MS) this.tallies.delete(key);
  }
}
