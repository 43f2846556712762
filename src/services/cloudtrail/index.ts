import { defineService } from '../operation.js';
import { accessDeniedException } from '../../server/authorize.js';
import * as trails from './trails.js';
import * as lookupEvents from './lookup-events.js';
import { deliverTrails } from './delivery.js';
import { expireEvents, flushEvents } from './recorder.js';

/**
 * CloudTrail: the event history every request is recorded into (recorder.ts, fed by the
 * server's record step), LookupEvents over it, and trails that deliver log files to S3.
 */
export const cloudtrailService = defineService('cloudtrail', [trails, lookupEvents], {
  accessDenied: accessDeniedException(),
  // Whatever reads the history sees every event recorded before it.
  preflight: (store) => {
    flushEvents(store);
    return undefined;
  },
  // The test clock moved (or a minute passed): events past the retention days go; whatever is due is delivered, whatever the delivery interval.
  housekeeping: (ctx) => {
    expireEvents(ctx.store, ctx.now);
    deliverTrails(ctx, { everyMs: 0, events: 1 });
  },
});
