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
            sqlx::query_scalar("SELECT n FROM change_counter WHERE id = 1")
                .fetch_one(pool)
                .await?
        }))
    }
}
