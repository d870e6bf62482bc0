//! The job queue: work to do outside a request (mail), kept in the database so that
//! any app node can run it. A job is claimed with a lease, retried with back-off
//! when it fails, and marked done once: a restart does not send a mail again.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use sqlx::Row;

use crate::{with_conn, with_pool, Backend, Store, StoreError};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub payload: serde_json::Value,
    pub dedupe_key: Option<String>,
    pub run_at: DateTime<Utc>,
    pub attempts: i64,
    pub max_attempts: i64,
    pub last_error: Option<String>,
    pub done_at: Option<DateTime<Utc>>,
}

const JOB_COLUMNS: &str =
    "id, kind, payload, dedupe_key, run_at, attempts, max_attempts, last_error, done_at";

macro_rules! job {
    ($r:expr) => {
        Job {
            id: $r.try_get("id")?,
            kind: $r.try_get("kind")?,
            payload: serde_json::from_str(&$r.try_get::<String, _>("payload")?)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
            dedupe_key: $r.try_get("dedupe_key")?,
            run_at: $r.try_get("run_at")?,
            attempts: $r.try_get("attempts")?,
            max_attempts: $r.try_get("max_attempts")?,
            last_error: $r.try_get("last_error")?,
            done_at: $r.try_get("done_at")?,
        }
    };
}

/// How many times a job is tried before it is left failed (for an operator to
/// see in the queue). With [`fail_job`](Store::fail_job)'s back-off and a base of
/// 30 s, the tries span about six and a half hours: a mail server down for an hour loses
/// nothing. Migration 0021 gives waiting jobs of older versions the same.
pub const MAX_ATTEMPTS: i64 = 30;

/// The longest wait between two tries, in multiples of the base (30 × 30 s = 15
/// minutes by default).
pub const MAX_BACKOFF: i32 = 30;

/// Enqueues inside a transaction; with a dedupe key, a second enqueue is ignored.
macro_rules! enqueue_in {
    ($c:expr, $kind:expr, $payload:expr, $dedupe:expr) => {
        sqlx::query("INSERT INTO jobs (kind, payload, dedupe_key, run_at, created_at, max_attempts) VALUES ($1, $2, $3, $4, $4, $5) ON CONFLICT DO NOTHING")
            .bind($kind)
            .bind($payload.to_string())
            .bind($dedupe)
            .bind(chrono::Utc::now())
            .bind($crate::jobs::MAX_ATTEMPTS)
            .execute(&mut *$c)
            .await
    };
}
pub(crate) use enqueue_in;

impl Store {
    /// Enqueues a job; returns false when its dedupe key was already used.
    pub async fn enqueue_job(
        &self,
        kind: &str,
        payload: &serde_json::Value,
        dedupe_key: Option<&str>,
    ) -> Result<bool, StoreError> {
        with_conn!(self, |c| {
            let done = enqueue_in!(c, kind, payload, dedupe_key)?;
            Ok(done.rows_affected() > 0)
        })
    }

    /// Claims the next job due by `due_by` for `lease`; another node will not take it
    /// meanwhile. A worker passes the time its pass began, so that a job that fails
    /// in the pass is not taken again in the same pass.
    pub async fn claim_job(
        &self,
        lease: Duration,
        due_by: DateTime<Utc>,
    ) -> Result<Option<Job>, StoreError> {
        let sql = format!(
            "UPDATE jobs SET locked_until = $1, attempts = attempts + 1
             WHERE id = (SELECT id FROM jobs WHERE done_at IS NULL AND run_at <= $3 AND attempts < max_attempts AND (locked_until IS NULL OR locked_until < $2) ORDER BY run_at, id LIMIT 1)
               AND done_at IS NULL AND (locked_until IS NULL OR locked_until < $2)
             RETURNING {JOB_COLUMNS}"
        );
        let now = Utc::now();
        with_conn!(self, |c| {
            sqlx::query(&sql)
                .bind(now + lease)
                .bind(now)
                .bind(due_by)
                .fetch_optional(&mut *c)
                .await?
                .map(|r| Ok(job!(r)))
                .transpose()
        })
    }

    pub async fn complete_job(&self, id: i64) -> Result<(), StoreError> {
        with_conn!(self, |c| {
            sqlx::query("UPDATE jobs SET done_at = $1, locked_until = NULL, last_error = NULL WHERE id = $2").bind(Utc::now()).bind(id).execute(&mut *c).await?;
            Ok(())
        })
    }

    /// Records a failure; the job runs again after a back-off that grows with each
    /// try: `base` × tries², at most `base` × [`MAX_BACKOFF`].
    pub async fn fail_job(&self, job: &Job, error: &str, base: Duration) -> Result<(), StoreError> {
        let delay = base * (job.attempts.clamp(1, 10) as i32).pow(2).min(MAX_BACKOFF);
        with_conn!(self, |c| {
            sqlx::query(
                "UPDATE jobs SET last_error = $1, run_at = $2, locked_until = NULL WHERE id = $3",
            )
            .bind(error)
            .bind(Utc::now() + delay)
            .bind(job.id)
            .execute(&mut *c)
            .await?;
            Ok(())
        })
    }

    pub async fn jobs(&self) -> Result<Vec<Job>, StoreError> {
        let sql = format!("SELECT {JOB_COLUMNS} FROM jobs ORDER BY id");
        with_conn!(self, |c| {
            let rows = sqlx::query(&sql).fetch_all(&mut *c).await?;
            rows.iter().map(|r| Ok(job!(r))).collect()
        })
    }

    /// Makes every waiting job due now (for an operator, and for tests).
    pub async fn run_jobs_now(&self) -> Result<(), StoreError> {
        with_conn!(self, |c| {
            sqlx::query("UPDATE jobs SET run_at = $1 WHERE done_at IS NULL")
                .bind(Utc::now())
                .execute(&mut *c)
                .await?;
            Ok(())
        })
    }

    /// The days after a meeting within which its minutes should be approved.
    pub async fn minutes_overdue_days(
        &self,
        organization_id: i64,
    ) -> Result<Option<i64>, StoreError> {
        with_conn!(self, |c| {
            Ok(
                sqlx::query_scalar("SELECT minutes_overdue_days FROM organizations WHERE id = $1")
                    .bind(organization_id)
                    .fetch_one(&mut *c)
                    .await?,
            )
        })
    }
}

impl Store {
    /// Whether a group publishes approved minutes in a separate step (otherwise
    /// approval publishes them).
    pub async fn set_publish_minutes_separately(
        &self,
        organization_id: i64,
        separately: bool,
        actor: &str,
    ) -> Result<(), StoreError> {
        crate::in_transaction!(self, |c| {
            sqlx::query("UPDATE organizations SET publish_minutes_separately = $1 WHERE id = $2")
                .bind(separately)
                .bind(organization_id)
                .execute(&mut *c)
                .await?;
            crate::audit(
                c,
                actor,
                "organization.settings_changed",
                "organization",
                organization_id,
                "publish_minutes_separately",
                crate::before_after(!separately, separately),
            )
            .await?;
            Ok(())
        })
    }
}
