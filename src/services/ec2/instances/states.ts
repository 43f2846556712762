/**
 * Instance states and the transitions that take time. A row keeps the state it was put
 * in and when; the state a request sees is computed from the server clock, so an
 * instance is "running" BOOT_MS after launch without anyone writing it down
 * (housekeeping writes it later, and forgets terminated instances after an hour, as
 * EC2 stops listing them).
 */
export type StateName = 'pending' | 'running' | 'stopping' | 'stopped' | 'shutting-down' | 'terminated';

export const STATE_CODES: Record<StateName, number> = { pending: 0, running: 16, 'shutting-down': 32, terminated: 48, stopping: 64, stopped: 80 };

/** How long each passing state lasts. */
export const TRANSITION_MS: Partial<Record<StateName, { next: StateName; after: number }>> = {
  pending: { next: 'running', after: 2000 },
  stopping: { next: 'stopped', after: 2000 },
  'shutting-down': { next: 'terminated', after: 2000 },
};

/** A terminated instance is listed this long after it terminated. */
export const TERMINATED_VISIBLE_MS = 60 * 60 * 1000;

export interface CurrentState {
  name: StateName;
  since: number;
}

export function currentState(state: StateName, since: number, now: number): CurrentState {
  let name = state;
  let at = since;
  for (let t = TRANSITION_MS[name]; t && now >= at + t.after; t = TRANSITION_MS[name]) {
    at += t.after;
    name = t.next;
  }
  return { name, since: at };
}

export function stateShape(name: StateName): { Code: number; Name: StateName } {
  return { Code: STATE_CODES[name], Name: name };
}

/**
 * SQL over ec2_instances for "not terminated by the clock", with its one parameter: a
 * row still "shutting-down" past its transition is terminated though not written down yet.
 */
export function aliveSql(now: number): { sql: string; param: number } {
  return { sql: "(state != 'terminated' AND (state != 'shutting-down' OR state_since > ?))", param: now - TRANSITION_MS['shutting-down']!.after };
}
