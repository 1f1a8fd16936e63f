-- Packed landmark storage (issue 7): one row per recording instead of one per landmark, about 14 times smaller
-- (docs/analysis.md, "Identification"; measured by FingerprintMigrationTest and FingerprintIndexBench).
--
-- Each fingerprint_recordings row gets
--   hashes          its distinct landmark hashes, ascending; a GIN index over them finds the recordings that share
--                   the most hashes with a query (GIN keeps one compressed list of rows per hash)
--   landmark_times  the anchor times of all its landmarks, grouped by hash in the order of hashes, varint-encoded:
--                   a version byte (1), then per landmark in (hash, time) order an unsigned LEB128 varint of
--                   (time, or the difference to the previous time of the same hash) << 1 | (1 when another time
--                   of the same hash follows). PackedLandmarks.java reads and writes the same bytes.
-- and fingerprint_landmarks, the one-row-per-landmark table of V7, is dropped. Landmarks now live and die with their
-- recording row; near-duplicate pairs still cascade from it.
--
-- Existing rows are converted here rather than re-fingerprinted: the audio of many indexed recordings has expired
-- (assets keep results, not bytes), so re-indexing could not restore them. Flyway runs this file once, in one
-- transaction and under its lock: an interrupted conversion rolls back to V7 intact and runs again on the next
-- start; replicas starting together wait for the first. Measured: ≈ 35 s per 1000 indexed 3-minute tracks; the
-- table is locked meanwhile (identify and indexing wait).

ALTER TABLE fingerprint_recordings
    ADD COLUMN hashes         integer[],
    ADD COLUMN landmark_times bytea;

-- Unsigned LEB128 of v ≥ 0 (< 2^35), little end first, 0x80 on every byte but the last. PostgreSQL gives <<, | and &
-- the same precedence, left to right: hence every parenthesis. A plain SQL function (no STRICT) so the planner
-- inlines it: 2.5 µs a landmark instead of 20. Temporary: it exists only in this migration's session.
CREATE FUNCTION pg_temp.tonearm_varint(v bigint) RETURNS bytea LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN v < 128 THEN substring(int8send(v) FROM 8)
        WHEN v < 16384 THEN substring(int8send((((v & 127) | 128) << 8) | (v >> 7)) FROM 7)
        WHEN v < 2097152 THEN substring(int8send((((v & 127) | 128) << 16) | ((((v >> 7) & 127) | 128) << 8)
            | (v >> 14)) FROM 6)
        WHEN v < 268435456 THEN substring(int8send((((v & 127) | 128) << 24) | ((((v >> 7) & 127) | 128) << 16)
            | ((((v >> 14) & 127) | 128) << 8) | (v >> 21)) FROM 5)
        ELSE substring(int8send((((v & 127) | 128) << 32) | ((((v >> 7) & 127) | 128) << 24)
            | ((((v >> 14) & 127) | 128) << 16) | ((((v >> 21) & 127) | 128) << 8) | (v >> 28)) FROM 4)
    END
$$;

UPDATE fingerprint_recordings r
SET hashes = p.hashes, landmark_times = p.landmark_times
FROM (
    SELECT recording_id,
           array_agg(hash ORDER BY hash) FILTER (WHERE n = 1) AS hashes,
           '\x01'::bytea || string_agg(pg_temp.tonearm_varint(((CASE WHEN n = 1 THEN time_frames ELSE delta END)::bigint << 1)
                                                              | CASE WHEN more THEN 1 ELSE 0 END),
                                       ''::bytea ORDER BY hash, n) AS landmark_times
    FROM (
        -- n numbers a hash's landmarks in the window's own order, so that the aggregate concatenates them in the
        -- order their flags and differences were computed in, even when a (hash, time) pair repeats
        SELECT recording_id, hash, time_frames,
               row_number() OVER w AS n,
               time_frames - lag(time_frames) OVER w AS delta,
               lead(time_frames) OVER w IS NOT NULL AS more
        FROM fingerprint_landmarks
        WINDOW w AS (PARTITION BY recording_id, hash ORDER BY time_frames)
    ) l
    GROUP BY recording_id
) p
WHERE p.recording_id = r.id;

-- Recordings that had no landmarks (silence).
UPDATE fingerprint_recordings SET hashes = '{}', landmark_times = '\x01' WHERE hashes IS NULL;

DROP FUNCTION pg_temp.tonearm_varint(bigint);

ALTER TABLE fingerprint_recordings
    ALTER COLUMN hashes SET NOT NULL,
    ALTER COLUMN landmark_times SET NOT NULL,
    -- Already compact, and pglz finds nothing to gain in either: store them out of line without trying.
    ALTER COLUMN hashes SET STORAGE EXTERNAL,
    ALTER COLUMN landmark_times SET STORAGE EXTERNAL,
    ADD CONSTRAINT fingerprint_recordings_times_version CHECK (get_byte(landmark_times, 0) = 1);

DROP TABLE fingerprint_landmarks;

-- Lookups find recordings through the GIN index and filter them by length there; with a btree on frames the planner
-- would take the recordings of the near-duplicate length range first and test each against every query hash, which
-- detoasts its hashes once per query hash (PostgresFingerprintIndex explains the planner settings it runs with).
DROP INDEX fingerprint_recordings_frames;

-- fastupdate off: a lookup runs one index scan per query hash, and with fastupdate every scan reads the whole
-- pending list (up to 4 MB); with 458 pending pages a 436-hash lookup took 136 s instead of 0.06 s. Inserts then
-- update the posting lists at once (15–70 ms per 3-minute recording among 4000, against 1–2 ms into the list).
CREATE INDEX fingerprint_recordings_hashes ON fingerprint_recordings USING gin (hashes) WITH (fastupdate = off);
