import type { ServiceName, Shape } from '../../protocol/index.js';
import { toDate } from '../../protocol/scalars.js';

/**
 * requestParameters / responseElements: the model's members with a lower-case first letter,
 * as CloudTrail shows them, with secrets removed — whatever the model marks sensitive, and
 * the members that are credentials whatever the model says (secret keys, passwords, session
 * tokens, MFA seeds and codes, SAML assertions, web identity tokens). Policy documents stay.
 * Blobs (object bodies) are never recorded.
 */
export function elementsOf(service: ServiceName, shape: Shape, value: Record<string, unknown>): Record<string, unknown> | null {
  const out = structure(service, shape, value, 0);
  return out && Object.keys(out).length > 0 ? out : null;
}

const SECRETS = new Set([
  'SecretAccessKey', 'Password', 'NewPassword', 'OldPassword', 'SessionToken', 'PrivateKey', 'Base32StringSeed', 'QRCodePNG',
  'AuthenticationCode1', 'AuthenticationCode2', 'TokenCode', 'SAMLAssertion', 'WebIdentityToken', 'SSECustomerKey', 'SSECustomerKeyMD5',
  'CopySourceSSECustomerKey', 'ServiceSpecificCredential', 'ServicePassword',
]);

/** Names CloudTrail spells its own way (S3's bucket is bucketName). */
const RENAMED: Partial<Record<ServiceName, Record<string, string>>> = { s3: { Bucket: 'bucketName' }, s3control: { AccountId: 'accountId' } };

const MAX_DEPTH = 12;

function structure(service: ServiceName, shape: Shape, value: Record<string, unknown>, depth: number): Record<string, unknown> | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const out: Record<string, unknown> = {};
  for (const m of shape.members) {
    const v = value[m.name];
    if (v === undefined || v === null) continue;
    if (m.shape.sensitive || SECRETS.has(m.name) || m.streaming) continue;
    const converted = convert(service, m.shape, v, depth + 1);
    if (converted === undefined) continue;
    out[RENAMED[service]?.[m.name] ?? lowerFirst(m.name)] = converted;
  }
  return out;
}

function convert(service: ServiceName, shape: Shape, v: unknown, depth: number): unknown {
  switch (shape.type) {
    case 'structure':
      return typeof v === 'object' && v !== null ? structure(service, shape, v as Record<string, unknown>, depth) : undefined;
    case 'list':
      return Array.isArray(v) ? v.map((x) => convert(service, shape.member!.shape, x, depth + 1)).filter((x) => x !== undefined) : undefined;
    case 'map': {
      if (typeof v !== 'object' || v === null) return undefined;
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        const c = convert(service, shape.value!.shape, x, depth + 1);
        if (c !== undefined) out[k] = c;
      }
      return out;
    }
    case 'timestamp':
      return javaDate(toDate(v));
    case 'blob':
      return undefined;
    default:
      return typeof v === 'object' ? undefined : v;
  }
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Dates in CloudTrail's parameters are Java's default text: "Oct 21, 2019, 5:03:29 PM" (UTC). */
function javaDate(d: Date): string {
  if (Number.isNaN(d.getTime())) return '';
  const h = d.getUTCHours();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}, ${h % 12 || 12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}
