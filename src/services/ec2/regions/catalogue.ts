/**
 * The regions EC2 reports, with their availability zones (name suffix and zone ID, as
 * AWS maps them for this account: a fixed mapping here). Opt-in regions are listed by
 * DescribeRegions only with AllRegions, as "not-opted-in".
 */
export interface RegionInfo {
  name: string;
  optIn: 'opt-in-not-required' | 'not-opted-in';
  /** Zone letters and their IDs: us-east-1a ↔ use1-az1… */
  zones: Array<[letter: string, zoneId: string]>;
}

function zones(prefix: string, letters: string): Array<[string, string]> {
  return [...letters].map((l, i) => [l, `${prefix}-az${i + 1}`]);
}

export const REGIONS: readonly RegionInfo[] = [
  { name: 'us-east-1', optIn: 'opt-in-not-required', zones: zones('use1', 'abcdef') },
  { name: 'us-east-2', optIn: 'opt-in-not-required', zones: zones('use2', 'abc') },
  { name: 'us-west-1', optIn: 'opt-in-not-required', zones: [['a', 'usw1-az1'], ['c', 'usw1-az3']] },
  { name: 'us-west-2', optIn: 'opt-in-not-required', zones: zones('usw2', 'abcd') },
  { name: 'ca-central-1', optIn: 'opt-in-not-required', zones: [['a', 'cac1-az1'], ['b', 'cac1-az2'], ['d', 'cac1-az4']] },
  { name: 'sa-east-1', optIn: 'opt-in-not-required', zones: zones('sae1', 'abc') },
  { name: 'eu-west-1', optIn: 'opt-in-not-required', zones: zones('euw1', 'abc') },
  { name: 'eu-west-2', optIn: 'opt-in-not-required', zones: zones('euw2', 'abc') },
  { name: 'eu-west-3', optIn: 'opt-in-not-required', zones: zones('euw3', 'abc') },
  { name: 'eu-central-1', optIn: 'opt-in-not-required', zones: zones('euc1', 'abc') },
  { name: 'eu-north-1', optIn: 'opt-in-not-required', zones: zones('eun1', 'abc') },
  { name: 'ap-south-1', optIn: 'opt-in-not-required', zones: zones('aps1', 'abc') },
  { name: 'ap-northeast-1', optIn: 'opt-in-not-required', zones: [['a', 'apne1-az4'], ['c', 'apne1-az1'], ['d', 'apne1-az2']] },
  { name: 'ap-northeast-2', optIn: 'opt-in-not-required', zones: zones('apne2', 'abcd') },
  { name: 'ap-northeast-3', optIn: 'opt-in-not-required', zones: zones('apne3', 'abc') },
  { name: 'ap-southeast-1', optIn: 'opt-in-not-required', zones: zones('apse1', 'abc') },
  { name: 'ap-southeast-2', optIn: 'opt-in-not-required', zones: zones('apse2', 'abc') },
  { name: 'af-south-1', optIn: 'not-opted-in', zones: zones('afs1', 'abc') },
  { name: 'ap-east-1', optIn: 'not-opted-in', zones: zones('ape1', 'abc') },
  { name: 'eu-south-1', optIn: 'not-opted-in', zones: zones('eus1', 'abc') },
  { name: 'me-south-1', optIn: 'not-opted-in', zones: zones('mes1', 'abc') },
];

const BY_NAME = new Map(REGIONS.map((r) => [r.name, r]));

export function regionInfo(name: string): RegionInfo | undefined {
  return BY_NAME.get(name);
}

/** The zones of a region the caller can use (an unknown region gets a/b/c, so signing for it still works). */
export function zonesOf(region: string): Array<{ name: string; id: string }> {
  const info = BY_NAME.get(region) ?? { zones: zones(region.replace(/-/g, ''), 'abc') };
  return info.zones.map(([letter, id]) => ({ name: `${region}${letter}`, id }));
}
