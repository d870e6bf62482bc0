//! The audit log for admins: filters, and CSV export (which is itself logged).

use askama::Template;

use crate::view::LocalTime;
use axum::extract::State;

use crate::extract::Query;
use axum::response::Response;
use axum::Extension;
use serde::Deserialize;

use crate::chrome::Chrome;
use crate::error::AppError;
use crate::request::encode_query;
use crate::request::Visitor;
use crate::state::AppState;

#[derive(Deserialize, Default, Clone)]
pub struct Filter {
    #[serde(default)]
    pub actor: String,
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub object_type: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
}

/// A day of the filter as it was typed: empty, a date, or what could not be read.
fn day(typed: &str) -> Result<Option<chrono::NaiveDate>, ()> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(None);
    }
    typed.parse().map(Some).map_err(|_| ())
}

impl Filter {
    /// The message for a day that could not be read, by field (`from`, `to`);
    /// a last day before the first is said at `to`.
    fn day_error(&self, name: &str) -> Option<String> {
        let t = crate::i18n::current_tr();
        let typed = if name == "from" { &self.from } else { &self.to };
        if day(typed).is_err() {
            return Some(t.t("error-date"));
        }
        match (day(&self.from), day(&self.to)) {
            (Ok(Some(from)), Ok(Some(to))) if name == "to" && to < from => {
                Some(t.t("error-end-before-start"))
            }
            _ => None,
        }
    }

    /// Whether the filter can be applied: a day that could not be read filters
    /// nothing on a guess — the log is then not listed, the form says why.
    fn readable(&self) -> bool {
        self.day_error("from").is_none() && self.day_error("to").is_none()
    }

    /// Whether the event is one the filter asks for. The days are Swedish
    /// days: an event at 00:30 in Stockholm on 16 June is on the 16th
    /// (`calendar::days`), whatever the date in UTC.
    fn keeps(&self, e: &samordna_store::AuditEvent) -> bool {
        let from = day(&self.from).ok().flatten();
        let to = day(&self.to).ok().flatten();
        let at = e.occurred_at;
        (self.actor.is_empty() || e.actor.contains(self.actor.trim()))
            && (self.action.is_empty() || e.action.contains(self.action.trim()))
            && (self.object_type.is_empty() || e.object_type == self.object_type.trim())
            && from.is_none_or(|d| at >= samordna_domain::calendar::day_start(d))
            && to.is_none_or(|d| at < samordna_domain::calendar::days(d, d).end)
    }

    fn query(&self) -> String {
        [
            ("actor", &self.actor),
            ("action", &self.action),
            ("object_type", &self.object_type),
            ("from", &self.from),
            ("to", &self.to),
        ]
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode_query(v)))
        .collect::<Vec<_>>()
        .join("&")
    }
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    c: Chrome,
    filter: Filter,
    from_error: Option<String>,
    to_error: Option<String>,
    events: Vec<samordna_store::AuditEvent>,
    csv_href: String,
}

async fn filtered(
    state: &AppState,
    f: &Filter,
) -> Result<Vec<samordna_store::AuditEvent>, AppError> {
    let mut events: Vec<_> = state
        .store
        .audit_events()
        .await?
        .into_iter()
        .filter(|e| f.readable() && f.keeps(e))
        .collect();
    events.reverse();
    Ok(events)
}

pub async fn audit_log(
    State(state): State<AppState>,
    Query(f): Query<Filter>,
) -> Result<Response, AppError> {
    let mut events = filtered(&state, &f).await?;
    events.truncate(500);
    let names = state.store.actor_names().await?;
    for e in &mut events {
        e.actor = actor_label(&names, &e.actor);
    }
    let csv_href = format!("/admin/logg.csv?{}", f.query());
    crate::render::page(&AuditPage {
        c: Chrome::new("audit"),
        from_error: f.day_error("from"),
        to_error: f.day_error("to"),
        filter: f,
        events,
        csv_href,
    })
}

/// An actor as the log shows it: the account's name with its identifier
/// ("Rut Registerhållare (account:12)"), or the identifier as written (`cli`).
pub(crate) fn actor_label(
    names: &std::collections::HashMap<String, String>,
    actor: &str,
) -> String {
    match names.get(actor) {
        Some(name) => format!("{name} ({actor})"),
        None => actor.to_string(),
    }
}

pub async fn audit_csv(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Query(f): Query<Filter>,
) -> Result<Response, AppError> {
    let events = filtered(&state, &f).await?;
    let names = state.store.actor_names().await?;
    let rows = events.iter().map(|e| {
        vec![
            e.id.to_string(),
            // Swedish time as a spreadsheet reads a date and time.
            e.occurred_at.local_seconds(),
            actor_label(&names, &e.actor),
            e.action.clone(),
            e.object_type.clone(),
            e.object_id.map(|i| i.to_string()).unwrap_or_default(),
            e.detail.clone(),
            e.changes.clone().unwrap_or_default(),
        ]
    });
    let response = crate::download::csv(
        "samordna-logg.csv",
        &[
            "id",
            "tid",
            "vem",
            "händelse",
            "objekttyp",
            "objekt",
            "detaljer",
            "ändring",
        ],
        rows,
    )?;
    state
        .store
        .log_export(&v.actor(), "audit_log", events.len())
        .await?;
    Ok(response)
}
