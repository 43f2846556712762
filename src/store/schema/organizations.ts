/**
 * AWS Organizations' tables, as migrations appended after S3's (src/store/migrations.ts
 * spreads them in place: their position in the list is their schema version).
 *
 * An organization belongs to its management account: every row carries it as account_id,
 * so resetting the management account dissolves its organization as every other account
 * table is wiped. IDs are AWS's (o-…, r-…, ou-…, p-…, h-…, car-…) and unique server-wide.
 */
export const ORGANIZATIONS_MIGRATIONS = [
  {
    name: 'organizations: the organization, its root, OUs, member accounts, policies and their attachments, handshakes',
    sql: `
      CREATE TABLE org_organizations (
        org_id      TEXT PRIMARY KEY,                      -- o-…
        account_id  TEXT NOT NULL UNIQUE REFERENCES accounts(account_id), -- the management account
        feature_set TEXT NOT NULL,                         -- ALL | CONSOLIDATED_BILLING
        created_at  INTEGER NOT NULL
      ) STRICT;

      -- One root per organization; policy_types: JSON [{"Type":…,"Status":"ENABLED"}].
      CREATE TABLE org_roots (
        root_id      TEXT PRIMARY KEY,                     -- r-…
        account_id   TEXT NOT NULL REFERENCES accounts(account_id),
        org_id       TEXT NOT NULL REFERENCES org_organizations(org_id),
        name         TEXT NOT NULL,
        policy_types TEXT NOT NULL
      ) STRICT;

      CREATE TABLE org_ous (
        ou_id      TEXT PRIMARY KEY,                       -- ou-<root>-<8>
        account_id TEXT NOT NULL REFERENCES accounts(account_id),
        org_id     TEXT NOT NULL REFERENCES org_organizations(org_id),
        parent_id  TEXT NOT NULL,                          -- r-… or ou-…
        name       TEXT NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX org_ous_by_parent ON org_ous(parent_id, name);

      -- The accounts of an organization, the management account included (it is one too).
      CREATE TABLE org_accounts (
        member_id     TEXT PRIMARY KEY REFERENCES accounts(account_id), -- an account is in one organization at most
        account_id    TEXT NOT NULL REFERENCES accounts(account_id),
        org_id        TEXT NOT NULL REFERENCES org_organizations(org_id),
        parent_id     TEXT NOT NULL,
        name          TEXT NOT NULL,
        email         TEXT NOT NULL,
        status        TEXT NOT NULL,                       -- ACTIVE | SUSPENDED | PENDING_CLOSURE
        joined_method TEXT NOT NULL,                       -- CREATED | INVITED
        joined_at     INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX org_accounts_by_parent ON org_accounts(parent_id, name);

      -- Customer-made policies; AWS's own (p-FullAWSAccess, p-RCPFullAWSAccess) are not rows.
      CREATE TABLE org_policies (
        policy_id   TEXT PRIMARY KEY,                      -- p-…
        account_id  TEXT NOT NULL REFERENCES accounts(account_id),
        org_id      TEXT NOT NULL REFERENCES org_organizations(org_id),
        type        TEXT NOT NULL,                         -- SERVICE_CONTROL_POLICY | RESOURCE_CONTROL_POLICY
        name        TEXT NOT NULL,
        description TEXT NOT NULL,
        content     TEXT NOT NULL,
        created_at  INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE org_policy_attachments (
        account_id  TEXT NOT NULL REFERENCES accounts(account_id),
        org_id      TEXT NOT NULL REFERENCES org_organizations(org_id),
        policy_id   TEXT NOT NULL,                         -- a row of org_policies, or an AWS managed id
        policy_type TEXT NOT NULL,
        target_id   TEXT NOT NULL,                         -- r-…, ou-… or a 12-digit account
        attached_at INTEGER NOT NULL,
        PRIMARY KEY (policy_id, target_id, org_id)
      ) STRICT;
      CREATE INDEX org_policy_attachments_by_target ON org_policy_attachments(target_id, policy_type);

      -- CreateAccount requests (DescribeCreateAccountStatus), kept as AWS keeps them for 90 days.
      CREATE TABLE org_create_account_status (
        request_id   TEXT PRIMARY KEY,                     -- car-…
        account_id   TEXT NOT NULL REFERENCES accounts(account_id),
        org_id       TEXT NOT NULL,
        account_name TEXT NOT NULL,
        state        TEXT NOT NULL,                        -- IN_PROGRESS | SUCCEEDED | FAILED
        new_account  TEXT,
        failure      TEXT,
        requested_at INTEGER NOT NULL,
        completed_at INTEGER
      ) STRICT;

      -- Invitations: from the management account (account_id) to another account (target).
      CREATE TABLE org_handshakes (
        handshake_id TEXT PRIMARY KEY,                     -- h-…
        account_id   TEXT NOT NULL REFERENCES accounts(account_id),
        org_id       TEXT NOT NULL,
        target       TEXT NOT NULL,                        -- the invited account id
        action       TEXT NOT NULL,                        -- INVITE
        state        TEXT NOT NULL,                        -- OPEN | ACCEPTED | DECLINED | CANCELED | EXPIRED
        notes        TEXT,
        requested_at INTEGER NOT NULL,
        expires_at   INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX org_handshakes_by_target ON org_handshakes(target);
    `,
  },
];
