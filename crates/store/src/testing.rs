//! Test support: a fresh database per test, on either backend.

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::Store;

/// The PostgreSQL server tests use: `SAMORDNA_TEST_PG`, or the local one.
pub fn pg_admin_url() -> String {
    std::env::var("SAMORDNA_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A migrated, empty database that exists for one test.
pub struct TestDb {
    pub store: Store,
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin: String, name: String },
}

impl TestDb {
    /// A new SQLite file in a temporary directory.
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let url = format!("sqlite://{}", dir.path().join("samordna.db").display());
        let store = Store::open(&url).await.expect("a new SQLite database");
        TestDb {
            store,
            url,
            cleanup: Cleanup::Sqlite(dir),
        }
    }

    /// A new database on the PostgreSQL server. Fails loudly when there is none.
    pub async fn postgres() -> TestDb {
        Self::postgres_with(true).await
    }

    /// A new database on the PostgreSQL server without tables (not migrated):
    /// what a restore goes into.
    pub async fn postgres_empty() -> TestDb {
        Self::postgres_with(false).await
    }

    async fn postgres_with(migrated: bool) -> TestDb {
        let admin = pg_admin_url();
        let name = format!(
            "samordna_t_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst),
            chrono::Utc::now().timestamp_micros()
        );
        let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&admin)
            .await
            .unwrap_or_else(|e| panic!("PostgreSQL at {admin} is needed for the store tests: {e}. Start it with `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` or set SAMORDNA_TEST_PG."));
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .expect("CREATE DATABASE");
        let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
        let url = format!("{base}/{name}");
        let store = if migrated {
            Store::open(&url).await
        } else {
            Store::connect(&url).await
        }
        .expect("a new PostgreSQL database");
        TestDb {
            store,
            url,
            cleanup: Cleanup::Postgres { admin, name },
        }
    }

    /// Drops the database (PostgreSQL) or deletes the file (SQLite).
    pub async fn close(self) {
        let TestDb { store, cleanup, .. } = self;
        match &store.backend {
            crate::Backend::Sqlite(p) => p.close().await,
            crate::Backend::Postgres(p) => p.close().await,
        }
        if let Cleanup::Postgres { admin, name } = cleanup {
            if let Ok(mut conn) = <sqlx::PgConnection as sqlx::Connection>::connect(&admin).await {
                let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut conn)
                    .await;
            }
        }
    }
}

/// Runs one SQL statement directly, bypassing the store's interface: for tests that
/// check what the database itself refuses.
pub async fn raw_execute(store: &Store, sql: &str) -> Result<u64, sqlx::Error> {
    match &store.backend {
        crate::Backend::Sqlite(p) => sqlx::raw_sql(sql)
            .execute(p)
            .await
            .map(|r| r.rows_affected()),
        crate::Backend::Postgres(p) => sqlx::raw_sql(sql)
            .execute(p)
            .await
            .map(|r| r.rows_affected()),
    }
}

/// Runs a query that returns one text value.
pub async fn raw_text(store: &Store, sql: &str) -> Result<String, sqlx::Error> {
    match &store.backend {
        crate::Backend::Sqlite(p) => sqlx::query_scalar(sql).fetch_one(p).await,
        crate::Backend::Postgres(p) => sqlx::query_scalar(sql).fetch_one(p).await,
    }
}

/// SQLite's plan for a query (`EXPLAIN QUERY PLAN`, the detail of each step), with
/// every `$n` bound to 1.
pub async fn sqlite_plan(store: &Store, sql: &str) -> Vec<String> {
    use sqlx::Row;
    let crate::Backend::Sqlite(p) = &store.backend else {
        panic!("query plans are read from SQLite");
    };
    let explain = format!("EXPLAIN QUERY PLAN {sql}");
    let mut q = sqlx::query(&explain);
    for _ in 0..sql.matches('$').count() {
        q = q.bind(1);
    }
    q.fetch_all(p)
        .await
        .expect("a plan")
        .iter()
        .map(|r| r.get::<String, _>("detail"))
        .collect()
}

/// The seed documents as (file name, text).
pub fn seeds() -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/seeds");
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("fixtures/seeds")
        .filter_map(|e| {
            let p = e.ok()?.path();
            (p.extension()? == "txt").then(|| {
                (
                    p.file_name().unwrap().to_string_lossy().into_owned(),
                    std::fs::read_to_string(&p).unwrap(),
                )
            })
        })
        .collect();
    out.sort();
    out
}

/// Parses and imports every seed; panics on any failure.
pub async fn import_seeds(store: &Store) {
    for (name, text) in seeds() {
        let doc = samordna_domain::parse_charter(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        store
            .import_charter(
                &doc,
                &crate::Source {
                    name: &name,
                    text: &text,
                    file: None,
                },
                "test",
            )
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}
