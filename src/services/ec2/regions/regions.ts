import { operation } from '../../operation.js';
import { ec2Errors, checkDryRun } from '../shared/errors.js';
import { matchesFilters, type Filter } from '../shared/filters.js';
import { describeEntry } from '../authz/entries.js';
import { REGIONS, regionInfo, zonesOf } from './catalogue.js';

const REGION_FILTERS = new Set(['endpoint', 'opt-in-status', 'region-name']);

export const DescribeRegions = operation({
  writes: false,
  authorize: (ctx) => describeEntry(ctx, 'ec2:DescribeRegions'),
  run: (_ctx, input: { RegionNames?: string[]; AllRegions?: boolean; Filters?: Filter[]; DryRun?: boolean }) => {
    checkDryRun(input);
    for (const name of input.RegionNames ?? []) {
      if (!regionInfo(name)) throw ec2Errors.invalidParameterValue(`Invalid region: ${name}`);
    }
    const names = input.RegionNames ? new Set(input.RegionNames) : undefined;
    const regions = REGIONS.filter((r) => (names ? names.has(r.name) : input.AllRegions || r.optIn === 'opt-in-not-required'))
      .map((r) => ({ RegionName: r.name, Endpoint: `ec2.${r.name}.amazonaws.com`, OptInStatus: r.optIn }))
      .filter((r) => matchesFilters(input.Filters, (n) => (n === 'endpoint' ? r.Endpoint : n === 'opt-in-status' ? r.OptInStatus : r.RegionName), {}, REGION_FILTERS));
    return { Regions: regions };
  },
});

const ZONE_FILTERS = new Set(['zone-name', 'zone-id', 'region-name', 'state', 'zone-type', 'opt-in-status', 'group-name']);

export const DescribeAvailabilityZones = operation({
  writes: false,
  authorize: (ctx) => describeEntry(ctx, 'ec2:DescribeAvailabilityZones'),
  run: (ctx, input: { ZoneNames?: string[]; ZoneIds?: string[]; Filters?: Filter[]; DryRun?: boolean }) => {
    checkDryRun(input);
    const all = zonesOf(ctx.region).map((z) => ({
      State: 'available',
      OptInStatus: 'opt-in-not-required',
      Messages: [],
      RegionName: ctx.region,
      ZoneName: z.name,
      ZoneId: z.id,
      GroupName: ctx.region,
      NetworkBorderGroup: ctx.region,
      ZoneType: 'availability-zone',
    }));
    for (const name of input.ZoneNames ?? []) {
      if (!all.some((z) => z.ZoneName === name)) throw ec2Errors.invalidParameterValue(`The zone '${name}' does not exist.`);
    }
    for (const id of input.ZoneIds ?? []) {
      if (!all.some((z) => z.ZoneId === id)) throw ec2Errors.invalidParameterValue(`The zone ID '${id}' does not exist.`);
    }
    const zones = all
      .filter((z) => (!input.ZoneNames && !input.ZoneIds) || input.ZoneNames?.includes(z.ZoneName) || input.ZoneIds?.includes(z.ZoneId))
      .filter((z) =>
        matchesFilters(input.Filters, (n) => ({
          'zone-name': z.ZoneName, 'zone-id': z.ZoneId, 'region-name': z.RegionName, state: z.State, 'zone-type': z.ZoneType,
          'opt-in-status': z.OptInStatus, 'group-name': z.GroupName,
        })[n], {}, ZONE_FILTERS),
      );
    return { AvailabilityZones: zones };
  },
});
