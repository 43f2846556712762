import type { Store } from '../../../store/store.js';
import { imagesIn } from '../images/catalogue.js';
import { zonesOf } from '../regions/catalogue.js';
import { tagsOf } from '../tags/tag-rows.js';
import { associationOf, findInstanceAnywhere, privateDnsName, publicDnsName, stateOf, type InstanceRow, type MetadataOptions } from '../instances/instance-rows.js';
import { instanceCredentials, instanceRole } from './credentials.js';
import { issueToken, tokenValid } from './tokens.js';

/**
 * The instance metadata service of one instance (IMDS), as an instance reaches it at
 * 169.254.169.254: `PUT /latest/api/token` for an IMDSv2 session token, then
 * `GET /latest/meta-data/…`, `/latest/dynamic/instance-identity/document` and
 * `/latest/user-data`. Without a token (IMDSv1) only while the instance's HttpTokens is
 * "optional"; nothing while it is not running or its HttpEndpoint is disabled.
 *
 * answerMetadata runs in a write (src/server/imds-route.ts): fetching role credentials
 * may issue a session.
 */
export interface MetadataRequest {
  method: string;
  /** The path after the instance's prefix, from "latest/…" on. */
  path: string;
  headers: Record<string, string>;
}

export interface MetadataResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

const MAX_TTL = 21600;

function text(status: number, body: string | Buffer, headers: Record<string, string> = {}): MetadataResponse {
  return { status, headers: { 'content-type': 'text/plain', ...headers }, body };
}

const NOT_FOUND = () => text(404, notFoundPage());
function notFoundPage(): string {
  return '<?xml version="1.0" encoding="iso-8859-1"?>\n<!DOCTYPE html>\n<html>\n <head>\n  <title>404 - Not Found</title>\n </head>\n <body>\n  <h1>404 - Not Found</h1>\n </body>\n</html>\n';
}

export function answerMetadata(store: Store, instanceId: string, req: MetadataRequest, now: number): MetadataResponse {
  const instance = findInstanceAnywhere(store, instanceId);
  if (!instance) return text(404, `iamlocal: no instance ${instanceId}\n`);
  const state = stateOf(instance, now).name;
  if (state !== 'running') return text(503, `iamlocal: instance ${instanceId} is ${state}; its metadata service answers only while it is running\n`);
  const options = JSON.parse(instance.metadata_options) as MetadataOptions;
  if (options.HttpEndpoint === 'disabled') return text(403, 'iamlocal: the instance metadata service of this instance is disabled (HttpEndpoint)\n');
  const path = req.path.replace(/^\/+/, '');
  const method = req.method.toUpperCase();

  if (path === 'latest/api/token') {
    if (method !== 'PUT') return text(405, '', { allow: 'OPTIONS, PUT' });
    // IMDS refuses token requests that went through a proxy (X-Forwarded-For).
    if (req.headers['x-forwarded-for'] !== undefined) return text(403, '');
    const ttl = Number(req.headers['x-aws-ec2-metadata-token-ttl-seconds']);
    if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TTL) return text(400, '');
    return text(200, issueToken(instanceId, now, ttl), { 'x-aws-ec2-metadata-token-ttl-seconds': String(ttl) });
  }
  if (method !== 'GET' && method !== 'HEAD') return text(405, '', { allow: 'OPTIONS, GET, HEAD' });
  const token = req.headers['x-aws-ec2-metadata-token'];
  if (token !== undefined) {
    if (!tokenValid(token, instanceId, now)) return text(401, '');
  } else if (options.HttpTokens === 'required') return text(401, '');
  const delivery = token !== undefined ? '2.0' : '1.0';

  if (path === '' || path === 'latest' || path === 'latest/') return text(200, 'dynamic\nmeta-data\nuser-data');
  if (path === 'latest/user-data' || path === 'latest/user-data/') {
    return instance.user_data ? text(200, Buffer.from(instance.user_data, 'base64'), { 'content-type': 'application/octet-stream' }) : NOT_FOUND();
  }
  if (path === 'latest/dynamic' || path === 'latest/dynamic/') return text(200, 'instance-identity/');
  if (path === 'latest/dynamic/instance-identity' || path === 'latest/dynamic/instance-identity/') return text(200, 'document');
  if (path === 'latest/dynamic/instance-identity/document') return json(identityDocument(instance));
  if (path.startsWith('latest/meta-data')) return metaData(store, instance, options, path.slice('latest/meta-data'.length).replace(/^\//, ''), now, delivery);
  return NOT_FOUND();
}

function json(value: unknown): MetadataResponse {
  return text(200, JSON.stringify(value, null, 2));
}

function identityDocument(i: InstanceRow) {
  return {
    accountId: i.account_id,
    architecture: imagesIn(i.region).get(i.image_id)?.architecture ?? 'x86_64',
    availabilityZone: i.availability_zone,
    billingProducts: null,
    devpayProductCodes: null,
    marketplaceProductCodes: null,
    imageId: i.image_id,
    instanceId: i.instance_id,
    instanceType: i.instance_type,
    kernelId: null,
    pendingTime: new Date(i.launched_at).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    privateIp: i.private_ip,
    ramdiskId: null,
    region: i.region,
    version: '2017-09-30',
  };
}

function metaData(store: Store, i: InstanceRow, options: MetadataOptions, path: string, now: number, delivery: '1.0' | '2.0'): MetadataResponse {
  const association = associationOf(store, i.account_id, i.instance_id);
  const groups = JSON.parse(i.security_groups) as Array<{ GroupName: string }>;
  const mac = `0e:${i.eni_id.slice(4, 14).match(/../g)!.join(':')}`;
  const zoneId = zonesOf(i.region).find((z) => z.name === i.availability_zone)?.id ?? '';
  const leaves: Record<string, string | undefined> = {
    'ami-id': i.image_id,
    'ami-launch-index': String(i.ami_launch_index),
    hostname: privateDnsName(i.private_ip, i.region),
    'instance-id': i.instance_id,
    'instance-type': i.instance_type,
    'local-hostname': privateDnsName(i.private_ip, i.region),
    'local-ipv4': i.private_ip,
    mac,
    'public-hostname': i.public_ip ? publicDnsName(i.public_ip, i.region) : undefined,
    'public-ipv4': i.public_ip ?? undefined,
    'reservation-id': i.reservation_id,
    'security-groups': groups.map((g) => g.GroupName).join('\n'),
    'placement/availability-zone': i.availability_zone,
    'placement/availability-zone-id': zoneId,
    'placement/region': i.region,
    'services/domain': 'amazonaws.com',
    'services/partition': 'aws',
  };
  const clean = path.replace(/\/$/, '');
  if (clean === '') {
    const top = new Set<string>();
    for (const [k, v] of Object.entries(leaves)) if (v !== undefined) top.add(k.includes('/') ? `${k.split('/')[0]}/` : k);
    if (association) top.add('iam/');
    if (options.InstanceMetadataTags === 'enabled') top.add('tags/');
    return text(200, [...top].sort().join('\n'));
  }
  if (clean === 'placement') return text(200, 'availability-zone\navailability-zone-id\nregion');
  if (clean === 'services') return text(200, 'domain\npartition');
  if (leaves[clean] !== undefined) return text(200, leaves[clean]!);
  if (clean === 'tags' || clean.startsWith('tags/')) {
    if (options.InstanceMetadataTags !== 'enabled') return NOT_FOUND();
    const tags = tagsOf(store, i.account_id, i.instance_id);
    if (clean === 'tags') return text(200, 'instance');
    if (clean === 'tags/instance') return text(200, Object.keys(tags).join('\n'));
    const value = tags[clean.slice('tags/instance/'.length)];
    return value === undefined ? NOT_FOUND() : text(200, value);
  }
  if (clean === 'iam' || clean.startsWith('iam/')) {
    if (!association) return NOT_FOUND();
    if (clean === 'iam') return text(200, 'info\nsecurity-credentials/');
    const profile = instanceRole(store, association);
    if (clean === 'iam/info') {
      return json({ Code: 'Success', LastUpdated: new Date(association.associated_at).toISOString().replace(/\.\d{3}Z$/, 'Z'), InstanceProfileArn: association.instance_profile_arn, InstanceProfileId: association.instance_profile_id });
    }
    if (clean === 'iam/security-credentials') return profile?.role ? text(200, profile.role.name) : NOT_FOUND();
    const roleName = clean.slice('iam/security-credentials/'.length);
    if (!profile?.role || roleName !== profile.role.name) return NOT_FOUND();
    return json(instanceCredentials(store, i, association, now, delivery));
  }
  return NOT_FOUND();
}
