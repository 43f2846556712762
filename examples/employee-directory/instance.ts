/**
 * Which instance the app runs on, from the instance metadata service's identity document,
 * as seed 000's app shows it (instance id and availability zone). IMDSv2: a token first.
 * The endpoint is the SDK's own setting (AWS_EC2_METADATA_SERVICE_ENDPOINT), so the page
 * names the same instance whose role the SDK's credentials come from.
 */
export interface InstanceInfo {
  instanceId: string;
  availabilityZone: string;
  region: string;
}

export async function instanceInfo(env: NodeJS.ProcessEnv = process.env): Promise<InstanceInfo | undefined> {
  if (env.AWS_EC2_METADATA_DISABLED === 'true') return undefined;
  const base = (env.AWS_EC2_METADATA_SERVICE_ENDPOINT || 'http://169.254.169.254').replace(/\/+$/, '');
  try {
    const token = await fetch(`${base}/latest/api/token`, {
      method: 'PUT',
      headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '300' },
      signal: AbortSignal.timeout(1000),
    });
    if (!token.ok) return undefined;
    const doc = await fetch(`${base}/latest/dynamic/instance-identity/document`, {
      headers: { 'x-aws-ec2-metadata-token': await token.text() },
      signal: AbortSignal.timeout(1000),
    });
    if (!doc.ok) return undefined;
    const d = (await doc.json()) as Partial<InstanceInfo>;
    if (typeof d.instanceId !== 'string') return undefined;
    return { instanceId: d.instanceId, availabilityZone: String(d.availabilityZone ?? ''), region: String(d.region ?? '') };
  } catch {
    return undefined;
  }
}
