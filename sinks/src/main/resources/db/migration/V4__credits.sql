-- Credits. accounts.credits (V1) is the balance; credit_ledger explains every change of it: one row per grant,
-- charge or refund, written in the same transaction as the balance change, never updated. The sum of an
-- account's amounts equals its balance.
--   grant:  the plan's monthly allowance, charge_key 'grant:<account>:<yyyy-mm>' (once per account and month)
--   charge: a request's cost, charge_key chosen by the caller (a job id...), so a retry never charges twice
--   refund: gives a charge back when its job failed, same charge_key as the charge (at most once)
-- Version 20, not 4: several branches add migrations in parallel; a high number keeps this one from clashing.
CREATE TABLE credit_ledger (
    id            bigserial PRIMARY KEY,
    account_id    uuid        NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind          text        NOT NULL CHECK (kind IN ('grant', 'charge', 'refund')),
    charge_key    text        NOT NULL CHECK (length(charge_key) BETWEEN 1 AND 200),
    endpoint      text,
    amount        bigint      NOT NULL,
    balance_after bigint      NOT NULL CHECK (balance_after >= 0),
    period        text        NOT NULL CHECK (period ~ '^[0-9]{4}-[0-9]{2}$'),
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (kind, charge_key)
);
-- This month's usage by endpoint.
CREATE INDEX credit_ledger_usage ON credit_ledger (account_id, period);

CREATE FUNCTION credit_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'credit_ledger is append-only';
END $$;
CREATE TRIGGER credit_ledger_no_update BEFORE UPDATE ON credit_ledger
    FOR EACH ROW EXECUTE FUNCTION credit_ledger_append_only();

ALTER TABLE accounts ADD CONSTRAINT accounts_credits_not_negative CHECK (credits >= 0);
