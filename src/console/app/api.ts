/**
 * The page's only way to the server: the console session endpoints, and AWS API calls
 * (IAM's query protocol) sent to /_iamlocal/console/api/SERVICE/ and run by the server's
 * pipeline as the signed-in principal. The session cookie is HttpOnly: this code never
 * sees a credential, only the CSRF token it must echo.
 */
export const PREFIX = '/_iamlocal/console/';

export interface Session {
  signedIn: boolean;
  state?: 'mfa' | 'password' | 'active';
  csrfToken?: string;
  accountId?: string;
  accountLabel?: string;
  kind?: 'root' | 'user';
  userName?: string | null;
  arn?: string | null;
  mfa?: boolean;
  role?: string | null;
  actingArn?: string | null;
  expiresAt?: string;
}

/** An AWS (or console) error, with the policy engine's explanation when access was denied. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly explanation?: string) {
    super(message);
  }
}

let csrf = '';
let onSignedOut: () => void = () => {};

export function useSession(s: Session): void {
  csrf = s.csrfToken ?? '';
}

/** The CSRF token, for requests not made by fetch (uploads by XMLHttpRequest). */
export function csrfToken(): string {
  return csrf;
}

export function whenSignedOut(fn: () => void): void {
  onSignedOut = fn;
}

async function consoleCall(path: string, method: string, body?: unknown): Promise<Session & Record<string, unknown>> {
  const res = await fetch(PREFIX + path, {
    method,
    headers: { 'content-type': 'application/json', 'x-iamlocal-csrf': csrf },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  const data = (await res.json()) as Record<string, unknown>;
  if (!res.ok) {
    if (res.status === 401 && data.error === 'NotSignedIn') onSignedOut();
    throw new ApiError(res.status, String(data.error), String(data.message), data.explanation as string | undefined);
  }
  return data as Session & Record<string, unknown>;
}

export const session = {
  get: () => consoleCall('session', 'GET'),
  signIn: (account: string, userName: string | undefined, password: string) => consoleCall('session', 'POST', { account, userName, password }),
  mfa: (code: string) => consoleCall('session/mfa', 'POST', { code }),
  signOut: () => consoleCall('session', 'DELETE'),
  switchRole: (account: string, role: string, displayName?: string) => consoleCall('session/switch-role', 'POST', { account, role, displayName }),
  switchBack: () => consoleCall('session/switch-back', 'POST'),
  enableRootMfa: (serialNumber: string, code1: string, code2: string) => consoleCall('session/root-mfa', 'POST', { serialNumber, code1, code2 }),
};

export interface Finding {
  findingType: 'ERROR' | 'SECURITY_WARNING' | 'WARNING' | 'SUGGESTION';
  issueCode: string;
  findingDetails: string;
  hint?: string;
  locations: Array<{ span: { start: { line: number; column: number; offset: number }; end: { line: number; column: number; offset: number } } }>;
}

export async function validatePolicy(policy: string, kind = 'identity'): Promise<Finding[]> {
  const r = await consoleCall('validate', 'POST', { policy, kind });
  return r.findings as Finding[];
}

export interface ServiceSummary {
  service: string; serviceName: string; effect: 'Allow' | 'Deny'; access: string; resources: string[]; conditions: boolean; notAction: boolean;
  levels: Record<string, [number, number]>;
}

export async function policySummary(policy: string): Promise<{ services: ServiceSummary[]; unrecognized: string[] }> {
  return (await consoleCall('summary', 'POST', { policy })) as unknown as { services: ServiceSummary[]; unrecognized: string[] };
}

export async function decisions(since: number): Promise<DecisionEvent[]> {
  const r = await consoleCall(`decisions?since=${since}`, 'GET');
  return r.events as DecisionEvent[];
}

export interface DecisionEvent {
  seq: number;
  time: number;
  requestId: string;
  principal: string;
  service: string;
  operation: string;
  action?: string;
  resource?: string;
  decision: string;
  status: number;
  errorCode?: string;
  reason?: string;
}

/** A parsed query-protocol answer: elements become objects, <member> lists arrays, leaves strings. */
export type XmlValue = string | XmlValue[] | { [name: string]: XmlValue };

function fromXml(el: Element): XmlValue {
  const children = Array.from(el.children);
  if (children.length === 0) return el.textContent ?? '';
  if (children.every((c) => c.tagName === 'member')) return children.map(fromXml);
  if (children.every((c) => c.tagName === 'entry')) {
    // a map: <entry><key/><value/></entry>
    const out: Record<string, XmlValue> = {};
    for (const c of children) out[c.querySelector('key')?.textContent ?? ''] = fromXml(c.querySelector('value')!);
    return out;
  }
  const out: Record<string, XmlValue> = {};
  for (const c of children) out[c.tagName] = fromXml(c);
  return out;
}

/** A list member of an answer: [] when AWS sent an empty element. */
export function list<T = Record<string, string>>(v: XmlValue | undefined): T[] {
  return Array.isArray(v) ? (v as T[]) : [];
}

/**
 * Posts a query-protocol form (IAM, STS, EC2) through the console's API route as the
 * signed-in principal; the answer's XML document, or an ApiError with the engine's explanation.
 */
async function postQuery(service: string, form: URLSearchParams, headers: Record<string, string> = {}): Promise<Document> {
  const res = await fetch(`${PREFIX}api/${service}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', 'x-iamlocal-csrf': csrf, ...headers },
    body: form.toString(),
    credentials: 'same-origin',
  });
  const text = await res.text();
  if (res.headers.get('content-type')?.startsWith('application/json')) {
    const data = JSON.parse(text) as { error: string; message: string };
    if (res.status === 401) onSignedOut();
    throw new ApiError(res.status, data.error, data.message);
  }
  const doc = new DOMParser().parseFromString(text, 'application/xml');
  if (!res.ok) {
    const explanation = res.headers.get('x-iamlocal-explanation');
    throw new ApiError(
      res.status,
      doc.querySelector('Error > Code')?.textContent ?? 'Error',
      doc.querySelector('Error > Message')?.textContent ?? text,
      explanation ? decodeURIComponent(explanation) : undefined,
    );
  }
  return doc;
}

/** Calls an AWS query-protocol API (IAM, STS) as the signed-in principal; returns the …Result element. */
export async function call(service: 'iam' | 'sts', action: string, params: Record<string, string | number | boolean | undefined> = {}): Promise<Record<string, XmlValue>> {
  const form = new URLSearchParams({ Action: action, Version: service === 'iam' ? '2010-05-08' : '2011-06-15' });
  for (const [k, v] of Object.entries(params)) if (v !== undefined) form.set(k, String(v));
  const doc = await postQuery(service, form);
  const result = doc.documentElement.querySelector(`${action}Result`);
  return result ? (fromXml(result) as Record<string, XmlValue>) : {};
}

export const iam = (action: string, params?: Record<string, string | number | boolean | undefined>) => call('iam', action, params);

/** Every page of a paginated IAM list (Marker / IsTruncated). */
export async function iamAll<T = Record<string, string>>(action: string, member: string, params: Record<string, string | undefined> = {}): Promise<T[]> {
  const out: T[] = [];
  let marker: string | undefined;
  do {
    const r = await iam(action, { ...params, Marker: marker, MaxItems: '1000' });
    out.push(...list<T>(r[member]));
    marker = r.IsTruncated === 'true' ? (r.Marker as string) : undefined;
  } while (marker);
  return out;
}

/** Params for a list: Prefix.member.1 = a, Prefix.member.2 = b… */
export function members(prefix: string, values: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  values.forEach((v, i) => (out[`${prefix}.member.${i + 1}`] = v));
  return out;
}

/** The region S3 calls are made in (the S3 pages' selector). */
export let region = 'us-east-1';
export function setRegion(r: string): void {
  region = r;
}

/** An S3 REST call as the signed-in principal; the answer's XML (or bytes, for `asBlob`). */
export async function s3(method: string, path: string, opts: { query?: Record<string, string>; body?: BodyInit; headers?: Record<string, string>; asBlob?: boolean } = {}): Promise<{ doc?: Document; blob?: Blob; headers: Headers }> {
  const q = opts.query ? new URLSearchParams(opts.query).toString().replace(/=(&|$)/g, '$1') : '';
  const url = `${PREFIX}api/s3/${path.split('/').map(encodeURIComponent).join('/')}${q ? `?${q}` : ''}`;
  const res = await fetch(url, { method, body: opts.body, headers: { 'x-iamlocal-csrf': csrf, 'x-iamlocal-region': region, ...opts.headers }, credentials: 'same-origin' });
  if (!res.ok) {
    const text = await res.text();
    if (res.headers.get('content-type')?.startsWith('application/json')) {
      const data = JSON.parse(text) as { error: string; message: string };
      if (res.status === 401) onSignedOut();
      throw new ApiError(res.status, data.error, data.message);
    }
    const doc = text ? new DOMParser().parseFromString(text, 'application/xml') : undefined;
    const explanation = res.headers.get('x-iamlocal-explanation');
    throw new ApiError(res.status, doc?.querySelector('Error > Code')?.textContent ?? String(res.status), doc?.querySelector('Error > Message')?.textContent ?? res.statusText,
      explanation ? decodeURIComponent(explanation) : undefined);
  }
  if (opts.asBlob) return { blob: await res.blob(), headers: res.headers };
  const text = await res.text();
  return { doc: text ? new DOMParser().parseFromString(text, 'application/xml') : undefined, headers: res.headers };
}

/** The text of every `tag` element directly under each `parent` element of a document. */
export function rows(doc: Document | undefined, parent: string, fields: string[]): Array<Record<string, string>> {
  if (!doc) return [];
  return Array.from(doc.getElementsByTagName(parent)).map((el) => {
    const out: Record<string, string> = {};
    for (const f of fields) out[f] = Array.from(el.children).find((c) => c.tagName === f)?.textContent ?? '';
    return out;
  });
}

/**
 * Calls an AWS JSON-protocol API (CloudTrail, DynamoDB) as the signed-in principal:
 * `target` is the X-Amz-Target, the answer the parsed JSON body.
 */
export async function awsJson<T = Record<string, unknown>>(service: 'cloudtrail' | 'dynamodb', target: string, body: unknown = {}, version = '1.1'): Promise<T> {
  const res = await fetch(`${PREFIX}api/${service}/`, {
    method: 'POST',
    headers: { 'content-type': `application/x-amz-json-${version}`, 'x-amz-target': target, 'x-iamlocal-csrf': csrf, 'x-iamlocal-region': region },
    body: JSON.stringify(body),
    credentials: 'same-origin',
  });
  const text = await res.text();
  const data = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
  if (!res.ok) {
    // The console's own refusals (signed out…) are application/json; AWS's errors carry __type.
    if (res.headers.get('content-type')?.startsWith('application/json')) {
      if (res.status === 401) onSignedOut();
      throw new ApiError(res.status, String(data.error), String(data.message));
    }
    const explanation = res.headers.get('x-iamlocal-explanation');
    const code = String(data.__type ?? 'Error').replace(/^.*#/, '');
    throw new ApiError(res.status, code, String(data.message ?? data.Message ?? ''), explanation ? decodeURIComponent(explanation) : undefined);
  }
  return data as T;
}

/** Calls EC2's query API as the signed-in principal, in the page's region; the answer's XML document. */
export function ec2(action: string, params: Record<string, string> = {}): Promise<Document> {
  return postQuery('ec2', new URLSearchParams({ Action: action, Version: '2016-11-15', ...params }), { 'x-iamlocal-region': region });
}

/** The text of a path of child elements under `el` ("instanceState/name"); '' when absent. */
export function textAt(el: Element, path: string): string {
  let at: Element | undefined = el;
  for (const name of path.split('/')) at = at && Array.from(at.children).find((c) => c.tagName === name);
  return at?.textContent ?? '';
}
