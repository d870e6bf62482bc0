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

    /// Whether the database is whole: the problems found, none when it is.
    ///
    /// SQLite: `PRAGMA integrity_check` (pages, indexes, `CHECK` constraints) and
    /// `PRAGMA foreign_key_check`. PostgreSQL (its constraints are checked as rows
    /// are written, so this looks for what could still be wrong after a crash or a
    /// restore): every foreign key's rows have their parent, no constraint is left
    /// `NOT VALID`, no index is invalid, no trigger of ours is disabled (the
    /// immutability of public records rests on them), and with the `amcheck`
    /// extension installed every B-tree index is checked against its table
    /// (`bt_index_check`). Problems are Swedish sentences naming the table.
    pub async fn integrity(&self) -> Result<Vec<String>, StoreError> {
        match &self.backend {
            Backend::Sqlite(pool) => sqlite_integrity(pool).await,
            Backend::Postgres(pool) => pg_integrity(pool).await,
        }
    }

    /// [`Store::integrity`] of an SQLite file no one uses (a copy, a restore before
    /// it is put in place), opened read-only and immutable: nothing is migrated and
    /// nothing is written beside it (no `-wal`, no `-shm`). Errors: the file is not
    /// an SQLite database, or cannot be read.
    pub async fn sqlite_file_integrity(path: &Path) -> Result<Vec<String>, StoreError> {
        let options = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(path)
            .read_only(true)
            .immutable(true);
        let pool = sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await?;
        let problems = sqlite_integrity(&pool).await;
        pool.close().await;
        problems
    }
}

async fn sqlite_integrity(pool: &sqlx::SqlitePool) -> Result<Vec<String>, StoreError> {
    let mut problems: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(pool)
        .await?;
    problems.retain(|p| p != "ok");
    let fk: Vec<(String, Option<i64>, String, i64)> = sqlx::query_as("PRAGMA foreign_key_check")
        .fetch_all(pool)
        .await?;
    problems.extend(fk.into_iter().map(|(table, row, parent, _)| {
        format!(
            "{table} rad {}: saknar sin rad i {parent}",
            row.map_or("?".into(), |r| r.to_string())
        )
    }));
    Ok(problems)
}

/// A foreign key: its name, table, parent table, columns and the parent's columns.
type ForeignKey = (String, String, String, Vec<String>, Vec<String>);

async fn pg_integrity(pool: &sqlx::PgPool) -> Result<Vec<String>, StoreError> {
    let mut problems = Vec::new();
    // Every foreign key, with its columns in order (MATCH SIMPLE: a row with a
    // NULL in the key refers to nothing).
    let fks: Vec<ForeignKey> = sqlx::query_as(
        "SELECT c.conname::text, c.conrelid::regclass::text, c.confrelid::regclass::text,
                ARRAY(SELECT quote_ident(a.attname) FROM unnest(c.conkey) WITH ORDINALITY k(n, o)
                      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o),
                ARRAY(SELECT quote_ident(a.attname) FROM unnest(c.confkey) WITH ORDINALITY k(n, o)
                      JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.o)
         FROM pg_constraint c JOIN pg_namespace s ON s.oid = c.connamespace
         WHERE c.contype = 'f' AND s.nspname = current_schema() ORDER BY 2, 1",
    )
    .fetch_all(pool)
    .await?;
    for (name, table, parent, cols, pcols) in fks {
        let not_null = cols
            .iter()
            .map(|c| format!("t.{c} IS NOT NULL"))
            .collect::<Vec<_>>()
            .join(" AND ");
        let joined = cols
            .iter()
            .zip(&pcols)
            .map(|(c, p)| format!("p.{p} = t.{c}"))
            .collect::<Vec<_>>()
            .join(" AND ");
        let orphans: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM {table} t WHERE {not_null} AND NOT EXISTS (SELECT 1 FROM {parent} p WHERE {joined})"
        ))
        .fetch_one(pool)
        .await?;
        if orphans > 0 {
            problems.push(format!(
                "{table}: {orphans} rader saknar sin rad i {parent} ({name})"
            ));
        }
    }
    let unvalidated: Vec<(String, String)> = sqlx::query_as(
        "SELECT c.conrelid::regclass::text, c.conname::text FROM pg_constraint c
         JOIN pg_namespace s ON s.oid = c.connamespace
         WHERE NOT c.convalidated AND s.nspname = current_schema()",
    )
    .fetch_all(pool)
    .await?;
    problems.extend(
        unvalidated
            .into_iter()
            .map(|(t, c)| format!("{t}: villkoret {c} är inte prövat (NOT VALID)")),
    );
    let invalid: Vec<String> = sqlx::query_scalar(
        "SELECT i.indexrelid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
         JOIN pg_namespace s ON s.oid = c.relnamespace
         WHERE NOT (i.indisvalid AND i.indisready) AND s.nspname = current_schema()",
    )
    .fetch_all(pool)
    .await?;
    problems.extend(
        invalid
            .into_iter()
            .map(|i| format!("indexet {i} är ogiltigt")),
    );
    let disabled: Vec<(String, String)> = sqlx::query_as(
        "SELECT t.tgrelid::regclass::text, t.tgname::text FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
         JOIN pg_namespace s ON s.oid = c.relnamespace
         WHERE NOT t.tgisinternal AND t.tgenabled = 'D' AND s.nspname = current_schema()",
    )
    .fetch_all(pool)
    .await?;
    problems.extend(
        disabled
            .into_iter()
            .map(|(t, g)| format!("{t}: utlösaren {g} är avstängd")),
    );
    let amcheck: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'amcheck')")
            .fetch_one(pool)
            .await?;
    if amcheck {
        let indexes: Vec<String> = sqlx::query_scalar(
            "SELECT c.oid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
             JOIN pg_am am ON am.oid = c.relam JOIN pg_namespace s ON s.oid = c.relnamespace
             WHERE am.amname = 'btree' AND i.indisvalid AND s.nspname = current_schema() ORDER BY 1",
        )
        .fetch_all(pool)
        .await?;
        for index in indexes {
            if let Err(e) = sqlx::query("SELECT bt_index_check($1::regclass)")
                .bind(&index)
                .execute(pool)
                .await
            {
                problems.push(format!("indexet {index}: {e}"));
            }
        }
    }
    Ok(problems)
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
