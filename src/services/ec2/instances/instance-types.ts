/**
 * The instance types RunInstances accepts, with their architecture (an arm64 type needs
 * an arm64 image). Families and sizes as EC2 offers them.
 */
const FAMILIES: Array<[family: string, arch: 'x86_64' | 'arm64', sizes: string]> = [
  ['t2', 'x86_64', 'nano micro small medium large xlarge 2xlarge'],
  ['t3', 'x86_64', 'nano micro small medium large xlarge 2xlarge'],
  ['t3a', 'x86_64', 'nano micro small medium large xlarge 2xlarge'],
  ['t4g', 'arm64', 'nano micro small medium large xlarge 2xlarge'],
  ['m5', 'x86_64', 'large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge metal'],
  ['m6i', 'x86_64', 'large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge metal'],
  ['m7i', 'x86_64', 'large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 48xlarge'],
  ['m6g', 'arm64', 'medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge metal'],
  ['m7g', 'arm64', 'medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge metal'],
  ['c5', 'x86_64', 'large xlarge 2xlarge 4xlarge 9xlarge 12xlarge 18xlarge 24xlarge metal'],
  ['c6i', 'x86_64', 'large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge metal'],
  ['c7g', 'arm64', 'medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge metal'],
  ['r5', 'x86_64', 'large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge metal'],
  ['r6i', 'x86_64', 'large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge 24xlarge 32xlarge metal'],
  ['r7g', 'arm64', 'medium large xlarge 2xlarge 4xlarge 8xlarge 12xlarge 16xlarge metal'],
];

const TYPES = new Map<string, 'x86_64' | 'arm64'>();
for (const [family, arch, sizes] of FAMILIES) for (const size of sizes.split(' ')) TYPES.set(`${family}.${size}`, arch);

/** The architecture of an instance type, or undefined when EC2 has no such type. */
export function instanceTypeArchitecture(type: string): 'x86_64' | 'arm64' | undefined {
  return TYPES.get(type);
}
