//! Meetings, agendas and minutes in the portal; the group's calendar and feed.
//! Times are entered and shown in Swedish time (Europe/Stockholm) and stored in UTC.

use crate::forms::Form;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::Stockholm;
use samordna_domain::meetings::{self, MeetingKind, MeetingState, MinutesStatus, MinutesStep};
use samordna_domain::policy::Action;
use samordna_store::{Meeting, MeetingFields, Organization, StoreError};

use crate::auth;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::forms::{render_form, Errors, Field, FieldKind, FormView, Posted};
use crate::i18n::{Arg, Tr};
use crate::request::Visitor;
use crate::state::AppState;
use crate::view::{frequency_label, OrgLink};

use crate::forms::Posts;
use crate::i18n::current_tr as t;

fn local(t: DateTime<Utc>) -> chrono::DateTime<chrono_tz::Tz> {
    t.with_timezone(&Stockholm)
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

/// Renders Markdown without letting raw HTML through.
pub fn markdown(text: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    // A link or image whose address is not safe (`javascript:` …) is not a link:
    // its text stays, as text. Links do not nest, so one flag each is enough.
    let (mut in_bad_link, mut in_bad_image) = (false, false);
    let events = Parser::new_ext(text, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH)
        .filter_map(move |e| match e {
            Event::Html(h) | Event::InlineHtml(h) => Some(Event::Text(h)),
            Event::Start(Tag::Link { ref dest_url, .. })
                if crate::links::safe_href(dest_url).is_none() =>
            {
                in_bad_link = true;
                None
            }
            Event::End(TagEnd::Link) if in_bad_link => {
                in_bad_link = false;
                None
            }
            Event::Start(Tag::Image { ref dest_url, .. })
                if crate::links::safe_href(dest_url).is_none() =>
            {
                in_bad_image = true;
                None
            }
            Event::End(TagEnd::Image) if in_bad_image => {
                in_bad_image = false;
                None
            }
            other => Some(other),
        });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    // Headings inside minutes start at level 4: the page has h1–h3 above them.
    html.replace("<h1>", "<h4>")
        .replace("</h1>", "</h4>")
        .replace("<h2>", "<h4>")
        .replace("</h2>", "</h4>")
        .replace("<h3>", "<h5>")
        .replace("</h3>", "</h5>")
}

async fn meeting_and_group(
    state: &AppState,
    id: &str,
) -> Result<(Meeting, Organization), AppError> {
    let missing = || AppError::NotFound(t().t("error-not-found-page"));
    let id: i64 = id.parse().map_err(|_| missing())?;
    let m = state.store.meeting(id).await?.ok_or_else(missing)?;
    let org = state
        .store
        .organization(m.fields.organization_id)
        .await?
        .ok_or_else(missing)?;
    Ok((m, org))
}

fn kind_label(t: &Tr, k: MeetingKind) -> String {
    t.t(&format!("meeting-kind-{}", k.as_str()))
}

/// The state as a reader understands it: a planned meeting that has ended was held.
fn state_label(t: &Tr, m: &Meeting) -> String {
    let s = if m.state == MeetingState::Planned && m.fields.ends_at < Utc::now() {
        MeetingState::Held
    } else {
        m.state
    };
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

struct MeetingRow {
    href: String,
    when: String,
    kind: String,
    state: String,
    minutes: String,
}

#[derive(Template)]
#[template(path = "meetings.html")]
struct MeetingsPage {
    c: Chrome,
    group: OrgLink,
    frequency: Option<String>,
    warning: Option<String>,
    can_plan: bool,
    rows: Vec<MeetingRow>,
}

fn minutes_label(t: &Tr, v: Option<&samordna_store::Minutes>) -> String {
    match v {
        None => "–".into(),
        Some(v) => t.t(&format!("minutes-short-{}", v.status.as_str())),
    }
}

pub async fn list(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let org = state.group(&slug).await?;
    let c = Chrome::new("register");
    let t = c.t;
    let all = state.store.meetings(Some(org.id)).await?;
    let year = local(Utc::now()).format("%Y").to_string();
    let ordinary_this_year = all
        .iter()
        .filter(|m| {
            m.fields.kind == MeetingKind::Ordinary
                && m.state != MeetingState::Cancelled
                && local(m.fields.starts_at).format("%Y").to_string() == year
        })
        .count() as i64;
    let freq = charter_frequency(&state, &org).await?;
    let frequency = freq.as_ref().map(|f| {
        t.args(
            "meetings-frequency",
            &[
                ("range", Arg::Text(frequency_label(&t, f))),
                ("count", Arg::Num(ordinary_this_year)),
            ],
        )
    });
    let warning = freq
        .as_ref()
        .filter(|f| meetings::frequency_outside(ordinary_this_year as u32, f.min, f.max))
        .map(|_| t.n1("meetings-outside", "count", ordinary_this_year));
    let internal = auth::may(&state, &v, Action::ReadGroupInternal, Some(&org)).await;
    let mut rows = Vec::new();
    for m in all.iter().rev() {
        let versions = state.store.minutes(m.id).await?;
        let shown = if internal {
            versions.last()
        } else {
            versions
                .iter()
                .rev()
                .find(|x| x.status == MinutesStatus::Published)
        };
        rows.push(MeetingRow {
            href: format!("/moten/{}", m.id),
            when: when(m),
            kind: kind_label(&t, m.fields.kind),
            state: state_label(&t, m),
            minutes: minutes_label(&t, shown),
        });
    }
    let can_plan = auth::may(&state, &v, Action::PlanMeetings, Some(&org)).await;
    crate::render::page(&MeetingsPage {
        c,
        group: OrgLink::from(&org),
        frequency,
        warning,
        can_plan,
        rows,
    })
}

fn meeting_form(
    v: &Visitor,
    org: &Organization,
    m: Option<&Meeting>,
    action: String,
    title: String,
) -> FormView {
    let t = t();
    let (date, start, end, kind, place, link) = match m {
        Some(m) => (
            local(m.fields.starts_at).format("%Y-%m-%d").to_string(),
            local(m.fields.starts_at).format("%H:%M").to_string(),
            local(m.fields.ends_at).format("%H:%M").to_string(),
            m.fields.kind.as_str().to_string(),
            m.fields.place.clone().unwrap_or_default(),
            m.fields.digital_link.clone().unwrap_or_default(),
        ),
        None => (
            String::new(),
            "09:00".into(),
            "11:00".into(),
            "ordinary".into(),
            String::new(),
            String::new(),
        ),
    };
    let kinds = vec![
        (
            "ordinary".to_string(),
            kind_label(&t, MeetingKind::Ordinary),
        ),
        ("extra".to_string(), kind_label(&t, MeetingKind::Extra)),
    ];
    FormView {
        title,
        intro: None,
        action,
        csrf: v.csrf(),
        row_version: m.map(|m| m.row_version),
        hidden: vec![],
        fields: vec![
            Field::new("date", t.t("field-date"), FieldKind::Input("date"), date).required(),
            Field::new(
                "start",
                t.t("field-start-time"),
                FieldKind::Input("time"),
                start,
            )
            .required(),
            Field::new("end", t.t("field-end-time"), FieldKind::Input("time"), end).required(),
            Field::new("kind", t.t("meeting-kind"), FieldKind::Select(kinds), kind),
            Field::new("place", t.t("field-place"), FieldKind::Input("text"), place),
            Field::new(
                "digital_link",
                t.t("field-digital-link"),
                FieldKind::Input("url"),
                link,
            ),
        ],
        submit: t.t("form-save"),
        back: Some((
            format!("{}/moten", OrgLink::from(org).href()),
            t.t("meetings-crumb"),
        )),
    }
}

fn read_meeting(org: &Organization, p: &Posted) -> (Option<MeetingFields>, Errors) {
    let t = t();
    let mut e = Errors::default();
    let date = p.date(&t, &mut e, "date");
    if p.get("date").is_empty() {
        e.add(
            "date",
            t.t1("error-required", "field", t.t("field-date").to_lowercase()),
        );
    }
    let time =
        |name: &'static str, e: &mut Errors| match NaiveTime::parse_from_str(&p.get(name), "%H:%M")
        {
            Ok(x) => Some(x),
            Err(_) => {
                e.add(name, t.t("error-time"));
                None
            }
        };
    let (start, end) = (time("start", &mut e), time("end", &mut e));
    if let (Some(s), Some(en)) = (start, end) {
        if en < s {
            e.add("end", t.t("error-end-before-start-time"));
        }
    }
    let kind = p
        .get("kind")
        .parse::<MeetingKind>()
        .map_err(|_| e.add("kind", t.t("error-unknown-choice")))
        .ok();
    let at = |d: NaiveDate, tm: NaiveTime| {
        Stockholm
            .from_local_datetime(&d.and_time(tm))
            .earliest()
            .map(|x| x.with_timezone(&Utc))
    };
    let digital_link = p.opt("digital_link");
    if let Some(l) = &digital_link {
        let web = l.to_ascii_lowercase();
        if crate::links::safe_href(l).is_none()
            || !(web.starts_with("https://") || web.starts_with("http://"))
        {
            e.add("digital_link", t.t("error-digital-link"));
        }
    }
    let fields = match (date, start, end, kind) {
        (Some(d), Some(s), Some(en), Some(kind)) if e.is_empty() => match (at(d, s), at(d, en)) {
            (Some(starts_at), Some(ends_at)) => Some(MeetingFields {
                organization_id: org.id,
                kind,
                starts_at,
                ends_at,
                place: p.opt("place"),
                digital_link,
            }),
            _ => {
                e.add("start", t.t("error-time"));
                None
            }
        },
        _ => None,
    };
    (fields, e)
}

fn refill(mut f: FormView, p: &Posted, e: &Errors) -> FormView {
    for field in &mut f.fields {
        field.value = p.get(field.name);
    }
    f.with_errors(e)
}

pub async fn new(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let org = state.group(&slug).await?;
    let title = t().t1("meeting-new-title", "name", &org.name);
    render_form(
        "register",
        meeting_form(&v, &org, None, format!("/grupper/{slug}/moten/ny"), title),
    )
}

pub async fn create(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(slug): Path<String>,
    Form(p): Posts,
) -> Result<Response, AppError> {
    let org = state.group(&slug).await?;
    let p = Posted(p);
    let (f, e) = read_meeting(&org, &p);
    let Some(f) = f else {
        let title = t().t1("meeting-new-title", "name", &org.name);
        return render_form(
            "register",
            refill(
                meeting_form(&v, &org, None, format!("/grupper/{slug}/moten/ny"), title),
                &p,
                &e,
            ),
        );
    };
    // The same meeting again (a double click, a form sent twice) is the one there.
    let same = state
        .store
        .meetings(Some(org.id))
        .await?
        .into_iter()
        .find(|m| {
            m.state != MeetingState::Cancelled
                && m.fields.starts_at == f.starts_at
                && m.fields.ends_at == f.ends_at
        });
    let id = match same {
        Some(m) => m.id,
        None => state.store.create_meeting(&f, &v.actor()).await?,
    };
    Ok(Redirect::to(&format!("/moten/{id}")).into_response())
}

pub async fn edit(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (m, org) = meeting_and_group(&state, &id).await?;
    let title = t().t1("meeting-edit-title", "date", when(&m));
    render_form(
        "register",
        meeting_form(
            &v,
            &org,
            Some(&m),
            format!("/moten/{}/redigera", m.id),
            title,
        ),
    )
}

pub async fn save(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(id): Path<String>,
    Form(p): Posts,
) -> Result<Response, AppError> {
    let (m, org) = meeting_and_group(&state, &id).await?;
    let p = Posted(p);
    let version = p.row_version()?;
    let (f, e) = read_meeting(&org, &p);
    let action = format!("/moten/{}/redigera", m.id);
    let Some(f) = f else {
        let title = t().t1("meeting-edit-title", "date", when(&m));
        return render_form(
            "register",
            refill(meeting_form(&v, &org, Some(&m), action, title), &p, &e),
        );
    };
    match state
        .store
        .update_meeting(m.id, version, &f, &v.actor())
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/moten/{}", m.id)).into_response()),
        Err(StoreError::Stale { .. }) => Err(AppError::Conflict(t().t1(
            "conflict-text",
            "what",
            when(&m),
        ))),
        Err(e) => Err(e.into()),
    }
}

struct VersionView {
    version: i64,
    heading: String,
    status: String,
    correction: Option<String>,
    returned: Option<String>,
    html: String,
}

#[derive(Template)]
#[template(path = "meeting.html")]
struct MeetingPage {
    c: Chrome,
    id: i64,
    title: String,
    group: OrgLink,
    when: String,
    kind: String,
    place: Option<String>,
    link: Option<String>,
    link_href: Option<String>,
    cancelled: Option<String>,
    is_cancelled: bool,
    internal: bool,
    show_agenda: bool,
    agenda_published: bool,
    agenda: Vec<samordna_store::AgendaItem>,
    /// (agenda item id, link, label) of attachments.
    files: Vec<(i64, String, String)>,
    versions: Vec<VersionView>,
    can_plan: bool,
    can_draft: bool,
    can_approve: bool,
    can_publish: bool,
    draft_editable: bool,
    submittable: bool,
    awaiting_approval: bool,
    awaiting_publication: bool,
    correctable: bool,
    latest_body: String,
    csrf: String,
    /// Who attended, for the group's members: (name, kind label).
    attendees: Vec<(String, String)>,
    /// Current members to tick: (person id, name, ticked).
    roll: Vec<(i64, String, bool)>,
    substitutes: String,
    guests: String,
}

fn status_text(t: &Tr, v: &samordna_store::Minutes) -> String {
    let date = v
        .approved_at
        .map(|d| local(d).format("%Y-%m-%d").to_string())
        .unwrap_or_default();
    let who = v.approved_by.clone().unwrap_or_default();
    t.args(
        &format!("minutes-status-{}", v.status.as_str()),
        &[("date", Arg::Text(date)), ("who", Arg::Text(who))],
    )
}

async fn actor_names(
    state: &AppState,
) -> Result<std::collections::HashMap<String, String>, AppError> {
    Ok(state
        .store
        .accounts()
        .await?
        .into_iter()
        .map(|a| (format!("account:{}", a.id), a.name))
        .collect())
}

pub async fn show(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (m, org) = meeting_and_group(&state, &id).await?;
    let c = Chrome::new("register");
    let t = c.t;
    let internal = auth::may(&state, &v, Action::ReadGroupInternal, Some(&org)).await;
    let names = actor_names(&state).await?;
    let all = state.store.minutes(m.id).await?;
    let latest = all.last().cloned();
    let versions = all
        .iter()
        .filter(|x| internal || x.status == MinutesStatus::Published)
        .map(|x| {
            let mut x = x.clone();
            x.approved_by = x.approved_by.map(|a| names.get(&a).cloned().unwrap_or(a));
            VersionView {
                version: x.version,
                heading: t.n1("minutes-version", "version", x.version),
                status: status_text(&t, &x),
                correction: x
                    .correction_reason
                    .as_ref()
                    .map(|r| t.t1("minutes-correction", "reason", r)),
                returned: x
                    .return_comment
                    .as_ref()
                    .filter(|_| x.status == MinutesStatus::Returned)
                    .map(|c| t.t1("minutes-returned", "comment", c)),
                html: markdown(&x.body),
            }
        })
        .collect();
    let status = latest.as_ref().map(|x| x.status);
    let attendance = if internal {
        state.store.attendance(m.id).await?
    } else {
        Vec::new()
    };
    let today = Utc::now().date_naive();
    // The roll in Swedish order of name, each person once.
    let roll: Vec<(i64, String, bool)> = if internal {
        let mut roll: Vec<(i64, String, bool)> = state
            .store
            .memberships(Some(org.id), None)
            .await?
            .into_iter()
            .filter(|x| x.is_current(today))
            .map(|x| {
                let ticked = attendance
                    .iter()
                    .any(|a| a.person_id == Some(x.fields.person_id));
                (x.fields.person_id, x.person_name, ticked)
            })
            .collect();
        samordna_domain::collation::sort_by(&mut roll, |r| &r.1);
        roll.dedup_by_key(|r| r.0);
        roll
    } else {
        Vec::new()
    };
    let names = |kind: &str| {
        attendance
            .iter()
            .filter(|a| a.kind == kind)
            .map(|a| a.name.clone())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let substitutes = names("substitute");
    let guests = names("guest");
    let attendees = attendance
        .iter()
        .map(|a| (a.name.clone(), t.t(&format!("attendance-{}", a.kind))))
        .collect();
    let files = state
        .store
        .attachments(m.id)
        .await?
        .into_iter()
        .map(|a| {
            (
                a.agenda_item_id,
                format!("/moten/{}/bilagor/{}", m.id, a.id),
                format!("{} ({} kB)", a.filename, (a.size + 1023) / 1024),
            )
        })
        .collect();
    let page = MeetingPage {
        files,
        attendees,
        roll,
        substitutes,
        guests,
        id: m.id,
        title: t.args(
            "meeting-title",
            &[
                (
                    "date",
                    Arg::Text(local(m.fields.starts_at).format("%Y-%m-%d").to_string()),
                ),
                ("name", Arg::Text(org.name.clone())),
            ],
        ),
        group: OrgLink::from(&org),
        when: when(&m),
        kind: kind_label(&t, m.fields.kind),
        place: m.fields.place.clone(),
        // Shown as a link only when its address is safe (older data included).
        link: m.fields.digital_link.clone(),
        link_href: m
            .fields
            .digital_link
            .as_deref()
            .and_then(crate::links::safe_href)
            .map(str::to_string),
        cancelled: m.cancel_reason.clone(),
        is_cancelled: m.state == MeetingState::Cancelled,
        internal,
        // The public record of a meeting is its published agenda and its
        // published minutes; an agenda never published stays with the group.
        show_agenda: internal || m.agenda_published,
        agenda_published: m.agenda_published,
        agenda: state.store.agenda(m.id).await?,
        versions,
        can_plan: auth::may(&state, &v, Action::PlanMeetings, Some(&org)).await,
        can_draft: auth::may(&state, &v, Action::DraftMinutes, Some(&org)).await,
        can_approve: auth::may(&state, &v, Action::ApproveMinutes, Some(&org)).await,
        can_publish: auth::may(&state, &v, Action::PublishMinutes, Some(&org)).await,
        draft_editable: status
            .is_none_or(|s| matches!(s, MinutesStatus::Draft | MinutesStatus::Returned)),
        submittable: matches!(status, Some(MinutesStatus::Draft | MinutesStatus::Returned)),
        awaiting_approval: status == Some(MinutesStatus::Submitted),
        awaiting_publication: status == Some(MinutesStatus::Approved),
        correctable: status.is_some_and(|s| s.is_approved()),
        latest_body: latest.map(|x| x.body).unwrap_or_default(),
        csrf: v.csrf(),
        c,
    };
    crate::render::page(&page)
}

fn back(id: i64) -> Response {
    Redirect::to(&format!("/moten/{id}")).into_response()
}

pub async fn cancel(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(id): Path<String>,
    Form(p): Posts,
) -> Result<Response, AppError> {
    let (m, _) = meeting_and_group(&state, &id).await?;
    let reason = Posted(p).get("reason");
    if reason.is_empty() {
        return Err(AppError::BadRequest(t().t1(
            "error-required",
            "field",
            t().t("meeting-cancel-reason").to_lowercase(),
        )));
    }
    state
        .store
        .cancel_meeting(m.id, &reason, &v.actor())
        .await?;
    Ok(back(m.id))
}

pub async fn add_item(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(id): Path<String>,
    Form(p): Posts,
) -> Result<Response, AppError> {
    let (m, _) = meeting_and_group(&state, &id).await?;
    let p = Posted(p);
    let title = p.get("title");
    if title.is_empty() {
        return Err(AppError::BadRequest(t().t1(
            "error-required",
            "field",
            t().t("agenda-item-title").to_lowercase(),
        )));
    }
    let minutes = match p.opt("minutes") {
        None => None,
        Some(x) => Some(
            x.parse::<i64>()
                .ok()
                .filter(|x| *x > 0 && *x < 24 * 60)
                .ok_or_else(|| AppError::BadRequest(t().t("error-agenda-minutes")))?,
        ),
    };
    state
        .store
        .add_agenda_item(
            m.id,
            &title,
            p.opt("presenter").as_deref(),
            minutes,
            &v.actor(),
        )
        .await?;
    Ok(back(m.id))
}

pub async fn publish_agenda(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (m, _) = meeting_and_group(&state, &id).await?;
    state.store.publish_agenda(m.id, &v.actor()).await?;
    Ok(back(m.id))
}

fn minutes_form(v: &Visitor, m: &Meeting, org: &Organization, body: &str) -> FormView {
    let t = t();
    FormView {
        title: t.t1("minutes-edit-title", "date", when(m)),
        intro: None,
        action: format!("/moten/{}/anteckningar", m.id),
        csrf: v.csrf(),
        row_version: None,
        hidden: vec![],
        fields: vec![
            Field::new("body", t.t("minutes-body"), FieldKind::Textarea, body)
                .hint(t.t("minutes-body-hint")),
        ],
        submit: t.t("form-save"),
        back: Some((
            format!("/moten/{}", m.id),
            t.args(
                "meeting-title",
                &[
                    (
                        "date",
                        Arg::Text(local(m.fields.starts_at).format("%Y-%m-%d").to_string()),
                    ),
                    ("name", Arg::Text(org.name.clone())),
                ],
            ),
        )),
    }
}

pub async fn minutes_edit(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (m, org) = meeting_and_group(&state, &id).await?;
    let body = match state.store.minutes(m.id).await?.pop() {
        Some(x) => x.body,
        None => state
            .store
            .agenda(m.id)
            .await?
            .iter()
            .map(|a| format!("## {}. {}\n\n", a.position, a.title))
            .collect(),
    };
    render_form("register", minutes_form(&v, &m, &org, &body))
}

pub async fn minutes_save(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(id): Path<String>,
    Form(p): Posts,
) -> Result<Response, AppError> {
    let (m, _) = meeting_and_group(&state, &id).await?;
    state
        .store
        .save_minutes(m.id, &Posted(p).get("body"), &v.actor())
        .await?;
    Ok(back(m.id))
}

async fn step(
    state: &AppState,
    v: &Visitor,
    id: &str,
    step: MinutesStep,
    comment: Option<String>,
) -> Result<Response, AppError> {
    let (m, _) = meeting_and_group(state, id).await?;
    match state
        .store
        .minutes_step(m.id, step, comment.as_deref(), &v.actor())
        .await
    {
        Ok(_) => Ok(back(m.id)),
        // Someone else acted first, or the step does not fit the state: say which
        // state the minutes are in now (a repeat of one's own step is done above).
        Err(StoreError::Conflict(_)) => {
            let t = t();
            let latest = state.store.minutes(m.id).await?.pop();
            Err(AppError::Conflict(match latest {
                Some(x) => t.t1(
                    "minutes-step-conflict",
                    "status",
                    minutes_label(&t, Some(&x)),
                ),
                None => t.t("minutes-step-none"),
            }))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn submit(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    step(&state, &v, &id, MinutesStep::Submit, None).await
}

pub async fn approve(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    step(&state, &v, &id, MinutesStep::Approve, None).await
}

pub async fn return_minutes(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(id): Path<String>,
    Form(p): Posts,
) -> Result<Response, AppError> {
    let comment = Posted(p).get("comment");
    if comment.is_empty() {
        return Err(AppError::BadRequest(t().t1(
            "error-required",
            "field",
            t().t("minutes-return-comment").to_lowercase(),
        )));
    }
    step(&state, &v, &id, MinutesStep::Return, Some(comment)).await
}

pub async fn publish(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    step(&state, &v, &id, MinutesStep::Publish, None).await
}

pub async fn correct(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(id): Path<String>,
    Form(p): Posts,
) -> Result<Response, AppError> {
    let (m, _) = meeting_and_group(&state, &id).await?;
    let p = Posted(p);
    state
        .store
        .correct_minutes(m.id, &p.get("body"), &p.get("reason"), &v.actor())
        .await?;
    Ok(back(m.id))
}

fn event(state: &AppState, org: &Organization, m: Meeting) -> meetings::CalendarEvent {
    let base = state.settings.public_url.trim_end_matches('/');
    let what = if m.fields.kind == MeetingKind::Extra {
        "extra möte"
    } else {
        "möte"
    };
    meetings::CalendarEvent {
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

fn ics(name: &str, events: &[meetings::CalendarEvent]) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        meetings::icalendar(name, events),
    )
        .into_response()
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
    Ok(ics(&org.name, &events))
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
    let today = Utc::now().date_naive();
    let orgs = state.store.organizations().await?;
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
    Ok(ics(&format!("Samordna – {}", account.name), &events))
}

/// `/grupper/{slug}/anteckningar.atom`: published minutes, newest first.
pub async fn feed(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let org = state.group(&slug).await?;
    // Absolute addresses, as the calendar has them: feed readers resolve relative
    // ones unreliably.
    let base = state.settings.public_url.trim_end_matches('/').to_string();
    let entries: Vec<crate::feed::FeedEntry> = state
        .store
        .published_minutes(Some(org.id))
        .await?
        .into_iter()
        .map(|(m, v)| crate::feed::FeedEntry {
            id: format!("urn:samordna:minutes:{}", v.id),
            title: format!("Mötesanteckningar {} (version {})", when(&m), v.version),
            link: format!("{base}/moten/{}#v{}", m.id, v.version),
            updated: v.published_at.unwrap_or(m.updated_at),
            summary: v.body.chars().take(400).collect(),
        })
        .collect();
    let href = format!("{base}{}", OrgLink::from(&org).href());
    let body = crate::feed::atom(
        &format!("urn:samordna:group:{}", org.slug),
        &format!("Mötesanteckningar – {}", org.name),
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

/// Records who attended: ticked members, and substitutes and guests by name.
pub async fn attendance(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(id): Path<String>,
    Form(p): Posts,
) -> Result<Response, AppError> {
    let (m, org) = meeting_and_group(&state, &id).await?;
    let p = Posted(p);
    let today = Utc::now().date_naive();
    let members = state.store.memberships(Some(org.id), None).await?;
    let ticked: Vec<i64> = p
        .all("present")
        .iter()
        .filter_map(|x| x.parse().ok())
        .collect();
    let mut list: Vec<samordna_store::Attendee> = members
        .into_iter()
        .filter(|x| x.is_current(today) && ticked.contains(&x.fields.person_id))
        .map(|x| samordna_store::Attendee {
            person_id: Some(x.fields.person_id),
            name: x.person_name,
            kind: "member".into(),
        })
        .collect();
    list.dedup_by_key(|a| a.person_id);
    for (field, kind) in [("substitutes", "substitute"), ("guests", "guest")] {
        for line in p
            .get(field)
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
        {
            list.push(samordna_store::Attendee {
                person_id: None,
                name: line.to_string(),
                kind: kind.into(),
            });
        }
    }
    state.store.set_attendance(m.id, &list, &v.actor()).await?;
    Ok(back(m.id))
}

fn year_form(
    v: &Visitor,
    org: &Organization,
    range: Option<String>,
    p: Option<&Posted>,
) -> FormView {
    let t = t();
    let val = |name: &str, default: &str| {
        p.map(|p| p.get(name))
            .filter(|x| !x.is_empty())
            .unwrap_or_else(|| default.to_string())
    };
    let next_year = local(Utc::now())
        .format("%Y")
        .to_string()
        .parse::<i32>()
        .unwrap_or(2026)
        + 1;
    FormView {
        title: t.t1("year-title", "name", &org.name),
        intro: Some(match range {
            Some(r) => t.t1("year-intro", "range", r),
            None => t.t("year-intro-none"),
        }),
        action: format!("{}/moten/planera-ar", OrgLink::from(org).href()),
        csrf: v.csrf(),
        row_version: None,
        hidden: vec![],
        fields: vec![
            Field::new(
                "first",
                t.t("year-first"),
                FieldKind::Input("date"),
                val("first", &format!("{next_year}-02-01")),
            )
            .required(),
            Field::new(
                "count",
                t.t("year-count"),
                FieldKind::Input("number"),
                val("count", "4"),
            )
            .required(),
            Field::new(
                "start",
                t.t("field-start-time"),
                FieldKind::Input("time"),
                val("start", "09:00"),
            )
            .required(),
            Field::new(
                "end",
                t.t("field-end-time"),
                FieldKind::Input("time"),
                val("end", "11:00"),
            )
            .required(),
            Field::new(
                "place",
                t.t("field-place"),
                FieldKind::Input("text"),
                val("place", ""),
            ),
            Field::new(
                "confirm",
                t.t("year-confirm"),
                FieldKind::Checkbox,
                val("confirm", ""),
            ),
        ],
        submit: t.t("year-submit"),
        back: Some((
            format!("{}/moten", OrgLink::from(org).href()),
            t.t("meetings-crumb"),
        )),
    }
}

pub async fn year_new(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let org = state.group(&slug).await?;
    let t = t();
    let range = charter_frequency(&state, &org)
        .await?
        .map(|f| frequency_label(&t, &f));
    render_form("register", year_form(&v, &org, range, None))
}

/// Plans a year of ordinary meetings, evenly spread from the first date on working
/// days (`holidays::working_day_from`); warns when the number is outside the
/// charter's range and plans only when told to anyway.
pub async fn year_create(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(slug): Path<String>,
    Form(p): Posts,
) -> Result<Response, AppError> {
    let org = state.group(&slug).await?;
    let p = Posted(p);
    let t = t();
    let freq = charter_frequency(&state, &org).await?;
    let range = freq.as_ref().map(|f| frequency_label(&t, f));
    let mut e = Errors::default();
    let first = p.date(&t, &mut e, "first");
    let count = p
        .get("count")
        .parse::<u32>()
        .ok()
        .filter(|c| (1..=24).contains(c));
    if count.is_none() {
        e.add("count", t.t("year-count-error"));
    }
    let time = |name: &'static str, e: &mut Errors| {
        NaiveTime::parse_from_str(&p.get(name), "%H:%M")
            .map_err(|_| e.add(name, t.t("error-time")))
            .ok()
    };
    let (start, end) = (time("start", &mut e), time("end", &mut e));
    if let (Some(c), Some(f)) = (count, freq.as_ref()) {
        if meetings::frequency_outside(c, f.min, f.max) && !p.checked("confirm") {
            e.add(
                "count",
                t.t1("year-outside", "range", frequency_label(&t, f)),
            );
        }
    }
    let (Some(first), Some(count), Some(start), Some(end)) = (first, count, start, end) else {
        return render_form(
            "register",
            year_form(&v, &org, range, Some(&p)).with_errors(&e),
        );
    };
    if !e.is_empty() || end < start {
        if end < start {
            e.add("end", t.t("error-end-before-start-time"));
        }
        return render_form(
            "register",
            year_form(&v, &org, range, Some(&p)).with_errors(&e),
        );
    }
    // Evenly spread over the year from the first date, each on the first working
    // day on or after its place (no weekends, no Swedish public holidays).
    let step = 365 / i64::from(count);
    let mut last: Option<NaiveDate> = None;
    // Planning the same year twice (or a double click) adds no meeting that is
    // already there.
    let planned: Vec<DateTime<Utc>> = state
        .store
        .meetings(Some(org.id))
        .await?
        .into_iter()
        .filter(|m| m.state != MeetingState::Cancelled)
        .map(|m| m.fields.starts_at)
        .collect();
    for i in 0..i64::from(count) {
        let mut day =
            samordna_domain::holidays::working_day_from(first + chrono::Duration::days(i * step));
        if last.is_some_and(|l| day <= l) {
            day = samordna_domain::holidays::working_day_from(
                last.expect("checked") + chrono::Duration::days(1),
            );
        }
        last = Some(day);
        let at = |tm: NaiveTime| {
            Stockholm
                .from_local_datetime(&day.and_time(tm))
                .earliest()
                .map(|x| x.with_timezone(&Utc))
        };
        let (Some(starts_at), Some(ends_at)) = (at(start), at(end)) else {
            continue;
        };
        if planned.contains(&starts_at) {
            continue;
        }
        let f = MeetingFields {
            organization_id: org.id,
            kind: MeetingKind::Ordinary,
            starts_at,
            ends_at,
            place: p.opt("place"),
            digital_link: None,
        };
        state.store.create_meeting(&f, &v.actor()).await?;
    }
    Ok(Redirect::to(&format!("{}/moten", OrgLink::from(&org).href())).into_response())
}

/// The content types attachments may have, by file ending.
const ALLOWED: [(&str, &str); 10] = [
    ("pdf", "application/pdf"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    (
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    ("odt", "application/vnd.oasis.opendocument.text"),
    ("txt", "text/plain; charset=utf-8"),
    ("csv", "text/csv; charset=utf-8"),
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
];

fn content_type(filename: &str) -> Option<&'static str> {
    let ext = filename.rsplit_once('.')?.1.to_ascii_lowercase();
    ALLOWED.iter().find(|(e, _)| *e == ext).map(|(_, t)| *t)
}

/// Uploads a file to an agenda item (multipart: `item`, `file`).
pub async fn upload(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(id): Path<String>,
    mut multipart: axum::extract::Multipart,
) -> Result<Response, AppError> {
    let (m, _) = meeting_and_group(&state, &id).await?;
    let t = t();
    let mut item: Option<i64> = None;
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = multipart.next_field().await.map_err(|e| {
        tracing::info!(error = %e.body_text(), "an upload could not be read");
        AppError::BadRequest(t.t("error-upload"))
    })? {
        match field.name() {
            Some("item") => item = field.text().await.ok().and_then(|x| x.parse().ok()),
            Some("file") => {
                let name = field.file_name().unwrap_or("bilaga").to_string();
                let bytes = field.bytes().await.map_err(|_| AppError::TooLarge)?;
                file = Some((name, bytes.to_vec()));
            }
            _ => {}
        }
    }
    let agenda = state.store.agenda(m.id).await?;
    let item = item
        .filter(|i| agenda.iter().any(|a| a.id == *i))
        .ok_or_else(|| AppError::BadRequest(t.t("attachment-no-item")))?;
    let (name, bytes) = file
        .filter(|(_, b)| !b.is_empty())
        .ok_or_else(|| AppError::BadRequest(t.t("attachment-empty")))?;
    // The name as the user gave it, less what extraction or a path leaves; the
    // download gives it back whole (`download::disposition`).
    let name: String = samordna_domain::normalize::line(&name)
        .chars()
        .map(|c| if matches!(c, '/' | '\\') { '_' } else { c })
        .collect();
    let ct = content_type(&name).ok_or_else(|| AppError::BadRequest(t.t("attachment-type")))?;
    state
        .store
        .add_attachment(item, &name, ct, &bytes, &v.actor())
        .await?;
    Ok(back(m.id))
}

/// Serves an attachment with its content type, to those who may see the agenda.
pub async fn download(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path((id, file)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (m, org) = meeting_and_group(&state, &id).await?;
    let missing = || AppError::NotFound(t().t("error-not-found-page"));
    let file: i64 = file.parse().map_err(|_| missing())?;
    let (a, data) = state
        .store
        .attachment(file)
        .await?
        .filter(|(a, _)| a.meeting_id == m.id)
        .ok_or_else(missing)?;
    let visible =
        m.agenda_published || auth::may(&state, &v, Action::ReadGroupInternal, Some(&org)).await;
    if !visible {
        return Err(missing());
    }
    Ok((
        [
            (
                header::CONTENT_TYPE,
                header::HeaderValue::from_str(&a.content_type)
                    .unwrap_or(header::HeaderValue::from_static("application/octet-stream")),
            ),
            (
                header::CONTENT_DISPOSITION,
                crate::download::disposition(crate::download::Disposition::Attachment, &a.filename),
            ),
            (
                header::HeaderName::from_static("x-content-sha256"),
                header::HeaderValue::from_str(&a.sha256)
                    .unwrap_or(header::HeaderValue::from_static("")),
            ),
        ],
        data,
    )
        .into_response())
}
