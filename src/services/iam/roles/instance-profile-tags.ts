import { tagOperations } from '../shared/tag-operations.js';
import { onProfile } from './instance-profile-resource.js';
import { INSTANCE_PROFILE_KIND, requireInstanceProfile } from './instance-profile-rows.js';

export const { TagInstanceProfile, UntagInstanceProfile, ListInstanceProfileTags } = tagOperations({
  noun: 'InstanceProfile',
  nameMember: 'InstanceProfileName',
  kind: INSTANCE_PROFILE_KIND,
  tagId: (ctx, name) => requireInstanceProfile(ctx.store, ctx.accountId, name).instance_profile_id,
  authorize: onProfile,
});
