//! Bulk loading for generated data sets (`samordna demo generate`): rows of the
//! register's tables written many to a statement, with ids chosen by the caller, in
//! one transaction per [`Batch`]. Not the path of the portal's writes: no audit
//! events, no optimistic locking. The caller is trusted to write consistent rows
//! (the tables' constraints and triggers still check them).

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::QueryBuilder;

use crate::{in_transaction, with_conn, with_pool, Backend, Store, StoreError};

/// One column value of a bulk row.
#[derive(Debug, Clone)]
pub enum Value {
    Null,
    Int(i64),
    Bool(bool),
    Text(String),
    Date(NaiveDate),
    Time(DateTime<Utc>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Value {
        Value::Int(v)
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Value {
        Value::Bool(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Value {
        Value::Text(v.to_string())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Value {
        Value::Text(v)
    }
}
impl From<NaiveDate> for Value {
    fn from(v: NaiveDate) -> Value {
        Value::Date(v)
    }
}
impl From<DateTime<Utc>> for Value {
    fn from(v: DateTime<Utc>) -> Value {
        Value::Time(v)
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Value {
        v.map_or(Value::Null, Into::into)
    }
}

/// The tables a bulk load writes, in the order a batch writes them (a row refers
/// only to rows of tables before it; decisions before the minutes that freeze them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Table {
    Administrations,
    Organizations,
    People,
    Memberships,
    Matters,
    Meetings,
    AgendaItems,
    Decisions,
    DecisionAdministrations,
    Actions,
    Minutes,
}

impl Table {
    /// Every table, in write order.
    pub const ALL: [Table; 11] = [
        Table::Administrations,
        Table::Organizations,
        Table::People,
        Table::Memberships,
        Table::Matters,
        Table::Meetings,
        Table::AgendaItems,
        Table::Decisions,
        Table::DecisionAdministrations,
        Table::Actions,
        Table::Minutes,
    ];

    fn name(self) -> &'static str {
        match self {
            Table::Administrations => "administrations",
            Table::Organizations => "organizations",
            Table::People => "people",
            Table::Memberships => "memberships",
            Table::Matters => "matters",
            Table::Meetings => "meetings",
            Table::AgendaItems => "agenda_items",
            Table::Decisions => "decisions",
            Table::DecisionAdministrations => "decision_administrations",
            Table::Actions => "actions",
            Table::Minutes => "minutes",
        }
    }

    /// The columns a row gives, in order. `id` first where the table has one.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Table::Administrations => &["id", "slug", "name", "short_name", "created_at"],
            Table::Organizations => &[
                "id",
                "slug",
                "name",
                "short_name",
                "kind",
                "area",
                "reports_to_id",
                "status",
                "created_at",
            ],
            Table::People => &[
                "id",
                "name",
                "title",
                "email",
                "phone",
                "administration_id",
                "created_at",
            ],
            Table::Memberships => &[
                "id",
                "person_id",
                "organization_id",
                "role",
                "on_behalf_of_id",
                "voting_right",
                "appointed_by",
                "start_date",
                "end_date",
                "created_at",
            ],
            Table::Matters => &[
                "id",
                "organization_id",
                "kind",
                "title",
                "description",
                "status",
                "source",
                "owner_person_id",
                "due_on",
                "created_at",
                "updated_at",
            ],
            Table::Meetings => &[
                "id",
                "organization_id",
                "kind",
                "starts_at",
                "ends_at",
                "place",
                "state",
                "cancel_reason",
                "uid",
                "agenda_published",
                "created_at",
                "updated_at",
            ],
            Table::AgendaItems => &[
                "id",
                "meeting_id",
                "position",
                "title",
                "presenter",
                "minutes",
                "matter_id",
                "created_at",
            ],
            Table::Decisions => &[
                "id",
                "organization_id",
                "meeting_id",
                "agenda_item_id",
                "matter_id",
                "text",
                "text_sha",
                "basis",
                "topic",
                "decided_on",
                "created_by",
                "created_at",
            ],
            Table::DecisionAdministrations => &[
                "decision_id",
                "administration_id",
                "anchored_on",
                "union_consulted_on",
                "recorded_by",
                "recorded_at",
            ],
            Table::Actions => &[
                "id",
                "organization_id",
                "title",
                "owner_person_id",
                "due_on",
                "status",
                "meeting_id",
                "decision_id",
                "matter_id",
                "done_at",
                "created_by",
                "created_at",
            ],
            Table::Minutes => &[
                "id",
                "meeting_id",
                "version",
                "status",
                "body",
                "submitted_at",
                "submitted_by",
                "approved_at",
                "approved_by",
                "published_at",
                "created_at",
            ],
        }
    }

    fn has_id(self) -> bool {
        self != Table::DecisionAdministrations
    }
}

/// Rows waiting to be written, per table.
#[derive(Debug, Default)]
pub struct Batch {
    rows: std::collections::BTreeMap<Table, Vec<Vec<Value>>>,
}

impl Batch {
    /// Adds a row; its values follow [`Table::columns`]. Panics when the count
    /// differs (a programming error of the generator, not bad input).
    pub fn push(&mut self, table: Table, row: Vec<Value>) {
        assert_eq!(row.len(), table.columns().len(), "{table:?}");
        self.rows.entry(table).or_default().push(row);
    }

    /// Rows held.
    pub fn len(&self) -> usize {
        self.rows.values().map(Vec::len).sum()
    }

    /// Whether no row is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Rows per statement, well under SQLite's 32,766 and PostgreSQL's 65,535 bound
/// parameters for the widest table.
const ROWS_PER_STATEMENT: usize = 500;

impl Store {
    /// The highest id of each table with one (0 when empty): where the caller's
    /// ids start.
    pub async fn bulk_max_ids(&self) -> Result<Vec<(Table, i64)>, StoreError> {
        let mut out = Vec::new();
        for t in Table::ALL.into_iter().filter(|t| t.has_id()) {
            let sql = format!("SELECT COALESCE(MAX(id), 0) FROM {}", t.name());
            let max: i64 = with_conn!(self, |c| sqlx::query_scalar(&sql).fetch_one(c).await?);
            out.push((t, max));
        }
        Ok(out)
    }

    /// Writes a batch in one transaction, table by table in [`Table::ALL`]'s order,
    /// many rows to a statement. Returns the number of rows written.
    pub async fn bulk_write(&self, batch: Batch) -> Result<usize, StoreError> {
        let n = batch.len();
        let mut rows = batch.rows;
        in_transaction!(self, |c| {
            for t in Table::ALL {
                let Some(all) = rows.remove(&t) else { continue };
                let mut all = all.into_iter().peekable();
                while all.peek().is_some() {
                    let chunk: Vec<Vec<Value>> = all.by_ref().take(ROWS_PER_STATEMENT).collect();
                    let mut b = QueryBuilder::new(format!(
                        "INSERT INTO {} ({}) ",
                        t.name(),
                        t.columns().join(", ")
                    ));
                    b.push_values(chunk, |mut row_b, row| {
                        for v in row {
                            match v {
                                // A literal: PostgreSQL types a bound NULL and
                                // refuses one of another column's type.
                                Value::Null => row_b.push("NULL"),
                                Value::Int(i) => row_b.push_bind(i),
                                Value::Bool(x) => row_b.push_bind(x),
                                Value::Text(s) => row_b.push_bind(s),
                                Value::Date(d) => row_b.push_bind(d),
                                Value::Time(t) => row_b.push_bind(t),
                            };
                        }
                    });
                    b.build().execute(&mut *c).await?;
                }
            }
            Ok(())
        })?;
        Ok(n)
    }

    /// After ids were written by [`Store::bulk_write`]: PostgreSQL's sequences moved
    /// past them, so the portal's next insert gets a fresh id. Nothing on SQLite
    /// (AUTOINCREMENT follows the highest id written).
    pub async fn bulk_finish(&self) -> Result<(), StoreError> {
        if let Backend::Postgres(pool) = &self.backend {
            for t in Table::ALL.into_iter().filter(|t| t.has_id()) {
                let sql = format!(
                    "SELECT setval(pg_get_serial_sequence('{0}', 'id'), GREATEST(COALESCE(MAX(id), 0), 1)) FROM {0}",
                    t.name()
                );
                sqlx::query(&sql).execute(pool).await?;
            }
            sqlx::query("ANALYZE").execute(pool).await?;
        } else if let Backend::Sqlite(pool) = &self.backend {
            sqlx::query("ANALYZE").execute(pool).await?;
        }
        Ok(())
    }
}
