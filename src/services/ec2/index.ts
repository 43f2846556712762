import { defineService } from '../operation.js';
import { ec2AccessDenied } from './authz/denied.js';
import * as regions from './regions/regions.js';
import * as vpcs from './vpcs/vpcs.js';
import * as vpcWrites from './vpcs/vpc-writes.js';
import * as keyPairs from './key-pairs/key-pairs.js';
import * as securityGroups from './security-groups/security-groups.js';
import * as images from './images/images.js';
import * as runInstances from './instances/run-instances.js';
import * as describeInstances from './instances/describe-instances.js';
import * as lifecycle from './instances/lifecycle.js';
import * as metadataOptions from './instances/metadata-options.js';
import * as associations from './instance-profiles/associations.js';
import * as tags from './tags/tags.js';
import * as volumes from './volumes/volumes.js';
import * as networkInterfaces from './network-interfaces/network-interfaces.js';
import { settleInstances } from './instances/housekeeping.js';

/**
 * EC2: one folder per entity (see README.md). Every operation's authorize is built from
 * authz/entries.ts (Describe* on "*", actions on resource ARNs with their tags and keys);
 * denials are worded by authz/denied.ts (UnauthorizedOperation with an encoded message).
 */
export const ec2Service = defineService(
  'ec2',
  [regions, vpcs, vpcWrites, keyPairs, securityGroups, images, runInstances, describeInstances, lifecycle, metadataOptions, associations, tags, volumes, networkInterfaces],
  { accessDenied: ec2AccessDenied, housekeeping: settleInstances },
);

export { answerMetadata, type MetadataRequest, type MetadataResponse } from './imds/metadata-service.js';
