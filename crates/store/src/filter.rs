//! What the store's list queries share: a filter is built from only the
//! conditions asked for, each with its own placeholder (never `$1 IS NULL OR …`,
//! which defeats the index), and stored names are parsed back into domain enums.

use chrono::NaiveDate;

use crate::StoreError;

/// A stored name parsed back into its domain enum; a name the program does not
/// know is [`StoreError::Corrupt`].
pub(crate) fn parse<T: std::str::FromStr<Err = String>>(s: String) -> Result<T, StoreError> {
    s.parse().map_err(StoreError::Corrupt)
}

/// A value bound to a filter's placeholder.
#[derive(Clone, Copy)]
pub(crate) enum Bind {
    I(i64),
    S(&'static str),
    D(NaiveDate),
}

/// Binds a filter's values to a query, in order.
macro_rules! bind_all {
    ($q:expr, $binds:expr) => {{
        let mut q = $q;
        for b in $binds {
            q = match b {
                $crate::filter::Bind::I(v) => q.bind(*v),
                $crate::filter::Bind::S(v) => q.bind(*v),
                $crate::filter::Bind::D(v) => q.bind(*v),
            };
        }
        q
    }};
}

pub(crate) use bind_all;

/// Collects `WHERE` clauses and their values; `?` in a clause becomes the next
/// placeholder.
#[derive(Default)]
pub(crate) struct Where {
    pub clauses: Vec<String>,
    pub binds: Vec<Bind>,
}

impl Where {
    /// A condition with one value.
    pub fn add(&mut self, sql: &str, b: Bind) {
        self.binds.push(b);
        self.clauses
            .push(sql.replace('?', &format!("${}", self.binds.len())));
    }

    /// A condition without a value.
    pub fn raw(&mut self, sql: &str) {
        self.clauses.push(sql.to_string());
    }

    /// ` WHERE a AND b`, or nothing.
    pub fn sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.clauses.join(" AND "))
        }
    }
}
