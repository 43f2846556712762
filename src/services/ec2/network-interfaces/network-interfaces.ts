import { operation } from '../../operation.js';
import { describeEntry } from '../authz/entries.js';
import { primaryInterface, publicDnsName, stateOf, type InstanceRow } from '../instances/instance-rows.js';
import { zonesOf } from '../regions/catalogue.js';
import { checkDryRun, ec2Errors } from '../shared/errors.js';
import { matchesFilters, type Filter } from '../shared/filters.js';
import { isEc2Id } from '../shared/ids.js';
import { checkPaging, pageOf } from '../shared/pages.js';
import { tagList, tagsByResource } from '../tags/tag-rows.js';
import { liveInstances } from '../volumes/volumes.js';

/**
 * Network interfaces. Each instance has its primary one (eni-…, device index 0), made by
 * RunInstances in the instance's subnet with its security groups and deleted when the
 * instance terminates: an interface is read from its instance's row.
 */
function interfaceOf(row: InstanceRow, now: number, tags: Record<string, string> | undefined) {
  const state = stateOf(row, now).name;
  const live = state === 'pending' || state === 'running';
  const groups = JSON.parse(row.security_groups) as Array<{ GroupId: string; GroupName: string }>;
  const eni = primaryInterface(row, groups, live);
  return {
    ...eni,
    Attachment: { ...eni.Attachment, InstanceId: row.instance_id, InstanceOwnerId: row.account_id },
    AvailabilityZone: row.availability_zone, AvailabilityZoneId: zonesOf(row.region).find((z) => z.name === row.availability_zone)?.id,
    RequesterManaged: false,
    ...(live && row.public_ip ? { PublicDnsName: publicDnsName(row.public_ip, row.region) } : {}),
    TagSet: tagList(tags) ?? [],
  };
}

const INTERFACE_FILTERS = new Set([
  'network-interface-id', 'subnet-id', 'vpc-id', 'availability-zone', 'status', 'private-ip-address', 'addresses.private-ip-address',
  'private-dns-name', 'mac-address', 'owner-id', 'group-id', 'group-name', 'interface-type', 'requester-managed', 'source-dest-check', 'description',
  'attachment.instance-id', 'attachment.instance-owner-id', 'attachment.attachment-id', 'attachment.device-index', 'attachment.status',
  'attachment.delete-on-termination', 'association.public-ip',
]);

interface DescribeNetworkInterfacesInput {
  NetworkInterfaceIds?: string[];
  Filters?: Filter[];
  MaxResults?: number;
  NextToken?: string;
  DryRun?: boolean;
}

export const DescribeNetworkInterfaces = operation({
  writes: false,
  authorize: (ctx) => describeEntry(ctx, 'ec2:DescribeNetworkInterfaces'),
  run: (ctx, input: DescribeNetworkInterfacesInput) => {
    checkDryRun(input);
    checkPaging(input, input.NetworkInterfaceIds, 'NetworkInterfaceIds', { min: 5, max: 1000 });
    for (const id of input.NetworkInterfaceIds ?? []) if (!isEc2Id('eni', id)) throw ec2Errors.malformed('InvalidNetworkInterfaceID.Malformed', id);
    const tags = tagsByResource(ctx.store, ctx.accountId, 'network-interface');
    const all = liveInstances(ctx).map((row) => interfaceOf(row, ctx.now, tags.get(row.eni_id)));
    const missing = (input.NetworkInterfaceIds ?? []).filter((id) => !all.some((e) => e.NetworkInterfaceId === id));
    if (missing.length > 0) throw ec2Errors.notFound('InvalidNetworkInterfaceID.NotFound', `The networkInterface ID '${missing[0]}' does not exist`);
    const wanted = all.filter((e) => (!input.NetworkInterfaceIds || input.NetworkInterfaceIds.includes(e.NetworkInterfaceId)) && matchesFilters(input.Filters, (n) => {
      const a = e.Attachment;
      const values: Record<string, string | string[] | undefined> = {
        'network-interface-id': e.NetworkInterfaceId, 'subnet-id': e.SubnetId, 'vpc-id': e.VpcId, 'availability-zone': e.AvailabilityZone, status: e.Status,
        'private-ip-address': e.PrivateIpAddress, 'addresses.private-ip-address': e.PrivateIpAddress, 'private-dns-name': e.PrivateDnsName, 'mac-address': e.MacAddress,
        'owner-id': e.OwnerId, 'group-id': e.Groups.map((g) => g.GroupId), 'group-name': e.Groups.map((g) => g.GroupName), 'interface-type': e.InterfaceType,
        'requester-managed': 'false', 'source-dest-check': 'true', description: e.Description,
        'attachment.instance-id': a.InstanceId, 'attachment.instance-owner-id': a.InstanceOwnerId, 'attachment.attachment-id': a.AttachmentId,
        'attachment.device-index': String(a.DeviceIndex), 'attachment.status': a.Status, 'attachment.delete-on-termination': 'true',
        'association.public-ip': e.Association?.PublicIp,
      };
      return values[n];
    }, tags.get(e.NetworkInterfaceId) ?? {}, INTERFACE_FILTERS));
    const { page, next } = pageOf(wanted, (e) => e.NetworkInterfaceId, input);
    return { NetworkInterfaces: page, NextToken: next };
  },
});
