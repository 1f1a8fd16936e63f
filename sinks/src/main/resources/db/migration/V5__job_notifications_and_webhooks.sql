-- What the API needs around jobs: a fingerprint of the request behind an idempotency key, a NOTIFY on every
-- status change and on every stored result (waiting requests and SSE streams listen instead of polling), and
-- webhooks whose deliveries are queued by the status trigger, in the transaction that changes the status, so no
-- change is ever missed.

-- SHA-256 of (endpoint, input): the same Idempotency-Key with another request is refused (409).
ALTER TABLE jobs ADD COLUMN request_hash text;

CREATE TABLE webhooks (
    id         uuid PRIMARY KEY,
    account_id uuid        NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    url        text        NOT NULL,
    events     text[]      NOT NULL CHECK (cardinality(events) > 0),
    -- Needed in clear to sign each delivery; shown to the client once, at creation.
    secret     text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz
);
CREATE INDEX webhooks_account ON webhooks (account_id) WHERE deleted_at IS NULL;

-- The delivery queue: one row per (webhook, event); the worker claims due rows with FOR UPDATE SKIP LOCKED.
CREATE TABLE webhook_deliveries (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    webhook_id      uuid        NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event_id        uuid        NOT NULL,
    event_type      text        NOT NULL,
    payload         jsonb       NOT NULL,
    status          text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz,
    UNIQUE (webhook_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_by_hook ON webhook_deliveries (webhook_id, created_at DESC);

-- Every attempt, for the delivery log.
CREATE TABLE webhook_attempts (
    delivery_id  uuid        NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempt      integer     NOT NULL,
    attempted_at timestamptz NOT NULL,
    status_code  integer,
    error        text,
    duration_ms  integer     NOT NULL,
    PRIMARY KEY (delivery_id, attempt)
);

-- Jobs that failed or were cancelled, until the API has given back what they were charged (refunds are idempotent
-- by the job id, so a row handled twice refunds once); filled by the status trigger, so none is missed.
CREATE TABLE job_refunds_due (
    job_id     uuid PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- On insert and on every status change: NOTIFY tonearm_jobs '<job id>:<status>' (delivered at commit, only if
-- it commits), and enqueue a 'job.<status>' delivery for each live webhook of the account that subscribed to it
-- (or to '*'), and a refund for a failed or cancelled job. The event id is derived from (job, status), so a
-- replayed transition cannot enqueue twice.
CREATE FUNCTION jobs_status_changed() RETURNS trigger
    LANGUAGE plpgsql AS
$$
DECLARE
    v_type text := 'job.' || NEW.status;
    v_id   uuid := md5(NEW.id::text || ':' || NEW.status)::uuid;
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.status = NEW.status THEN
        RETURN NEW;
    END IF;
    PERFORM pg_notify('tonearm_jobs', NEW.id::text || ':' || NEW.status);
    INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, payload)
    SELECT w.id, v_id, v_type,
           jsonb_build_object('id', v_id, 'type', v_type, 'created_at', now(),
                              'data', jsonb_build_object('job_id', NEW.id, 'kind', NEW.kind, 'status', NEW.status,
                                                         'asset_id', NEW.asset_id, 'error', NEW.error))
    FROM webhooks w
    WHERE w.account_id = NEW.account_id AND w.deleted_at IS NULL
      AND (v_type = ANY (w.events) OR '*' = ANY (w.events))
    ON CONFLICT (webhook_id, event_id) DO NOTHING;
    IF NEW.status IN ('failed', 'cancelled') THEN
        INSERT INTO job_refunds_due (job_id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER jobs_status_changed
    AFTER INSERT OR UPDATE OF status ON jobs
    FOR EACH ROW EXECUTE FUNCTION jobs_status_changed();

-- The pipeline writes results and job transitions through separate sinks, so a job may read 'succeeded' a moment
-- before its result rows are committed: a request waiting for the result also listens here ('<sha256>').
CREATE FUNCTION analysis_results_stored() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    PERFORM pg_notify('tonearm_results', NEW.sha256);
    RETURN NEW;
END;
$$;

CREATE TRIGGER analysis_results_stored
    AFTER INSERT OR UPDATE ON analysis_results
    FOR EACH ROW EXECUTE FUNCTION analysis_results_stored();
