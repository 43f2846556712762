import type { Store } from '../../../store/store.js';
import { ec2Errors } from '../shared/errors.js';

/** An IAM instance profile as EC2 needs it: its ARN, its id, and the role it holds (if any). */
export interface InstanceProfile {
  arn: string;
  id: string;
  name: string;
  role?: { arn: string; id: string; name: string };
}

/** The profile an IamInstanceProfile member names (Arn or Name), in the caller's account. */
export function findInstanceProfile(store: Store, accountId: string, spec: { Arn?: string; Name?: string }): InstanceProfile | undefined {
  let name = spec.Name;
  if (spec.Arn !== undefined) {
    const m = /^arn:aws:iam::(\d{12}):instance-profile\/(?:.*\/)?([^/]+)$/.exec(spec.Arn);
    if (!m || m[1] !== accountId) return undefined;
    name = m[2];
  }
  if (name === undefined) return undefined;
  const row = store.prepare<{ instance_profile_id: string; instance_profile_name: string; path: string }>(
    'SELECT instance_profile_id, instance_profile_name, path FROM instance_profiles WHERE account_id = ? AND instance_profile_name = ?',
  ).get(accountId, name);
  if (!row) return undefined;
  const arn = `arn:aws:iam::${accountId}:instance-profile${row.path}${row.instance_profile_name}`;
  if (spec.Arn !== undefined && spec.Arn !== arn) return undefined;
  const role = store.prepare<{ role_id: string; role_name: string; path: string }>(
    `SELECT r.role_id, r.role_name, r.path FROM instance_profile_roles ipr JOIN roles r ON r.account_id = ipr.account_id AND r.role_id = ipr.role_id
     WHERE ipr.account_id = ? AND ipr.instance_profile_id = ? ORDER BY ipr.added_at LIMIT 1`,
  ).get(accountId, row.instance_profile_id);
  const profile: InstanceProfile = { arn, id: row.instance_profile_id, name: row.instance_profile_name };
  if (role) profile.role = { arn: `arn:aws:iam::${accountId}:role${role.path}${role.role_name}`, id: role.role_id, name: role.role_name };
  return profile;
}

/** EC2's refusal of a profile that does not exist, naming it as the request did. */
export function invalidProfile(spec: { Arn?: string; Name?: string }) {
  return spec.Arn !== undefined
    ? ec2Errors.invalidParameterValue(`Value (${spec.Arn}) for parameter iamInstanceProfile.arn is invalid. Invalid IAM Instance Profile ARN`)
    : ec2Errors.invalidParameterValue(`Value (${spec.Name ?? ''}) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name`);
}

/** What passing the profile's role to EC2 asks: iam:PassRole on the role, for ec2.amazonaws.com. */
export function passRoleEntry(profile: InstanceProfile | undefined) {
  if (!profile?.role) return [];
  return [{ action: 'iam:PassRole', resource: profile.role.arn, context: { 'iam:PassedToService': 'ec2.amazonaws.com' } }];
}
