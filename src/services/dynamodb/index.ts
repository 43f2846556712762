import { defineService } from '../operation.js';
import { accessDeniedException } from '../../server/authorize.js';
import * as tables from './tables/tables.js';
import * as updateTable from './tables/update-table.js';
import * as putItem from './items/put-item.js';
import * as getItem from './items/get-item.js';
import * as deleteItem from './items/delete-item.js';
import * as updateItem from './items/update-item.js';
import * as query from './queries/query.js';
import * as scan from './queries/scan.js';
import * as batchGet from './batch/batch-get-item.js';
import * as batchWrite from './batch/batch-write-item.js';
import * as transactGet from './transactions/transact-get-items.js';
import * as transactWrite from './transactions/transact-write-items.js';
import * as ttl from './ttl/time-to-live.js';
import { expireItems } from './ttl/expire.js';
import * as tags from './tags/tags.js';
import * as resourcePolicy from './resource-policies/resource-policy.js';

/**
 * DynamoDB (json-1.0): one folder per entity (tables/, items/, queries/, batch/,
 * transactions/, ttl/, tags/, resource-policies/), authz/ for what every operation asks
 * the policy engine and DynamoDB's AccessDeniedException; values/ and expressions/ are
 * the pure libraries of attribute values and expressions. See README.md.
 */
export const dynamodbService = defineService(
  'dynamodb',
  [tables, updateTable, putItem, getItem, deleteItem, updateItem, query, scan, batchGet, batchWrite, transactGet, transactWrite, ttl, tags, resourcePolicy],
  { accessDenied: accessDeniedException(), housekeeping: (ctx) => void expireItems(ctx) },
);
