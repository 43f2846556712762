/**
 * IAM Identity Center's tables (sso-admin, identitystore and the portal's sign-ins), as
 * migrations appended after the governance ones (src/store/migrations.ts spreads them in
 * place: their position in the list is their schema version).
 *
 * Every row carries account_id: the account that owns the instance (an organization's
 * management account), so resetting it removes its Identity Center as every other
 * account table is wiped. IDs are AWS's (ssoins-…, d-…, ps-…, UUIDs) and unique server-wide.
 */
export const IDENTITY_CENTER_MIGRATIONS = [
  {
    name: 'identity center: instances, identity store users/groups/memberships, permission sets, account assignments, portal tokens',
    sql: `
      CREATE TABLE sso_instances (
        instance_id       TEXT PRIMARY KEY,                 -- ssoins-<16 hex>
        account_id        TEXT NOT NULL UNIQUE REFERENCES accounts(account_id),
        identity_store_id TEXT NOT NULL UNIQUE,             -- d-<10 hex>
        name              TEXT,
        region            TEXT NOT NULL,
        created_at        INTEGER NOT NULL
      ) STRICT;

      -- attributes: the user's other members as the API gives them (JSON: Name, Emails…).
      -- password_hash: iamlocal's sign-in secret (scrypt), set by /_iamlocal/sso/password.
      CREATE TABLE ids_users (
        user_id           TEXT PRIMARY KEY,
        account_id        TEXT NOT NULL REFERENCES accounts(account_id),
        identity_store_id TEXT NOT NULL,
        user_name         TEXT NOT NULL COLLATE NOCASE,
        display_name      TEXT,
        attributes        TEXT NOT NULL,
        password_hash     TEXT,
        created_at        INTEGER NOT NULL,
        updated_at        INTEGER NOT NULL,
        UNIQUE (identity_store_id, user_name)
      ) STRICT;

      CREATE TABLE ids_groups (
        group_id          TEXT PRIMARY KEY,
        account_id        TEXT NOT NULL REFERENCES accounts(account_id),
        identity_store_id TEXT NOT NULL,
        display_name      TEXT NOT NULL COLLATE NOCASE,
        description       TEXT,
        created_at        INTEGER NOT NULL,
        updated_at        INTEGER NOT NULL,
        UNIQUE (identity_store_id, display_name)
      ) STRICT;

      CREATE TABLE ids_memberships (
        membership_id     TEXT PRIMARY KEY,
        account_id        TEXT NOT NULL REFERENCES accounts(account_id),
        identity_store_id TEXT NOT NULL,
        group_id          TEXT NOT NULL REFERENCES ids_groups(group_id),
        user_id           TEXT NOT NULL REFERENCES ids_users(user_id),
        created_at        INTEGER NOT NULL,
        UNIQUE (group_id, user_id)
      ) STRICT;
      CREATE INDEX ids_memberships_by_user ON ids_memberships(user_id);

      -- boundary: JSON {ManagedPolicyArn} or {CustomerManagedPolicyReference: {Name, Path}}.
      -- changed_at moves with every edit; a provisioned role older than it is outdated.
      CREATE TABLE sso_permission_sets (
        permission_set_id TEXT PRIMARY KEY,                 -- ps-<16 hex>
        account_id        TEXT NOT NULL REFERENCES accounts(account_id),
        instance_id       TEXT NOT NULL REFERENCES sso_instances(instance_id),
        name              TEXT NOT NULL,
        description       TEXT,
        session_duration  TEXT NOT NULL,                    -- ISO-8601 (PT1H)
        relay_state       TEXT,
        inline_policy     TEXT,
        boundary          TEXT,
        created_at        INTEGER NOT NULL,
        changed_at        INTEGER NOT NULL,
        UNIQUE (instance_id, name)
      ) STRICT;

      CREATE TABLE sso_ps_managed_policies (
        account_id        TEXT NOT NULL REFERENCES accounts(account_id),
        permission_set_id TEXT NOT NULL REFERENCES sso_permission_sets(permission_set_id),
        policy_arn        TEXT NOT NULL,
        attached_at       INTEGER NOT NULL,
        PRIMARY KEY (permission_set_id, policy_arn)
      ) STRICT;

      CREATE TABLE sso_ps_customer_policies (
        account_id        TEXT NOT NULL REFERENCES accounts(account_id),
        permission_set_id TEXT NOT NULL REFERENCES sso_permission_sets(permission_set_id),
        name              TEXT NOT NULL,
        path              TEXT NOT NULL,
        attached_at       INTEGER NOT NULL,
        PRIMARY KEY (permission_set_id, name, path)
      ) STRICT;

      CREATE TABLE sso_account_assignments (
        account_id        TEXT NOT NULL REFERENCES accounts(account_id),
        instance_id       TEXT NOT NULL REFERENCES sso_instances(instance_id),
        target_account    TEXT NOT NULL,
        permission_set_id TEXT NOT NULL REFERENCES sso_permission_sets(permission_set_id),
        principal_type    TEXT NOT NULL CHECK (principal_type IN ('USER', 'GROUP')),
        principal_id      TEXT NOT NULL,
        created_at        INTEGER NOT NULL,
        PRIMARY KEY (instance_id, target_account, permission_set_id, principal_type, principal_id)
      ) STRICT;
      CREATE INDEX sso_assignments_by_principal ON sso_account_assignments(principal_id);

      -- A permission set provisioned to an account: the role made there, and when.
      CREATE TABLE sso_provisioned (
        account_id        TEXT NOT NULL REFERENCES accounts(account_id),
        permission_set_id TEXT NOT NULL REFERENCES sso_permission_sets(permission_set_id),
        target_account    TEXT NOT NULL,
        role_name         TEXT NOT NULL,
        provisioned_at    INTEGER NOT NULL,
        PRIMARY KEY (permission_set_id, target_account)
      ) STRICT;

      -- The asynchronous requests' statuses: kind CREATE_ASSIGNMENT, DELETE_ASSIGNMENT, PROVISION.
      CREATE TABLE sso_requests (
        request_id        TEXT PRIMARY KEY,
        account_id        TEXT NOT NULL REFERENCES accounts(account_id),
        instance_id       TEXT NOT NULL,
        kind              TEXT NOT NULL,
        status            TEXT NOT NULL,
        failure           TEXT,
        target_account    TEXT,
        permission_set_id TEXT NOT NULL,
        principal_type    TEXT,
        principal_id      TEXT,
        created_at        INTEGER NOT NULL
      ) STRICT;

      -- Portal access tokens (what the aws CLI caches after a sign-in); only their SHA-256 is kept.
      CREATE TABLE sso_portal_tokens (
        token_hash  TEXT PRIMARY KEY,
        account_id  TEXT NOT NULL REFERENCES accounts(account_id),
        instance_id TEXT NOT NULL,
        user_id     TEXT NOT NULL,
        created_at  INTEGER NOT NULL,
        expires_at  INTEGER NOT NULL
      ) STRICT;
    `,
  },
];
