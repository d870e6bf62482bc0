//! Meetings, agendas and minutes in the portal; the group's calendar and feed.
//! Times are entered and shown in Swedish time (Europe/Stockholm) and stored in UTC.
//! One file per step; here what they share.

mod actions;
mod agenda;
mod attachments;
mod feeds;
mod minutes;
mod plan;
mod show;

pub use actions::{add_action, apply_template, template_form, template_save};
pub use agenda::{add_item, publish_agenda};
pub use attachments::{download, upload};
pub use feeds::{calendar, feed, person_calendar};
pub use minutes::{
    approve, correct, markdown, minutes_edit, minutes_save, publish, return_minutes, submit,
};
pub use plan::{cancel, create, edit, list, new, save, year_create, year_new};
pub(crate) use show::show_page_with;
pub use show::{attendance, show};

use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use samordna_domain::meetings::MeetingKind;
use samordna_store::{Meeting, Organization};

use crate::error::AppError;
use crate::i18n::Tr;
use crate::state::AppState;

fn local(t: DateTime<Utc>) -> chrono::DateTime<chrono_tz::Tz> {
    samordna_domain::calendar::swedish_time(t)
}

/// "2026-03-02 09:00–11:00"
fn when(m: &Meeting) -> String {
    let (s, e) = (local(m.fields.starts_at), local(m.fields.ends_at));
    format!(
        "{} {}–{}",
        s.format("%Y-%m-%d"),
        s.format("%H:%M"),
        e.format("%H:%M")
    )
}

async fn meeting_and_group(
    state: &AppState,
    id: &str,
) -> Result<(Meeting, Organization), AppError> {
    state.meeting_and_group(id).await
}

fn kind_label(t: &Tr, k: MeetingKind) -> String {
    t.t(&format!("meeting-kind-{}", k.as_str()))
}

/// The state as a reader understands it: a planned meeting that has ended was held.
fn state_label(t: &Tr, m: &Meeting) -> String {
    let s = m.state.as_seen(m.fields.ends_at, Utc::now());
    t.t(&format!("meeting-state-{}", s.as_str()))
}

async fn charter_frequency(
    state: &AppState,
    org: &Organization,
) -> Result<Option<samordna_domain::parse::MeetingFrequency>, AppError> {
    let versions = state.store.charter_versions(Some(org.id)).await?;
    let Some(v) = samordna_store::in_force(&versions).or(versions.last()) else {
        return Ok(None);
    };
    Ok(state
        .store
        .charter_document(org.id, v.version)
        .await?
        .and_then(|d| d.content.meeting_frequency))
}

fn minutes_label(t: &Tr, v: Option<&samordna_store::Minutes>) -> String {
    match v {
        None => "–".into(),
        Some(v) => t.t(&format!("minutes-short-{}", v.status.as_str())),
    }
}
fn back(id: i64) -> Response {
    Redirect::to(&format!("/moten/{id}")).into_response()
}
