/**
 * What iamlocal remembers between requests, and the one rule that keeps it exact.
 *
 * The rule: a remembered answer is a pure function of the database, and it is forgotten
 * at the next write. The store calls forget() after every transaction that changed a
 * row, and after a commit group that failed (src/store/store.ts); that is the single
 * point of invalidation, so a write is seen by the very next request. Rows nothing
 * remembered is computed from (DynamoDB's items) are written through Store.unremembered
 * and do not count as changes.
 *
 * What is remembered, from the bottom up:
 *   1. rows: users, roles, tags…          Store.remembered(key, …)         (only inside reads)
 *   2. credentials by access key id       src/identity/credentials.ts
 *   3. identity policies per principal    src/identity/effective-policies.ts
 *      an account's organization, SCPs   src/identity/organization.ts (any write, an
 *      and RCPs per level                Organizations one included, forgets them)
 *   4. compiled policy sets               src/server/authorize.ts: a WeakMap keyed by (3)'s
 *                                         answer object — a new answer after a write is a
 *                                         new key, so the set is recompiled
 *   5. decisions                          src/policy/decision-memo.ts: keyed by (4)'s set
 *                                         object in a WeakMap, and by the context values
 *                                         each decision read
 * Kinds 1–3 live in maps handed out here and are emptied by forget(); 4 and 5 follow
 * by object identity, so nothing else needs to be told. Remembered answers are shared
 * by requests: treat them as read-only.
 */
export class Remembered {
  private gen = 0;
  private readonly maps = new Map<string, Map<string, unknown>>();

  /** Changes at every forget(): for callers that keep their own derived state. */
  get generation(): number {
    return this.gen;
  }

  /** One named map of answers; it is emptied at the next write. */
  map<V>(name: string): Map<string, V> {
    let m = this.maps.get(name);
    if (!m) {
      m = new Map();
      this.maps.set(name, m);
    }
    return m as Map<string, V>;
  }

  /** Called by the store after a write: every remembered answer may be stale. */
  forget(): void {
    this.gen++;
    for (const m of this.maps.values()) m.clear();
  }
}
