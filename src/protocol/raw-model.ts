import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { packageRoot } from '../package.js';

/** The botocore service-2.json structure, as far as the codecs read it. */
export interface RawModel {
  metadata: RawMetadata;
  operations: Record<string, RawOperation>;
  shapes: Record<string, RawShape>;
}

export interface RawMetadata {
  apiVersion: string;
  endpointPrefix: string;
  protocol: 'query' | 'ec2' | 'rest-xml' | 'json' | 'rest-json';
  serviceId: string;
  xmlNamespace?: string;
  jsonVersion?: string;
  targetPrefix?: string;
  signingName?: string;
}

export interface RawOperation {
  name: string;
  http: { method: string; requestUri: string; responseCode?: number };
  input?: { shape: string; locationName?: string; xmlNamespace?: { uri: string } };
  output?: { shape: string; resultWrapper?: string };
  errors?: { shape: string }[];
  deprecated?: boolean;
}

export interface RawMemberRef {
  shape: string;
  location?: 'uri' | 'querystring' | 'header' | 'headers' | 'statusCode';
  locationName?: string;
  queryName?: string;
  flattened?: boolean;
  xmlAttribute?: boolean;
  xmlNamespace?: string | { prefix?: string; uri: string };
  streaming?: boolean;
  idempotencyToken?: boolean;
  timestampFormat?: string;
  jsonvalue?: boolean;
}

export interface RawShape {
  type: string;
  members?: Record<string, RawMemberRef>;
  required?: string[];
  member?: RawMemberRef;
  key?: RawMemberRef;
  value?: RawMemberRef;
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  sensitive?: boolean;
  flattened?: boolean;
  payload?: string;
  locationName?: string;
  xmlNamespace?: { prefix?: string; uri: string };
  timestampFormat?: string;
  streaming?: boolean;
  eventstream?: boolean;
  exception?: boolean;
  /** A JSON document of any form (identitystore's AttributeValue): passed through as it is. */
  document?: boolean;
  error?: { code?: string; httpStatusCode?: number; senderFault?: boolean };
}

/** The vendored model folder: in the package's source tree, wherever the code runs from (src/, dist/ or a bundle). */
function modelsDir(): string {
  return join(packageRoot(), 'src', 'protocol', 'models');
}

let dir: string | undefined;

/** Reads and parses one service's gzipped model; callers cache the result. */
export function readRawModel(service: string): RawModel {
  dir ??= modelsDir();
  return JSON.parse(gunzipSync(readFileSync(join(dir, service, 'service-2.json.gz'))).toString('utf8')) as RawModel;
}
