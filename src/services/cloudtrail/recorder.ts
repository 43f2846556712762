import type { Principal } from '../../identity/principal.js';
import type { Store } from '../../store/store.js';
import { eventData, type CloudTrailRecord } from './event-record.js';
import { userIdentityOf } from './user-identity.js';
import { isDataEvent, selectingTrails } from './selectors.js';
import type { CallFacts } from './call-facts.js';
import { eventLog } from './event-log.js';

export type { CallFacts };

export interface RecorderOptions {
  retentionDays: number;
  maxEvents: number;
}

/**
 * The cheap append path: a request only pushes its facts onto a list; the list becomes
 * CloudTrail records and rows in one transaction a moment later (or once it is long), off
 * the request's way. Events not yet flushed are lost with the process (kill -9), which
 * CloudTrail too allows itself ("typically within 5 minutes"); everything that reads the
 * history flushes first (flushEvents).
 */
/** An event ready to be written: its columns, computed as its request ended. */
interface Pending {
  accountId: string;
  time: number;
  identityJson: string;
  data: string;
}

class Recorder {
  private pending: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private lastPruned = 0;
  /** userIdentity JSON → its row id: a caller's identity is stored once. */
  private readonly identities = new Map<string, number>();

  constructor(
    private readonly store: Store,
    public options: RecorderOptions,
  ) {
    // A reset account's identities go with its events (event-log.ts): forget their ids.
    store.onAccountReset(() => this.identities.clear());
  }

  push(facts: CallFacts): void {
    const management = !isDataEvent(facts.service, facts.operation);
    // Data events exist only for the trails that select them (AWS never shows them in the event history).
    if (!management && selectingTrails(this.store, facts).length === 0) return;
    this.pending.push({
      accountId: facts.recipientAccountId,
      time: facts.time,
      identityJson: identityJson(facts),
      data: eventData(facts, management, { username: usernameOf(facts.principal), principalArn: principalArnOf(facts.principal) }),
    });
    if (this.pending.length >= MAX_PENDING) this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), FLUSH_AFTER_MS);
      this.timer.unref();
    }
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    if (!this.store.db.open) return;
    const db = eventLog(this.store);
    const insert = db.prepare(INSERT);
    db.transaction(() => {
      let last = 0;
      for (const e of batch) last = Number(insert.run(e.accountId, e.time, this.identityId(e), e.data).lastInsertRowid);
      this.prune(db, last, batch[batch.length - 1].time);
    })();
  }

  private identityId(e: Pending): number {
    let id = this.identities.get(e.identityJson);
    if (id === undefined) {
      const db = eventLog(this.store);
      id = (db.prepare('SELECT id FROM cloudtrail_identities WHERE json = ?').pluck().get(e.identityJson) as number | undefined)
        ?? Number(db.prepare('INSERT INTO cloudtrail_identities (account_id, json) VALUES (?, ?)').run(e.accountId, e.identityJson).lastInsertRowid);
      if (this.identities.size >= MAX_IDENTITIES) this.identities.clear();
      this.identities.set(e.identityJson, id);
    }
    return id;
  }

  /** Retention: beyond the count the oldest go at every flush; past the days, once a minute. */
  private prune(db: ReturnType<typeof eventLog>, last: number, now: number): void {
    const cut = last - this.options.maxEvents;
    if (cut > 0) db.prepare('DELETE FROM cloudtrail_events WHERE seq <= ?').run(cut);
    if (now - this.lastPruned < 60_000) return;
    this.lastPruned = now;
    db.prepare('DELETE FROM cloudtrail_events WHERE event_time < ?').run(now - this.options.retentionDays * 86_400_000);
    db.prepare('DELETE FROM cloudtrail_identities WHERE id NOT IN (SELECT DISTINCT identity FROM cloudtrail_events)').run();
    this.identities.clear();
  }
}

const FLUSH_AFTER_MS = 50;
const MAX_PENDING = 100;
const MAX_IDENTITIES = 10_000;
const INSERT = 'INSERT INTO cloudtrail_events (account_id, event_time, identity, data) VALUES (?, ?, ?, ?)';

/** A principal's userIdentity JSON, made once per caller (its credentials and session). */
function identityJson(facts: CallFacts): string {
  const p = facts.principal;
  // Unsigned federation callers are named by their request, not their (anonymous) principal.
  if (p.type === 'anonymous') return JSON.stringify(userIdentityOf(facts));
  const key = `${p.arn}|${p.userId}|${p.accessKeyId}|${p.tokenIssuedAt}|${p.mfaAuthenticatedAt}|${p.sourceIdentity}`;
  let json = identityTexts.get(key);
  if (json === undefined) {
    json = JSON.stringify(userIdentityOf(facts));
    if (identityTexts.size >= MAX_IDENTITIES) identityTexts.clear();
    identityTexts.set(key, json);
  }
  return json;
}

const identityTexts = new Map<string, string>();

const recorders = new WeakMap<Store, Recorder>();

/** The store's recorder, made (or re-configured) with the server's retention. */
export function recorderFor(store: Store, options?: RecorderOptions): Recorder {
  let r = recorders.get(store);
  if (!r) {
    r = new Recorder(store, options ?? { retentionDays: 90, maxEvents: 100_000 });
    recorders.set(store, r);
  } else if (options) r.options = options;
  return r;
}

/** Writes out every event recorded so far: before anything reads the history. */
export function flushEvents(store: Store): void {
  recorders.get(store)?.flush();
}

export type { CloudTrailRecord };

/** The Username lookup attribute: the user name, the role session name, "root". */
export function usernameOf(p: Principal): string | null {
  switch (p.type) {
    case 'root':
      return 'root';
    case 'user':
      return p.userName ?? null;
    case 'assumed-role':
      return p.sessionName ?? null;
    case 'federated-user':
      return p.arn.slice(p.arn.lastIndexOf('/') + 1);
    default:
      return null;
  }
}

/** Who made the call, for policy generation: a role session's role, a user, root. */
export function principalArnOf(p: Principal): string | null {
  if (p.type === 'assumed-role') return p.roleArn ?? p.arn;
  return p.type === 'anonymous' ? null : p.arn;
}

/** An ARN as LookupEvents names resources: [ResourceType, ResourceName]. */
export function resourceOf(arn: string | undefined): [string | null, string | null] {
  if (!arn || arn === '*') return [null, null];
  const parts = arn.split(':');
  if (parts.length < 6) return [null, null];
  const [, , service, , , rest] = [parts[0], parts[1], parts[2], parts[3], parts[4], parts.slice(5).join(':')];
  if (service === 's3') return rest.includes('/') ? ['AWS::S3::Object', arn] : ['AWS::S3::Bucket', rest];
  const slash = rest.indexOf('/');
  const kind = slash === -1 ? rest : rest.slice(0, slash);
  const name = rest.slice(rest.lastIndexOf('/') + 1);
  const type = RESOURCE_TYPES[`${service}:${kind}`];
  if (!type) return [null, null];
  return [type, type === 'AWS::IAM::Policy' || type === 'AWS::CloudTrail::Trail' ? arn : name];
}

const RESOURCE_TYPES: Record<string, string> = {
  'iam:user': 'AWS::IAM::User',
  'iam:role': 'AWS::IAM::Role',
  'iam:group': 'AWS::IAM::Group',
  'iam:policy': 'AWS::IAM::Policy',
  'iam:instance-profile': 'AWS::IAM::InstanceProfile',
  'iam:mfa': 'AWS::IAM::MFADevice',
  'cloudtrail:trail': 'AWS::CloudTrail::Trail',
  'access-analyzer:analyzer': 'AWS::AccessAnalyzer::Analyzer',
  'dynamodb:table': 'AWS::DynamoDB::Table',
};
