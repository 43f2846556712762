import { operation } from '../../operation.js';
import type { RequestContext } from '../../types.js';
import { describeEntry } from '../authz/entries.js';
import { imagesIn } from '../images/catalogue.js';
import { stateOf, type InstanceRow } from '../instances/instance-rows.js';
import { zonesOf } from '../regions/catalogue.js';
import { checkDryRun, ec2Errors } from '../shared/errors.js';
import { matchesFilters, type Filter } from '../shared/filters.js';
import { derivedEc2Id, isEc2Id } from '../shared/ids.js';
import { checkPaging, pageOf } from '../shared/pages.js';
import { tagList, tagsByResource } from '../tags/tag-rows.js';

/**
 * EBS volumes. Each instance has one, its root volume (vol-…), made by RunInstances from
 * its image (size and type) and deleted when the instance terminates (DeleteOnTermination,
 * as RunInstances sets it for root volumes): a volume is read from its instance's row.
 */
export function liveInstances(ctx: RequestContext): InstanceRow[] {
  return ctx.store.prepare<InstanceRow>('SELECT * FROM ec2_instances WHERE account_id = ? AND region = ? ORDER BY rowid')
    .all(ctx.accountId, ctx.region)
    .filter((row) => stateOf(row, ctx.now).name !== 'terminated');
}

function volumeOf(row: InstanceRow, tags: Record<string, string> | undefined) {
  const image = imagesIn(row.region).get(row.image_id);
  const type = image?.volumeType ?? 'gp3';
  const size = image?.volumeSize ?? 8;
  return {
    VolumeId: row.volume_id, Size: size, VolumeType: type, State: 'in-use', Encrypted: false, MultiAttachEnabled: false,
    // gp3: 3,000 IOPS and 125 MiB/s at any size; gp2: 3 IOPS per GiB, at least 100.
    Iops: type === 'gp3' ? 3000 : Math.max(100, 3 * size), ...(type === 'gp3' ? { Throughput: 125 } : {}),
    SnapshotId: image ? derivedEc2Id('snap', image.name, row.region) : '',
    AvailabilityZone: row.availability_zone, AvailabilityZoneId: zonesOf(row.region).find((z) => z.name === row.availability_zone)?.id,
    CreateTime: new Date(row.launched_at),
    Attachments: [{
      VolumeId: row.volume_id, InstanceId: row.instance_id, Device: image?.rootDeviceName ?? '/dev/xvda', State: 'attached',
      AttachTime: new Date(row.launched_at), DeleteOnTermination: true,
    }],
    Tags: tagList(tags),
  };
}

const VOLUME_FILTERS = new Set([
  'volume-id', 'volume-type', 'size', 'status', 'availability-zone', 'encrypted', 'snapshot-id', 'create-time', 'multi-attach-enabled',
  'attachment.instance-id', 'attachment.status', 'attachment.device', 'attachment.delete-on-termination', 'attachment.attach-time',
]);

interface DescribeVolumesInput {
  VolumeIds?: string[];
  Filters?: Filter[];
  MaxResults?: number;
  NextToken?: string;
  DryRun?: boolean;
}

export const DescribeVolumes = operation({
  writes: false,
  authorize: (ctx) => describeEntry(ctx, 'ec2:DescribeVolumes'),
  run: (ctx, input: DescribeVolumesInput) => {
    checkDryRun(input);
    checkPaging(input, input.VolumeIds, 'VolumeIds', { min: 5, max: 500 });
    for (const id of input.VolumeIds ?? []) if (!isEc2Id('vol', id)) throw ec2Errors.malformed('InvalidVolumeID.Malformed', id);
    const tags = tagsByResource(ctx.store, ctx.accountId, 'volume');
    const all = liveInstances(ctx).map((row) => volumeOf(row, tags.get(row.volume_id)));
    const missing = (input.VolumeIds ?? []).filter((id) => !all.some((v) => v.VolumeId === id));
    if (missing.length > 0) throw ec2Errors.notFound('InvalidVolume.NotFound', `The volume '${missing[0]}' does not exist.`);
    const wanted = all.filter((v) => (!input.VolumeIds || input.VolumeIds.includes(v.VolumeId)) && matchesFilters(input.Filters, (n) => {
      const a = v.Attachments[0];
      return ({
        'volume-id': v.VolumeId, 'volume-type': v.VolumeType, size: String(v.Size), status: v.State, 'availability-zone': v.AvailabilityZone,
        encrypted: String(v.Encrypted), 'snapshot-id': v.SnapshotId, 'create-time': v.CreateTime.toISOString(), 'multi-attach-enabled': 'false',
        'attachment.instance-id': a.InstanceId, 'attachment.status': a.State, 'attachment.device': a.Device,
        'attachment.delete-on-termination': String(a.DeleteOnTermination), 'attachment.attach-time': a.AttachTime.toISOString(),
      } as Record<string, string>)[n];
    }, tags.get(v.VolumeId) ?? {}, VOLUME_FILTERS));
    const { page, next } = pageOf(wanted, (v) => v.VolumeId, input);
    return { Volumes: page, NextToken: next };
  },
});
