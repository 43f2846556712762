import { compilePolicy, evaluate } from '../../../policy/index.js';
import { issueSession, type SessionRecord } from '../../../identity/sessions.js';
import type { Store } from '../../../store/store.js';
import { instanceArn } from '../authz/arns.js';
import { findInstanceProfile } from '../instance-profiles/profiles.js';
import type { AssociationRow, InstanceRow } from '../instances/instance-rows.js';

/**
 * The role credentials an instance's metadata service hands out: a session of the
 * instance profile's role, named after the instance (assumed-role/ROLE/i-…), that EC2
 * itself assumes — so the role's trust policy must let ec2.amazonaws.com assume it.
 * Calls signed with them carry aws:SourceInstanceARN and ec2:SourceInstanceARN.
 *
 * The same keys are served until they are due for refresh: EC2 makes new credentials
 * available well before the old ones expire (at least five minutes, per the EC2 User
 * Guide); here a new session is issued once less than REFRESH_BEFORE_MS remains.
 * Stopping or terminating the instance, or changing its association, drops the pair
 * (forgetInstanceCredentials); keys already handed out stay valid until they expire,
 * as on AWS.
 */
export const INSTANCE_CREDENTIALS_MS = 6 * 60 * 60 * 1000;
export const REFRESH_BEFORE_MS = 15 * 60 * 1000;

export interface InstanceCredentials {
  Code: 'Success';
  LastUpdated: string;
  Type: 'AWS-HMAC';
  AccessKeyId: string;
  SecretAccessKey: string;
  Token: string;
  Expiration: string;
}

/** Why there are no credentials: AWS's Code for it, in iam/info and the credentials document. */
export interface CredentialsRefusal {
  Code: 'AssumeRoleUnauthorizedAccess' | 'InstanceProfileNotFound';
  Message: string;
  LastUpdated: string;
}

/** The role the instance's association names today, or undefined when it has none. */
export function instanceRole(store: Store, association: AssociationRow) {
  const profile = findInstanceProfile(store, association.account_id, { Arn: association.instance_profile_arn });
  return profile && profile.id === association.instance_profile_id ? profile : undefined;
}

function isoSecond(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** May EC2 (ec2.amazonaws.com) assume the role, by its trust policy? */
function ec2MayAssume(store: Store, accountId: string, roleId: string, roleArn: string): boolean {
  const row = store.prepare<{ assume_role_policy_document: string }>('SELECT assume_role_policy_document FROM roles WHERE account_id = ? AND role_id = ?').get(accountId, roleId);
  if (!row) return false;
  const trust = compilePolicy(row.assume_role_policy_document, { kind: 'trust', name: 'trust policy' });
  const decision = evaluate(
    { action: 'sts:AssumeRole', resource: roleArn, principal: { type: 'service', arn: 'ec2.amazonaws.com', accountId: '', serviceName: 'ec2.amazonaws.com' }, resourceAccount: accountId, context: {} },
    { identity: [], resource: [trust], resourcePolicyRequired: true },
  );
  return decision.decision === 'allowed';
}

/** The instance's current credentials, issued or refreshed as needed (a write). */
export function instanceCredentials(store: Store, instance: InstanceRow, association: AssociationRow, now: number, delivery: '1.0' | '2.0'): InstanceCredentials | CredentialsRefusal {
  const profile = instanceRole(store, association);
  if (!profile?.role) {
    return { Code: 'InstanceProfileNotFound', Message: 'Instance profile has no role or no longer exists.', LastUpdated: isoSecond(now) };
  }
  const role = profile.role;
  if (!ec2MayAssume(store, instance.account_id, role.id, role.arn)) {
    return {
      Code: 'AssumeRoleUnauthorizedAccess',
      Message: `EC2 cannot assume the role ${role.name}. Please see documentation at https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2.html#roles-usingrole-ec2instance-roles.`,
      LastUpdated: isoSecond(now),
    };
  }
  const kept = store.prepare<{ access_key_id: string; issued_at: number; expires_at: number; secret_access_key: string; session_token: string; session: string }>(
    `SELECT c.access_key_id, c.issued_at, c.expires_at, k.secret_access_key, k.session_token, k.session FROM ec2_instance_credentials c
     JOIN access_keys k ON k.access_key_id = c.access_key_id
     WHERE c.account_id = ? AND c.instance_id = ? AND c.association_id = ?`,
  ).get(instance.account_id, instance.instance_id, association.association_id);
  if (kept && kept.expires_at - now > REFRESH_BEFORE_MS && (JSON.parse(kept.session) as SessionRecord).principal.roleArn === role.arn) {
    return shape(kept.access_key_id, kept.secret_access_key, kept.session_token, kept.issued_at, kept.expires_at);
  }
  const source = instanceArn(instance.region, instance.account_id, instance.instance_id);
  const record: SessionRecord = {
    kind: 'role',
    principal: {
      type: 'assumed-role',
      accountId: instance.account_id,
      arn: `arn:aws:sts::${instance.account_id}:assumed-role/${role.name}/${instance.instance_id}`,
      userId: `${role.id}:${instance.instance_id}`,
      roleArn: role.arn,
      roleName: role.name,
      roleId: role.id,
      sessionName: instance.instance_id,
      tags: {},
      tokenIssuedAt: now,
      contextKeys: { 'aws:SourceInstanceARN': source, 'ec2:SourceInstanceARN': source, 'ec2:RoleDelivery': delivery },
    },
    base: { kind: 'role', id: role.id },
  };
  const expiresAt = now + INSTANCE_CREDENTIALS_MS;
  const issued = issueSession(store, record, now, expiresAt);
  store.prepare(
    `INSERT INTO ec2_instance_credentials (account_id, instance_id, association_id, access_key_id, issued_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (account_id, instance_id) DO UPDATE SET association_id = excluded.association_id, access_key_id = excluded.access_key_id,
       issued_at = excluded.issued_at, expires_at = excluded.expires_at`,
  ).run(instance.account_id, instance.instance_id, association.association_id, issued.AccessKeyId, now, expiresAt);
  return shape(issued.AccessKeyId, issued.SecretAccessKey, issued.SessionToken, now, expiresAt);
}

function shape(id: string, secret: string, token: string, issuedAt: number, expiresAt: number): InstanceCredentials {
  return { Code: 'Success', LastUpdated: isoSecond(issuedAt), Type: 'AWS-HMAC', AccessKeyId: id, SecretAccessKey: secret, Token: token, Expiration: isoSecond(expiresAt) };
}

/** The instance no longer hands out its current pair (stopped, terminated, association changed). */
export function forgetInstanceCredentials(store: Store, accountId: string, instanceId: string): void {
  store.prepare('DELETE FROM ec2_instance_credentials WHERE account_id = ? AND instance_id = ?').run(accountId, instanceId);
}
