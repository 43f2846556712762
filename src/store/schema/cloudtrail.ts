/**
 * CloudTrail's and Access Analyzer's tables, appended after S3's (src/store/migrations.ts;
 * their position in the list is their schema version).
 */
export const GOVERNANCE_MIGRATIONS = [
  {
    name: 'cloudtrail: trails',
    sql: `
      -- The events themselves are not here: they live in cloudtrail.db beside this database
      -- (src/services/cloudtrail/event-log.ts), written without fsync so that recording
      -- never waits for the disk.

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
