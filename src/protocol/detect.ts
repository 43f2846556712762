import type { WireRequest } from './errors.js';
import { formBody } from './codec.js';
import { parseFormPairs } from './form.js';
import { getServiceModel, isServiceName, type ServiceName } from './service-model.js';

/** `Credential=AKID/date/region/service/aws4_request`; SigV4a scopes have no region. */
const SCOPE_IN_HEADER = /Credential=[^/,\s]+\/\d{8}\/(?:[^/,\s]+\/)?([^/,\s]+)\/aws4_request/;

/** The service named by a SigV4 credential scope, in the Authorization header or a presigned URL. */
export function scopeService(req: WireRequest): string | undefined {
  const auth = req.headers.authorization;
  if (auth) {
    const m = SCOPE_IN_HEADER.exec(auth);
    if (m) return m[1];
    if (auth.startsWith('AWS ')) return 's3'; // SigV2, which only S3 still accepts
  }
  if (req.rawQuery.includes('X-Amz-Credential=')) {
    for (const [k, v] of parseFormPairs(req.rawQuery)) {
      if (k !== 'X-Amz-Credential') continue;
      const parts = v.split('/');
      if (parts.length === 5 || parts.length === 4) return parts[parts.length - 2];
    }
  }
  return undefined;
}

/** Signing names that are not our service (model) names. */
const SIGNING_NAMES: Record<string, ServiceName> = { 'access-analyzer': 'accessanalyzer', sso: 'sso-admin', awsssoportal: 'sso' };

/** S3 Control's operations all live under /v20180820/ (and name the account in x-amz-account-id). */
function isS3Control(req: WireRequest): boolean {
  return req.path.startsWith('/v20180820/');
}

/** The json-protocol services, told apart by their X-Amz-Target prefix. */
const JSON_SERVICES: ServiceName[] = ['dynamodb', 'organizations'];

/** The query-protocol services, checked in this order for an Action without a Version. */
const ACTION_SERVICES: ServiceName[] = ['sts', 'iam', 'ec2'];

function actionService(req: WireRequest): ServiceName | undefined {
  let action: string | undefined;
  let version: string | undefined;
  // Query-protocol bodies are POSTed forms; any other body (an S3 upload) is not looked at.
  const body = req.method.toUpperCase() === 'POST' ? formBody(req) : '';
  for (const text of [req.rawQuery, body]) {
    if (!text.includes('Action=')) continue;
    for (const [k, v] of parseFormPairs(text)) {
      if (k === 'Action') action = v;
      else if (k === 'Version') version = v;
    }
  }
  if (action === undefined) return undefined;
  if (version !== undefined) {
    const byVersion = ACTION_SERVICES.find((s) => getServiceModel(s).metadata.apiVersion === version);
    if (byVersion) return byVersion;
  }
  return ACTION_SERVICES.find((s) => getServiceModel(s).operations.has(action!));
}

/**
 * Which service a request is for: the SigV4 credential scope when signed; the X-Amz-Target
 * prefix (DynamoDB); the Action/Version fields (unsigned STS calls such as
 * AssumeRoleWithWebIdentity); otherwise S3, the one REST service.
 * Undefined when the request is signed for a service we do not serve.
 */
export function detectService(req: WireRequest): ServiceName | undefined {
  const scoped = scopeService(req);
  // S3 Control signs as s3; its paths are its own.
  if (scoped === 's3' && isS3Control(req)) return 's3control';
  if (scoped !== undefined) {
    const named = SIGNING_NAMES[scoped] ?? scoped;
    return isServiceName(named) ? named : undefined;
  }
  // The Identity Center portal (GetRoleCredentials…) is unsigned: its bearer token names it.
  if (req.headers['x-amz-sso_bearer_token'] !== undefined) return 'sso';
  const target = req.headers['x-amz-target'];
  if (target !== undefined) {
    return JSON_SERVICES.find((s) => target.startsWith(`${getServiceModel(s).metadata.targetPrefix}.`));
  }
  return actionService(req) ?? 's3';
}
