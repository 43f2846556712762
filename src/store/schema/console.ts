/**
 * The web console's tables (src/console/), appended after every other migration (their
 * position in the list is their schema version).
 */
export const CONSOLE_MIGRATIONS = [
  {
    name: 'console: root passwords, console sessions',
    sql: `
      -- The root user's console password (scrypt), on the account row: resetting an account
      -- keeps its root credentials, and this is one of them.
      ALTER TABLE accounts ADD COLUMN root_password_hash TEXT;

      -- One row per console sign-in. The cookie holds a random token; only its SHA-256 is
      -- kept, so the table alone signs nobody in. principal names who signed in (root or an
      -- IAM user, by unique id); role_access_key_id the role session after Switch role
      -- (temporary credentials issued by STS AssumeRole, kept server-side).
      CREATE TABLE console_sessions (
        account_id         TEXT NOT NULL,
        token_hash         TEXT NOT NULL,
        csrf_token         TEXT NOT NULL,
        kind               TEXT NOT NULL,          -- 'root' | 'user'
        user_id            TEXT,                   -- IAM users: AIDA…
        state              TEXT NOT NULL,          -- 'mfa' (code awaited) | 'password' (must change it) | 'active'
        mfa_at             INTEGER,                -- when the MFA code was accepted
        role_access_key_id TEXT,                   -- after Switch role: the ASIA key of the role session
        role_display       TEXT,                   -- "ROLE @ ACCOUNT" as the header shows it
        created_at         INTEGER NOT NULL,
        expires_at         INTEGER NOT NULL,
        PRIMARY KEY (account_id, token_hash)
      ) STRICT;
      CREATE UNIQUE INDEX console_sessions_by_token ON console_sessions (token_hash);
    `,
  },
];
