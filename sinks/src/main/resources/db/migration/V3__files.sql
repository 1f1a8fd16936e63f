-- Presigned uploads (POST /v1/files, then PUT upload_url). A file becomes an asset when its bytes arrive;
-- the status makes the signed URL single-use: pending -> uploading -> uploaded (back to pending on failure).
CREATE TABLE files (
    id           text PRIMARY KEY,
    account_id   uuid        NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    file_name    text        NOT NULL,
    content_type text        NOT NULL,
    size_bytes   bigint      NOT NULL,
    purpose      text        NOT NULL,
    status       text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'uploading', 'uploaded')),
    asset_id     uuid        REFERENCES assets (id) ON DELETE SET NULL,
    sha256       text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    claimed_at   timestamptz,
    uploaded_at  timestamptz
);
CREATE INDEX files_account_newest ON files (account_id, created_at DESC);
