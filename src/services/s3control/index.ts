import { defineService } from '../operation.js';
import { s3AccessDenied } from '../s3/authz/denied.js';
import * as publicAccessBlock from './public-access-block.js';

/** S3 Control: the account-level settings of S3 (so far, Block Public Access). Signed as "s3", under /v20180820/. */
export const s3controlService = defineService('s3control', [publicAccessBlock], { accessDenied: s3AccessDenied });
