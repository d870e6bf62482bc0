//! The change counter: every insert, update or delete in a table whose rows the
//! portal shows moves it, through triggers, in the same transaction as the change.
//! App nodes read it before serving a page from memory, to know whether what they
//! cached may be stale. The triggers are
//! created by [`crate::Store::migrate`] for every table but [`UNSHOWN`], so a new
//! table is covered without a line here.

use crate::{with_pool, Backend, Store, StoreError};

/// Tables whose rows no page shows to a reader the cache serves: sign-in state,
/// secrets, the mail queue and the audit log (written on reads of personal data).
const UNSHOWN: &[&str] = &[
    "sessions",
    "login_attempts",
    "api_tokens",
    "oidc_pending",
    "sign_in_counters",
    "calendar_links",
    "audit_events",
    "jobs",
    "change_counter",
    "schema_migrations",
    "schema_checksums",
    "search_outbox",
    "form_submissions",
    "search_state",
    "record_stamps",
];

/// The query listing the database's tables, and the one listing the names of the
/// change triggers already there.
pub(crate) fn catalog(is_pg: bool) -> (&'static str, &'static str) {
    if is_pg {
        (
            "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema()",
            "SELECT tgname::text FROM pg_trigger WHERE tgname LIKE 'change\\_%'",
        )
    } else {
        (
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'change\\_%' ESCAPE '\\'",
        )
    }
}

/// The statements creating the change triggers missing on `tables`.
pub(crate) fn missing_triggers(is_pg: bool, tables: &[String], present: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for t in tables.iter().filter(|t| !UNSHOWN.contains(&t.as_str())) {
        if is_pg {
            let name = format!("change_{t}");
            if !present.contains(&name) {
                out.push(format!(
                    "CREATE TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE ON {t} FOR EACH STATEMENT EXECUTE FUNCTION note_change()"
                ));
            }
        } else {
            // SQLite has row triggers only; one writer at a time, so no contention.
            for op in ["insert", "update", "delete"] {
                let name = format!("change_{t}_{op}");
                if !present.contains(&name) {
                    out.push(format!(
                        "CREATE TRIGGER {name} AFTER {} ON {t} BEGIN UPDATE change_counter SET n = n + 1 WHERE id = 1; END",
                        op.to_uppercase()
                    ));
                }
            }
        }
    }
    out
}

impl Store {
    /// The change counter: different from a value read before means something
    /// shown has changed since (it only grows).
    pub async fn change_count(&self) -> Result<i64, StoreError> {
        Ok(with_pool!(self, |pool| {
            sqlx::query_scalar(READ_COUNT).fetch_one(pool).await?
        }))
    }
}

/// A cheap and exact witness of commits to an SQLite database in WAL mode: the
/// transaction counter `iChange` of the wal-index header, read from the `-shm`
/// file (a four-byte read, no query). Documented in SQLite's "WAL-mode File
/// Format" (sqlite.org/walformat.html, § 2.2.1: offset 8, native byte order,
/// "incremented with each transaction"); the header's first copy is written
/// last, so a value that differs from one read earlier means a commit since.
///
/// The witness holds a connection of its own open, so SQLite never deletes the
/// `-shm` file under it (the last connection to close deletes it).
pub struct CommitWitness {
    shm: std::fs::File,
    _conn: sqlx::SqliteConnection,
}

impl std::fmt::Debug for CommitWitness {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CommitWitness")
    }
}

impl CommitWitness {
    /// The transaction counter now; `None` when the file cannot be read.
    pub fn read(&self) -> Option<u32> {
        use std::os::unix::fs::FileExt;
        let mut b = [0u8; 4];
        self.shm.read_exact_at(&mut b, 8).ok()?;
        Some(u32::from_ne_bytes(b))
    }
}

impl Store {
    /// The commit witness of an SQLite file database; `None` on PostgreSQL, for
    /// an in-memory database, or when the `-shm` file cannot be opened (then a
    /// caller reads [`Store::change_count`] instead).
    pub async fn commit_witness(&self) -> Option<CommitWitness> {
        use sqlx::ConnectOptions;
        let Backend::Sqlite(pool) = &self.backend else {
            return None;
        };
        let options = pool.connect_options();
        let file = options.get_filename();
        if file.as_os_str().is_empty() || file == std::path::Path::new(":memory:") {
            return None;
        }
        let mut conn = options.as_ref().clone().connect().await.ok()?;
        // A read maps the wal-index; the connection keeps it mapped.
        sqlx::query("SELECT n FROM change_counter WHERE id = 1")
            .fetch_optional(&mut conn)
            .await
            .ok()?;
        let mut shm = file.as_os_str().to_owned();
        shm.push("-shm");
        let shm = std::fs::File::open(shm).ok()?;
        let witness = CommitWitness { shm, _conn: conn };
        witness.read()?;
        Some(witness)
    }
}

/// A reader of [`Store::change_count`] on a connection of its own, for one task
/// that reads it many times a second (the response cache's validator): no wait
/// for the pool, the statement prepared once. Reconnects after an error.
pub struct ChangeReader {
    store: Store,
    conn: Option<Detached>,
}

enum Detached {
    Sqlite(sqlx::SqliteConnection),
    Postgres(sqlx::PgConnection),
}

impl std::fmt::Debug for ChangeReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ChangeReader")
    }
}

impl Store {
    /// A [`ChangeReader`] of this store's database.
    pub fn change_reader(&self) -> ChangeReader {
        ChangeReader {
            store: self.clone(),
            conn: None,
        }
    }
}

const READ_COUNT: &str = "SELECT n FROM change_counter WHERE id = 1";

impl ChangeReader {
    /// The change counter now.
    pub async fn read(&mut self) -> Result<i64, StoreError> {
        use sqlx::ConnectOptions;
        let conn = match &mut self.conn {
            Some(c) => c,
            None => {
                let c = match &self.store.backend {
                    Backend::Sqlite(pool) => {
                        Detached::Sqlite(pool.connect_options().connect().await?)
                    }
                    Backend::Postgres(pool) => {
                        Detached::Postgres(pool.connect_options().connect().await?)
                    }
                };
                self.conn.insert(c)
            }
        };
        let read = match conn {
            Detached::Sqlite(c) => sqlx::query_scalar(READ_COUNT).fetch_one(c).await,
            Detached::Postgres(c) => sqlx::query_scalar(READ_COUNT).fetch_one(c).await,
        };
        if read.is_err() {
            self.conn = None;
        }
        Ok(read?)
    }
}
