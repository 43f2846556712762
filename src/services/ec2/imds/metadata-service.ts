import type { Store } from '../../../store/store.js';
import { imagesIn } from '../images/catalogue.js';
import { zonesOf } from '../regions/catalogue.js';
import { tagsOf } from '../tags/tag-rows.js';
import { associationOf, findInstanceAnywhere, macAddress, privateDnsName, publicDnsName, stateOf, type AssociationRow, type InstanceRow, type MetadataOptions } from '../instances/instance-rows.js';
import { findSubnet, findVpc } from '../vpcs/rows.js';
import { instanceCredentials, instanceRole } from './credentials.js';
import { issueToken, tokenExpiry } from './tokens.js';

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

/** Every IMDS answer names its server as EC2's does (some tools check it to know they are on EC2). */
function text(status: number, body: string | Buffer, headers: Record<string, string> = {}): MetadataResponse {
  return { status, headers: { 'content-type': 'text/plain', 'accept-ranges': 'none', server: 'EC2ws', ...headers }, body };
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
  let expiry: number | undefined;
  if (token !== undefined) {
    expiry = tokenExpiry(token, instanceId, now);
    if (expiry === undefined) return text(401, '');
  } else if (options.HttpTokens === 'required') return text(401, '');
  const delivery = token !== undefined ? '2.0' : '1.0';
  const answer = route(store, instance, options, path, now, delivery);
  // With a token, each answer says how many of its seconds remain.
  if (expiry !== undefined) answer.headers['x-aws-ec2-metadata-token-ttl-seconds'] = String(Math.ceil((expiry - now) / 1000));
  return answer;
}

/** The answer to a GET the instance's settings allow, by its path. */
function route(store: Store, instance: InstanceRow, options: MetadataOptions, path: string, now: number, delivery: '1.0' | '2.0'): MetadataResponse {
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

/** JSON as IMDS lays it out: two-space indents and a space on each side of the colon ("Code" : "Success"). */
function json(value: unknown): MetadataResponse {
  return text(200, JSON.stringify(value, null, 2).replace(/^(\s*"(?:[^"\\]|\\.)*"): /gm, '$1 : '));
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
  const clean = path.replace(/\/$/, '');
  if (clean === 'tags' || clean.startsWith('tags/')) return instanceTags(store, i, options, clean);
  if (clean === 'iam' || clean.startsWith('iam/')) return iam(store, i, association, clean, now, delivery);
  const leaves = metadataLeaves(store, i);
  const leaf = leaves.get(clean);
  if (leaf !== undefined) return text(200, leaf);
  // A directory: its entries, those with more below them ending in "/".
  const prefix = clean === '' ? '' : `${clean}/`;
  const entries = new Set<string>();
  for (const key of leaves.keys()) {
    if (!key.startsWith(prefix)) continue;
    const rest = key.slice(prefix.length);
    entries.add(rest.includes('/') ? `${rest.split('/')[0]}/` : rest);
  }
  if (clean === '') {
    if (association) entries.add('iam/');
    if (options.InstanceMetadataTags === 'enabled') entries.add('tags/');
  }
  return entries.size > 0 ? text(200, [...entries].sort().join('\n')) : NOT_FOUND();
}

/** Every meta-data path that has a value, by its path (directories are what lies under them). */
function metadataLeaves(store: Store, i: InstanceRow): Map<string, string> {
  const groups = JSON.parse(i.security_groups) as Array<{ GroupId: string; GroupName: string }>;
  const mac = macAddress(i.eni_id);
  const zoneId = zonesOf(i.region).find((z) => z.name === i.availability_zone)?.id ?? '';
  const subnet = findSubnet(store, i.account_id, i.region, i.subnet_id);
  const vpc = findVpc(store, i.account_id, i.region, i.vpc_id);
  const image = imagesIn(i.region).get(i.image_id);
  const hostname = privateDnsName(i.private_ip, i.region);
  const net = `network/interfaces/macs/${mac}`;
  const leaves: Array<[string, string | undefined]> = [
    ['ami-id', i.image_id],
    ['ami-launch-index', String(i.ami_launch_index)],
    ['ami-manifest-path', '(unknown)'],
    ['block-device-mapping/ami', image?.rootDeviceName ?? '/dev/xvda'],
    ['block-device-mapping/root', image?.rootDeviceName ?? '/dev/xvda'],
    ['hostname', hostname],
    ['instance-action', 'none'],
    ['instance-id', i.instance_id],
    ['instance-life-cycle', 'on-demand'],
    ['instance-type', i.instance_type],
    ['local-hostname', hostname],
    ['local-ipv4', i.private_ip],
    ['mac', mac],
    [`${net}/device-number`, '0'],
    [`${net}/interface-id`, i.eni_id],
    [`${net}/local-hostname`, hostname],
    [`${net}/local-ipv4s`, i.private_ip],
    [`${net}/mac`, mac],
    [`${net}/owner-id`, i.account_id],
    [`${net}/public-hostname`, i.public_ip ? publicDnsName(i.public_ip, i.region) : undefined],
    [`${net}/public-ipv4s`, i.public_ip ?? undefined],
    [`${net}/security-group-ids`, groups.map((g) => g.GroupId).join('\n')],
    [`${net}/security-groups`, groups.map((g) => g.GroupName).join('\n')],
    [`${net}/subnet-id`, i.subnet_id],
    [`${net}/subnet-ipv4-cidr-block`, subnet?.cidr_block],
    [`${net}/vpc-id`, i.vpc_id],
    [`${net}/vpc-ipv4-cidr-block`, vpc?.cidr_block],
    [`${net}/vpc-ipv4-cidr-blocks`, vpc?.cidr_block],
    ['placement/availability-zone', i.availability_zone],
    ['placement/availability-zone-id', zoneId],
    ['placement/region', i.region],
    ['profile', 'default-hvm'],
    ['public-hostname', i.public_ip ? publicDnsName(i.public_ip, i.region) : undefined],
    ['public-ipv4', i.public_ip ?? undefined],
    ['reservation-id', i.reservation_id],
    ['security-groups', groups.map((g) => g.GroupName).join('\n')],
    ['services/domain', 'amazonaws.com'],
    ['services/partition', 'aws'],
  ];
  return new Map(leaves.filter((l): l is [string, string] => l[1] !== undefined));
}

/** tags/instance/KEY, when the instance allows its tags in its metadata. */
function instanceTags(store: Store, i: InstanceRow, options: MetadataOptions, clean: string): MetadataResponse {
  if (options.InstanceMetadataTags !== 'enabled') return NOT_FOUND();
  const tags = tagsOf(store, i.account_id, i.instance_id);
  if (clean === 'tags') return text(200, 'instance');
  if (clean === 'tags/instance') return text(200, Object.keys(tags).join('\n'));
  const value = tags[clean.slice('tags/instance/'.length)];
  return value === undefined ? NOT_FOUND() : text(200, value);
}

/** iam/info and iam/security-credentials/ROLE, while the instance has a profile. */
function iam(store: Store, i: InstanceRow, association: AssociationRow | undefined, clean: string, now: number, delivery: '1.0' | '2.0'): MetadataResponse {
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
