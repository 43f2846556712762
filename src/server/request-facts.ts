import type { Principal } from '../identity/principal.js';

/** Facts about one request that AWS exposes as global condition keys. */
export interface RequestFacts {
  now: number;
  region: string;
  sourceIp: string;
  secureTransport: boolean;
}

const PRINCIPAL_TYPE: Record<Principal['type'], string | undefined> = {
  root: 'Account',
  user: 'User',
  'assumed-role': 'AssumedRole',
  'federated-user': 'FederatedUser',
  anonymous: undefined,
};

/**
 * The aws:* keys AWS sets for a request (reference_policies_condition-keys.md). Keys
 * AWS leaves absent stay absent: e.g. aws:MultiFactorAuthPresent is missing, not
 * "false", for long-term access keys — policies rely on that with BoolIfExists.
 */
export function globalConditionKeys(p: Principal, facts: RequestFacts): Readonly<Record<string, string | string[]>> {
  const second = Math.floor(facts.now / 1000);
  // The same principal object (it is remembered until the next write) in the same second
  // from the same place has the same keys: built once, shared (read-only). MFA's age counts
  // from a moment of its own, so such principals (and anonymous ones, a new object each) are built each time.
  if (p.mfaAuthenticatedAt !== undefined || p.type === 'anonymous') return build(p, facts, second);
  const last = lastKeys.get(p);
  if (last && last.second === second && last.region === facts.region && last.sourceIp === facts.sourceIp && last.secure === facts.secureTransport) {
    return last.keys;
  }
  const keys = Object.freeze(build(p, facts, second));
  lastKeys.set(p, { second, region: facts.region, sourceIp: facts.sourceIp, secure: facts.secureTransport, keys });
  return keys;
}

const lastKeys = new WeakMap<Principal, { second: number; region: string; sourceIp: string; secure: boolean; keys: Readonly<Record<string, string | string[]>> }>();

function build(p: Principal, facts: RequestFacts, second: number): Record<string, string | string[]> {
  const keys: Record<string, string | string[]> = {
    'aws:CurrentTime': isoSecond(second),
    'aws:EpochTime': String(second),
    'aws:SourceIp': facts.sourceIp,
    'aws:SecureTransport': String(facts.secureTransport),
    'aws:RequestedRegion': facts.region,
    'aws:ViaAWSService': 'false',
  };
  if (p.type === 'anonymous') return keys;
  keys['aws:PrincipalAccount'] = p.accountId;
  keys['aws:PrincipalArn'] = p.roleArn ?? p.arn;
  keys['aws:PrincipalType'] = PRINCIPAL_TYPE[p.type]!;
  keys['aws:userid'] = p.userId;
  if (p.userName !== undefined) keys['aws:username'] = p.userName;
  for (const [k, v] of Object.entries(p.tags)) keys[`aws:PrincipalTag/${k}`] = v;
  if (p.tokenIssuedAt !== undefined) {
    keys['aws:TokenIssueTime'] = isoSecond(Math.floor(p.tokenIssuedAt / 1000));
    keys['aws:MultiFactorAuthPresent'] = String(p.mfaAuthenticatedAt !== undefined);
  }
  if (p.mfaAuthenticatedAt !== undefined) {
    keys['aws:MultiFactorAuthAge'] = String(Math.max(0, Math.floor((facts.now - p.mfaAuthenticatedAt) / 1000)));
  }
  if (p.sourceIdentity !== undefined) keys['aws:SourceIdentity'] = p.sourceIdentity;
  if (p.federation) {
    keys['aws:FederatedProvider'] = p.federation.provider;
    Object.assign(keys, p.federation.keys);
  }
  if (p.contextKeys) Object.assign(keys, p.contextKeys);
  return keys;
}

/** "2026-11-23T10:58:04Z" for an epoch second; the current one is formatted once, not per request. */
let lastSecond = -1;
let lastIso = '';
function isoSecond(second: number): string {
  if (second === lastSecond) return lastIso;
  const iso = new Date(second * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (second > lastSecond) {
    lastSecond = second;
    lastIso = iso;
  }
  return iso;
}
