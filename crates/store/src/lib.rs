//! The store: one interface over SQLite (the embedded default) and PostgreSQL.
//!
//! The URL scheme picks the backend (`sqlite://samordna.db`, `postgres://…`).
//! Migrations are plain SQL per backend, embedded in the binary and applied in
//! order, each in its own transaction. Every statement is written once (see
//! `conn.rs`) and compiled for both backends.
//!
//! Architecture invariant: this crate knows nothing of HTTP or HTML.

mod accounts;
mod backup;
mod bulk;
mod changes;
mod checksum;
mod compliance;
mod conn;
mod culling;
mod decisions;
mod distribution;
mod drafts;
mod escalations;
mod filter;
mod import;
mod jobs;
mod matters;
mod meetings;
mod models;
pub mod oparl;
mod people;
mod search;
#[cfg(feature = "test-support")]
pub mod testing;

use std::str::FromStr;
use std::time::Duration;

use chrono::Utc;
use samordna_domain::collation;
use samordna_domain::names::name_key;
use samordna_domain::ParsedCharter;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};
use sqlx::Connection;

pub use accounts::*;
pub use bulk::{Batch, Table as BulkTable, Value as BulkValue};
pub use changes::{ChangeReader, CommitWitness};
pub use checksum::sha256_hex;
pub use compliance::{Evaluation, ExceptionRecord, GroupFilter};
pub use conn::one_group;
use conn::Conn;
pub use culling::{Cullable, CullingDecision, CULLABLE};
pub use decisions::*;
pub use distribution::*;
pub use drafts::*;
pub use escalations::*;
pub use import::ImportCache;
pub use jobs::*;
pub use matters::*;
pub use meetings::*;
pub use models::*;
pub use people::*;
use samordna_domain::import::Authority;
pub use search::{AllEntities, OutboxChanges};

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("databasfel: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migrering {version} ({name}) misslyckades: {source}")]
    Migration {
        version: i64,
        name: &'static str,
        source: sqlx::Error,
    },
    #[error("databasadressen {0:?} stöds inte: använd sqlite://FIL eller postgres://…")]
    UnsupportedUrl(String),
    #[error("{0} finns inte")]
    NotFound(String),
    /// An SQLite file that a command needs to exist does not.
    #[error(
        "databasen {0} finns inte (den skapas av samordna migrate, serve, import eller user add)"
    )]
    NoDatabase(String),
    #[error("{0}")]
    Conflict(String),
    #[error("ogiltiga data i databasen: {0}")]
    Corrupt(String),
    /// Someone else saved the record after it was read: no lost updates.
    #[error(
        "{what} har ändrats av någon annan sedan du öppnade den (nu version {current_version})"
    )]
    Stale { what: String, current_version: i64 },
}

impl StoreError {
    /// Whether the database refused a row that a unique index already holds:
    /// someone else wrote the same record at the same moment.
    pub(crate) fn is_duplicate(&self) -> bool {
        matches!(self, StoreError::Database(sqlx::Error::Database(d)) if d.is_unique_violation())
    }

    /// Whether the database could not be reached or could not do the work now (as
    /// opposed to refusing a query): no connection (refused, lost, the pool's wait
    /// over), PostgreSQL shutting down, starting or out of connections, memory or
    /// disk, or refusing new connections (SQLSTATE classes 08, 28, 53; 57P01–57P03,
    /// 55000 "not accepting connections", 55006, 3D000), SQLite busy, locked, unable to
    /// read or write its file, or its disk full. The request may succeed later;
    /// nothing of it was written (a statement that fails rolls its transaction
    /// back).
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::Database(
                sqlx::Error::PoolTimedOut
                | sqlx::Error::PoolClosed
                | sqlx::Error::Io(_)
                | sqlx::Error::Tls(_)
                | sqlx::Error::WorkerCrashed,
            ) => true,
            StoreError::Database(sqlx::Error::Database(d)) => {
                let code = d.code().unwrap_or_default();
                let sqlite = d.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some();
                if sqlite {
                    // SQLite's result code; the primary code is its low byte:
                    // BUSY, LOCKED, IOERR, FULL, CANTOPEN.
                    code.parse::<i64>()
                        .is_ok_and(|n| matches!(n & 0xff, 5 | 6 | 10 | 13 | 14))
                } else {
                    // PostgreSQL's SQLSTATE: connection exceptions, insufficient
                    // resources, shutting down or starting, and what a server says
                    // when it refuses a new connection (the database closed to
                    // connections, gone, or the login refused).
                    code.starts_with("08")
                        || code.starts_with("53")
                        || code.starts_with("28")
                        || matches!(
                            code.as_ref(),
                            "57P01" | "57P02" | "57P03" | "55000" | "55006" | "3D000"
                        )
                }
            }
            _ => false,
        }
    }

    /// Whether the database's disk is full (SQLite's `SQLITE_FULL`, PostgreSQL's
    /// `disk_full` 53100): the write was not made; reads go on.
    pub fn is_disk_full(&self) -> bool {
        match self {
            StoreError::Database(sqlx::Error::Database(d)) => {
                let code = d.code().unwrap_or_default();
                match d.try_downcast_ref::<sqlx::sqlite::SqliteError>() {
                    Some(_) => code.parse::<i64>().is_ok_and(|n| n & 0xff == 13),
                    None => code == "53100",
                }
            }
            _ => false,
        }
    }
}

/// A migration: its number, its name, and the SQL of each backend.
struct Migration {
    version: i64,
    name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "register",
        sqlite: include_str!("../migrations/sqlite/0001_register.sql"),
        postgres: include_str!("../migrations/postgres/0001_register.sql"),
    },
    Migration {
        version: 2,
        name: "accounts_people",
        sqlite: include_str!("../migrations/sqlite/0002_accounts_people.sql"),
        postgres: include_str!("../migrations/postgres/0002_accounts_people.sql"),
    },
    Migration {
        version: 3,
        name: "meetings",
        sqlite: include_str!("../migrations/sqlite/0003_meetings.sql"),
        postgres: include_str!("../migrations/postgres/0003_meetings.sql"),
    },
    Migration {
        version: 4,
        name: "jobs",
        sqlite: include_str!("../migrations/sqlite/0004_jobs.sql"),
        postgres: include_str!("../migrations/postgres/0004_jobs.sql"),
    },
    Migration {
        version: 5,
        name: "attendance",
        sqlite: include_str!("../migrations/sqlite/0005_attendance.sql"),
        postgres: include_str!("../migrations/postgres/0005_attendance.sql"),
    },
    Migration {
        version: 6,
        name: "attachments",
        sqlite: include_str!("../migrations/sqlite/0006_attachments.sql"),
        postgres: include_str!("../migrations/postgres/0006_attachments.sql"),
    },
    Migration {
        version: 7,
        name: "rule_exceptions",
        sqlite: include_str!("../migrations/sqlite/0007_rule_exceptions.sql"),
        postgres: include_str!("../migrations/postgres/0007_rule_exceptions.sql"),
    },
    Migration {
        version: 8,
        name: "adjunct_limit",
        sqlite: include_str!("../migrations/sqlite/0008_adjunct_limit.sql"),
        postgres: include_str!("../migrations/postgres/0008_adjunct_limit.sql"),
    },
    Migration {
        version: 9,
        name: "security",
        sqlite: include_str!("../migrations/sqlite/0009_security.sql"),
        postgres: include_str!("../migrations/postgres/0009_security.sql"),
    },
    Migration {
        version: 10,
        name: "read_indexes",
        sqlite: include_str!("../migrations/sqlite/0010_read_indexes.sql"),
        postgres: include_str!("../migrations/postgres/0010_read_indexes.sql"),
    },
    Migration {
        version: 11,
        name: "decisions",
        sqlite: include_str!("../migrations/sqlite/0011_decisions.sql"),
        postgres: include_str!("../migrations/postgres/0011_decisions.sql"),
    },
    Migration {
        version: 12,
        name: "distribution",
        sqlite: include_str!("../migrations/sqlite/0012_distribution.sql"),
        postgres: include_str!("../migrations/postgres/0012_distribution.sql"),
    },
    Migration {
        version: 13,
        name: "drafts",
        sqlite: include_str!("../migrations/sqlite/0013_drafts.sql"),
        postgres: include_str!("../migrations/postgres/0013_drafts.sql"),
    },
    Migration {
        version: 14,
        name: "source_files",
        sqlite: include_str!("../migrations/sqlite/0014_source_files.sql"),
        postgres: include_str!("../migrations/postgres/0014_source_files.sql"),
    },
    Migration {
        version: 15,
        name: "draft_comments",
        sqlite: include_str!("../migrations/sqlite/0015_draft_comments.sql"),
        postgres: include_str!("../migrations/postgres/0015_draft_comments.sql"),
    },
    Migration {
        version: 16,
        name: "change_counter",
        sqlite: include_str!("../migrations/sqlite/0016_change_counter.sql"),
        postgres: include_str!("../migrations/postgres/0016_change_counter.sql"),
    },
    Migration {
        version: 17,
        name: "decision_log_index",
        sqlite: include_str!("../migrations/sqlite/0017_decision_log_index.sql"),
        postgres: include_str!("../migrations/postgres/0017_decision_log_index.sql"),
    },
    Migration {
        version: 18,
        name: "row_version_on_every_update",
        sqlite: include_str!("../migrations/sqlite/0018_row_version_on_every_update.sql"),
        postgres: include_str!("../migrations/postgres/0018_row_version_on_every_update.sql"),
    },
    Migration {
        version: 19,
        name: "search_outbox",
        sqlite: include_str!("../migrations/sqlite/0019_search_outbox.sql"),
        postgres: include_str!("../migrations/postgres/0019_search_outbox.sql"),
    },
    Migration {
        version: 20,
        name: "record_stamps",
        sqlite: include_str!("../migrations/sqlite/0020_record_stamps.sql"),
        postgres: include_str!("../migrations/postgres/0020_record_stamps.sql"),
    },
    Migration {
        version: 21,
        name: "job_attempts",
        sqlite: include_str!("../migrations/sqlite/0021_job_attempts.sql"),
        postgres: include_str!("../migrations/postgres/0021_job_attempts.sql"),
    },
    Migration {
        version: 22,
        name: "repeats",
        sqlite: include_str!("../migrations/sqlite/0022_repeats.sql"),
        postgres: include_str!("../migrations/postgres/0022_repeats.sql"),
    },
];

#[derive(Clone, Debug)]
enum Backend {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to the pool of whichever backend is in use.
macro_rules! with_pool {
    ($self:expr, |$pool:ident| $body:expr) => {
        match &$self.backend {
            Backend::Sqlite($pool) => $body,
            Backend::Postgres($pool) => $body,
        }
    };
}

/// Runs `$body` with `$c` bound to a pooled connection.
macro_rules! with_conn {
    ($self:expr, |$c:ident| $body:expr) => {
        with_pool!($self, |pool| {
            let mut conn = pool.acquire().await?;
            let $c = &mut *conn;
            $body
        })
    };
}

/// Runs `$body` in a write transaction with `$c` bound to it; commits when it
/// returns Ok. The body is an async block of its own, so a `return` in it ends
/// the body (and the transaction is committed or rolled back), never the
/// enclosing function.
///
/// On SQLite the transaction begins `IMMEDIATE`: it takes the write lock at
/// once, waiting for it under `busy_timeout`. A deferred transaction that reads
/// and then writes cannot wait — SQLite answers `database is locked` at once
/// when another writer committed since its read began — and the request that
/// lost a race was told the register could not be reached (issue 27, item 4).
/// Every transaction of the store writes, so every one begins this way; the
/// loser of a race then waits, reads what the winner wrote, and is answered
/// with the outcome. PostgreSQL's transactions wait for row locks by themselves.
macro_rules! in_transaction {
    ($self:expr, |$c:ident| $body:expr) => {
        match &$self.backend {
            Backend::Sqlite(pool) => {
                let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
                $crate::in_transaction!(@run tx, $c, $body)
            }
            Backend::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                $crate::in_transaction!(@run tx, $c, $body)
            }
        }
    };
    (@run $tx:ident, $c:ident, $body:expr) => {{
        let $c = &mut *$tx;
        let result: Result<_, StoreError> = async { $body }.await;
        match result {
            Ok(value) => {
                $tx.commit().await?;
                Ok(value)
            }
            Err(e) => {
                $tx.rollback().await?;
                Err(e)
            }
        }
    }};
}

pub(crate) use {in_transaction, with_conn, with_pool};

/// What a transaction serialises on, with its record's id: writes that read
/// before they write (is this a repeat? which position is next?) of one record
/// wait for each other. PostgreSQL: an advisory lock for the transaction on
/// (what, id); SQLite: nothing more is needed, the transaction holds the write
/// lock from its first statement (`in_transaction!`).
#[derive(Clone, Copy)]
pub(crate) enum Serialise {
    /// A group's meetings (planning).
    GroupMeetings = 7261002,
    /// A meeting's agenda items and attachments.
    MeetingAgenda = 7261003,
    /// A meeting's attendance.
    MeetingAttendance = 7261004,
    /// A group's memberships, exceptions, questions and agenda template.
    GroupRecords = 7261005,
    /// The register's names: a new group.
    Register = 7261007,
}

impl Store {
    /// The statement that takes `what`'s lock (bind `what as i32`, then the id).
    pub(crate) fn serialise_sql(&self) -> &'static str {
        match self.backend {
            Backend::Postgres(_) => "SELECT pg_advisory_xact_lock($1, CAST($2 AS INTEGER))",
            Backend::Sqlite(_) => "SELECT $1, $2",
        }
    }
}

/// Takes the lock of [`Serialise`] `$what` on `$id` in the transaction `$c`.
macro_rules! serialise {
    ($self:expr, $c:expr, $what:expr, $id:expr) => {
        sqlx::query($self.serialise_sql())
            .bind($what as i32)
            .bind($id)
            .execute(&mut *$c)
            .await?
    };
}
pub(crate) use serialise;

/// What a write that carries a form's key did: made the record, or found the
/// record that key (with the same content) made before — a form sent twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Made {
    New(i64),
    Again(i64),
}

impl Made {
    /// The record's id, new or not.
    pub fn id(self) -> i64 {
        match self {
            Made::New(id) | Made::Again(id) => id,
        }
    }
}

/// Inside a transaction: unless the form key `$once` (`Option<&str>`) with
/// `$fingerprint` already made a `$kind` record, evaluates `$insert` (a
/// `Result<i64, StoreError>` expression) and records the key beside it.
/// Evaluates to `Result<Made, StoreError>`. Two at once on PostgreSQL: the
/// second's key is refused by the primary key (`is_duplicate`), and the caller
/// reads the key again with [`Store::made_by`].
macro_rules! once {
    ($c:expr, $once:expr, $kind:expr, $fingerprint:expr, $insert:expr) => {{
        let once: Option<&str> = $once;
        match once {
            None => $insert.map($crate::Made::New),
            Some(key) => {
                let there: Option<i64> = sqlx::query_scalar(
                    "SELECT record_id FROM form_submissions WHERE form_key = $1 AND fingerprint = $2",
                )
                .bind(key)
                .bind($fingerprint)
                .fetch_optional(&mut *$c)
                .await?;
                match there {
                    Some(id) => Ok($crate::Made::Again(id)),
                    None => {
                        let id: i64 = $insert?;
                        sqlx::query("INSERT INTO form_submissions (form_key, fingerprint, kind, record_id, created_at) VALUES ($1, $2, $3, $4, $5)")
                            .bind(key)
                            .bind($fingerprint)
                            .bind($kind)
                            .bind(id)
                            .bind(chrono::Utc::now())
                            .execute(&mut *$c)
                            .await?;
                        Ok($crate::Made::New(id))
                    }
                }
            }
        }
    }};
}
pub(crate) use once;

impl Store {
    /// The record a form key with this fingerprint made, if any (after two at once).
    pub(crate) async fn made_by(
        &self,
        once: &str,
        fingerprint: &str,
    ) -> Result<Option<i64>, StoreError> {
        with_conn!(self, |c| {
            Ok(sqlx::query_scalar(
                "SELECT record_id FROM form_submissions WHERE form_key = $1 AND fingerprint = $2",
            )
            .bind(once)
            .bind(fingerprint)
            .fetch_optional(&mut *c)
            .await?)
        })
    }

    /// Answers a write with a form key: a duplicate key (the same form sent
    /// twice at once) is the record the other one made.
    pub(crate) async fn made_or_again(
        &self,
        result: Result<Made, StoreError>,
        once: Option<&str>,
        fingerprint: &str,
    ) -> Result<Made, StoreError> {
        match (result, once) {
            (Err(e), Some(key)) if e.is_duplicate() => {
                match self.made_by(key, fingerprint).await? {
                    Some(id) => Ok(Made::Again(id)),
                    None => Err(e),
                }
            }
            (other, _) => other,
        }
    }
}

/// The register's store. Cheap to clone: it holds a connection pool.
#[derive(Clone, Debug)]
pub struct Store {
    backend: Backend,
    /// One reading of the whole register's facts at a time (each holds the
    /// register's meetings, members and decisions in memory): concurrent checks
    /// of a nation queue rather than multiply the memory.
    whole_register: std::sync::Arc<tokio::sync::Semaphore>,
}

impl Store {
    /// Connects to the database at `url` without migrating it.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        let backend = if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .foreign_keys(true)
                .journal_mode(SqliteJournalMode::Wal)
                .busy_timeout(Duration::from_secs(10));
            Backend::Sqlite(
                SqlitePoolOptions::new()
                    .max_connections(8)
                    // A connection whose commit failed (a full disk: SQLite has
                    // rolled the transaction back itself, so sqlx's rollback fails
                    // too) stays counted as inside a transaction by sqlx, and every
                    // later `BEGIN IMMEDIATE` on it is refused ("begin_with at
                    // non-zero transaction depth"). Such a connection is closed
                    // when it comes back to the pool instead of being lent again.
                    .after_release(|conn, _| {
                        Box::pin(async move {
                            match sqlx::Connection::begin_with(conn, "BEGIN DEFERRED").await {
                                Ok(tx) => tx.rollback().await.map(|()| true),
                                Err(sqlx::Error::InvalidSavePointStatement) => Ok(false),
                                Err(e) => Err(e),
                            }
                        })
                    })
                    .connect_with(options)
                    .await?,
            )
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let options = PgConnectOptions::from_str(url)?;
            Backend::Postgres(
                PgPoolOptions::new()
                    .max_connections(16)
                    // A request waits this long for a connection (all in use, or the
                    // server down) before it is answered 503.
                    .acquire_timeout(Duration::from_secs(5))
                    .connect_with(options)
                    .await?,
            )
        } else {
            return Err(StoreError::UnsupportedUrl(url.to_string()));
        };
        Ok(Store {
            backend,
            whole_register: std::sync::Arc::new(tokio::sync::Semaphore::new(1)),
        })
    }

    /// Connects and applies any migrations not yet applied.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        let store = Store::connect(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// As [`Store::open`], for commands that read or change a register that must
    /// already be there: an SQLite file that does not exist is
    /// [`StoreError::NoDatabase`], not a new empty database.
    pub async fn open_existing(url: &str) -> Result<Store, StoreError> {
        if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)?;
            let file = options.get_filename();
            let in_memory = file.as_os_str().is_empty() || file == std::path::Path::new(":memory:");
            if !in_memory && !file.exists() {
                return Err(StoreError::NoDatabase(file.display().to_string()));
            }
        }
        Store::open(url).await
    }

    /// The SQLite database's file; `None` in memory and on PostgreSQL.
    pub fn sqlite_file(&self) -> Option<std::path::PathBuf> {
        let Backend::Sqlite(pool) = &self.backend else {
            return None;
        };
        let file = pool.connect_options().get_filename().to_owned();
        (!file.as_os_str().is_empty() && file != std::path::Path::new(":memory:")).then_some(file)
    }

    /// `sqlite` or `postgres`.
    pub fn backend_name(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    /// Applies the migrations not yet applied, in order, all in one transaction
    /// (so a failed run leaves nothing half-applied); returns their names. Refuses,
    /// changing nothing, when an applied migration's text has changed since (its
    /// SHA-256 is recorded in `schema_checksums`) or the database knows migrations
    /// this program does not (a newer program migrated it). On PostgreSQL an
    /// advisory lock lets several app nodes start at once.
    pub async fn migrate(&self) -> Result<Vec<String>, StoreError> {
        const CREATE: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)";
        const CHECKSUMS: &str = "CREATE TABLE IF NOT EXISTS schema_checksums (version BIGINT PRIMARY KEY, sha256 TEXT NOT NULL)";
        let is_pg = matches!(self.backend, Backend::Postgres(_));
        with_pool!(self, |pool| {
            let mut conn = pool.acquire().await?;
            let mut applied = Vec::new();
            // SQLite: the write lock at once, so that nodes starting together on
            // one file wait for each other (see `in_transaction!`).
            let mut tx = conn
                .begin_with(if is_pg { "BEGIN" } else { "BEGIN IMMEDIATE" })
                .await?;
            if is_pg {
                // Several app nodes may start at once: one migrates, the others wait.
                sqlx::query("SELECT pg_advisory_xact_lock(7261001)")
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query(CREATE).execute(&mut *tx).await?;
            sqlx::query(CHECKSUMS).execute(&mut *tx).await?;
            let done: Vec<i64> = sqlx::query_scalar("SELECT version FROM schema_migrations")
                .fetch_all(&mut *tx)
                .await?;
            // A database migrated by a newer program: refuse rather than guess.
            if let Some(v) = done
                .iter()
                .find(|v| !MIGRATIONS.iter().any(|m| m.version == **v))
            {
                return Err(StoreError::Migration {
                    version: *v,
                    name: "okänd",
                    source: sqlx::Error::Protocol(
                        "databasen har migreringar som det här programmet inte känner till; använd en nyare samordna"
                            .into(),
                    ),
                });
            }
            // An applied migration whose text changed since: refuse. Installations
            // from before the checksums get theirs recorded now.
            let sums: Vec<(i64, String)> =
                sqlx::query_as("SELECT version, sha256 FROM schema_checksums")
                    .fetch_all(&mut *tx)
                    .await?;
            for m in MIGRATIONS.iter().filter(|m| done.contains(&m.version)) {
                let sum = import::sha256_hex(if is_pg { m.postgres } else { m.sqlite });
                match sums.iter().find(|(v, _)| *v == m.version) {
                    Some((_, recorded)) if *recorded != sum => {
                        return Err(StoreError::Migration {
                            version: m.version,
                            name: m.name,
                            source: sqlx::Error::Protocol(
                                "migreringen har ändrats sedan den kördes; en körd migrering ändras aldrig, en ändring är en ny migrering".into(),
                            ),
                        })
                    }
                    Some(_) => {}
                    None => {
                        sqlx::query("INSERT INTO schema_checksums (version, sha256) VALUES ($1, $2)")
                            .bind(m.version)
                            .bind(&sum)
                            .execute(&mut *tx)
                            .await?;
                    }
                }
            }
            for m in MIGRATIONS.iter().filter(|m| !done.contains(&m.version)) {
                let sql = if is_pg { m.postgres } else { m.sqlite };
                let fail = |source| StoreError::Migration {
                    version: m.version,
                    name: m.name,
                    source,
                };
                sqlx::raw_sql(sql).execute(&mut *tx).await.map_err(fail)?;
                sqlx::query(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                )
                .bind(m.version)
                .bind(m.name)
                .bind(Utc::now().to_rfc3339())
                .execute(&mut *tx)
                .await
                .map_err(fail)?;
                sqlx::query("INSERT INTO schema_checksums (version, sha256) VALUES ($1, $2)")
                    .bind(m.version)
                    .bind(import::sha256_hex(sql))
                    .execute(&mut *tx)
                    .await
                    .map_err(fail)?;
                applied.push(format!("{:04}_{}", m.version, m.name));
            }
            // The change triggers of every table the portal shows, new ones included.
            let (list_tables, list_triggers) = changes::catalog(is_pg);
            let tables: Vec<String> = sqlx::query_scalar(list_tables).fetch_all(&mut *tx).await?;
            let present: Vec<String> = sqlx::query_scalar(list_triggers)
                .fetch_all(&mut *tx)
                .await?;
            for sql in changes::missing_triggers(is_pg, &tables, &present) {
                sqlx::raw_sql(&sql).execute(&mut *tx).await?;
            }
            // The search outbox's triggers (search.rs).
            let present: Vec<String> = sqlx::query_scalar(search::catalog(is_pg))
                .fetch_all(&mut *tx)
                .await?;
            for sql in search::missing_triggers(is_pg, &present) {
                sqlx::raw_sql(&sql).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(applied)
        })
    }

    /// Imports one parsed charter in one transaction (see `import.rs`).
    pub async fn import_charter(
        &self,
        doc: &ParsedCharter,
        source: &Source<'_>,
        actor: &str,
    ) -> Result<ImportOutcome, StoreError> {
        self.import_charter_with(&mut ImportCache::default(), doc, source, actor)
            .await
    }

    /// Imports one parsed charter in one transaction, matching its names with
    /// the directory `cache` kept from the previous import when the register has
    /// not changed since (else it is loaded again): for importing many files,
    /// where loading every name for every file would make the work quadratic.
    pub async fn import_charter_with(
        &self,
        cache: &mut ImportCache,
        doc: &ParsedCharter,
        source: &Source<'_>,
        actor: &str,
    ) -> Result<ImportOutcome, StoreError> {
        self.import_as(cache, doc, source, Authority::Register, actor)
            .await
    }

    /// One import in one transaction, with whose word stands (`Authority`).
    async fn import_as(
        &self,
        cache: &mut ImportCache,
        doc: &ParsedCharter,
        source: &Source<'_>,
        authority: Authority,
        actor: &str,
    ) -> Result<ImportOutcome, StoreError> {
        let held = cache.held.take();
        let first = in_transaction!(self, |c| import::import(
            c, held, doc, source, authority, actor
        )
        .await);
        let (outcome, kept) = match first {
            // The same document filed by someone else at the same moment (on
            // PostgreSQL both read before either wrote): read again, it is there,
            // and this one changes nothing.
            Err(e) if e.is_duplicate() => in_transaction!(self, |c| import::import(
                c, None, doc, source, authority, actor
            )
            .await)?,
            other => other?,
        };
        cache.held = Some(kept);
        Ok(outcome)
    }

    /// Files a charter decided in Samordna: as [`Store::import_charter`], but
    /// the decision is the source, so the register follows the charter's kind
    /// and reporting line instead of reporting a conflict.
    pub async fn file_decided_charter(
        &self,
        doc: &ParsedCharter,
        source: &Source<'_>,
        actor: &str,
    ) -> Result<ImportOutcome, StoreError> {
        self.import_as(
            &mut ImportCache::default(),
            doc,
            source,
            Authority::Document,
            actor,
        )
        .await
    }

    /// Every organisation, in Swedish order of name (`collation`).
    pub async fn organizations(&self) -> Result<Vec<Organization>, StoreError> {
        let mut orgs = with_conn!(self, |c| c.organizations().await)?;
        collation::sort_by(&mut orgs, |o| &o.name);
        Ok(orgs)
    }

    pub async fn organization_by_slug(
        &self,
        slug: &str,
    ) -> Result<Option<Organization>, StoreError> {
        with_conn!(self, |c| c.organization_by_slug(slug).await)
    }

    /// One organisation by its id.
    pub async fn organization(&self, id: i64) -> Result<Option<Organization>, StoreError> {
        with_conn!(self, |c| c.organization_by_id(id).await)
    }

    /// One group as a page shows it: the group (its current successor when it was
    /// merged), its parent, children, liaisons both ways, aliases and charter
    /// version headers. Reads only those rows, each through an index
    /// ([`one_group`]), whatever the size of the register. `None` when no group
    /// has the address.
    pub async fn group_view(&self, slug: &str) -> Result<Option<GroupView>, StoreError> {
        with_conn!(self, |c| {
            let Some(org) = c.organization_by_slug(slug).await? else {
                return Ok(None);
            };
            let merged_into = match org.merged_into_id {
                Some(id) => c.organization_by_id(id).await?,
                None => None,
            };
            let parent = match org.reports_to_id {
                Some(id) => c.organization_by_id(id).await?,
                None => None,
            };
            let mut children = c.groups_by(one_group::CHILDREN, org.id).await?;
            collation::sort_by(&mut children, |o| &o.name);
            let mut liaisons = c.groups_by(one_group::LIAISONS, org.id).await?;
            collation::sort_by(&mut liaisons, |o| &o.name);
            let mut liaison_of = c.groups_by(one_group::LIAISON_OF, org.id).await?;
            collation::sort_by(&mut liaison_of, |o| &o.name);
            let aliases = c
                .aliases_of(org.id)
                .await?
                .into_iter()
                .filter(|a| *a != org.name)
                .collect();
            let versions = c.versions_of(org.id).await?;
            Ok(Some(GroupView {
                org,
                merged_into,
                parent,
                children,
                liaisons,
                liaison_of,
                aliases,
                versions,
            }))
        })
    }

    pub async fn aliases(&self) -> Result<Vec<Alias>, StoreError> {
        with_conn!(self, |c| c.aliases().await)
    }

    /// The liaisons the given organisations name, as (organisation, liaison).
    pub async fn liaisons_from(&self, ids: &[i64]) -> Result<Vec<(i64, i64)>, StoreError> {
        let mut out = Vec::new();
        // In chunks, within every backend's limit of parameters.
        for chunk in ids.chunks(500) {
            out.extend(with_conn!(self, |c| c.liaisons_from(chunk).await)?);
        }
        Ok(out)
    }

    /// The organisations with the given ids, in no particular order.
    pub async fn organizations_in(&self, ids: &[i64]) -> Result<Vec<Organization>, StoreError> {
        let mut out = Vec::new();
        for chunk in ids.chunks(500) {
            out.extend(with_conn!(self, |c| c.organizations_in(chunk).await)?);
        }
        Ok(out)
    }

    /// Every (organisation, liaison) pair.
    pub async fn liaisons(&self) -> Result<Vec<(i64, i64)>, StoreError> {
        with_conn!(self, |c| c.liaisons().await)
    }

    /// Charter versions of one organisation, or of all when `None`.
    pub async fn charter_versions(
        &self,
        organization_id: Option<i64>,
    ) -> Result<Vec<CharterVersion>, StoreError> {
        with_conn!(self, |c| c.versions(organization_id).await)
    }

    /// The charter version headers of the given organisations (by index), by
    /// organisation and version: what a page of a list shows, not the register's.
    pub async fn charter_versions_of(
        &self,
        organization_ids: &[i64],
    ) -> Result<Vec<CharterVersion>, StoreError> {
        let mut out = Vec::new();
        // In chunks, within every backend's limit of parameters.
        for chunk in organization_ids.chunks(500) {
            out.extend(with_conn!(self, |c| c.versions_in(chunk).await)?);
        }
        Ok(out)
    }

    /// One charter version with its parsed content.
    pub async fn charter_document(
        &self,
        organization_id: i64,
        version: i64,
    ) -> Result<Option<CharterDocument>, StoreError> {
        let found = with_conn!(self, |c| c.version_content(organization_id, version).await)?;
        found
            .map(|(meta, content, _)| {
                let content = serde_json::from_str(&content).map_err(|e| {
                    StoreError::Corrupt(format!("uppdragshandling {}: {e}", meta.id))
                })?;
                Ok(CharterDocument { meta, content })
            })
            .transpose()
    }

    /// The source file of a charter version as imported: (file name, text).
    pub async fn charter_source(
        &self,
        organization_id: i64,
        version: i64,
    ) -> Result<Option<(String, String)>, StoreError> {
        let found = with_conn!(self, |c| c.version_content(organization_id, version).await)?;
        Ok(found.map(|(meta, _, text)| (meta.source_name, text)))
    }

    /// The version of a group that already holds this document — the same text
    /// or the same content — as importing it again would find it (and change
    /// nothing). For a preview before an import.
    pub async fn version_with_same_document(
        &self,
        organization_id: i64,
        text: &str,
        doc: &ParsedCharter,
    ) -> Result<Option<i64>, StoreError> {
        let text = samordna_domain::normalize::text(text);
        let (sha, content) = import::identity(&text, doc)?;
        with_conn!(self, |c| c
            .version_with_same_text(organization_id, &sha, &content)
            .await)
    }

    /// The original file of a charter version, when it was read from a PDF or
    /// DOCX: (media type, bytes).
    pub async fn charter_source_file(
        &self,
        organization_id: i64,
        version: i64,
    ) -> Result<Option<(String, Vec<u8>)>, StoreError> {
        with_conn!(self, |c| {
            let row = sqlx::query(
                "SELECT f.media_type, f.data FROM charter_source_files f
                 JOIN charter_versions v ON v.id = f.charter_version_id
                 WHERE v.organization_id = $1 AND v.version = $2",
            )
            .bind(organization_id)
            .bind(version)
            .fetch_optional(&mut *c)
            .await?;
            row.map(|r| {
                Ok((
                    sqlx::Row::try_get(&r, "media_type")?,
                    sqlx::Row::try_get(&r, "data")?,
                ))
            })
            .transpose()
        })
    }

    pub async fn references_of(&self, version_id: i64) -> Result<Vec<String>, StoreError> {
        with_conn!(self, |c| c.references_of(version_id).await)
    }

    pub async fn cases(&self) -> Result<Vec<Case>, StoreError> {
        with_conn!(self, |c| c.cases().await)
    }

    /// How many cases the register holds.
    pub async fn case_count(&self) -> Result<i64, StoreError> {
        with_conn!(self, |c| c.case_count().await)
    }

    /// `limit` cases from `offset` in the order of [`Store::cases`] (newest year
    /// first), each with its number of documents: one page of the list of cases.
    pub async fn cases_page(
        &self,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<CaseSummary>, StoreError> {
        let (offset, limit) = (offset as i64, limit as i64);
        with_conn!(self, |c| c.cases_page(offset, limit).await)
    }

    pub async fn case_by_number(&self, registry_number: &str) -> Result<Option<Case>, StoreError> {
        with_conn!(self, |c| c.case_by_number(registry_number).await)
    }

    /// How many documents a case holds.
    pub async fn case_document_count(&self, case_id: i64) -> Result<i64, StoreError> {
        with_conn!(self, |c| c.case_document_count(case_id).await)
    }

    /// `limit` of a case's documents from `offset`, in the order of
    /// [`Store::case_documents`] (by document date): one page of a case.
    pub async fn case_documents_page(
        &self,
        case_id: i64,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<CharterVersion>, StoreError> {
        let (offset, limit) = (offset as i64, limit as i64);
        with_conn!(self, |c| c
            .case_documents_page(case_id, offset, limit)
            .await)
    }

    pub async fn case_documents(&self, case_id: i64) -> Result<Vec<CharterVersion>, StoreError> {
        with_conn!(self, |c| c.versions_in_case(case_id).await)
    }

    pub async fn audit_events(&self) -> Result<Vec<AuditEvent>, StoreError> {
        with_conn!(self, |c| c.audit_events().await)
    }

    pub async fn counts(&self) -> Result<Counts, StoreError> {
        with_conn!(self, |c| c.counts().await)
    }

    /// Renames an organisation; the old name stays as an alias so that documents
    /// using it still match. The slug, and so every URL, stays the same.
    pub async fn rename_organization(
        &self,
        slug: &str,
        new_name: &str,
        actor: &str,
    ) -> Result<(), StoreError> {
        let new_name = new_name.trim();
        if new_name.is_empty() {
            return Err(StoreError::Conflict("det nya namnet är tomt".into()));
        }
        in_transaction!(self, |c| {
            let o = find(c, slug).await?;
            name_free(c, new_name, o.id).await?;
            c.insert_alias(o.id, &o.name, &name_key(&o.name)).await?;
            c.update_org(
                o.id,
                new_name,
                o.kind.as_str(),
                o.area.as_deref(),
                o.reports_to_id,
                o.placeholder,
            )
            .await?;
            c.insert_alias(o.id, new_name, &name_key(new_name)).await?;
            let detail = format!("{} → {new_name}", o.name);
            audit(
                c,
                actor,
                "organization.renamed",
                "organization",
                o.id,
                &detail,
                before_after(&o.name, new_name),
            )
            .await?;
            Ok::<_, StoreError>(())
        })
    }

    /// Merges `from` into `into` when a name was not recognised as the same
    /// organisation: aliases, liaisons, groups reporting to it and charter versions
    /// move to `into`; `from` remains as a record that points to `into`.
    pub async fn merge_organizations(
        &self,
        from: &str,
        into: &str,
        actor: &str,
    ) -> Result<(), StoreError> {
        in_transaction!(self, |c| {
            let a = find(c, from).await?;
            let b = find(c, into).await?;
            if a.id == b.id {
                return Err(StoreError::Conflict(
                    "en grupp kan inte slås ihop med sig själv".into(),
                ));
            }
            let offset = c
                .versions(Some(b.id))
                .await?
                .iter()
                .map(|v| v.version)
                .max()
                .unwrap_or(0);
            c.insert_alias(b.id, &a.name, &name_key(&a.name)).await?;
            c.move_references_to_org(a.id, b.id).await?;
            let moved = c.move_versions(a.id, b.id, offset).await?;
            c.set_merged(a.id, b.id).await?;
            let detail = format!("{} → {} ({moved} versioner flyttade)", a.name, b.name);
            let changes = serde_json::json!({
                "before": {"merged_into": null},
                "after": {"merged_into": b.slug, "versions_moved": moved, "version_offset": offset},
            });
            audit(
                c,
                actor,
                "organization.merged",
                "organization",
                a.id,
                &detail,
                changes,
            )
            .await?;
            Ok(())
        })
    }

    /// Adds a name under which documents refer to an organisation, taking it from
    /// any other organisation that had it. Exact names win over near matches, so an
    /// alias also corrects a wrong near match for the documents imported after it.
    pub async fn add_alias(
        &self,
        slug: &str,
        alias: &str,
        actor: &str,
    ) -> Result<bool, StoreError> {
        in_transaction!(self, |c| {
            let o = find(c, slug).await?;
            let key = name_key(alias);
            if key.is_empty() {
                return Err(StoreError::Conflict("aliaset är tomt".into()));
            }
            // A name denotes one organisation: the alias leaves any other that had it.
            let mut taken_from = Vec::new();
            for other in c
                .aliases()
                .await?
                .iter()
                .filter(|a| a.alias_key == key && a.organization_id != o.id)
            {
                c.delete_alias(other.organization_id, &key).await?;
                taken_from.push(other.organization_id);
            }
            let added = c.insert_alias(o.id, alias.trim(), &key).await?;
            if added || !taken_from.is_empty() {
                let changes = serde_json::json!({
                    "before": {"organizations": taken_from},
                    "after": {"organizations": [o.id], "alias": alias.trim()},
                });
                audit(
                    c,
                    actor,
                    "organization.alias_added",
                    "organization",
                    o.id,
                    alias,
                    changes,
                )
                .await?;
            }
            Ok(added)
        })
    }

    /// Removes an alias that was recorded by a wrong match.
    pub async fn remove_alias(
        &self,
        slug: &str,
        alias: &str,
        actor: &str,
    ) -> Result<bool, StoreError> {
        in_transaction!(self, |c| {
            let o = find(c, slug).await?;
            let key = name_key(alias);
            if key == name_key(&o.name) {
                return Err(StoreError::Conflict(
                    "gruppens eget namn kan inte tas bort; byt namn i stället".into(),
                ));
            }
            let removed = c.delete_alias(o.id, &key).await?;
            if removed {
                let changes = before_after(alias, serde_json::Value::Null);
                audit(
                    c,
                    actor,
                    "organization.alias_removed",
                    "organization",
                    o.id,
                    alias,
                    changes,
                )
                .await?;
            }
            Ok(removed)
        })
    }
}

/// `{"before": …, "after": …}`
pub(crate) fn before_after(
    before: impl serde::Serialize,
    after: impl serde::Serialize,
) -> serde_json::Value {
    serde_json::json!({ "before": before, "after": after })
}

/// Records one audit event for one write.
pub(crate) async fn audit<C: Conn>(
    c: &mut C,
    actor: &str,
    action: &str,
    object_type: &str,
    object_id: i64,
    detail: &str,
    changes: serde_json::Value,
) -> Result<(), StoreError> {
    c.insert_audit(&conn::NewAudit {
        now: Utc::now(),
        actor,
        action,
        object_type,
        object_id: Some(object_id),
        detail,
        changes: Some(changes.to_string()),
    })
    .await
}

/// Refuses a name another organisation already has: names denote organisations
/// (an import finds a group by its exact name), so two with one name would make
/// every document naming it ambiguous. Errors: [`StoreError::Conflict`] naming the
/// holder's address. Shared by create, edit (portal and API) and rename.
async fn name_free<C: Conn>(c: &mut C, name: &str, id: i64) -> Result<(), StoreError> {
    match c.name_holder(name.trim(), id).await? {
        Some(holder) => Err(StoreError::Conflict(format!(
            "namnet ”{}” har redan {holder}; välj ett annat namn eller slå ihop grupperna med samordna org merge",
            name.trim()
        ))),
        None => Ok(()),
    }
}

async fn find<C: Conn>(c: &mut C, slug: &str) -> Result<Organization, StoreError> {
    c.organization_by_slug(slug)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("gruppen {slug:?}")))
}
