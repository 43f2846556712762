import { operation } from '../../operation.js';
import { noSuchNamed, quotaExceeded } from '../../../identity/errors.js';
import { requireRole } from '../../../identity/roles.js';
import { paginate, type PageRequest } from '../shared/paginate.js';
import { onProfile } from './instance-profile-resource.js';
import { profileShape, requireInstanceProfile, rolesIn, type InstanceProfileRow } from './instance-profile-rows.js';
import { onRole } from './role-resource.js';

/** A profile holds at most one role (IAM's quota, not adjustable). */
export const MAX_ROLES_PER_INSTANCE_PROFILE = 1;

type ProfileRole = { InstanceProfileName: string; RoleName: string };

/** Putting a role in a profile passes it to EC2: iam:PassRole on the role too. */
export const AddRoleToInstanceProfile = operation({
  writes: true,
  authorize: (ctx, input: ProfileRole) => [
    onProfile(ctx, 'iam:AddRoleToInstanceProfile', input.InstanceProfileName),
    onRole(ctx, 'iam:PassRole', input.RoleName, { 'iam:PassedToService': 'ec2.amazonaws.com' }),
  ],
  run: (ctx, input: ProfileRole) => {
    const profile = requireInstanceProfile(ctx.store, ctx.accountId, input.InstanceProfileName);
    const role = requireRole(ctx.store, ctx.accountId, input.RoleName);
    // The quota cannot be raised; even the role already there counts against it.
    if (rolesIn(ctx.store, profile).length >= MAX_ROLES_PER_INSTANCE_PROFILE) {
      throw quotaExceeded('InstanceSessionsPerInstanceProfile', MAX_ROLES_PER_INSTANCE_PROFILE);
    }
    ctx.store
      .prepare('INSERT INTO instance_profile_roles (account_id, instance_profile_id, role_id, added_at) VALUES (?, ?, ?, ?)')
      .run(ctx.accountId, profile.instance_profile_id, role.role_id, ctx.now);
    return {};
  },
});

export const RemoveRoleFromInstanceProfile = operation({
  writes: true,
  authorize: (ctx, input: ProfileRole) => onProfile(ctx, 'iam:RemoveRoleFromInstanceProfile', input.InstanceProfileName),
  run: (ctx, input: ProfileRole) => {
    const profile = requireInstanceProfile(ctx.store, ctx.accountId, input.InstanceProfileName);
    const role = requireRole(ctx.store, ctx.accountId, input.RoleName);
    const { changes } = ctx.store
      .prepare('DELETE FROM instance_profile_roles WHERE account_id = ? AND instance_profile_id = ? AND role_id = ?')
      .run(ctx.accountId, profile.instance_profile_id, role.role_id);
    if (changes === 0) throw noSuchNamed('role', input.RoleName);
    return {};
  },
});

/** Acts on the role (with its tags), not on a profile. */
export const ListInstanceProfilesForRole = operation({
  writes: false,
  authorize: (ctx, input: PageRequest & { RoleName: string }) => onRole(ctx, 'iam:ListInstanceProfilesForRole', input.RoleName),
  run: (ctx, input: PageRequest & { RoleName: string }) => {
    const role = requireRole(ctx.store, ctx.accountId, input.RoleName);
    const rows = ctx.store
      .prepare<InstanceProfileRow>(
        `SELECT ip.* FROM instance_profile_roles ipr
         JOIN instance_profiles ip ON ip.account_id = ipr.account_id AND ip.instance_profile_id = ipr.instance_profile_id
         WHERE ipr.account_id = ? AND ipr.role_id = ?`,
      )
      .all(role.account_id, role.role_id);
    const { items, more } = paginate(rows, input, (p) => p.instance_profile_name.toLowerCase());
    return { InstanceProfiles: items.map((p) => profileShape(ctx.store, p, { withTags: false })), ...more };
  },
});
