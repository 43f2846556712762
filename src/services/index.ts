import type { ServiceName } from '../protocol/index.js';
import { iamService } from './iam/index.js';
import { stsService } from './sts/index.js';
import { s3Service } from './s3/index.js';
import { s3controlService } from './s3control/index.js';
import { dynamodbService } from './dynamodb/index.js';
import { ec2Service } from './ec2/index.js';
import { organizationsService } from './organizations/index.js';
import { cloudtrailService } from './cloudtrail/index.js';
import { accessanalyzerService } from './accessanalyzer/index.js';
import { ssoAdminService } from './sso-admin/index.js';
import { identitystoreService } from './identitystore/index.js';
import { ssoPortalService } from './sso/index.js';
import type { ServiceDefinition } from './operation.js';

/** Every service iamlocal serves: the one registry the server and `iamlocal coverage` read. */
export const SERVICES: Partial<Record<ServiceName, ServiceDefinition>> = {
  iam: iamService,
  sts: stsService,
  s3: s3Service,
  s3control: s3controlService,
  dynamodb: dynamodbService,
  ec2: ec2Service,
  organizations: organizationsService,
  cloudtrail: cloudtrailService,
  accessanalyzer: accessanalyzerService,
  'sso-admin': ssoAdminService,
  identitystore: identitystoreService,
  sso: ssoPortalService,
};
