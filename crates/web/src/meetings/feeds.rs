//! The group's and a person's calendar (iCalendar) and the minutes feed (Atom).

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use samordna_domain::calendar::swedish_date;
use samordna_domain::meetings::{MeetingKind, MeetingState};
use samordna_store::{Meeting, Organization};

use crate::error::AppError;
use crate::state::AppState;
use crate::view::OrgLink;

use crate::i18n::current_tr as t;

use super::when;

fn event(state: &AppState, org: &Organization, m: Meeting) -> crate::feed::CalendarEvent {
    let base = state.settings.public_url.trim_end_matches('/');
    let what = if m.fields.kind == MeetingKind::Extra {
        "extra möte"
    } else {
        "möte"
    };
    crate::feed::CalendarEvent {
        uid: m.uid.clone(),
        sequence: m.sequence,
        summary: format!("{} – {what}", org.name),
        description: m
            .cancel_reason
            .clone()
            .map(|r| format!("Inställt: {r}"))
            .unwrap_or_default(),
        location: m.fields.place.clone(),
        url: Some(format!("{base}/moten/{}", m.id)),
        starts: m.fields.starts_at,
        ends: m.fields.ends_at,
        cancelled: m.state == MeetingState::Cancelled,
        updated: m.updated_at,
    }
}

fn ics(name: &str, events: &[crate::feed::CalendarEvent]) -> Result<Response, AppError> {
    let text = crate::feed::icalendar(name, events)
        .map_err(|e| AppError::Internal(format!("calendar template: {e}")))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        text,
    )
        .into_response())
}

/// `/grupper/{slug}/kalender.ics`: the group's meetings, cancelled ones included.
pub async fn calendar(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let org = state.group(&slug).await?;
    let events: Vec<_> = state
        .store
        .meetings(Some(org.id))
        .await?
        .into_iter()
        .map(|m| event(&state, &org, m))
        .collect();
    ics(&org.name, &events)
}

/// `/kalender/{key}.ics`: the meetings of every group the link's owner is a member
/// of now. Calendar programs cannot sign in, so the address itself is the secret:
/// a calendar link of its own, which reads this calendar and nothing else (an API
/// key does not open it, and it opens nothing else), revocable on "Mitt konto".
pub async fn person_calendar(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let missing = || AppError::NotFound(t().t("error-not-found-page"));
    let key = file.strip_suffix(".ics").ok_or_else(missing)?;
    let account = state
        .store
        .account_by_calendar_link(key)
        .await?
        .filter(|a| !a.disabled)
        .ok_or_else(missing)?;
    let today = swedish_date(Utc::now());
    let mut events = Vec::new();
    if let Some(person) = account.person_id {
        let mut groups: Vec<i64> = state
            .store
            .memberships(None, Some(person))
            .await?
            .into_iter()
            .filter(|m| m.is_current(today))
            .map(|m| m.fields.organization_id)
            .collect();
        groups.sort();
        groups.dedup();
        // Only the person's groups: a calendar service fetches this often.
        let orgs = state.store.organizations_in(&groups).await?;
        for g in groups {
            if let Some(org) = orgs.iter().find(|o| o.id == g) {
                events.extend(
                    state
                        .store
                        .meetings(Some(g))
                        .await?
                        .into_iter()
                        .map(|m| event(&state, org, m)),
                );
            }
        }
    }
    events.sort_by_key(|e| e.starts);
    ics(&format!("Samordna – {}", account.name), &events)
}

/// `/grupper/{slug}/anteckningar.atom`: published minutes and the decisions in
/// them, newest first.
pub async fn feed(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let org = state.group(&slug).await?;
    // Absolute addresses, as the calendar has them: feed readers resolve relative
    // ones unreliably.
    let base = state.settings.public_url.trim_end_matches('/').to_string();
    let published = state.store.published_minutes(Some(org.id)).await?;
    // A decision is published with its minutes; its time is theirs.
    let published_at = |meeting: i64| {
        published
            .iter()
            .filter(|(m, _)| m.id == meeting)
            .filter_map(|(m, v)| v.published_at.or(Some(m.updated_at)))
            .min()
    };
    let decisions: Vec<crate::feed::FeedEntry> = state
        .store
        .decisions(&samordna_store::DecisionFilter {
            organization_id: Some(org.id),
            published_only: true,
            ..Default::default()
        })
        .await?
        .into_iter()
        .filter_map(|d| {
            Some(crate::feed::FeedEntry {
                id: format!("urn:samordna:decision:{}", d.id),
                title: format!("Beslut {}", d.label()),
                link: format!("{base}/grupper/{}/beslut/{}", org.slug, d.id),
                updated: published_at(d.meeting_id)?,
                summary: d.text.chars().take(400).collect(),
            })
        })
        .collect();
    let mut entries: Vec<crate::feed::FeedEntry> = published
        .iter()
        .map(|(m, v)| crate::feed::FeedEntry {
            id: format!("urn:samordna:minutes:{}", v.id),
            title: format!("Mötesanteckningar {} (version {})", when(m), v.version),
            link: format!("{base}/moten/{}#v{}", m.id, v.version),
            updated: v.published_at.unwrap_or(m.updated_at),
            summary: v.body.chars().take(400).collect(),
        })
        .collect();
    entries.extend(decisions);
    entries.sort_by_key(|e| std::cmp::Reverse(e.updated));
    let href = format!("{base}{}", OrgLink::from(&org).href());
    let body = crate::feed::atom(
        &format!("urn:samordna:group:{}", org.slug),
        &format!("Mötesanteckningar och beslut – {}", org.name),
        &format!("{href}/anteckningar.atom"),
        &href,
        &entries,
    )
    .map_err(|e| AppError::Internal(format!("feed template: {e}")))?;
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        body,
    )
        .into_response())
}
