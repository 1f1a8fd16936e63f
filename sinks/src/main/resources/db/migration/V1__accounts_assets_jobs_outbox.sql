-- Core schema of the API: accounts and their keys, content-addressed blobs, each account's assets on them,
-- jobs (extended by the pipeline later), and the transactional outbox relayed to Kafka.

CREATE TABLE accounts (
    id           uuid PRIMARY KEY,
    name         text        NOT NULL,
    plan         text        NOT NULL CHECK (plan IN ('basic', 'pro')),
    credits      bigint      NOT NULL DEFAULT 0,
    created_at   timestamptz NOT NULL DEFAULT now(),
    suspended_at timestamptz
);

-- The plain key is shown once; only its SHA-256 is stored. The prefix (not secret) finds the row.
CREATE TABLE api_keys (
    id           uuid PRIMARY KEY,
    account_id   uuid        NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    prefix       text        NOT NULL UNIQUE,
    key_hash     bytea       NOT NULL,
    name         text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    revoked_at   timestamptz
);
CREATE INDEX api_keys_account ON api_keys (account_id);

-- One row per distinct content. The reference count is derived (assets with this sha256), never a counter
-- that a retried transaction could skew.
CREATE TABLE blobs (
    sha256     text        PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size_bytes bigint      NOT NULL CHECK (size_bytes >= 0),
    location   text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- An account's handle on a blob; the id is derived from (account, sha256), so it is stable across re-uploads.
CREATE TABLE assets (
    id               uuid PRIMARY KEY,
    account_id       uuid        NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    sha256           text        NOT NULL REFERENCES blobs (sha256),
    method           text        NOT NULL CHECK (method IN ('upload', 'direct', 'url', 'file')),
    filename         text,
    content_type     text        NOT NULL,
    file_type        text        NOT NULL,
    size_bytes       bigint      NOT NULL,
    status           text        NOT NULL DEFAULT 'processing' CHECK (status IN ('processing', 'ready', 'failed')),
    error_code       text,
    error_message    text,
    duration_seconds double precision,
    container        text,
    codec            text,
    sample_rate      integer,
    channels         integer,
    metadata         jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    expires_at       timestamptz NOT NULL,
    UNIQUE (account_id, sha256)
);
-- Newest-first listing and keyset pagination on (created_at, id).
CREATE INDEX assets_account_newest ON assets (account_id, created_at DESC, id DESC);
CREATE INDEX assets_metadata ON assets USING gin (metadata jsonb_path_ops);
CREATE INDEX assets_isrc ON assets (account_id, (metadata ->> 'isrc'));
CREATE INDEX assets_sha256 ON assets (sha256);

-- Placeholder the pipeline issue extends (analyzers, results, outputs).
CREATE TABLE jobs (
    id         uuid PRIMARY KEY,
    account_id uuid        NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    asset_id   uuid        REFERENCES assets (id) ON DELETE SET NULL,
    kind       text        NOT NULL,
    status     text        NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
    error      text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX jobs_active_by_asset ON jobs (asset_id) WHERE status IN ('queued', 'running');
CREATE INDEX jobs_account_newest ON jobs (account_id, created_at DESC);

-- Written in the same transaction as the row it announces; a relay publishes it to Kafka.
CREATE TABLE outbox (
    id           bigserial PRIMARY KEY,
    topic        text        NOT NULL,
    key          text        NOT NULL,
    payload      jsonb       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    published_at timestamptz
);
CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL;

-- How far each relay has reconciled each partition: committed in the same transaction that marks rows
-- published, so after a crash the relay re-reads Kafka only from here to find what it sent but did not mark.
CREATE TABLE outbox_relay_offsets (
    relay       text        NOT NULL,
    topic       text        NOT NULL,
    partition   integer     NOT NULL,
    next_offset bigint      NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (relay, topic, partition)
);

-- Fixed-window request counters per API key, shared by every API replica.
CREATE TABLE rate_limit_windows (
    key_id       uuid        NOT NULL,
    window_start timestamptz NOT NULL,
    hits         integer     NOT NULL,
    PRIMARY KEY (key_id, window_start)
);
