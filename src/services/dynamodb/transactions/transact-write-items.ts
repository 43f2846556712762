import { createHash } from 'node:crypto';
import { AwsError } from '../../../protocol/errors.js';
import { operation } from '../../operation.js';
import type { AuthzEntry, RequestContext } from '../../types.js';
import { validation, withMembers } from '../errors.js';
import { leadingKeys, tableEntry, tableFor } from '../authz/rules.js';
import { consumed, writeUnits, type CapacityMode } from '../items/capacity.js';
import { checkPlaceholders, conditionHolds, updatedNames } from '../items/expression-use.js';
import { itemFromRequest, keyFromRequest, type ConditionInput } from '../items/item-input.js';
import type { Item } from '../items/item-json.js';
import { deleteItem, keyBytesOf, readItem, writeItem, type KeyBytes, type StoredItem } from '../items/item-rows.js';
import { applyUpdate } from '../items/update-item.js';
import { itemTable, type Table } from '../tables/table-rows.js';
import { MAX_TRANSACTION_ITEMS } from './transact-get-items.js';

/** How long a ClientRequestToken is remembered. */
export const TOKEN_TTL_MS = 10 * 60 * 1000;

interface Action extends ConditionInput {
  TableName: string;
  Key?: Record<string, unknown>;
  Item?: Record<string, unknown>;
}

interface TransactWriteItem {
  ConditionCheck?: Action;
  Put?: Action;
  Delete?: Action;
  Update?: Action & { UpdateExpression: string };
}

interface TransactWriteItemsInput {
  TransactItems: TransactWriteItem[];
  ClientRequestToken?: string;
  ReturnConsumedCapacity?: CapacityMode;
  ReturnItemCollectionMetrics?: string;
}

type Kind = 'ConditionCheck' | 'Put' | 'Delete' | 'Update';
const ACTIONS: Record<Kind, string> = {
  ConditionCheck: 'dynamodb:ConditionCheckItem', Put: 'dynamodb:PutItem', Delete: 'dynamodb:DeleteItem', Update: 'dynamodb:UpdateItem',
};

function kindOf(t: TransactWriteItem): { kind: Kind; action: Action } {
  const kinds = (Object.keys(ACTIONS) as Kind[]).filter((k) => t[k] !== undefined);
  if (kinds.length !== 1) {
    throw validation('TransactItems can only contain one of Check, Put, Update or Delete');
  }
  return { kind: kinds[0], action: t[kinds[0]]! };
}

/**
 * TransactWriteItems: the item action of each (dynamodb:PutItem, UpdateItem, DeleteItem,
 * ConditionCheckItem) on its table. Every condition is checked against the state before
 * the transaction; if any fails, nothing is written and TransactionCanceledException
 * gives one reason per action, in order. All writes happen in the request's one
 * savepoint: all or nothing. A ClientRequestToken makes a retry within 10 minutes a
 * no-op that succeeds again, and the same token with another request a mismatch.
 */
export const TransactWriteItems = operation({
  writes: true,
  authorize: (ctx, input: TransactWriteItemsInput) =>
    input.TransactItems.map((t): AuthzEntry => {
      const { kind, action } = kindOf(t);
      const key = (action.Item ?? action.Key) as Item | undefined;
      const names = kind === 'Put' ? Object.keys(action.Item ?? {}) : kind === 'Update' ? updatedNames(action) : undefined;
      return tableEntry(ctx, action.TableName, ACTIONS[kind], {
        leadingKeys: leadingKeys(tableFor(ctx, action.TableName), [key]),
        attributes: names,
        returnConsumedCapacity: input.ReturnConsumedCapacity,
      });
    }),
  run: (ctx: RequestContext, input: TransactWriteItemsInput) => {
    if (input.TransactItems.length > MAX_TRANSACTION_ITEMS) {
      throw validation(`1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to ${MAX_TRANSACTION_ITEMS}`);
    }
    if (input.ClientRequestToken !== undefined && replayed(ctx, input)) return {};
    // Check everything first: a bad request writes nothing.
    const plans = input.TransactItems.map((t) => {
      const { kind, action } = kindOf(t);
      checkPlaceholders(action);
      const table = itemTable(ctx, action.TableName);
      let item: Item | undefined;
      let bytes: KeyBytes;
      let key: Item | undefined;
      if (kind === 'Put') {
        item = itemFromRequest(table, action.Item ?? {});
        bytes = keyBytesOf(table.key, item);
      } else {
        const k = keyFromRequest(table, action.Key ?? {});
        key = k.key;
        bytes = k.bytes;
      }
      return { kind, action, table, item, key, bytes };
    });
    const seen = new Set<string>();
    for (const p of plans) {
      const id = `${p.table.arn}/${p.bytes.hk.toString('hex')}/${p.bytes.rk.toString('hex')}`;
      if (seen.has(id)) throw validation('Transaction request cannot include multiple operations on one item');
      seen.add(id);
    }
    const olds = plans.map((p) => readItem(ctx.store, p.table, p.bytes));
    const reasons = plans.map((p, i) => reasonFor(p.action, olds[i]));
    if (reasons.some((r) => r.Code !== 'None')) {
      throw withMembers(
        'TransactionCanceledException',
        `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
        { CancellationReasons: reasons },
      );
    }
    const units = new Map<string, { table: Table; units: number }>();
    plans.forEach((p, i) => {
      const old = olds[i];
      let size = old?.size ?? 0;
      if (p.kind === 'Put') size = Math.max(size, writeItem(ctx.store, p.table, p.item!, old).size);
      else if (p.kind === 'Delete' && old) deleteItem(ctx.store, p.table, old);
      else if (p.kind === 'Update') size = Math.max(size, applyUpdate(ctx, p.table, p.key!, old, { ...p.action, Key: p.key! }).stored?.size ?? 0);
      const u = units.get(p.table.arn) ?? { table: p.table, units: 0 };
      u.units += 2 * writeUnits(size);
      units.set(p.table.arn, u);
    });
    if (input.ClientRequestToken !== undefined) remember(ctx, input);
    const capacity = [...units.values()].map((u) => consumed(u.table, input.ReturnConsumedCapacity, 'write', u.units)).filter((c) => c !== undefined);
    return { ConsumedCapacity: capacity.length ? capacity : undefined };
  },
});

function reasonFor(action: Action, old: StoredItem | undefined): Record<string, unknown> {
  if (conditionHolds(action, old?.item)) return { Code: 'None' };
  const reason: Record<string, unknown> = { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' };
  if (action.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && old) reason.Item = JSON.parse(old.text);
  return reason;
}

function digest(input: TransactWriteItemsInput): string {
  const { ClientRequestToken: _, ...rest } = input;
  return createHash('sha256').update(JSON.stringify(rest)).digest('hex');
}

/** A token seen within 10 minutes: the same request again (true: already done) or a mismatch (thrown). */
function replayed(ctx: RequestContext, input: TransactWriteItemsInput): boolean {
  ctx.store.prepare('DELETE FROM ddb_transaction_tokens WHERE created_at <= ?').run(ctx.now - TOKEN_TTL_MS);
  const row = ctx.store
    .prepare<{ request: string }>('SELECT request FROM ddb_transaction_tokens WHERE account_id = ? AND region = ? AND token = ?')
    .get(ctx.accountId, ctx.region, input.ClientRequestToken);
  if (!row) return false;
  if (row.request !== digest(input)) {
    throw new AwsError('IdempotentParameterMismatchException', 'The request uses the same client token as a previous, but non-identical request.', 400);
  }
  return true;
}

function remember(ctx: RequestContext, input: TransactWriteItemsInput): void {
  ctx.store
    .prepare('INSERT INTO ddb_transaction_tokens (account_id, region, token, request, created_at) VALUES (?, ?, ?, ?, ?)')
    .run(ctx.accountId, ctx.region, input.ClientRequestToken, digest(input), ctx.now);
}
