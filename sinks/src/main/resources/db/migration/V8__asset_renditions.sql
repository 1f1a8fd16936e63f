-- Renditions of an asset for playback and display: a waveform thumbnail (PNG) and an HLS rendition (playlist and
-- AAC segments). One row per requested rendition of an asset, with its own status; it goes when the asset goes.
-- The rows are also the work queue of the API's rendition workers: a worker claims a row by setting
-- status 'processing' and a lease it keeps renewing; a row still 'processing' after its lease ran out was left by
-- a crashed replica and is claimed again.
CREATE TABLE asset_renditions (
    asset_id      uuid        NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    kind          text        NOT NULL CHECK (kind IN ('thumbnail', 'hls')),
    status        text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'processing', 'ready', 'error')),
    error_code    text,
    error_message text,
    attempts      integer     NOT NULL DEFAULT 0,
    lease_until   timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (asset_id, kind)
);
CREATE INDEX asset_renditions_open ON asset_renditions (created_at) WHERE status IN ('pending', 'processing');

-- The files of a ready rendition, each a content-addressed blob (so identical outputs are stored once). The
-- blob collector keeps a blob while an asset or a rendition file references it.
CREATE TABLE asset_rendition_files (
    asset_id     uuid   NOT NULL,
    kind         text   NOT NULL,
    name         text   NOT NULL CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$'),
    blob_sha256  text   NOT NULL REFERENCES blobs (sha256),
    content_type text   NOT NULL,
    size_bytes   bigint NOT NULL CHECK (size_bytes >= 0),
    PRIMARY KEY (asset_id, kind, name),
    FOREIGN KEY (asset_id, kind) REFERENCES asset_renditions (asset_id, kind) ON DELETE CASCADE
);
CREATE INDEX asset_rendition_files_blob ON asset_rendition_files (blob_sha256);
