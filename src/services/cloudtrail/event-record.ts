import { randomUUID } from 'node:crypto';
import { getOperationModel, getServiceModel, type ServiceName } from '../../protocol/index.js';
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
 * A stored event's data column: what varies from call to call, as one JSON array in this
 * order (JSON.stringify of an array is the cheapest form to write and to read back).
 */
type StoredData = [
  eventId: string, eventName: string, eventSource: string, region: string, sourceIp: string, userAgent: string | null,
  readOnly: 0 | 1, management: 0 | 1, resource: string | null, authz: Array<[string, string]> | null, requestId: string,
  errorCode: string | null, errorMessage: string | null, requestParameters: Record<string, unknown> | null,
  responseElements: Record<string, unknown> | null, accessKeyId: string | null, username: string | null, principalArn: string | null,
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

/** The data column of a recorded call: computed as the request ends (the cheap part of recording). */
export function eventData(facts: CallFacts, management: boolean, who: { username: string | null; principalArn: string | null }): string {
  const { service, operation } = facts;
  const op = getOperationModel(service, operation);
  const readOnly = isReadOnly(service, operation);
  const failed = facts.errorCode !== undefined;
  const params = op?.input && facts.input ? elementsOf(service, op.input, facts.input) : null;
  // AWS leaves responseElements null for read-only calls and failures; STS's credential calls keep theirs.
  const response = (!readOnly || (service === 'sts' && ISSUES_CREDENTIALS.test(operation))) && !failed && op?.output && facts.output && typeof facts.output === 'object'
    ? elementsOf(service, op.output, facts.output as Record<string, unknown>)
    : null;
  const data: StoredData = [
    randomUUID(), operation, eventSourceOf(service), facts.region, facts.sourceIp, facts.userAgent ?? null, readOnly ? 1 : 0, management ? 1 : 0,
    facts.resource ?? null, facts.authz ?? null, facts.requestId, facts.errorCode ?? null, facts.errorMessage ?? null, params, response,
    facts.principal.accessKeyId ?? null, who.username, who.principalArn,
  ];
  return JSON.stringify(data);
}

/** A row of cloudtrail_events joined with its identity's JSON, as the readers select it. */
export const EVENT_COLUMNS = 'e.seq, e.account_id, e.event_time, e.data, i.json AS identity_json';
export const EVENT_FROM = 'cloudtrail_events e JOIN cloudtrail_identities i ON i.id = e.identity';

export function storedEvent(row: { seq: number; account_id: string; event_time: number; data: string; identity_json: string }): StoredEvent {
  const d = JSON.parse(row.data) as StoredData;
  return {
    seq: row.seq, accountId: row.account_id, time: row.event_time, identityJson: row.identity_json,
    eventId: d[0], eventName: d[1], eventSource: d[2], region: d[3], sourceIp: d[4], userAgent: d[5], readOnly: d[6] === 1, management: d[7] === 1,
    resource: d[8], authz: d[9], requestId: d[10], errorCode: d[11], errorMessage: d[12], requestParameters: d[13], responseElements: d[14],
    accessKeyId: d[15], username: d[16], principalArn: d[17],
  };
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
