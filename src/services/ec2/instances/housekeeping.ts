import type { RequestContext } from '../../types.js';
import { currentState, TERMINATED_VISIBLE_MS, TRANSITION_MS, type StateName } from './states.js';

/**
 * By the server clock, for every account: writes down the states instances have passed
 * into (pending → running…), and forgets instances terminated over an hour ago, with
 * their tags and associations, as EC2 stops listing them.
 */
export function settleInstances(ctx: RequestContext): void {
  const { store, now } = ctx;
  const passing = Object.keys(TRANSITION_MS) as StateName[];
  const rows = store.prepare<{ account_id: string; instance_id: string; state: StateName; state_since: number }>(
    `SELECT account_id, instance_id, state, state_since FROM ec2_instances WHERE state IN (${passing.map(() => '?').join(', ')})`,
  ).all(...passing);
  const update = store.prepare('UPDATE ec2_instances SET state = ?, state_since = ? WHERE account_id = ? AND instance_id = ?');
  for (const r of rows) {
    const s = currentState(r.state, r.state_since, now);
    if (s.name !== r.state) update.run(s.name, s.since, r.account_id, r.instance_id);
  }
  const gone = store.prepare<{ account_id: string; instance_id: string }>("SELECT account_id, instance_id FROM ec2_instances WHERE state = 'terminated' AND state_since < ?")
    .all(now - TERMINATED_VISIBLE_MS);
  for (const g of gone) {
    store.prepare('DELETE FROM ec2_tags WHERE account_id = ? AND resource_id = ?').run(g.account_id, g.instance_id);
    store.prepare('DELETE FROM ec2_instances WHERE account_id = ? AND instance_id = ?').run(g.account_id, g.instance_id);
  }
}
