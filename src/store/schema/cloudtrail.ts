/**
 * CloudTrail's and Access Analyzer's tables, appended after S3's (src/store/migrations.ts;
 * their position in the list is their schema version).
 */
export const GOVERNANCE_MIGRATIONS = [
  {
    name: 'cloudtrail: the event history, trails',
    sql: `
      -- One row per recorded request (an append-only log): seq orders it across accounts,
      -- so retention can drop the oldest in one range delete; every lookup is by account.
      CREATE TABLE cloudtrail_events (
        seq           INTEGER PRIMARY KEY,
        account_id    TEXT NOT NULL,            -- recipientAccountId
        event_id      TEXT NOT NULL,
        event_time    INTEGER NOT NULL,
        event_name    TEXT NOT NULL,
        event_source  TEXT NOT NULL,
        username      TEXT,
        access_key_id TEXT,
        read_only     INTEGER NOT NULL,
        management    INTEGER NOT NULL,         -- 0: a data event (S3 object level), kept only for trails that select it
        resource_type TEXT,
        resource_name TEXT,
        principal_arn TEXT,                     -- the caller's ARN (a role session's: its role's), for policy generation
        authz         TEXT,                     -- JSON [[action, resource]…]: what the request was authorized for
        record        TEXT NOT NULL             -- the CloudTrail event JSON
      ) STRICT;
      CREATE INDEX cloudtrail_events_by_time ON cloudtrail_events(account_id, event_time);
      CREATE UNIQUE INDEX cloudtrail_events_by_id ON cloudtrail_events(account_id, event_id);

      CREATE TABLE cloudtrail_trails (
        account_id          TEXT NOT NULL REFERENCES accounts(account_id),
        name                TEXT NOT NULL,
        home_region         TEXT NOT NULL,
        bucket              TEXT NOT NULL,
        key_prefix          TEXT,
        include_global      INTEGER NOT NULL,
        multi_region        INTEGER NOT NULL,
        log_file_validation INTEGER NOT NULL,
        logging             INTEGER NOT NULL,
        selectors           TEXT,               -- JSON EventSelectors; NULL: management events, read and write
        advanced_selectors  TEXT,               -- JSON AdvancedEventSelectors
        delivered_seq       INTEGER NOT NULL,   -- events up to this seq are delivered (or were before logging started)
        created_at          INTEGER NOT NULL,
        started_at          INTEGER,
        stopped_at          INTEGER,
        delivered_at        INTEGER,
        delivery_error      TEXT,
        tags                TEXT,               -- JSON [{Key, Value}]
        PRIMARY KEY (account_id, name)
      ) STRICT;
    `,
  },
  {
    name: 'access analyzer: analyzers, policy generations',
    sql: `
      CREATE TABLE accessanalyzer_analyzers (
        account_id       TEXT NOT NULL REFERENCES accounts(account_id),
        name             TEXT NOT NULL,
        type             TEXT NOT NULL,         -- ACCOUNT | ORGANIZATION
        region           TEXT NOT NULL,
        created_at       INTEGER NOT NULL,
        analyzed_at      INTEGER,
        tags             TEXT,                  -- JSON {key: value}
        PRIMARY KEY (account_id, name)
      ) STRICT;

      -- Findings are not stored: they are computed from the resources' policies whenever
      -- they are asked for, so they are never stale.

      CREATE TABLE accessanalyzer_generations (
        account_id    TEXT NOT NULL REFERENCES accounts(account_id),
        job_id        TEXT NOT NULL,
        principal_arn TEXT NOT NULL,
        started_at    INTEGER NOT NULL,
        completed_at  INTEGER,
        status        TEXT NOT NULL,
        start_time    INTEGER NOT NULL,         -- the CloudTrail window the policy was generated from
        end_time      INTEGER NOT NULL,
        result        TEXT,                     -- JSON {policies, properties}
        PRIMARY KEY (account_id, job_id)
      ) STRICT;
    `,
  },
];
