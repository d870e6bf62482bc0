//! `samordna backup` and `samordna restore`: a consistent copy of the register
//! while the server runs, and its return into an empty database.
//!
//! SQLite: `VACUUM INTO` (one transaction's view, written to a new file; the
//! server goes on serving); restore copies the file into place under a temporary
//! name and renames it, then checks it (`integrity_check`, foreign keys).
//! PostgreSQL: `pg_dump --format=custom` (a snapshot of one transaction; the
//! server goes on serving) and `pg_restore --single-transaction` into an empty
//! database. A copy never overwrites a file; a restore never writes into a
//! database that has tables.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context};
use samordna_store::Store;

/// What kind of copy a file is, from its first bytes.
#[derive(Debug, PartialEq, Eq)]
enum Kind {
    Sqlite,
    PgDump,
}

fn kind_of(file: &Path) -> anyhow::Result<Kind> {
    let mut head = [0u8; 16];
    std::fs::File::open(file)
        .and_then(|mut f| f.read_exact(&mut head))
        .with_context(|| format!("kunde inte läsa {}", file.display()))?;
    if head.starts_with(b"SQLite format 3\0") {
        Ok(Kind::Sqlite)
    } else if head.starts_with(b"PGDMP") {
        Ok(Kind::PgDump)
    } else {
        bail!(
            "{} är ingen säkerhetskopia från samordna backup (varken SQLite eller pg_dump)",
            file.display()
        )
    }
}

fn sqlite_path(db: &str) -> Option<PathBuf> {
    db.strip_prefix("sqlite://")
        .map(|p| PathBuf::from(p.split('?').next().unwrap_or(p)))
}

fn size_mb(file: &Path) -> f64 {
    std::fs::metadata(file).map_or(0.0, |m| m.len() as f64 / 1e6)
}

/// `samordna backup --out FILE`.
pub async fn backup(db: &str, out: &Path) -> anyhow::Result<()> {
    if out.exists() {
        bail!(
            "{} finns redan; välj ett nytt filnamn (en kopia skriver aldrig över en fil)",
            out.display()
        );
    }
    if sqlite_path(db).is_some() {
        let store = Store::open_existing(db)
            .await
            .context("kunde inte öppna databasen")?;
        store.sqlite_backup(out).await?;
        let problems = Store::sqlite_file_integrity(out)
            .await
            .context("kopian kunde inte läsas")?;
        if !problems.is_empty() {
            bail!("kopian är inte hel: {}", problems.join("; "));
        }
    } else {
        let status = Command::new("pg_dump")
            .args(["--format=custom", "--no-owner", "--file"])
            .arg(out)
            .arg(db)
            .status()
            .context("pg_dump kunde inte startas (PostgreSQL:s klientprogram behövs)")?;
        if !status.success() {
            let _ = std::fs::remove_file(out);
            bail!("pg_dump misslyckades ({status})");
        }
    }
    println!(
        "Säkerhetskopia skriven till {} ({:.1} MB). Återställ med: samordna --db TOM-DATABAS restore --from {}",
        out.display(),
        size_mb(out),
        out.display()
    );
    Ok(())
}

/// `samordna restore --from FILE` into the (empty) database `db`.
pub async fn restore(db: &str, from: &Path) -> anyhow::Result<()> {
    let kind = kind_of(from)?;
    match (kind, sqlite_path(db)) {
        (Kind::Sqlite, Some(target)) => {
            if target.exists() && std::fs::metadata(&target).map_or(0, |m| m.len()) > 0 {
                bail!(
                    "{} finns redan; återställ till en ny fil (en återställning skriver aldrig över ett register)",
                    target.display()
                );
            }
            let tmp = target.with_extension("aterstalls");
            std::fs::copy(from, &tmp)
                .with_context(|| format!("kunde inte skriva {}", tmp.display()))?;
            let problems = match Store::sqlite_file_integrity(&tmp).await {
                Ok(p) => p,
                Err(e) => vec![e.to_string()],
            };
            if !problems.is_empty() {
                let _ = std::fs::remove_file(&tmp);
                bail!("kopian är inte hel: {}", problems.join("; "));
            }
            std::fs::rename(&tmp, &target)
                .with_context(|| format!("kunde inte skriva {}", target.display()))?;
        }
        (Kind::PgDump, None) => {
            let store = Store::connect(db)
                .await
                .context("kunde inte ansluta till databasen")?;
            if store.table_count().await? > 0 {
                bail!("databasen har redan tabeller; återställ till en tom databas (createdb)");
            }
            let status = Command::new("pg_restore")
                .args([
                    "--no-owner",
                    "--exit-on-error",
                    "--single-transaction",
                    "--dbname",
                ])
                .arg(db)
                .arg(from)
                .status()
                .context("pg_restore kunde inte startas (PostgreSQL:s klientprogram behövs)")?;
            if !status.success() {
                bail!(
                    "pg_restore misslyckades ({status}); databasen är oförändrad (en transaktion)"
                );
            }
        }
        (Kind::Sqlite, None) => bail!(
            "{} är en SQLite-kopia; återställ den till sqlite://FIL",
            from.display()
        ),
        (Kind::PgDump, Some(_)) => bail!(
            "{} är en PostgreSQL-kopia (pg_dump); återställ den till en tom PostgreSQL-databas",
            from.display()
        ),
    }
    // The copy is opened as the server would: migrations known, checksums equal.
    let store = Store::open_existing(db)
        .await
        .context("den återställda databasen kunde inte öppnas")?;
    let problems = store.integrity().await?;
    if !problems.is_empty() {
        bail!(
            "den återställda databasen är inte hel: {}",
            problems.join("; ")
        );
    }
    let c = store.counts().await?;
    println!(
        "Återställd från {}: {} grupper, {} versioner av uppdragshandlingar, {} händelser i loggen.",
        from.display(),
        c.organizations,
        c.charter_versions,
        c.audit_events
    );
    Ok(())
}

/// `samordna integrity`: the problems [`Store::integrity`] finds, each on a line;
/// exit 1 when there is one.
pub async fn integrity(store: &Store) -> anyhow::Result<std::process::ExitCode> {
    let problems = store
        .integrity()
        .await
        .context("integritetskontrollen kunde inte göras")?;
    if problems.is_empty() {
        println!(
            "Databasen är hel: inga fel i sidor, index, villkor, främmande nycklar eller utlösare."
        );
        return Ok(std::process::ExitCode::SUCCESS);
    }
    for p in &problems {
        println!("{p}");
    }
    eprintln!("{} fel i databasen", problems.len());
    Ok(std::process::ExitCode::from(1))
}
