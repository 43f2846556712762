import { derivedEc2Id } from '../shared/ids.js';

/**
 * The built-in AMI catalogue: public images as their owners publish them in every
 * region. An image's ID differs per region (as on AWS), derived from its name and the
 * region, so it is the same in every run. RunInstances launches only these.
 */
export interface CatalogueImage {
  name: string;
  description: string;
  /** The publishing account and its alias ("amazon" for Amazon's own images). */
  ownerId: string;
  ownerAlias?: string;
  architecture: 'x86_64' | 'arm64';
  platformDetails: string;
  usageOperation: string;
  platform?: 'windows';
  creationDate: string;
  /** IMDS support: 'v2.0' images launch with HttpTokens required and a hop limit of 2. */
  imdsSupport?: 'v2.0';
  rootDeviceName: string;
  volumeSize: number;
  volumeType: 'gp2' | 'gp3';
  bootMode?: 'uefi-preferred' | 'uefi' | 'legacy-bios';
}

const AMAZON = '137112412989';

export const CATALOGUE: readonly CatalogueImage[] = [
  {
    name: 'al2023-ami-2023.6.20241212.0-kernel-6.1-x86_64', description: 'Amazon Linux 2023 AMI 2023.6.20241212.0 x86_64 HVM kernel-6.1',
    ownerId: AMAZON, ownerAlias: 'amazon', architecture: 'x86_64', platformDetails: 'Linux/UNIX', usageOperation: 'RunInstances',
    creationDate: '2024-12-13T20:45:39.000Z', imdsSupport: 'v2.0', rootDeviceName: '/dev/xvda', volumeSize: 8, volumeType: 'gp3', bootMode: 'uefi-preferred',
  },
  {
    name: 'al2023-ami-2023.6.20241212.0-kernel-6.1-arm64', description: 'Amazon Linux 2023 AMI 2023.6.20241212.0 arm64 HVM kernel-6.1',
    ownerId: AMAZON, ownerAlias: 'amazon', architecture: 'arm64', platformDetails: 'Linux/UNIX', usageOperation: 'RunInstances',
    creationDate: '2024-12-13T20:45:41.000Z', imdsSupport: 'v2.0', rootDeviceName: '/dev/xvda', volumeSize: 8, volumeType: 'gp3', bootMode: 'uefi',
  },
  {
    name: 'amzn2-ami-kernel-5.10-hvm-2.0.20241217.0-x86_64-gp2', description: 'Amazon Linux 2 Kernel 5.10 AMI 2.0.20241217.0 x86_64 HVM gp2',
    ownerId: AMAZON, ownerAlias: 'amazon', architecture: 'x86_64', platformDetails: 'Linux/UNIX', usageOperation: 'RunInstances',
    creationDate: '2024-12-18T02:03:27.000Z', rootDeviceName: '/dev/xvda', volumeSize: 8, volumeType: 'gp2',
  },
  {
    name: 'amzn-ami-hvm-2018.03.0.20231218.0-x86_64-gp2', description: 'Amazon Linux AMI 2018.03.0.20231218.0 x86_64 HVM gp2',
    ownerId: AMAZON, ownerAlias: 'amazon', architecture: 'x86_64', platformDetails: 'Linux/UNIX', usageOperation: 'RunInstances',
    creationDate: '2023-12-19T01:25:02.000Z', rootDeviceName: '/dev/xvda', volumeSize: 8, volumeType: 'gp2',
  },
  {
    name: 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20241210', description: 'Canonical, Ubuntu, 24.04, amd64 noble image',
    ownerId: '099720109477', architecture: 'x86_64', platformDetails: 'Linux/UNIX', usageOperation: 'RunInstances',
    creationDate: '2024-12-10T08:23:12.000Z', rootDeviceName: '/dev/sda1', volumeSize: 8, volumeType: 'gp3', bootMode: 'uefi-preferred',
  },
  {
    name: 'Windows_Server-2022-English-Full-Base-2024.12.13', description: 'Microsoft Windows Server 2022 Full Locale English AMI provided by Amazon',
    ownerId: '801119661308', ownerAlias: 'amazon', architecture: 'x86_64', platform: 'windows', platformDetails: 'Windows', usageOperation: 'RunInstances:0002',
    creationDate: '2024-12-13T09:12:44.000Z', rootDeviceName: '/dev/sda1', volumeSize: 30, volumeType: 'gp2',
  },
];

/** The image's ID in a region: ami- and 17 hex digits, the same in every run. */
export function imageId(image: CatalogueImage, region: string): string {
  return derivedEc2Id('ami', 'catalogue', image.name, region);
}

const byRegion = new Map<string, Map<string, CatalogueImage>>();

/** The catalogue in a region, by image ID. */
export function imagesIn(region: string): Map<string, CatalogueImage> {
  let found = byRegion.get(region);
  if (!found) {
    found = new Map(CATALOGUE.map((i) => [imageId(i, region), i]));
    byRegion.set(region, found);
  }
  return found;
}
