import { operation } from '../../operation.js';
import { describeEntry } from '../authz/entries.js';
import { checkDryRun, ec2Errors } from '../shared/errors.js';
import { matchesFilters, type Filter } from '../shared/filters.js';
import { isEc2Id } from '../shared/ids.js';
import { imagesIn, type CatalogueImage } from './catalogue.js';

/** An image as DescribeImages shows it. */
export function imageShape(id: string, i: CatalogueImage): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ImageId: id, ImageLocation: `${i.ownerAlias ?? i.ownerId}/${i.name}`, State: 'available', OwnerId: i.ownerId, CreationDate: i.creationDate,
    Public: true, Architecture: i.architecture, ImageType: 'machine', Name: i.name, Description: i.description, RootDeviceType: 'ebs',
    RootDeviceName: i.rootDeviceName, VirtualizationType: 'hvm', Hypervisor: 'xen', EnaSupport: true, SriovNetSupport: 'simple',
    PlatformDetails: i.platformDetails, UsageOperation: i.usageOperation,
    BlockDeviceMappings: [{ DeviceName: i.rootDeviceName, Ebs: { DeleteOnTermination: true, SnapshotId: id.replace('ami-', 'snap-'), VolumeSize: i.volumeSize, VolumeType: i.volumeType, Encrypted: false } }],
  };
  if (i.ownerAlias) out.ImageOwnerAlias = i.ownerAlias;
  if (i.platform) out.Platform = i.platform;
  if (i.imdsSupport) out.ImdsSupport = i.imdsSupport;
  if (i.bootMode) out.BootMode = i.bootMode;
  return out;
}

/** InvalidAMIID.Malformed for an ID that is not ami-…. */
export function checkImageId(id: string): void {
  if (!isEc2Id('ami', id)) throw ec2Errors.malformed('InvalidAMIID.Malformed', id);
}

export function imageNotFound(id: string) {
  return ec2Errors.notFound('InvalidAMIID.NotFound', `The image id '[${id}]' does not exist`);
}

const IMAGE_FILTERS = new Set(['architecture', 'description', 'image-id', 'image-type', 'is-public', 'name', 'owner-alias', 'owner-id', 'platform', 'platform-details', 'root-device-type', 'state', 'virtualization-type']);

export const DescribeImages = operation({
  writes: false,
  authorize: (ctx) => describeEntry(ctx, 'ec2:DescribeImages'),
  run: (ctx, input: { ImageIds?: string[]; Owners?: string[]; Filters?: Filter[]; DryRun?: boolean; MaxResults?: number; NextToken?: string }) => {
    checkDryRun(input);
    const all = imagesIn(ctx.region);
    for (const id of input.ImageIds ?? []) {
      checkImageId(id);
      if (!all.has(id)) throw imageNotFound(id);
    }
    const owners = input.Owners?.map((o) => (o === 'self' ? ctx.accountId : o));
    const images = [...all]
      .filter(([id]) => !input.ImageIds || input.ImageIds.includes(id))
      .filter(([, i]) => !owners || owners.includes(i.ownerId) || (i.ownerAlias !== undefined && owners.includes(i.ownerAlias)))
      .map(([id, i]) => imageShape(id, i))
      .filter((s) =>
        matchesFilters(input.Filters, (n) => ({
          architecture: s.Architecture, description: s.Description, 'image-id': s.ImageId, 'image-type': s.ImageType, 'is-public': 'true', name: s.Name,
          'owner-alias': s.ImageOwnerAlias, 'owner-id': s.OwnerId, platform: s.Platform, 'platform-details': s.PlatformDetails,
          'root-device-type': s.RootDeviceType, state: s.State, 'virtualization-type': s.VirtualizationType,
        } as Record<string, string | undefined>)[n], {}, IMAGE_FILTERS),
      );
    return { Images: images };
  },
});
