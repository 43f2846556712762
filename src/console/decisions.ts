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
      // Trimmed once it holds twice the ring: a splice of 2,000 on every request cost each one a few µs.
      if (this.events.length >= 2 * RING_SIZE) this.events.splice(0, this.events.length - RING_SIZE);
      next(e);
    };
  }

  /** Events after `since` whose principal is in `accountId` (the console shows one account's log). */
  after(since: number, accountId: string): NumberedEvent[] {
    const marker = `::${accountId}:`;
    const from = Math.max(0, this.events.length - RING_SIZE);
    const out: NumberedEvent[] = [];
    for (let i = from; i < this.events.length; i++) {
      const e = this.events[i];
      if (e.seq > since && e.principal.includes(marker)) out.push(e);
    }
    return out;
  }
}
