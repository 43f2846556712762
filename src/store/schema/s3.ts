/**
 * S3's tables, as migrations appended after IAM's and STS's (src/store/migrations.ts
 * spreads them in place: their position in the list is their schema version, so new
 * ones go at the end of the whole list, never in the middle).
 */
export const S3_MIGRATIONS = [
  {
    name: 's3 objects: versions, their metadata, and the blob holding their bytes',
    sql: `
      -- One row per version of an object (a delete marker is a version too). The bytes are
      -- a file named by blob_id (src/store/blobs.ts), written and fsynced before the row.
      CREATE TABLE s3_objects (
        account_id    TEXT NOT NULL,            -- the bucket owner's account
        bucket        TEXT NOT NULL,
        key           TEXT NOT NULL,            -- compared as bytes (BINARY), as S3 orders keys
        version_id    TEXT NOT NULL,            -- 'null' for a version written while versioning was off/suspended
        is_latest     INTEGER NOT NULL,         -- 1 for the current version of the key
        delete_marker INTEGER NOT NULL DEFAULT 0,
        blob_id       TEXT,                     -- the file holding the bytes; NULL when they are in data, or there are none
        data          BLOB,                     -- the bytes of a small object (up to 16 KiB), kept in the row: no file, no fsync of its own
        size          INTEGER NOT NULL,
        etag          TEXT NOT NULL,            -- as sent in ETag, quotes included
        content       TEXT NOT NULL,            -- JSON: ContentType, ContentEncoding, ContentLanguage, ContentDisposition, CacheControl, Expires
        metadata      TEXT NOT NULL,            -- JSON: x-amz-meta-* (names lower-cased, without the prefix)
        checksums     TEXT NOT NULL,            -- JSON: { algorithm: base64 value, type: FULL_OBJECT|COMPOSITE }
        storage_class TEXT NOT NULL DEFAULT 'STANDARD',
        sse           TEXT,                     -- JSON: ServerSideEncryption, SSEKMSKeyId, BucketKeyEnabled
        created_at    INTEGER NOT NULL,         -- LastModified
        PRIMARY KEY (account_id, bucket, key, version_id)
      ) STRICT;
      -- The current version of a key, found without the account (bucket names are global).
      CREATE UNIQUE INDEX s3_objects_latest ON s3_objects(bucket, key) WHERE is_latest = 1;
      CREATE INDEX s3_objects_by_blob ON s3_objects(blob_id) WHERE blob_id IS NOT NULL;
    `,
  },
  {
    // After the object table's migration: it adds object tags and ACLs to it.
    name: 's3 buckets, the account-level public access block, object tags and ACLs, multipart uploads',
    sql: `
      -- Bucket names are global across accounts (and regions), as in S3: the name is the key.
      -- Each sub-resource is one nullable column: NULL means "not configured" (S3's
      -- NoSuch… errors); configurations are the decoded model structures as JSON.
      CREATE TABLE s3_buckets (
        name                TEXT PRIMARY KEY,
        account_id          TEXT NOT NULL REFERENCES accounts(account_id),
        region              TEXT NOT NULL,
        created_at          INTEGER NOT NULL,
        -- NULL: never versioned; 'Enabled' | 'Suspended'
        versioning          TEXT,
        mfa_delete          TEXT,
        -- BucketOwnerEnforced (ACLs disabled) | BucketOwnerPreferred | ObjectWriter;
        -- NULL once the ownership controls are deleted (the bucket then acts as ObjectWriter)
        object_ownership    TEXT,
        -- the bucket ACL when ACLs are enabled: {"Grants":[…]} (NULL: owner FULL_CONTROL)
        acl                 TEXT,
        -- the bucket policy exactly as sent
        policy              TEXT,
        public_access_block TEXT,
        -- NULL: S3's default (SSE-S3, AES256)
        encryption          TEXT,
        tags                TEXT,
        cors                TEXT,
        lifecycle           TEXT,
        object_lock         TEXT
      ) STRICT;
      CREATE INDEX s3_buckets_by_account ON s3_buckets(account_id, name);

      CREATE TABLE s3_account_public_access_block (
        account_id TEXT PRIMARY KEY REFERENCES accounts(account_id),
        config     TEXT NOT NULL
      ) STRICT;

      CREATE TABLE s3_multipart_uploads (
        upload_id   TEXT PRIMARY KEY,
        account_id  TEXT NOT NULL REFERENCES accounts(account_id),
        bucket      TEXT NOT NULL REFERENCES s3_buckets(name),
        key         TEXT NOT NULL,
        initiated_at INTEGER NOT NULL,
        -- who initiated it (Initiator / Owner in ListMultipartUploads)
        initiator_arn TEXT NOT NULL,
        initiator_id  TEXT NOT NULL,
        -- what CreateMultipartUpload asked for the object: metadata, content headers,
        -- encryption, tags, storage class, checksum algorithm (JSON)
        attributes  TEXT NOT NULL
      ) STRICT;
      CREATE INDEX s3_multipart_uploads_by_key ON s3_multipart_uploads(bucket, key, initiated_at);

      CREATE TABLE s3_multipart_parts (
        upload_id   TEXT NOT NULL REFERENCES s3_multipart_uploads(upload_id) ON DELETE CASCADE,
        account_id  TEXT NOT NULL REFERENCES accounts(account_id),
        part_number INTEGER NOT NULL,
        size        INTEGER NOT NULL,
        etag        TEXT NOT NULL,
        -- the part's bytes in the blob store
        blob        TEXT NOT NULL,
        checksums   TEXT,
        uploaded_at INTEGER NOT NULL,
        PRIMARY KEY (upload_id, part_number)
      ) STRICT;

      -- A version's tags (JSON [{Key, Value}], NULL: none) and ACL (JSON {Canned} or
      -- {Grants}, NULL: the owner's full control). Versions listed in key order, newest
      -- first (ListObjectVersions) need every version by key.
      ALTER TABLE s3_objects ADD COLUMN tags TEXT;
      ALTER TABLE s3_objects ADD COLUMN acl TEXT;
      CREATE INDEX s3_objects_by_key ON s3_objects(bucket, key);
    `,
  },
];
