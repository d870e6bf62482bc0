-- A job queue in the database: mail to send, run by any app node, retried, and
-- never sent twice (a job is done once, and a dedupe key makes it enqueued once).
ALTER TABLE organizations ADD COLUMN minutes_overdue_days BIGINT;

CREATE TABLE jobs (
    id           BIGSERIAL PRIMARY KEY,
    kind         TEXT NOT NULL,
    payload      TEXT NOT NULL,
    dedupe_key   TEXT UNIQUE,
    run_at       TIMESTAMPTZ NOT NULL,
    attempts     BIGINT NOT NULL DEFAULT 0,
    max_attempts BIGINT NOT NULL DEFAULT 8,
    last_error   TEXT,
    locked_until TIMESTAMPTZ,
    done_at      TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX jobs_due ON jobs(done_at, run_at);
