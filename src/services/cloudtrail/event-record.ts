import { randomUUID } from 'node:crypto';
import { getOperationModel, getServiceModel, type ServiceName } from '../../protocol/index.js';
import type { CallFacts } from './call-facts.js';
import { elementsOf } from './parameters.js';
import { userIdentityOf, type UserIdentity } from './user-identity.js';

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
  return READ_ONLY.test(operation);
}

const READ_ONLY = /^(Get|List|Describe|Head|Lookup|Search|Check|Validate|Simulate|Decode|Select|Preview)/;

/** The service's event source: iam.amazonaws.com, s3.amazonaws.com, access-analyzer.amazonaws.com… */
export function eventSourceOf(service: ServiceName): string {
  return EVENT_SOURCES[service] ?? (EVENT_SOURCES[service] = `${getServiceModel(service).metadata.endpointPrefix}.amazonaws.com`);
}

const EVENT_SOURCES: Partial<Record<ServiceName, string>> = { s3control: 's3.amazonaws.com' };

export function buildRecord(facts: CallFacts, management: boolean): CloudTrailRecord {
  const { service, operation } = facts;
  const op = getOperationModel(service, operation);
  const readOnly = isReadOnly(service, operation);
  const failed = facts.errorCode !== undefined;
  const record: CloudTrailRecord = {
    eventVersion: management ? '1.09' : '1.10',
    userIdentity: userIdentityOf(facts),
    eventTime: new Date(facts.time).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: eventSourceOf(service),
    eventName: operation,
    awsRegion: facts.region,
    sourceIPAddress: facts.sourceIp,
    userAgent: facts.userAgent ?? '',
    ...(failed ? { errorCode: facts.errorCode, errorMessage: facts.errorMessage } : {}),
    requestParameters: op?.input && facts.input ? elementsOf(service, op.input, facts.input) : null,
    // AWS leaves responseElements null for read-only calls and failures.
    responseElements: !readOnly && !failed && op?.output && facts.output && typeof facts.output === 'object'
      ? elementsOf(service, op.output, facts.output as Record<string, unknown>)
      : null,
    requestID: facts.requestId,
    eventID: randomUUID(),
    readOnly,
    eventType: 'AwsApiCall',
    managementEvent: management,
    recipientAccountId: facts.recipientAccountId,
    eventCategory: management ? 'Management' : 'Data',
  };
  if (!management && facts.resource) {
    const bucket = facts.resource.slice('arn:aws:s3:::'.length).split('/')[0];
    record.resources = [
      { type: 'AWS::S3::Object', ARN: facts.resource },
      { accountId: facts.principal.accountId, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` },
    ];
  }
  return record;
}
