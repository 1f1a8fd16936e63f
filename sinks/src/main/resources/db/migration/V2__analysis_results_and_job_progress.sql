-- Results of the analysis pipeline, and what the pipeline records on jobs.
--
-- A result is identified by (sha256, analyzer, version, params_hash): computed at most once per recording and
-- kept after the asset's bytes expire, so no foreign key to blobs. Failures are stored too (status 'failed'),
-- so a recording that breaks an analyzer is not retried forever; bumping the analyzer's version recomputes it.
CREATE TABLE analysis_results (
    sha256      text        NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    analyzer    text        NOT NULL,
    version     integer     NOT NULL CHECK (version >= 1),
    params_hash text        NOT NULL,
    params      jsonb       NOT NULL DEFAULT '{}'::jsonb,
    envelope    jsonb,
    status      text        NOT NULL CHECK (status IN ('succeeded', 'failed')),
    error       text,
    computed_at timestamptz NOT NULL,
    PRIMARY KEY (sha256, analyzer, version, params_hash),
    CHECK ((status = 'succeeded') = (envelope IS NOT NULL))
);

-- Jobs gain what the pipeline needs: the analyzers asked for, the result (a map of analyzer to result key and
-- status; envelopes stay in analysis_results), outputs (files a job produced), the recording, an idempotency key
-- the API may use, and 'cancelled'.
ALTER TABLE jobs
    ADD COLUMN sha256              text,
    ADD COLUMN requested_analyzers jsonb       NOT NULL DEFAULT '[]'::jsonb,
    ADD COLUMN result              jsonb,
    ADD COLUMN outputs             jsonb       NOT NULL DEFAULT '[]'::jsonb,
    ADD COLUMN idempotency_key     text,
    ADD COLUMN started_at          timestamptz,
    ADD COLUMN finished_at         timestamptz;

ALTER TABLE jobs DROP CONSTRAINT jobs_status_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_status_check
    CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled'));

-- One job per (account, idempotency key): a retried POST finds the job it already created.
CREATE UNIQUE INDEX jobs_idempotency ON jobs (account_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX jobs_sha256 ON jobs (sha256);

-- Job statuses only move forward: queued (0) < running (1) < succeeded | failed | cancelled (2, terminal).
-- Writers guard their UPDATE with job_status_rank(old) < job_status_rank(new), so a replayed or reordered
-- transition is a no-op and a terminal status is never overwritten.
CREATE FUNCTION job_status_rank(status text) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE status WHEN 'queued' THEN 0 WHEN 'running' THEN 1 ELSE 2 END;
