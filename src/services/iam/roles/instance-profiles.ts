import { operation } from '../../operation.js';
import { entityCount } from '../../../store/store.js';
import { AwsError } from '../../../protocol/errors.js';
import { deleteConflict, quotaExceeded } from '../../../identity/errors.js';
import { newUniqueId } from '../../../identity/ids.js';
import { checkNewTags, deleteAllTags, putTags, requestTagKeys, type Tag } from '../../../identity/tags.js';
import { paginate, type PageRequest } from '../shared/paginate.js';
import { onProfile } from './instance-profile-resource.js';
import {
  findInstanceProfile, INSTANCE_PROFILE_KIND, instanceProfileArn, profileShape, requireInstanceProfile, rolesIn, type InstanceProfileRow,
} from './instance-profile-rows.js';
import { entry } from './role-resource.js';

/** IAM's default quota of instance profiles per account. */
export const MAX_INSTANCE_PROFILES_PER_ACCOUNT = 1000;

type CreateInstanceProfileInput = { InstanceProfileName: string; Path?: string; Tags?: Tag[] };

export const CreateInstanceProfile = operation({
  writes: true,
  authorize: (ctx, input: CreateInstanceProfileInput) =>
    entry('iam:CreateInstanceProfile', instanceProfileArn(ctx.accountId, input.Path ?? '/', input.InstanceProfileName), requestTagKeys(input.Tags)),
  run: (ctx, input: CreateInstanceProfileInput) => {
    const { store, accountId } = ctx;
    if (findInstanceProfile(store, accountId, input.InstanceProfileName)) {
      throw new AwsError('EntityAlreadyExists', `Instance Profile ${input.InstanceProfileName} already exists.`, 409);
    }
    if (input.Tags) checkNewTags(input.Tags);
    const count = entityCount(store, accountId, 'instance_profiles');
    if (count >= MAX_INSTANCE_PROFILES_PER_ACCOUNT) throw quotaExceeded('InstanceProfilesPerAccount', MAX_INSTANCE_PROFILES_PER_ACCOUNT);
    const row: InstanceProfileRow = {
      account_id: accountId,
      instance_profile_id: newUniqueId('AIPA'),
      instance_profile_name: input.InstanceProfileName,
      path: input.Path ?? '/',
      created_at: ctx.now,
    };
    store
      .prepare(
        `INSERT INTO instance_profiles (account_id, instance_profile_id, instance_profile_name, path, created_at)
         VALUES (@account_id, @instance_profile_id, @instance_profile_name, @path, @created_at)`,
      )
      .run(row);
    if (input.Tags?.length) putTags(store, accountId, INSTANCE_PROFILE_KIND, row.instance_profile_id, input.Tags);
    return { InstanceProfile: profileShape(store, row, { withTags: true }) };
  },
});

export const GetInstanceProfile = operation({
  writes: false,
  authorize: (ctx, input: { InstanceProfileName: string }) => onProfile(ctx, 'iam:GetInstanceProfile', input.InstanceProfileName),
  run: (ctx, input: { InstanceProfileName: string }) => {
    const row = requireInstanceProfile(ctx.store, ctx.accountId, input.InstanceProfileName);
    return { InstanceProfile: profileShape(ctx.store, row, { withTags: true }) };
  },
});

export const ListInstanceProfiles = operation({
  writes: false,
  authorize: (ctx, input: PageRequest & { PathPrefix?: string }) => ({
    action: 'iam:ListInstanceProfiles',
    resource: `arn:aws:iam::${ctx.accountId}:instance-profile${input.PathPrefix ?? '/'}`,
  }),
  run: (ctx, input: PageRequest & { PathPrefix?: string }) => {
    const prefix = input.PathPrefix ?? '/';
    const rows = ctx.store
      .prepare<InstanceProfileRow>('SELECT * FROM instance_profiles WHERE account_id = ?')
      .all(ctx.accountId)
      .filter((p) => p.path.startsWith(prefix));
    const { items, more } = paginate(rows, input, (p) => p.instance_profile_name.toLowerCase());
    return { InstanceProfiles: items.map((p) => profileShape(ctx.store, p, { withTags: false })), ...more };
  },
});

export const DeleteInstanceProfile = operation({
  writes: true,
  authorize: (ctx, input: { InstanceProfileName: string }) => onProfile(ctx, 'iam:DeleteInstanceProfile', input.InstanceProfileName),
  run: (ctx, input: { InstanceProfileName: string }) => {
    const profile = requireInstanceProfile(ctx.store, ctx.accountId, input.InstanceProfileName);
    if (rolesIn(ctx.store, profile).length > 0) throw deleteConflict('remove roles from instance profile');
    deleteAllTags(ctx.store, ctx.accountId, INSTANCE_PROFILE_KIND, profile.instance_profile_id);
    ctx.store.prepare('DELETE FROM instance_profiles WHERE account_id = ? AND instance_profile_id = ?').run(ctx.accountId, profile.instance_profile_id);
    return {};
  },
});
