-- Files a job produced (stems, mastered audio, MIDI): what GET /v1/jobs/{id} lists as outputs and the download
-- route serves. Filled by a trigger when a job becomes 'succeeded', from the envelopes of the results it names
-- (an output reference is any object in an envelope's results with name, media_type, sha256 and size_bytes), so
-- every writer of job transitions (the pipeline's sink, the API) records them the same way, in the transaction
-- that finishes the job. The output's bytes live in the blob store; a blobs row is made for each, so the API's
-- reaper frees them once no asset and no job still within its retention window references them.
CREATE TABLE job_outputs (
    job_id     uuid   NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    name       text   NOT NULL,
    analyzer   text   NOT NULL,
    sha256     text   NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    media_type text   NOT NULL,
    size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
    PRIMARY KEY (job_id, name)
);
CREATE INDEX job_outputs_sha256 ON job_outputs (sha256);
CREATE INDEX jobs_finished_at ON jobs (finished_at) WHERE status = 'succeeded';

CREATE FUNCTION jobs_record_outputs() RETURNS trigger
    LANGUAGE plpgsql AS
$$
DECLARE
    v_ref jsonb;
    v_out record;
BEGIN
    IF NEW.status <> 'succeeded' OR NEW.result IS NULL OR NEW.sha256 IS NULL
        OR (TG_OP = 'UPDATE' AND OLD.status = NEW.status) THEN
        RETURN NEW;
    END IF;
    FOR v_out IN
        SELECT r.analyzer, o.value AS ref
        FROM jsonb_each(NEW.result -> 'results') AS e(name, ref)
        JOIN analysis_results r ON r.sha256 = NEW.sha256 AND r.analyzer = e.ref ->> 'analyzer'
            AND r.version = (e.ref ->> 'version')::integer AND r.params_hash = e.ref ->> 'params_hash'
            AND r.status = 'succeeded'
        CROSS JOIN LATERAL jsonb_path_query(r.envelope -> 'results',
            'lax $.** ? (exists(@.name) && exists(@.media_type) && exists(@.sha256) && exists(@.size_bytes))') AS o(value)
    LOOP
        v_ref := v_out.ref;
        CONTINUE WHEN (v_ref ->> 'sha256') !~ '^[0-9a-f]{64}$';
        INSERT INTO blobs (sha256, size_bytes, location)
        VALUES (v_ref ->> 'sha256', (v_ref ->> 'size_bytes')::bigint, COALESCE(v_ref ->> 'location', ''))
        ON CONFLICT (sha256) DO NOTHING;
        INSERT INTO job_outputs (job_id, name, analyzer, sha256, media_type, size_bytes)
        VALUES (NEW.id, v_ref ->> 'name', v_out.analyzer, v_ref ->> 'sha256', v_ref ->> 'media_type',
                (v_ref ->> 'size_bytes')::bigint)
        ON CONFLICT (job_id, name) DO NOTHING;
    END LOOP;
    RETURN NEW;
END;
$$;

CREATE TRIGGER jobs_record_outputs
    AFTER INSERT OR UPDATE OF status ON jobs
    FOR EACH ROW EXECUTE FUNCTION jobs_record_outputs();

-- What a request added that the job's result repeats to the client (e.g. the separation prompt and the stems that
-- answer it); written by the API with the job.
ALTER TABLE jobs ADD COLUMN options jsonb;
