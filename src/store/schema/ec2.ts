/**
 * EC2's tables, appended after S3's (src/store/migrations.ts spreads them in place: their
 * position in the list is their schema version). Every key starts with account_id; every
 * row names its region, as EC2 resources are regional.
 */
export const EC2_MIGRATIONS = [
  {
    name: 'ec2: default VPCs and subnets, security groups and rules, key pairs, instances, instance profile associations, tags',
    sql: `
      -- The default VPC of an account's region is written the first time a write in that
      -- region needs it (its IDs are derived from account and region, so reads before
      -- then show the same VPC, computed: src/services/ec2/vpcs/defaults.ts).
      CREATE TABLE ec2_vpcs (
        account_id  TEXT NOT NULL REFERENCES accounts(account_id),
        vpc_id      TEXT NOT NULL,
        region      TEXT NOT NULL,
        cidr_block  TEXT NOT NULL,
        is_default  INTEGER NOT NULL,
        created_at  INTEGER NOT NULL,
        PRIMARY KEY (account_id, vpc_id)
      ) STRICT;
      CREATE INDEX ec2_vpcs_by_region ON ec2_vpcs(account_id, region);

      CREATE TABLE ec2_subnets (
        account_id        TEXT NOT NULL,
        subnet_id         TEXT NOT NULL,
        region            TEXT NOT NULL,
        vpc_id            TEXT NOT NULL,
        availability_zone TEXT NOT NULL,
        cidr_block        TEXT NOT NULL,
        default_for_az    INTEGER NOT NULL,
        created_at        INTEGER NOT NULL,
        PRIMARY KEY (account_id, subnet_id),
        FOREIGN KEY (account_id, vpc_id) REFERENCES ec2_vpcs(account_id, vpc_id)
      ) STRICT;

      -- Group names are unique per VPC (the default one is named "default").
      CREATE TABLE ec2_security_groups (
        account_id  TEXT NOT NULL,
        group_id    TEXT NOT NULL,
        region      TEXT NOT NULL,
        vpc_id      TEXT NOT NULL,
        group_name  TEXT NOT NULL,
        description TEXT NOT NULL,
        created_at  INTEGER NOT NULL,
        PRIMARY KEY (account_id, group_id),
        UNIQUE (account_id, vpc_id, group_name),
        FOREIGN KEY (account_id, vpc_id) REFERENCES ec2_vpcs(account_id, vpc_id)
      ) STRICT;

      -- One row per rule (sgr-…): one protocol/port range and one peer, as EC2 keeps them.
      CREATE TABLE ec2_security_group_rules (
        account_id     TEXT NOT NULL,
        rule_id        TEXT NOT NULL,
        group_id       TEXT NOT NULL,
        is_egress      INTEGER NOT NULL,
        ip_protocol    TEXT NOT NULL,             -- 'tcp' | 'udp' | 'icmp' | '-1' | a number
        from_port      INTEGER NOT NULL,          -- -1 when the protocol has no ports
        to_port        INTEGER NOT NULL,
        peer_kind      TEXT NOT NULL CHECK (peer_kind IN ('ipv4', 'ipv6', 'group', 'prefix-list')),
        peer           TEXT NOT NULL,             -- the CIDR, group id or prefix list id
        description    TEXT,
        PRIMARY KEY (account_id, rule_id),
        UNIQUE (account_id, group_id, is_egress, ip_protocol, from_port, to_port, peer_kind, peer),
        FOREIGN KEY (account_id, group_id) REFERENCES ec2_security_groups(account_id, group_id) ON DELETE CASCADE
      ) STRICT;

      CREATE TABLE ec2_key_pairs (
        account_id  TEXT NOT NULL REFERENCES accounts(account_id),
        key_pair_id TEXT NOT NULL,
        region      TEXT NOT NULL,
        key_name    TEXT NOT NULL,
        key_type    TEXT NOT NULL,                -- 'rsa' | 'ed25519'
        fingerprint TEXT NOT NULL,
        public_key  TEXT NOT NULL,                -- OpenSSH form ("ssh-rsa AAAA…"); EC2 never keeps the private key
        created_at  INTEGER NOT NULL,
        PRIMARY KEY (account_id, key_pair_id),
        UNIQUE (account_id, region, key_name)
      ) STRICT;

      -- An instance's state is stored with the time it entered it: transitions that take
      -- time on EC2 (pending → running…) are read from the server clock
      -- (src/services/ec2/instances/states.ts), and housekeeping writes them down.
      CREATE TABLE ec2_instances (
        account_id        TEXT NOT NULL REFERENCES accounts(account_id),
        instance_id       TEXT NOT NULL,
        region            TEXT NOT NULL,
        reservation_id    TEXT NOT NULL,
        image_id          TEXT NOT NULL,
        instance_type     TEXT NOT NULL,
        key_name          TEXT,
        vpc_id            TEXT NOT NULL,
        subnet_id         TEXT NOT NULL,
        availability_zone TEXT NOT NULL,
        private_ip        TEXT NOT NULL,
        public_ip         TEXT,
        security_groups   TEXT NOT NULL,          -- JSON [{GroupId, GroupName}]
        state             TEXT NOT NULL,          -- pending | running | stopping | stopped | shutting-down | terminated
        state_since       INTEGER NOT NULL,
        state_reason      TEXT,                   -- StateTransitionReason
        launched_at       INTEGER NOT NULL,       -- LaunchTime (reset by each start)
        ami_launch_index  INTEGER NOT NULL,
        user_data         TEXT,                   -- base64, as sent
        metadata_options  TEXT NOT NULL,          -- JSON: HttpTokens, HttpPutResponseHopLimit, HttpEndpoint, InstanceMetadataTags
        client_token      TEXT,
        requester_arn     TEXT NOT NULL,
        volume_id         TEXT NOT NULL,
        eni_id            TEXT NOT NULL,
        PRIMARY KEY (account_id, instance_id)
      ) STRICT;
      CREATE INDEX ec2_instances_by_region ON ec2_instances(account_id, region, instance_id);
      CREATE INDEX ec2_instances_by_state ON ec2_instances(state, state_since);

      -- IAM instance profile associations (iip-assoc-…): at most one 'associated' per instance.
      CREATE TABLE ec2_profile_associations (
        account_id           TEXT NOT NULL,
        association_id       TEXT NOT NULL,
        instance_id          TEXT NOT NULL,
        instance_profile_arn TEXT NOT NULL,
        instance_profile_id  TEXT NOT NULL,
        associated_at        INTEGER NOT NULL,
        PRIMARY KEY (account_id, association_id),
        UNIQUE (account_id, instance_id),
        FOREIGN KEY (account_id, instance_id) REFERENCES ec2_instances(account_id, instance_id) ON DELETE CASCADE
      ) STRICT;

      -- The role session the metadata service hands an instance: the same keys until they
      -- are due for refresh (src/services/ec2/imds/credentials.ts).
      CREATE TABLE ec2_instance_credentials (
        account_id     TEXT NOT NULL,
        instance_id    TEXT NOT NULL,
        association_id TEXT NOT NULL,
        access_key_id  TEXT NOT NULL,
        issued_at      INTEGER NOT NULL,
        expires_at     INTEGER NOT NULL,
        PRIMARY KEY (account_id, instance_id),
        FOREIGN KEY (account_id, instance_id) REFERENCES ec2_instances(account_id, instance_id) ON DELETE CASCADE
      ) STRICT;

      -- Tags of any EC2 resource, by its id (i-…, sg-…, key-…, vpc-…).
      CREATE TABLE ec2_tags (
        account_id    TEXT NOT NULL REFERENCES accounts(account_id),
        resource_id   TEXT NOT NULL,
        resource_type TEXT NOT NULL,              -- DescribeTags' resource-type: instance, security-group…
        key           TEXT NOT NULL,
        value         TEXT NOT NULL,
        PRIMARY KEY (account_id, resource_id, key)
      ) STRICT;
      CREATE INDEX ec2_tags_by_key ON ec2_tags(account_id, key, value);

      -- Every account gets its authorization-message key when it is made (and a new one
      -- when a reset removes it): a denial is often the account's first EC2 request, and
      -- it runs in a transaction that rolls back, where the key could not be kept.
      INSERT OR IGNORE INTO authorization_message_keys (account_id, key) SELECT account_id, randomblob(32) FROM accounts;
      CREATE TRIGGER accounts_get_message_key AFTER INSERT ON accounts BEGIN
        INSERT OR IGNORE INTO authorization_message_keys (account_id, key) VALUES (NEW.account_id, randomblob(32));
      END;
      CREATE TRIGGER message_key_renewed AFTER DELETE ON authorization_message_keys
        WHEN EXISTS (SELECT 1 FROM accounts WHERE account_id = OLD.account_id) BEGIN
        INSERT OR IGNORE INTO authorization_message_keys (account_id, key) VALUES (OLD.account_id, randomblob(32));
      END;
    `,
  },
];
