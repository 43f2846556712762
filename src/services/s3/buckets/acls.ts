import { canonicalUserId } from './bucket-rows.js';

/**
 * Access control lists, for buckets (and objects) whose Object Ownership enables them.
 * An ACL is kept as the request gave it: a canned ACL's name, or explicit grants.
 */
export interface Grant {
  Grantee?: { Type?: 'CanonicalUser' | 'AmazonCustomerByEmail' | 'Group'; ID?: string; URI?: string; EmailAddress?: string; DisplayName?: string };
  Permission?: 'FULL_CONTROL' | 'WRITE' | 'WRITE_ACP' | 'READ' | 'READ_ACP';
}

export interface StoredAcl {
  Canned?: string;
  Grants?: Grant[];
}

export const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
export const AUTHENTICATED_USERS = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';
const LOG_DELIVERY = 'http://acs.amazonaws.com/groups/s3/LogDelivery';

const group = (URI: string, Permission: Grant['Permission']): Grant => ({ Grantee: { Type: 'Group', URI }, Permission });

/** The grants an ACL amounts to, the owner's full control first. */
export function aclGrants(ownerAccount: string, acl: StoredAcl | undefined): Grant[] {
  const owner: Grant = { Grantee: { Type: 'CanonicalUser', ID: canonicalUserId(ownerAccount) }, Permission: 'FULL_CONTROL' };
  if (!acl) return [owner];
  if (acl.Grants) return acl.Grants;
  switch (acl.Canned) {
    case 'public-read':
      return [owner, group(ALL_USERS, 'READ')];
    case 'public-read-write':
      return [owner, group(ALL_USERS, 'READ'), group(ALL_USERS, 'WRITE')];
    case 'authenticated-read':
      return [owner, group(AUTHENTICATED_USERS, 'READ')];
    case 'log-delivery-write':
      return [owner, group(LOG_DELIVERY, 'WRITE'), group(LOG_DELIVERY, 'READ_ACP')];
    default:
      return [owner];
  }
}

/** Does the ACL grant anything to everyone (AllUsers or AuthenticatedUsers)? */
export function isPublicAcl(acl: StoredAcl): boolean {
  if (acl.Canned !== undefined) return acl.Canned === 'public-read' || acl.Canned === 'public-read-write' || acl.Canned === 'authenticated-read';
  return (acl.Grants ?? []).some((g) => g.Grantee?.URI === ALL_USERS || g.Grantee?.URI === AUTHENTICATED_USERS);
}

const HEADER_PERMISSIONS: Array<[keyof GrantHeaders, Grant['Permission']]> = [
  ['GrantFullControl', 'FULL_CONTROL'], ['GrantRead', 'READ'], ['GrantReadACP', 'READ_ACP'], ['GrantWrite', 'WRITE'], ['GrantWriteACP', 'WRITE_ACP'],
];

export interface GrantHeaders {
  GrantFullControl?: string;
  GrantRead?: string;
  GrantReadACP?: string;
  GrantWrite?: string;
  GrantWriteACP?: string;
}

/** x-amz-grant-read: id="…", uri="http://acs.amazonaws.com/groups/global/AllUsers", emailAddress="…" */
export function grantsFromHeaders(input: GrantHeaders): Grant[] {
  const grants: Grant[] = [];
  for (const [field, Permission] of HEADER_PERMISSIONS) {
    const header = input[field];
    if (header === undefined) continue;
    for (const m of header.matchAll(/(id|uri|emailAddress)\s*=\s*"?([^",]+)"?/gi)) {
      const kind = m[1].toLowerCase();
      const value = m[2].trim();
      if (kind === 'id') grants.push({ Grantee: { Type: 'CanonicalUser', ID: value }, Permission });
      else if (kind === 'uri') grants.push({ Grantee: { Type: 'Group', URI: value }, Permission });
      else grants.push({ Grantee: { Type: 'AmazonCustomerByEmail', EmailAddress: value }, Permission });
    }
  }
  return grants;
}
