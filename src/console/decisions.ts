import type { DecisionEvent, DecisionSink } from '../server/decision-log.js';

/**
 * The decision log as the console's Decisions page reads it: the last RING_SIZE events,
 * each numbered, kept in memory beside whatever sink the server logs to.
 */
export const RING_SIZE = 2000;

export interface NumberedEvent extends DecisionEvent {
  seq: number;
}

export class DecisionRing {
  private readonly events: NumberedEvent[] = [];
  private seq = 0;

  /** A sink that records into the ring, then hands the event on. */
  tee(next: DecisionSink): DecisionSink {
    return (e) => {
      this.events.push({ ...e, seq: ++this.seq });
      // Trimmed once per RING_SIZE events, not by one at every event (a 2,000-slot memmove per request).
      if (this.events.length >= 2 * RING_SIZE) this.events.splice(0, this.events.length - RING_SIZE);
      next(e);
    };
  }

  /** Events after `since` whose principal is in `accountId` (the console shows one account's log). */
  after(since: number, accountId: string): NumberedEvent[] {
    const marker = `::${accountId}:`;
    return this.events.slice(-RING_SIZE).filter((e) => e.seq > since && e.principal.includes(marker));
  }
}
