/**
 * DynamoDB's tables, as migrations appended after S3's (src/store/migrations.ts spreads
 * them in place: their position in the list is their schema version).
 */
export const DYNAMODB_MIGRATIONS = [
  {
    name: 'dynamodb tables, items and index entries, transaction tokens',
    sql: `
      -- One row per table. The description is the decoded CreateTable/UpdateTable input
      -- that DescribeTable reports (key schema, attributes, indexes, billing, streams…).
      CREATE TABLE ddb_tables (
        account_id  TEXT NOT NULL REFERENCES accounts(account_id),
        region      TEXT NOT NULL,
        name        TEXT NOT NULL,
        table_id    TEXT NOT NULL,              -- TableId, a UUID
        created_at  INTEGER NOT NULL,           -- epoch ms
        description TEXT NOT NULL,              -- JSON, see src/services/dynamodb/tables/table-rows.ts
        ttl         TEXT,                       -- JSON {AttributeName, Enabled}; NULL: never configured
        tags        TEXT,                       -- JSON [{Key, Value}]
        policy      TEXT,                       -- the resource policy exactly as sent
        policy_revision TEXT,                   -- its RevisionId
        PRIMARY KEY (account_id, region, name)
      ) STRICT;

      -- Items and index entries. Keys are bytes that sort as DynamoDB orders key values
      -- (S as UTF-8, B as is, N by an order-preserving encoding), so a Query is a range
      -- scan of this primary key. idx '' holds the table's items; an index's entries sit
      -- under its name, with base = the item's table key (hk, rk) to keep them unique.
      CREATE TABLE ddb_items (
        account_id TEXT NOT NULL,
        region     TEXT NOT NULL,
        table_name TEXT NOT NULL,
        idx        TEXT NOT NULL,
        hk         BLOB NOT NULL,
        rk         BLOB NOT NULL,               -- empty when the key has no range attribute
        base       BLOB NOT NULL,               -- empty for the table's own rows
        item       TEXT NOT NULL,               -- the item (projected, for an index) as wire JSON
        size       INTEGER NOT NULL,            -- the item's size as DynamoDB counts it
        expires    INTEGER,                     -- TTL: epoch seconds of the TTL attribute, if a number
        PRIMARY KEY (account_id, region, table_name, idx, hk, rk, base)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX ddb_items_expiring ON ddb_items(expires) WHERE expires IS NOT NULL AND idx = '';

      -- TransactWriteItems' ClientRequestToken: kept 10 minutes, with what it asked.
      CREATE TABLE ddb_transaction_tokens (
        account_id TEXT NOT NULL,
        region     TEXT NOT NULL,
        token      TEXT NOT NULL,
        request    TEXT NOT NULL,               -- a digest of the request, to tell a replay from a mismatch
        created_at INTEGER NOT NULL,
        PRIMARY KEY (account_id, region, token)
      ) STRICT;
    `,
  },
];
