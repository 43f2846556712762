import type Database from 'better-sqlite3';
import { S3_MIGRATIONS } from './schema/s3.js';
import { DYNAMODB_MIGRATIONS } from './schema/dynamodb.js';
import { EC2_MIGRATIONS } from './schema/ec2.js';
import { CONSOLE_MIGRATIONS } from './schema/console.js';
import { ORGANIZATIONS_MIGRATIONS } from './schema/organizations.js';
import { GOVERNANCE_MIGRATIONS } from './schema/cloudtrail.js';
import { IDENTITY_CENTER_MIGRATIONS } from './schema/identity-center.js';

/**
 * The schema, as one ordered list of migrations. The database remembers how many it has
 * applied (PRAGMA user_version); opening the store applies the rest, each in its own
 * transaction. Never edit or reorder an entry once it has shipped: append a new one.
 *
 * Conventions every table follows (so resetAccount and later engineers can rely on them):
 * - every row has an account_id column, and every key starts with it;
 * - times are INTEGER epoch milliseconds, named *_at;
 * - an entity's stable key is its AWS unique id (user_id AIDA…, later role_id AROA…,
 *   group_id AGPA…), so a rename touches one row; names are unique per account,
 *   case-insensitively (COLLATE NOCASE), as IAM's are;
 * - tags of any entity live in the one `tags` table, keyed by (resource_kind, resource_id).
 */
export interface Migration {
  name: string;
  sql: string;
}

/** The tables whose rows per account have a quota (entityCount reads them). */
export const COUNTED_TABLES = ['users', 'groups', 'roles', 'managed_policies', 'instance_profiles', 'mfa_devices'] as const;

function countTriggers(table: string): string {
  return `
      INSERT INTO entity_counts (account_id, entity, n) SELECT account_id, '${table}', count(*) FROM ${table} GROUP BY account_id;
      CREATE TRIGGER ${table}_counted_in AFTER INSERT ON ${table} BEGIN
        INSERT INTO entity_counts (account_id, entity, n) VALUES (NEW.account_id, '${table}', 1)
          ON CONFLICT (account_id, entity) DO UPDATE SET n = n + 1;
      END;
      CREATE TRIGGER ${table}_counted_out AFTER DELETE ON ${table} BEGIN
        UPDATE entity_counts SET n = n - 1 WHERE account_id = OLD.account_id AND entity = '${table}';
      END;`;
}

export const MIGRATIONS: Migration[] = [
  {
    name: 'iam core: accounts, users, access keys, user inline policies, tags',
    sql: `
      CREATE TABLE accounts (
        account_id         TEXT PRIMARY KEY,
        created_at         INTEGER NOT NULL,
        -- the root key made (or pinned) at bootstrap, printed at start
        root_access_key_id TEXT
      ) STRICT;

      CREATE TABLE users (
        account_id               TEXT NOT NULL REFERENCES accounts(account_id),
        user_id                  TEXT NOT NULL,
        user_name                TEXT NOT NULL COLLATE NOCASE,
        path                     TEXT NOT NULL,
        created_at               INTEGER NOT NULL,
        permissions_boundary_arn TEXT,
        password_last_used_at    INTEGER,
        PRIMARY KEY (account_id, user_id),
        UNIQUE (account_id, user_name)
      ) STRICT;

      -- Every credential that signs requests: root and user long-term keys (AKIA…) and,
      -- later, temporary session keys (ASIA…: session_token, expires_at and the session's
      -- principal as JSON in session).
      CREATE TABLE access_keys (
        access_key_id     TEXT PRIMARY KEY,
        account_id        TEXT NOT NULL REFERENCES accounts(account_id),
        owner_kind        TEXT NOT NULL CHECK (owner_kind IN ('root', 'user', 'session')),
        user_id           TEXT,
        secret_access_key TEXT NOT NULL,
        status            TEXT NOT NULL CHECK (status IN ('Active', 'Inactive', 'Expired')),
        created_at        INTEGER NOT NULL,
        session_token     TEXT,
        expires_at        INTEGER,
        session           TEXT,
        last_used_at      INTEGER,
        last_used_service TEXT,
        last_used_region  TEXT,
        FOREIGN KEY (account_id, user_id) REFERENCES users(account_id, user_id),
        CHECK ((owner_kind = 'user') = (user_id IS NOT NULL))
      ) STRICT;
      CREATE INDEX access_keys_by_owner ON access_keys(account_id, owner_kind, user_id);

      CREATE TABLE user_policies (
        account_id  TEXT NOT NULL,
        user_id     TEXT NOT NULL,
        policy_name TEXT NOT NULL COLLATE NOCASE,
        document    TEXT NOT NULL,
        created_at  INTEGER NOT NULL,
        PRIMARY KEY (account_id, user_id, policy_name),
        FOREIGN KEY (account_id, user_id) REFERENCES users(account_id, user_id)
      ) STRICT;

      -- Tags of any taggable entity. key_fold is the key lower-cased (Unicode-aware, which
      -- NOCASE is not): IAM tag keys are unique case-insensitively. position keeps the
      -- order tags were first added, which is the order IAM lists them in.
      CREATE TABLE tags (
        account_id    TEXT NOT NULL,
        resource_kind TEXT NOT NULL,
        resource_id   TEXT NOT NULL,
        key_fold      TEXT NOT NULL,
        tag_key       TEXT NOT NULL,
        tag_value     TEXT NOT NULL,
        position      INTEGER NOT NULL,
        PRIMARY KEY (account_id, resource_kind, resource_id, key_fold)
      ) STRICT;
    `,
  },
  {
    name: 'sts and credentials: virtual MFA devices, login profiles, password history, account password policy, authorization-message keys',
    sql: `
      -- Virtual MFA devices. user_id is set while the device is enabled for an IAM user
      -- (DeleteUser checks it); root_enabled while it is enabled for the root user.
      -- last_step is the replay guard: the TOTP step of the last code accepted.
      CREATE TABLE mfa_devices (
        account_id    TEXT NOT NULL REFERENCES accounts(account_id),
        serial_number TEXT NOT NULL COLLATE NOCASE,
        path          TEXT NOT NULL,
        device_name   TEXT NOT NULL,
        seed          TEXT NOT NULL,
        created_at    INTEGER NOT NULL,
        user_id       TEXT,
        root_enabled  INTEGER NOT NULL DEFAULT 0,
        enabled_at    INTEGER,
        last_step     INTEGER,
        drift_steps   INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (account_id, serial_number),
        FOREIGN KEY (account_id, user_id) REFERENCES users(account_id, user_id)
      ) STRICT;
      CREATE INDEX mfa_devices_by_user ON mfa_devices(account_id, user_id);

      -- Console passwords (scrypt hashes only).
      CREATE TABLE login_profiles (
        account_id              TEXT NOT NULL,
        user_id                 TEXT NOT NULL,
        password_hash           TEXT NOT NULL,
        password_reset_required INTEGER NOT NULL DEFAULT 0,
        created_at              INTEGER NOT NULL,
        password_changed_at     INTEGER NOT NULL,
        PRIMARY KEY (account_id, user_id),
        FOREIGN KEY (account_id, user_id) REFERENCES users(account_id, user_id)
      ) STRICT;

      -- Previous password hashes, for PasswordReusePrevention (newest kept, at most 24).
      -- No foreign key to users: the history outlives a deleted login profile, and rows
      -- left by a deleted user are inert (user ids are never reused).
      CREATE TABLE password_history (
        account_id    TEXT NOT NULL,
        user_id       TEXT NOT NULL,
        set_at        INTEGER NOT NULL,
        password_hash TEXT NOT NULL,
        PRIMARY KEY (account_id, user_id, set_at, password_hash)
      ) STRICT;

      -- The account password policy (UpdateAccountPasswordPolicy), as JSON in AWS's shape.
      CREATE TABLE account_password_policies (
        account_id TEXT PRIMARY KEY REFERENCES accounts(account_id),
        policy     TEXT NOT NULL
      ) STRICT;

      -- Per-account key that seals the encoded authorization messages of denials
      -- (DecodeAuthorizationMessage opens them).
      CREATE TABLE authorization_message_keys (
        account_id TEXT PRIMARY KEY REFERENCES accounts(account_id),
        key        BLOB NOT NULL
      ) STRICT;

      CREATE INDEX access_keys_session_expiry ON access_keys(account_id, owner_kind, expires_at);
    `,
  },
  {
    name: 'managed policies: customer managed policies and versions, attachments to users, groups and roles',
    sql: `
      -- Customer managed policies. Names are unique per account whatever the path; the
      -- ARN (path + name) never changes, so attachments refer to policies by ARN.
      -- next_version numbers the next CreatePolicyVersion: IAM never reuses a version id.
      CREATE TABLE managed_policies (
        account_id         TEXT NOT NULL REFERENCES accounts(account_id),
        policy_id          TEXT NOT NULL,
        policy_name        TEXT NOT NULL COLLATE NOCASE,
        path               TEXT NOT NULL,
        description        TEXT,
        default_version_id TEXT NOT NULL,
        next_version       INTEGER NOT NULL,
        created_at         INTEGER NOT NULL,
        updated_at         INTEGER NOT NULL,
        PRIMARY KEY (account_id, policy_id),
        UNIQUE (account_id, policy_name)
      ) STRICT;

      CREATE TABLE managed_policy_versions (
        account_id TEXT NOT NULL,
        policy_id  TEXT NOT NULL,
        version_id TEXT NOT NULL,
        document   TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (account_id, policy_id, version_id),
        FOREIGN KEY (account_id, policy_id) REFERENCES managed_policies(account_id, policy_id)
      ) STRICT;

      -- Managed policies (customer or AWS, by ARN) attached to each kind of identity,
      -- keyed by the identity's unique id. Groups and roles have no foreign key: their
      -- tables come from another migration, and their deletion checks these tables.
      CREATE TABLE user_policy_attachments (
        account_id  TEXT NOT NULL,
        user_id     TEXT NOT NULL,
        policy_arn  TEXT NOT NULL,
        attached_at INTEGER NOT NULL,
        PRIMARY KEY (account_id, user_id, policy_arn),
        FOREIGN KEY (account_id, user_id) REFERENCES users(account_id, user_id)
      ) STRICT;
      CREATE INDEX user_policy_attachments_by_policy ON user_policy_attachments(account_id, policy_arn);

      CREATE TABLE group_policy_attachments (
        account_id  TEXT NOT NULL,
        group_id    TEXT NOT NULL,
        policy_arn  TEXT NOT NULL,
        attached_at INTEGER NOT NULL,
        PRIMARY KEY (account_id, group_id, policy_arn)
      ) STRICT;
      CREATE INDEX group_policy_attachments_by_policy ON group_policy_attachments(account_id, policy_arn);

      CREATE TABLE role_policy_attachments (
        account_id  TEXT NOT NULL,
        role_id     TEXT NOT NULL,
        policy_arn  TEXT NOT NULL,
        attached_at INTEGER NOT NULL,
        PRIMARY KEY (account_id, role_id, policy_arn)
      ) STRICT;
      CREATE INDEX role_policy_attachments_by_policy ON role_policy_attachments(account_id, policy_arn);

      CREATE INDEX users_by_boundary ON users(account_id, permissions_boundary_arn);
    `,
  },
  {
    name: 'groups, roles, instance profiles: membership, inline policies, service-linked role deletions',
    sql: `
      CREATE TABLE groups (
        account_id TEXT NOT NULL REFERENCES accounts(account_id),
        group_id   TEXT NOT NULL,
        group_name TEXT NOT NULL COLLATE NOCASE,
        path       TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (account_id, group_id),
        UNIQUE (account_id, group_name)
      ) STRICT;

      -- user_id is what DeleteUser checks (user-dependents.ts); added_at orders GetGroup.
      CREATE TABLE group_members (
        account_id TEXT NOT NULL,
        group_id   TEXT NOT NULL,
        user_id    TEXT NOT NULL,
        added_at   INTEGER NOT NULL,
        PRIMARY KEY (account_id, group_id, user_id),
        FOREIGN KEY (account_id, group_id) REFERENCES groups(account_id, group_id),
        FOREIGN KEY (account_id, user_id) REFERENCES users(account_id, user_id)
      ) STRICT;
      CREATE INDEX group_members_by_user ON group_members(account_id, user_id);

      CREATE TABLE group_policies (
        account_id  TEXT NOT NULL,
        group_id    TEXT NOT NULL,
        policy_name TEXT NOT NULL COLLATE NOCASE,
        document    TEXT NOT NULL,
        created_at  INTEGER NOT NULL,
        PRIMARY KEY (account_id, group_id, policy_name),
        FOREIGN KEY (account_id, group_id) REFERENCES groups(account_id, group_id)
      ) STRICT;

      -- service_name is set for service-linked roles (the AWSServiceName that owns it):
      -- only that service may change them. last_used_* feed GetRole's RoleLastUsed.
      CREATE TABLE roles (
        account_id                  TEXT NOT NULL REFERENCES accounts(account_id),
        role_id                     TEXT NOT NULL,
        role_name                   TEXT NOT NULL COLLATE NOCASE,
        path                        TEXT NOT NULL,
        created_at                  INTEGER NOT NULL,
        assume_role_policy_document TEXT NOT NULL,
        description                 TEXT,
        max_session_duration        INTEGER NOT NULL,
        permissions_boundary_arn    TEXT,
        service_name                TEXT,
        last_used_at                INTEGER,
        last_used_region            TEXT,
        PRIMARY KEY (account_id, role_id),
        UNIQUE (account_id, role_name)
      ) STRICT;
      CREATE INDEX roles_by_boundary ON roles(account_id, permissions_boundary_arn);

      CREATE TABLE role_policies (
        account_id  TEXT NOT NULL,
        role_id     TEXT NOT NULL,
        policy_name TEXT NOT NULL COLLATE NOCASE,
        document    TEXT NOT NULL,
        created_at  INTEGER NOT NULL,
        PRIMARY KEY (account_id, role_id, policy_name),
        FOREIGN KEY (account_id, role_id) REFERENCES roles(account_id, role_id)
      ) STRICT;

      CREATE TABLE instance_profiles (
        account_id            TEXT NOT NULL REFERENCES accounts(account_id),
        instance_profile_id   TEXT NOT NULL,
        instance_profile_name TEXT NOT NULL COLLATE NOCASE,
        path                  TEXT NOT NULL,
        created_at            INTEGER NOT NULL,
        PRIMARY KEY (account_id, instance_profile_id),
        UNIQUE (account_id, instance_profile_name)
      ) STRICT;

      CREATE TABLE instance_profile_roles (
        account_id          TEXT NOT NULL,
        instance_profile_id TEXT NOT NULL,
        role_id             TEXT NOT NULL,
        added_at            INTEGER NOT NULL,
        PRIMARY KEY (account_id, instance_profile_id, role_id),
        FOREIGN KEY (account_id, instance_profile_id) REFERENCES instance_profiles(account_id, instance_profile_id),
        FOREIGN KEY (account_id, role_id) REFERENCES roles(account_id, role_id)
      ) STRICT;
      CREATE INDEX instance_profile_roles_by_role ON instance_profile_roles(account_id, role_id);

      -- DeleteServiceLinkedRole's tasks, for GetServiceLinkedRoleDeletionStatus.
      CREATE TABLE service_linked_role_deletions (
        account_id       TEXT NOT NULL REFERENCES accounts(account_id),
        deletion_task_id TEXT NOT NULL,
        status           TEXT NOT NULL CHECK (status IN ('SUCCEEDED', 'IN_PROGRESS', 'FAILED', 'NOT_STARTED')),
        created_at       INTEGER NOT NULL,
        PRIMARY KEY (account_id, deletion_task_id)
      ) STRICT;
    `,
  },
  {
    name: 'account: alias, credential report',
    sql: `
      -- One alias per account. Aliases are unique across every account (AWS's are unique
      -- worldwide), so the alias is a key of its own.
      CREATE TABLE account_aliases (
        account_id TEXT PRIMARY KEY REFERENCES accounts(account_id),
        alias      TEXT NOT NULL UNIQUE
      ) STRICT;

      -- The last credential report generated (GenerateCredentialReport): its CSV and when
      -- it was made (GetCredentialReport refuses it four hours later).
      CREATE TABLE credential_reports (
        account_id   TEXT PRIMARY KEY REFERENCES accounts(account_id),
        generated_at INTEGER NOT NULL,
        content      TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    name: 'entity counts per account, kept by triggers, for quota checks',
    sql: `
      -- count(*) over an account's users costs ~0.5 ms at 12,000 users, on every create;
      -- a row per (account, table) kept by triggers costs one index lookup. Triggers run
      -- inside the writing transaction, so a rollback rolls the count back too.
      CREATE TABLE entity_counts (
        account_id TEXT NOT NULL,
        entity     TEXT NOT NULL,
        n          INTEGER NOT NULL,
        PRIMARY KEY (account_id, entity)
      ) STRICT;
      ${COUNTED_TABLES.map(countTriggers).join('\n')}
    `,
  },
  {
    name: 'identity providers (OIDC, SAML), STS preferences, access advisor jobs',
    sql: `
      -- An OIDC provider is named by its URL without the scheme (host/path), as its ARN is.
      -- client_ids and thumbprints are JSON arrays in the order they were given.
      CREATE TABLE oidc_providers (
        account_id  TEXT NOT NULL REFERENCES accounts(account_id),
        url         TEXT NOT NULL,
        client_ids  TEXT NOT NULL,
        thumbprints TEXT NOT NULL,
        created_at  INTEGER NOT NULL,
        PRIMARY KEY (account_id, url)
      ) STRICT;

      -- private_keys: JSON [{KeyId, Timestamp}] (the keys themselves are not kept).
      CREATE TABLE saml_providers (
        account_id                TEXT NOT NULL REFERENCES accounts(account_id),
        name                      TEXT NOT NULL,
        uuid                      TEXT NOT NULL,
        metadata                  TEXT NOT NULL,
        created_at                INTEGER NOT NULL,
        valid_until               INTEGER,
        assertion_encryption_mode TEXT,
        private_keys              TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (account_id, name)
      ) STRICT;

      CREATE TABLE sts_preferences (
        account_id                    TEXT PRIMARY KEY REFERENCES accounts(account_id),
        global_endpoint_token_version TEXT NOT NULL CHECK (global_endpoint_token_version IN ('v1Token', 'v2Token'))
      ) STRICT;

      -- GenerateServiceLastAccessedDetails jobs complete at once; report is the computed
      -- result as JSON, read back by GetServiceLastAccessedDetails[WithEntities].
      CREATE TABLE access_advisor_jobs (
        account_id  TEXT NOT NULL REFERENCES accounts(account_id),
        job_id      TEXT NOT NULL,
        entity_arn  TEXT NOT NULL,
        granularity TEXT NOT NULL,
        created_at  INTEGER NOT NULL,
        report      TEXT NOT NULL,
        PRIMARY KEY (account_id, job_id)
      ) STRICT;
    `,
  },
  {
    name: 'user credentials: SSH public keys, signing certificates, service-specific credentials, server certificates',
    sql: `
      CREATE TABLE ssh_public_keys (
        account_id        TEXT NOT NULL REFERENCES accounts(account_id),
        ssh_public_key_id TEXT NOT NULL,
        user_id           TEXT NOT NULL,
        -- the key as OpenSSH's one-line form (ssh-rsa AAAA…), whatever the upload's encoding
        body              TEXT NOT NULL,
        fingerprint       TEXT NOT NULL,
        status            TEXT NOT NULL,
        uploaded_at       INTEGER NOT NULL,
        PRIMARY KEY (account_id, ssh_public_key_id),
        FOREIGN KEY (account_id, user_id) REFERENCES users(account_id, user_id)
      ) STRICT;
      CREATE INDEX ssh_public_keys_by_user ON ssh_public_keys(account_id, user_id);

      -- user_id NULL: a certificate of the root user
      CREATE TABLE signing_certificates (
        account_id     TEXT NOT NULL REFERENCES accounts(account_id),
        certificate_id TEXT NOT NULL,
        user_id        TEXT,
        body           TEXT NOT NULL,
        fingerprint    TEXT NOT NULL,
        status         TEXT NOT NULL,
        uploaded_at    INTEGER NOT NULL,
        PRIMARY KEY (account_id, certificate_id),
        FOREIGN KEY (account_id, user_id) REFERENCES users(account_id, user_id)
      ) STRICT;
      CREATE INDEX signing_certificates_by_user ON signing_certificates(account_id, user_id);

      CREATE TABLE service_specific_credentials (
        account_id   TEXT NOT NULL REFERENCES accounts(account_id),
        credential_id TEXT NOT NULL,
        user_id      TEXT NOT NULL,
        service_name TEXT NOT NULL,
        -- codecommit/cassandra: user name + password; bedrock/logs: alias + secret
        service_user_name TEXT NOT NULL,
        secret       TEXT NOT NULL,
        status       TEXT NOT NULL,
        created_at   INTEGER NOT NULL,
        expires_at   INTEGER,
        PRIMARY KEY (account_id, credential_id),
        FOREIGN KEY (account_id, user_id) REFERENCES users(account_id, user_id)
      ) STRICT;
      CREATE INDEX service_specific_credentials_by_user ON service_specific_credentials(account_id, user_id, service_name);

      CREATE TABLE server_certificates (
        account_id              TEXT NOT NULL REFERENCES accounts(account_id),
        server_certificate_id   TEXT NOT NULL,
        server_certificate_name TEXT NOT NULL COLLATE NOCASE,
        path                    TEXT NOT NULL,
        body                    TEXT NOT NULL,
        chain                   TEXT,
        expires_at              INTEGER NOT NULL,
        uploaded_at             INTEGER NOT NULL,
        PRIMARY KEY (account_id, server_certificate_id),
        UNIQUE (account_id, server_certificate_name)
      ) STRICT;
    `,
  },
  {
    name: 'web identity keys: registered JWKS per issuer, the built-in test issuers\' key pairs',
    sql: `
      -- Keys iamlocal cannot fetch (it works offline): a JWKS an operator registered for
      -- an issuer URL (the token's iss, trailing slash dropped), per account.
      CREATE TABLE oidc_jwks (
        account_id TEXT NOT NULL REFERENCES accounts(account_id),
        issuer     TEXT NOT NULL,
        jwks       TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (account_id, issuer)
      ) STRICT;

      -- The built-in test issuers (/_iamlocal/oidc/NAME) belong to the server, not to an
      -- account: no account_id, so an account reset keeps them and tokens stay valid.
      CREATE TABLE test_issuer_keys (
        name        TEXT PRIMARY KEY,
        kid         TEXT NOT NULL,
        private_key TEXT NOT NULL,
        public_jwk  TEXT NOT NULL,
        created_at  INTEGER NOT NULL
      ) STRICT;
    `,
  },
  // S3 (after the IAM and STS tables; the order is the schema version)
  ...S3_MIGRATIONS,
  // DynamoDB (after S3's)
  ...DYNAMODB_MIGRATIONS,
  ...EC2_MIGRATIONS,
  // the web console (src/console/)
  ...CONSOLE_MIGRATIONS,
  // Organizations (after S3)
  ...ORGANIZATIONS_MIGRATIONS,
  // CloudTrail and Access Analyzer
  ...GOVERNANCE_MIGRATIONS,
  // IAM Identity Center (sso-admin, identitystore, the portal)
  ...IDENTITY_CENTER_MIGRATIONS,
];

/** Brings the database up to the last migration. Refuses a database from a newer iamlocal. */
export function migrate(db: Database.Database, migrations: Migration[] = MIGRATIONS): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(`the data directory was written by a newer iamlocal (schema ${current}; this one knows ${migrations.length})`);
  }
  for (let v = current; v < migrations.length; v++) {
    db.transaction(() => {
      db.exec(migrations[v].sql);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
