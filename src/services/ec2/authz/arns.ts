/** EC2 resource ARNs, as the Service Authorization Reference writes them. */
export function ec2Arn(region: string, accountId: string, type: string, id: string): string {
  return `arn:aws:ec2:${region}:${accountId}:${type}/${id}`;
}

export const instanceArn = (region: string, accountId: string, id: string) => ec2Arn(region, accountId, 'instance', id);
export const subnetArn = (region: string, accountId: string, id: string) => ec2Arn(region, accountId, 'subnet', id);
export const securityGroupArn = (region: string, accountId: string, id: string) => ec2Arn(region, accountId, 'security-group', id);
export const securityGroupRuleArn = (region: string, accountId: string, id: string) => ec2Arn(region, accountId, 'security-group-rule', id);
export const vpcArn = (region: string, accountId: string, id: string) => ec2Arn(region, accountId, 'vpc', id);
/** Key pairs are named by their name in policies: key-pair/${KeyPairName}. */
export const keyPairArn = (region: string, accountId: string, name: string) => ec2Arn(region, accountId, 'key-pair', name);
/** Public images have no account in their ARN. */
export const imageArn = (region: string, id: string) => `arn:aws:ec2:${region}::image/${id}`;
