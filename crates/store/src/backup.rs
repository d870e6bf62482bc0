//! A consistent copy of a running SQLite database: `VACUUM INTO` (SQLite 3.27+)
//! writes the database as one transaction sees it into a new file, while other
//! connections go on reading and writing (WAL). PostgreSQL's copy is `pg_dump`,
//! run by the binary (`samordna backup`), not by the store.

use std::path::Path;

use crate::{with_pool, Backend, Store, StoreError};

impl Store {
    /// Writes a consistent copy of this SQLite database to `out`, which must not
    /// exist. Errors: [`StoreError::Conflict`] on PostgreSQL or when `out`
    /// exists; a database error when the file cannot be written.
    pub async fn sqlite_backup(&self, out: &Path) -> Result<(), StoreError> {
        let Backend::Sqlite(_) = &self.backend else {
            return Err(StoreError::Conflict(
                "en kopia av PostgreSQL görs med pg_dump (samordna backup gör det)".into(),
            ));
        };
        if out.exists() {
            return Err(StoreError::Conflict(format!(
                "{} finns redan; en säkerhetskopia skriver aldrig över en fil",
                out.display()
            )));
        }
        let target = out.to_string_lossy().into_owned();
        with_pool!(self, |pool| {
            sqlx::query("VACUUM INTO $1")
                .bind(target)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// `PRAGMA integrity_check` and `PRAGMA foreign_key_check` of an SQLite
    /// database: the problems found, none when whole. Empty on PostgreSQL (its
    /// constraints are checked as rows are written).
    pub async fn sqlite_integrity(&self) -> Result<Vec<String>, StoreError> {
        let Backend::Sqlite(pool) = &self.backend else {
            return Ok(Vec::new());
        };
        let mut problems: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_all(pool)
            .await?;
        problems.retain(|p| p != "ok");
        let fk: Vec<(String, i64, String, i64)> = sqlx::query_as("PRAGMA foreign_key_check")
            .fetch_all(pool)
            .await?;
        problems.extend(
            fk.into_iter()
                .map(|(table, row, parent, _)| format!("{table} rad {row}: saknar {parent}")),
        );
        Ok(problems)
    }
}

impl Store {
    /// How many tables the database has (in the current schema on PostgreSQL):
    /// zero for a database a restore may go into.
    pub async fn table_count(&self) -> Result<i64, StoreError> {
        Ok(match &self.backend {
            Backend::Sqlite(pool) => {
                sqlx::query_scalar("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'")
                    .fetch_one(pool)
                    .await?
            }
            Backend::Postgres(pool) => {
                sqlx::query_scalar(
                    "SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema()",
                )
                .fetch_one(pool)
                .await?
            }
        })
    }
}
