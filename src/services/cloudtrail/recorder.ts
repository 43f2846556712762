import { existsSync } from 'node:fs';
import type { Principal } from '../../identity/principal.js';
import type { Store } from '../../store/store.js';
import { callerText, eventData, opInfo, type CloudTrailRecord } from './event-record.js';
import { userIdentityOf } from './user-identity.js';
import { selectingTrails } from './selectors.js';
import { BLOCK_EVENTS } from './event-block.js';
import type { CallFacts } from './call-facts.js';
import { eventLogFile } from './event-log.js';
import type { RetentionOptions } from './event-writer.js';
import { EventBatch } from './event-batch.js';
import { eventSink, type EventSink } from './writer-thread.js';

export type { CallFacts };

export type RecorderOptions = RetentionOptions;

/**
 * The cheap append path: a request only leaves its facts; after its turn's answers the
 * turn's events are computed (each event's own data, one small array; its caller's and
 * its operation's texts are made once each) into the pending batch, which goes to the
 * writer thread (writer-thread.ts) a moment later, or once it holds a block's worth, and
 * is written as one row: SQLite never runs on the request's thread. Events not
 * yet written are lost with the process (kill -9), which CloudTrail too allows itself
 * ("typically within 5 minutes"); everything that reads the history flushes first
 * (flushEvents), which waits for the writer.
 */
class Recorder {
  /** This turn's calls, not yet computed. */
  private turn: CallFacts[] = [];
  private pending = new EventBatch();
  private timer: NodeJS.Timeout | undefined;
  private sink: EventSink | undefined;

  constructor(
    private readonly store: Store,
    public options: RecorderOptions,
  ) {
    // A reset account's events go with it (written first, so none is left behind).
    store.onAccountReset((accountId) => {
      this.flush();
      this.sink?.reset(accountId);
    });
  }

  push(facts: CallFacts): void {
    const op = opInfo(facts.service, facts.operation);
    // Data events exist only for the trails that select them (AWS never shows them in the event history).
    if (!op.management && selectingTrails(this.store, facts).length === 0) return;
    // Encoded once the turn's answers are written, all of the turn's events in one go: it
    // never delays an answer, one JSON.stringify for the turn costs a third less than one
    // an event, and the facts are still young (gone at the next scavenge, never promoted).
    if (this.turn.push(facts) === 1) this.schedule(this.endOfTurn);
  }

  /** When the turn's events are encoded: by default at the end of the turn; the server runs them after its answers (src/server/http1-server.ts). */
  schedule: (work: () => void) => void = setImmediate;

  private readonly endOfTurn = (): void => {
    this.encodeTurn();
    if (this.pending.length > 0 && !this.timer) {
      this.timer = setTimeout(() => this.handOver(), FLUSH_AFTER_MS);
      this.timer.unref();
    }
  };

  /** The turn's events, computed into the pending batch (handed over whenever it is full). */
  private encodeTurn(): void {
    const list = this.turn;
    if (list.length === 0) return;
    this.turn = [];
    for (const facts of list) {
      const op = opInfo(facts.service, facts.operation);
      this.pending.add(facts.recipientAccountId, facts.time, callerOf(facts), op.text, eventData(facts, op));
      if (this.pending.length >= MAX_PENDING) this.post();
    }
    this.pending.seal();
  }

  /** Everything recorded so far, in the database: for readers. */
  flush(): void {
    this.handOver();
    this.sink?.settle();
  }

  /** Retention by age as of the server's `now` (housekeeping: the clock may have moved without a request). */
  expire(now: number): void {
    this.handOver();
    if (!this.sink && !existsSync(eventLogFile(this.store))) return; // nothing was ever recorded
    this.sink ??= eventSink(eventLogFile(this.store));
    this.sink.expire(now, this.options);
  }

  close(): void {
    this.flush();
    this.sink?.close();
    this.sink = undefined;
  }

  /** Everything recorded, to the writer (not waited for). */
  private handOver(): void {
    this.encodeTurn();
    this.post();
  }

  /** The pending batch, to the writer. */
  private post(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    this.pending.seal();
    const batch = this.pending;
    this.pending = new EventBatch();
    if (!this.store.db.open) return;
    this.sink ??= eventSink(eventLogFile(this.store));
    this.sink.write(batch, this.options);
  }
}

const FLUSH_AFTER_MS = 100;
const MAX_PENDING = BLOCK_EVENTS;

/**
 * A caller's stored text (its userIdentity, region, address, user agent, key, name), made
 * once per caller: the same principal object comes back for each request of its
 * credentials, and its text is kept beside it, checked against the fields it was made from.
 */
function callerOf(facts: CallFacts): string {
  const p = facts.principal;
  // Unsigned federation callers and the access portal's are named by their request, not their (anonymous) principal.
  if (p.type === 'anonymous') return callerText(JSON.stringify(userIdentityOf(facts)), facts, usernameOf(p), principalArnOf(p));
  const seen = byPrincipal.get(p);
  if (seen && seen.arn === p.arn && seen.userId === p.userId && seen.accessKeyId === p.accessKeyId && seen.tokenIssuedAt === p.tokenIssuedAt
    && seen.mfaAuthenticatedAt === p.mfaAuthenticatedAt && seen.sourceIdentity === p.sourceIdentity && seen.region === facts.region
    && seen.sourceIp === facts.sourceIp && seen.userAgent === facts.userAgent) return seen.text;
  // A new principal object for known credentials: its text found by its fields.
  const key = `${p.arn}|${p.userId}|${p.accessKeyId}|${p.tokenIssuedAt}|${p.mfaAuthenticatedAt}|${p.sourceIdentity}|${facts.region}|${facts.sourceIp}|${facts.userAgent}`;
  let text = callerTexts.get(key);
  if (text === undefined) {
    text = callerText(JSON.stringify(userIdentityOf(facts)), facts, usernameOf(p), principalArnOf(p));
    if (callerTexts.size >= MAX_CALLERS) callerTexts.clear();
    callerTexts.set(key, text);
  }
  byPrincipal.set(p, {
    text, arn: p.arn, userId: p.userId, accessKeyId: p.accessKeyId, tokenIssuedAt: p.tokenIssuedAt, mfaAuthenticatedAt: p.mfaAuthenticatedAt,
    sourceIdentity: p.sourceIdentity, region: facts.region, sourceIp: facts.sourceIp, userAgent: facts.userAgent,
  });
  return text;
}

type CallerFields = Pick<Principal, 'arn' | 'userId' | 'accessKeyId' | 'tokenIssuedAt' | 'mfaAuthenticatedAt' | 'sourceIdentity'>
  & Pick<CallFacts, 'region' | 'sourceIp' | 'userAgent'>;
const byPrincipal = new WeakMap<Principal, CallerFields & { text: string }>();
const callerTexts = new Map<string, string>();
const MAX_CALLERS = 10_000;

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

/** Writes out every event, then drops those older than the retention days as of `now`. */
export function expireEvents(store: Store, now: number): void {
  if (store.db.open) recorderFor(store).expire(now);
}

/** Writes out every event and stops the writer: as the server stops. */
export function closeRecorder(store: Store): void {
  recorders.get(store)?.close();
  recorders.delete(store);
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
