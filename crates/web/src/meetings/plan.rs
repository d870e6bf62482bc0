//! Planning: the meetings of a group, one meeting (new, edit, cancel), and a
//! year of meetings on working days.

use crate::forms::Form;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use samordna_domain::meetings::{self, MeetingKind, MeetingState, MinutesStatus};
use samordna_domain::policy::Action;
use samordna_store::{Meeting, MeetingFields, Organization, Planned, StoreError};

use crate::auth;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::forms::{render_form, Errors, Field, FieldKind, FormView, Posted};
use crate::i18n::Arg;
use crate::request::Visitor;
use crate::state::AppState;
use crate::view::{frequency_label, OrgLink};

use crate::forms::Posts;
use crate::i18n::current_tr as t;

use super::{
    back, charter_frequency, kind_label, local, meeting_and_group, minutes_label, state_label, when,
};

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
    let (start, end) = (p.time(&t, &mut e, "start"), p.time(&t, &mut e, "end"));
    for name in ["start", "end"] {
        if p.get(name).is_empty() {
            e.add(name, t.t("error-time"));
        }
    }
    if let (Some(s), Some(en)) = (start, end) {
        if en < s {
            e.add("end", t.t("error-end-before-start-time"));
        }
    }
    let kind = p.choice::<MeetingKind>(&t, &mut e, "kind");
    if p.get("kind").is_empty() {
        e.add("kind", t.t("error-unknown-choice"));
    }
    let at = samordna_domain::calendar::local_moment;
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
    let again = |e: &Errors| {
        let title = t().t1("meeting-new-title", "name", &org.name);
        render_form(
            "register",
            refill(
                meeting_form(&v, &org, None, format!("/grupper/{slug}/moten/ny"), title),
                &p,
                e,
            ),
        )
    };
    let (f, e) = read_meeting(&org, &p);
    let Some(f) = f else {
        return again(&e);
    };
    // The same meeting again (a double click, a form sent twice) is the one there;
    // another meeting at the same time is refused, never taken for this one.
    let id = match state.store.plan_meeting(&f, &v.actor()).await? {
        Planned::New(id) | Planned::Same(id) => id,
        Planned::Clash(other) => {
            let mut e = Errors::default();
            e.add(
                "start",
                t().t1("error-meeting-clash", "id", other.to_string()),
            );
            return again(&e);
        }
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

pub async fn cancel(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(id): Path<String>,
    Form(p): Posts,
) -> Result<Response, AppError> {
    let (m, _) = meeting_and_group(&state, &id).await?;
    let p = Posted(p);
    let t = t();
    let mut e = Errors::default();
    let reason = p.required(&t, &mut e, "reason", &t.t("meeting-cancel-reason"));
    if !e.is_empty() {
        return super::show_page_with(
            &state,
            &v,
            &id,
            Some(t.t("form-has-errors")),
            crate::forms::Refill::new("cancel", &p, &e),
        )
        .await;
    }
    match state.store.cancel_meeting(m.id, &reason, &v.actor()).await {
        Ok(()) => Ok(back(m.id)),
        Err(samordna_store::StoreError::Conflict(why)) => {
            e.add("reason", why);
            super::show_page_with(
                &state,
                &v,
                &id,
                Some(t.t("form-has-errors")),
                crate::forms::Refill::new("cancel", &p, &e),
            )
            .await
        }
        Err(err) => Err(err.into()),
    }
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
    let (start, end) = (p.time(&t, &mut e, "start"), p.time(&t, &mut e, "end"));
    for name in ["start", "end"] {
        if p.get(name).is_empty() {
            e.add(name, t.t("error-time"));
        }
    }
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
        let at = |tm: NaiveTime| samordna_domain::calendar::local_moment(day, tm);
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
        // Planned at once by someone else: theirs stands.
        state.store.plan_meeting(&f, &v.actor()).await?;
    }
    Ok(Redirect::to(&format!("{}/moten", OrgLink::from(&org).href())).into_response())
}
