import { createHash } from 'node:crypto';
import { getOperationModel, getServiceModel, type ServiceName, type Shape } from '../../protocol/index.js';
import type { CallFacts } from './call-facts.js';
import { elementsOf } from './parameters.js';
import type { UserIdentity } from './user-identity.js';

/** One CloudTrail event, as CloudTrail writes it (record contents, eventVersion 1.09). */
export interface CloudTrailRecord {
  eventVersion: string;
  userIdentity: UserIdentity;
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion: string;
  sourceIPAddress: string;
  userAgent: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  requestID: string;
  eventID: string;
  readOnly: boolean;
  resources?: { accountId?: string; type: string; ARN: string }[];
  eventType: 'AwsApiCall';
  managementEvent: boolean;
  recipientAccountId: string;
  eventCategory: 'Management' | 'Data';
}

/** The operations that change nothing, as CloudTrail's readOnly field says. */
export function isReadOnly(service: ServiceName, operation: string): boolean {
  if (service === 'sts') return true;
  if (service === 'dynamodb' && DYNAMODB_READS.test(operation)) return true;
  return READ_ONLY.test(operation);
}

/**
 * S3's object-level and DynamoDB's item-level operations: CloudTrail data events, logged
 * only for trails that select them (never in the event history).
 */
export function isDataEvent(service: ServiceName, operation: string): boolean {
  if (service === 'dynamodb') return DYNAMODB_DATA_OPERATIONS.has(operation);
  return service === 's3' && DATA_OPERATION.test(operation);
}

const DATA_OPERATION = /Object|MultipartUpload|UploadPart|^ListParts$/;
const DYNAMODB_DATA_OPERATIONS = new Set([
  'GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan', 'BatchGetItem', 'BatchWriteItem', 'TransactGetItems', 'TransactWriteItems',
  'ExecuteStatement', 'BatchExecuteStatement', 'ExecuteTransaction',
]);

/** STS operations whose record shows the credentials they issued (their key id: secrets are removed). */
const ISSUES_CREDENTIALS = /^(AssumeRole|GetSessionToken|GetFederationToken)/;

const READ_ONLY = /^(Get|List|Describe|Head|Lookup|Search|Check|Validate|Simulate|Decode|Select|Preview)/;
const DYNAMODB_READS = /^(Query|Scan|BatchGetItem|TransactGetItems)$/;

/** The service's event source: iam.amazonaws.com, s3.amazonaws.com, access-analyzer.amazonaws.com… */
export function eventSourceOf(service: ServiceName): string {
  return EVENT_SOURCES[service] ?? (EVENT_SOURCES[service] = `${getServiceModel(service).metadata.endpointPrefix}.amazonaws.com`);
}

const EVENT_SOURCES: Partial<Record<ServiceName, string>> = { s3control: 's3.amazonaws.com', sso: 'sso.amazonaws.com' };

/**
 * An event is stored in three parts, so that a request computes only what is its own: its
 * operation's columns and its caller's are texts made once and shared by every event of
 * that operation or caller (a block stores each text once, see event-block.ts); the
 * event's data is one small array, written as JSON with the others of its turn.
 */
export type OpColumns = [eventName: string, eventSource: string, readOnly: 0 | 1, management: 0 | 1];
export type CallerColumns = [
  userIdentity: UserIdentity, region: string, sourceIp: string, userAgent: string | null,
  accessKeyId: string | null, username: string | null, principalArn: string | null,
];
export type EventData = [
  requestId: string, resource: string | null,
  /** [action, resource] pairs; just the action when the one pair is for the event's resource (the common case: shorter to write). */
  authz: Array<[string, string]> | string | null,
  errorCode: string | null, errorMessage: string | null,
  requestParameters: Record<string, unknown> | null, responseElements: Record<string, unknown> | null,
  /** Only events written before blocks existed (migrated): the id they were shown with. */
  eventId?: string,
];

/** A recorded event as readers see it (LookupEvents, trail delivery, policy generation). */
export interface StoredEvent {
  seq: number;
  accountId: string;
  time: number;
  identityJson: string;
  eventId: string;
  eventName: string;
  eventSource: string;
  region: string;
  sourceIp: string;
  userAgent: string | null;
  readOnly: boolean;
  management: boolean;
  resource: string | null;
  authz: Array<[string, string]> | null;
  requestId: string;
  errorCode: string | null;
  errorMessage: string | null;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  accessKeyId: string | null;
  username: string | null;
  principalArn: string | null;
}

/** What an operation's events share, made once per operation. */
export interface OpInfo {
  /** The stored text (OpColumns). */
  text: string;
  management: boolean;
  /** Whether its events keep responseElements (not read-only calls, except STS's credential calls). */
  keepsResponse: boolean;
  input: Shape | undefined;
  output: Shape | undefined;
}

const opInfos = new Map<ServiceName, Map<string, OpInfo>>();

export function opInfo(service: ServiceName, operation: string): OpInfo {
  let byName = opInfos.get(service);
  if (!byName) opInfos.set(service, (byName = new Map()));
  let info = byName.get(operation);
  if (!info) {
    const op = getOperationModel(service, operation);
    const readOnly = isReadOnly(service, operation);
    const management = !isDataEvent(service, operation);
    const columns: OpColumns = [operation, eventSourceOf(service), readOnly ? 1 : 0, management ? 1 : 0];
    info = {
      text: JSON.stringify(columns), management, keepsResponse: !readOnly || (service === 'sts' && ISSUES_CREDENTIALS.test(operation)),
      input: op?.input, output: op?.output,
    };
    byName.set(operation, info);
  }
  return info;
}

/** The caller's columns as stored: its userIdentity (JSON text) and what a caller's requests share. */
export function callerText(identityJson: string, facts: CallFacts, username: string | null, principalArn: string | null): string {
  const q = JSON.stringify;
  return `[${identityJson},${q(facts.region)},${q(facts.sourceIp)},${q(facts.userAgent ?? null)},${q(facts.principal.accessKeyId ?? null)},${q(username)},${q(principalArn)}]`;
}

/** The event's own data, computed as the request's turn ends (the part of recording a request pays for). */
export function eventData(facts: CallFacts, op: OpInfo): EventData {
  const failed = facts.errorCode !== undefined;
  const params = op.input && facts.input ? elementsOf(facts.service, op.input, facts.input) : null;
  // AWS leaves responseElements null for read-only calls and failures; STS's credential calls keep theirs.
  const response = op.keepsResponse && !failed && op.output && facts.output && typeof facts.output === 'object'
    ? elementsOf(facts.service, op.output, facts.output as Record<string, unknown>)
    : null;
  const resource = facts.resource ?? null;
  const authz = facts.authz?.length === 1 && facts.authz[0][1] === resource ? facts.authz[0][0] : facts.authz ?? null;
  return [facts.requestId, resource, authz, facts.errorCode ?? null, facts.errorMessage ?? null, params, response];
}

/** A decoded block's shared texts, parsed once per block: an operation's columns. */
export function parseOp(text: string): OpColumns {
  return JSON.parse(text) as OpColumns;
}

/** …and a caller's, with its userIdentity back as JSON text (records embed it as text). */
export function parseCaller(text: string): { columns: CallerColumns; identityJson: string } {
  const columns = JSON.parse(text) as CallerColumns;
  return { columns, identityJson: JSON.stringify(columns[0]) };
}

/** What an event shares with its operation and its caller: known before its own data is read. */
export type EventHead = Pick<
  StoredEvent,
  'seq' | 'accountId' | 'time' | 'eventName' | 'eventSource' | 'readOnly' | 'management' | 'region' | 'sourceIp' | 'userAgent' | 'accessKeyId' | 'username' | 'principalArn'
>;

export function eventHead(seq: number, accountId: string, time: number, op: OpColumns, caller: CallerColumns): EventHead {
  return {
    seq, accountId, time, eventName: op[0], eventSource: op[1], readOnly: op[2] === 1, management: op[3] === 1,
    region: caller[1], sourceIp: caller[2], userAgent: caller[3], accessKeyId: caller[4], username: caller[5], principalArn: caller[6],
  };
}

/** One stored event: its head, its caller's userIdentity text, its own data. */
export function storedEvent(head: EventHead, identityJson: string, d: EventData): StoredEvent {
  return {
    ...head, identityJson, eventId: d[7] ?? eventIdOf(d[0], head.seq),
    requestId: d[0], resource: d[1], authz: typeof d[2] === 'string' ? [[d[2], d[1] ?? '*']] : d[2], errorCode: d[3], errorMessage: d[4], requestParameters: d[5], responseElements: d[6],
  };
}

/**
 * An event's eventID: a version-4-shaped UUID made from its request id and its place in
 * the log, the same each time it is read (so LookupEvents and a trail's file agree), never
 * the same for two events; computed when read, so a request never pays for it.
 */
export function eventIdOf(requestId: string, seq: number): string {
  const h = createHash('sha1').update(`${seq}:${requestId}`).digest('hex');
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The CloudTrail record of a stored event, as JSON text in CloudTrail's field order. */
export function recordText(e: StoredEvent): string {
  const q = JSON.stringify;
  let out = `{"eventVersion":"${e.management ? '1.09' : '1.10'}","userIdentity":${e.identityJson},"eventTime":"${isoSeconds(e.time)}"`;
  out += `,"eventSource":${q(e.eventSource)},"eventName":${q(e.eventName)},"awsRegion":${q(e.region)}`;
  out += `,"sourceIPAddress":${q(e.sourceIp)},"userAgent":${q(e.userAgent ?? '')}`;
  if (e.errorCode !== null) out += `,"errorCode":${q(e.errorCode)},"errorMessage":${q(e.errorMessage ?? '')}`;
  out += `,"requestParameters":${q(e.requestParameters)},"responseElements":${q(e.responseElements)}`;
  out += `,"requestID":${q(e.requestId)},"eventID":${q(e.eventId)},"readOnly":${e.readOnly}`;
  if (!e.management && e.resource) {
    if (e.eventSource === 'dynamodb.amazonaws.com') {
      // An index's event names its table, as DynamoDB's data events do.
      out += `,"resources":${q([{ accountId: e.accountId, type: 'AWS::DynamoDB::Table', ARN: e.resource.replace(/\/index\/.*$/, '') }])}`;
    } else {
      const bucket = e.resource.slice('arn:aws:s3:::'.length).split('/')[0];
      out += `,"resources":${q([{ type: 'AWS::S3::Object', ARN: e.resource }, { accountId: e.accountId, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` }])}`;
    }
  }
  out += `,"eventType":"AwsApiCall","managementEvent":${e.management},"recipientAccountId":${q(e.accountId)}`;
  out += `,"eventCategory":"${e.management ? 'Management' : 'Data'}"}`;
  return out;
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
