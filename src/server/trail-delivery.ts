import { anonymousPrincipal } from '../identity/principal.js';
import { deliverTrails } from '../services/cloudtrail/delivery.js';
import { closeRecorder, flushEvents, recorderFor } from '../services/cloudtrail/recorder.js';
import { closeEventLog } from '../services/cloudtrail/event-log.js';
import type { App } from './app.js';
import { afterAnswers } from './http1-server.js';
import { serverNow } from './clock.js';

/**
 * CloudTrail's side of the server: the recorder gets the configured retention, and the
 * logging trails get their log files every --cloudtrail-delivery-seconds (or sooner,
 * once --cloudtrail-delivery-events wait), each round in a write of its own.
 */
export function startTrailDelivery(app: App): () => void {
  const { config } = app;
  const recorder = recorderFor(app.store, { retentionDays: config.cloudtrailRetentionDays, maxEvents: config.cloudtrailMaxEvents });
  recorder.schedule = afterAnswers;
  const flush = () => flushEvents(app.store);
  const stop = () => {
    closeRecorder(app.store);
    closeEventLog(app.store);
  };
  if (config.cloudtrail === 'off') return stop;
  const everyMs = config.cloudtrailDeliverySeconds * 1000;
  const tick = () => {
    // Nothing to deliver: the recorder's writer keeps its own pace (waiting for it here would hold up requests).
    if (!anyTrailLogging(app)) return;
    // Written out first, on their own: inside the write below they would count as a change
    // and make the store forget every remembered lookup (src/store/remembered.ts) once a tick.
    flush();
    try {
      app.store.write(() => deliverTrails({
        accountId: config.accountId, region: 'us-east-1', requestId: 'cloudtrail-delivery', now: serverNow(app), principal: anonymousPrincipal(),
        store: app.store, sourceIp: '127.0.0.1', authMode: config.auth,
      }, { everyMs, events: config.cloudtrailDeliveryEvents }));
    } catch (err) {
      process.stderr.write(`iamlocal: CloudTrail delivery failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    }
  };
  // Checked often enough to honour both the interval and the event count.
  const timer = setInterval(tick, Math.min(everyMs, 1000));
  timer.unref();
  return () => {
    clearInterval(timer);
    stop();
  };
}

function anyTrailLogging(app: App): boolean {
  return app.store.read(() => app.store.prepare('SELECT 1 FROM cloudtrail_trails WHERE logging = 1 LIMIT 1').get() !== undefined);
}
