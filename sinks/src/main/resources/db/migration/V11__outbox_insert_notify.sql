-- Wakes the outbox relay as soon as outbox rows commit, instead of leaving them until its next poll.
--
-- One trigger on the table covers every writer (the API, the catalog scan, anything appending through
-- io.tonearm.sinks.outbox.Outbox). PostgreSQL delivers a NOTIFY only when the inserting transaction commits
-- (never for a rollback) and folds identical notifications of one transaction into one, so a statement-level
-- trigger with an empty payload sends one wake-up per transaction however many rows it wrote. The relay re-reads
-- the table on each wake-up and keeps polling as a fallback (writes that fire no triggers, e.g. with
-- session_replication_role = replica, still get published).
CREATE FUNCTION outbox_inserted() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    PERFORM pg_notify('tonearm_outbox', '');
    RETURN NULL;
END;
$$;

CREATE TRIGGER outbox_inserted
    AFTER INSERT ON outbox
    FOR EACH STATEMENT EXECUTE FUNCTION outbox_inserted();
