import type { WireRequest } from '../../protocol/errors.js';

/** A request before its body: all that is needed to check its signature's form. */
export type RequestHead = Omit<WireRequest, 'body'>;

/**
 * What a SigV4 request claims, read from its Authorization header or its presigned query
 * parameters, before anything is checked against a secret.
 */
export interface SignatureParts {
  presigned: boolean;
  accessKeyId: string;
  /** The credential scope, "20130524/us-east-1/s3/aws4_request", and its pieces. */
  scope: string;
  region: string;
  service: string;
  /** The signed header list as it enters the canonical request ("host;x-amz-date"). */
  signedHeaders: string;
  /** The same list, split. */
  signedNames: string[];
  /** The signature the client sent. */
  signature: string;
  /** The request time in the ISO basic form of the string to sign. */
  timestamp: string;
  /** The request time as the client wrote it (S3 echoes it in RequestTimeTooSkewed). */
  rawTime: string;
  signedAt: number;
  /** X-Amz-Security-Token, from the header or the query. */
  sessionToken: string | undefined;
  /** Presigned S3 URLs: X-Amz-Expires in seconds. */
  expiresSeconds?: number;
}

export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const TERMINATOR = 'aws4_request';

/** The Authorization header split into its algorithm and its key=value components. */
export interface AuthorizationHeader {
  algorithm: string;
  /** Components by name; the last one wins when a name repeats. */
  components: Map<string, string>;
  /** The first component that has no '=', if any. */
  pairWithoutEquals?: string;
  /** How many components there were. */
  count: number;
}

export function parseAuthorization(header: string): AuthorizationHeader {
  const text = header.trim();
  const space = text.indexOf(' ');
  const algorithm = space < 0 ? text : text.slice(0, space);
  const components = new Map<string, string>();
  let pairWithoutEquals: string | undefined;
  let count = 0;
  if (space >= 0) {
    for (const piece of text.slice(space + 1).split(',')) {
      const part = piece.trim();
      if (part === '') continue;
      count++;
      const eq = part.indexOf('=');
      if (eq < 0) {
        pairWithoutEquals ??= part;
        continue;
      }
      components.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
    }
  }
  return { algorithm, components, pairWithoutEquals, count };
}

/** "host;range;x-amz-date" → ['host', 'range', 'x-amz-date'] (lower-cased for lookup). */
export function splitSignedHeaders(list: string): string[] {
  return list === '' ? [] : list.split(';').map((name) => name.trim().toLowerCase());
}

/** True when the string is an 8-digit date, as a credential scope needs. */
export function isScopeDate(text: string): boolean {
  return /^\d{8}$/.test(text);
}

/** A header's value as one string ('' when absent; repeated values joined by ','). */
export function headerText(value: string | string[] | undefined): string {
  if (value === undefined) return '';
  return Array.isArray(value) ? value.join(',') : value;
}
