-- Landmark fingerprints for identification and near-duplicate flagging (issue 7).
--
-- One row per fingerprinted recording, with a compact integer id so that each landmark row carries 4 bytes instead
-- of a 64-character sha256. Recordings are kept after their assets expire, like analysis_results.
CREATE TABLE fingerprint_recordings (
    id             integer     GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sha256         text        NOT NULL UNIQUE CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    format         text        NOT NULL,
    frames         integer     NOT NULL CHECK (frames >= 0),
    landmark_count integer     NOT NULL CHECK (landmark_count >= 0),
    indexed_at     timestamptz NOT NULL DEFAULT now()
);
-- Near-duplicate candidates are recordings of about the same length.
CREATE INDEX fingerprint_recordings_frames ON fingerprint_recordings (frames);

-- The inverted index: one row per landmark (hash, recording, anchor time in frames of 23.2 ms). No foreign key:
-- rows are written by COPY in the same transaction as their recording row and deleted with it explicitly.
CREATE TABLE fingerprint_landmarks (
    hash         integer NOT NULL,
    recording_id integer NOT NULL,
    time_frames  integer NOT NULL
);
-- Lookups read every posting of many hashes at once (hash = ANY(...)); carrying the recording and time in the
-- index makes them index-only scans.
CREATE INDEX fingerprint_landmarks_hash ON fingerprint_landmarks (hash) INCLUDE (recording_id, time_frames);
-- A recording's own landmarks: the query of identify-by-asset, and re-indexing under a new format.
CREATE INDEX fingerprint_landmarks_recording ON fingerprint_landmarks (recording_id);

-- Near-duplicates found when a recording was indexed (same recording, another encoding), stored in both
-- directions; offset_seconds is where recording_id starts in duplicate_id. Which assets (and accounts) see a pair
-- is decided when it is read: only pairs whose both recordings are assets of the caller's account.
CREATE TABLE fingerprint_near_duplicates (
    recording_id   integer          NOT NULL REFERENCES fingerprint_recordings (id) ON DELETE CASCADE,
    duplicate_id   integer          NOT NULL REFERENCES fingerprint_recordings (id) ON DELETE CASCADE,
    score          integer          NOT NULL,
    ratio          double precision NOT NULL,
    offset_seconds double precision NOT NULL,
    found_at       timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (recording_id, duplicate_id),
    CHECK (recording_id <> duplicate_id)
);
