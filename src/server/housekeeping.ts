import { anonymousPrincipal } from '../identity/principal.js';
import type { RequestContext } from '../services/types.js';
import type { App } from './app.js';
import { serverNow } from './clock.js';

/**
 * What services do by the server's clock rather than on request (S3's lifecycle rules),
 * each in a write of its own: every `everyMs`, and at once when the test clock moves.
 * Files a housekeeping write stops naming are removed once it has committed.
 */
export function runHousekeeping(app: App): void {
  for (const service of Object.values(app.services)) {
    const hook = service?.housekeeping;
    if (!hook) continue;
    const after: Array<() => void> = [];
    const ctx: RequestContext = {
      accountId: app.config.accountId, region: 'us-east-1', requestId: 'housekeeping', now: serverNow(app), principal: anonymousPrincipal(),
      store: app.store, sourceIp: '127.0.0.1', authMode: app.config.auth, afterCommit: (fn) => after.push(fn),
    };
    try {
      app.store.write(() => hook(ctx));
    } catch (err) {
      process.stderr.write(`iamlocal: housekeeping of ${service.name} failed: ${err instanceof Error ? err.stack : String(err)}\n`);
      continue;
    }
    if (after.length === 0) continue;
    const group = app.store.committed();
    const run = () => after.forEach((fn) => fn());
    if (group) group.then(run, () => {});
    else run();
  }
}

/** Runs housekeeping every `everyMs` until the returned function is called. */
export function startHousekeeping(app: App, everyMs = 60_000): () => void {
  const timer = setInterval(() => runHousekeeping(app), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
