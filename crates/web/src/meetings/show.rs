//! One meeting as its readers see it: agenda, attendance, minutes by version.

use crate::forms::Form;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::Extension;
use chrono::Utc;
use samordna_domain::calendar::swedish_date;
use samordna_domain::meetings::{MeetingState, MinutesStatus};
use samordna_domain::policy::Action;

use crate::auth;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::forms::Posted;
use crate::i18n::{Arg, Tr};
use crate::request::Visitor;
use crate::state::AppState;
use crate::view::OrgLink;

use crate::forms::Posts;

use super::{back, kind_label, local, markdown, meeting_and_group, when};

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
    /// The meeting's decisions the visitor may see.
    decisions: Vec<crate::decisions::DecisionRow>,
    /// The group's open actions, followed up under the standing item.
    follow_up: Vec<ActionLine>,
    /// Actions agreed at this meeting.
    agreed: Vec<ActionLine>,
    /// Who may own an action: (person id, name).
    owners: Vec<(i64, String)>,
    /// The group's open matters an agenda item may concern: (id, title, href).
    matters: Vec<(i64, String, String)>,
    /// The agenda item open actions are followed up under; 0 when it is not on
    /// the agenda (they are then listed on their own).
    follow_up_item: i64,
    today: String,
    /// Decisions may be recorded: the meeting has been held and the minutes are
    /// not approved.
    can_record: bool,
    /// Decisions exist that only the group sees yet.
    decisions_hidden: bool,
    /// What went wrong with the visitor's last step.
    error: Option<String>,
    /// The form sent back with what was typed and its fields' messages.
    refill: crate::forms::Refill,
    /// Neither minutes nor decisions: the meeting may still be cancelled.
    cancellable: bool,
}

/// An action as a line of the meeting page.
struct ActionLine {
    id: i64,
    title: String,
    owner: String,
    due: String,
    overdue: bool,
    open: bool,
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
    Ok(state.store.actor_names().await?)
}

pub async fn show(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    show_page(&state, &v, &id, None).await
}

/// The meeting's page; with `error`, a 422 that says what went wrong above it
/// (a form on the page was not accepted; nothing was saved).
pub(crate) async fn show_page(
    state: &AppState,
    v: &Visitor,
    id: &str,
    error: Option<String>,
) -> Result<Response, AppError> {
    show_page_with(state, v, id, error, crate::forms::Refill::default()).await
}

/// The meeting's page with one of its forms sent back as it was sent
/// ([`crate::forms::Refill`]): its fields' messages beside them.
pub(crate) async fn show_page_with(
    state: &AppState,
    v: &Visitor,
    id: &str,
    error: Option<String>,
    refill: crate::forms::Refill,
) -> Result<Response, AppError> {
    let (state, v) = (state.clone(), v.clone());
    let (m, org) = meeting_and_group(&state, id).await?;
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
    let today = swedish_date(Utc::now());
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
    let all_decisions = state
        .store
        .decisions(&samordna_store::DecisionFilter {
            meeting_id: Some(m.id),
            ..Default::default()
        })
        .await?;
    let decisions_hidden = !internal && all_decisions.iter().any(|d| !d.published);
    let any_decision = !all_decisions.is_empty();
    let decisions = all_decisions
        .iter()
        .filter(|d| internal || d.published)
        .map(|d| crate::decisions::DecisionRow::new(&t, d, OrgLink::from(&org)))
        .collect();
    let line = |a: &samordna_store::Action| ActionLine {
        id: a.id,
        title: a.fields.title.clone(),
        owner: a.owner_name.clone().unwrap_or_else(|| "–".into()),
        due: a
            .fields
            .due_on
            .map(|d| d.to_string())
            .unwrap_or_else(|| "–".into()),
        overdue: a.status == samordna_domain::matters::ActionStatus::Open
            && a.fields.due_on.is_some_and(|d| d < today),
        open: a.status == samordna_domain::matters::ActionStatus::Open,
    };
    let (follow_up, agreed) = if internal {
        let group_actions = state
            .store
            .actions(samordna_store::ActionsOf::Group(org.id))
            .await?;
        // Open actions agreed before this meeting are followed up at it.
        let follow_up = group_actions
            .iter()
            .filter(|a| {
                a.status == samordna_domain::matters::ActionStatus::Open
                    && a.fields.meeting_id != Some(m.id)
            })
            .map(line)
            .collect();
        let agreed = group_actions
            .iter()
            .filter(|a| a.fields.meeting_id == Some(m.id))
            .map(line)
            .collect();
        (follow_up, agreed)
    } else {
        (Vec::new(), Vec::new())
    };
    let agenda = state.store.agenda(m.id).await?;
    let follow_up_item = agenda
        .iter()
        .find(|a| a.title == samordna_domain::matters::FOLLOW_UP_ITEM)
        .map_or(0, |a| a.id);
    let owners = roll.iter().map(|r| (r.0, r.1.clone())).collect();
    // Open matters, to choose for an item; and every matter an item names, to link.
    let mut matters: Vec<(i64, String, String)> = Vec::new();
    if internal || agenda.iter().any(|a| a.matter_id.is_some()) {
        for x in state
            .store
            .matters(
                &samordna_store::MatterFilter {
                    organization_id: Some(org.id),
                    ..Default::default()
                },
                0,
                500,
            )
            .await?
        {
            let href = format!("/grupper/{}/grupparenden/{}", org.slug, x.id);
            matters.push((x.id, x.fields.title, href));
        }
    }
    let can_record = m.state != MeetingState::Cancelled
        && m.fields.starts_at <= Utc::now()
        && status.is_none_or(|s| !s.is_approved());
    let page = MeetingPage {
        can_record,
        decisions_hidden,
        error: error.clone(),
        refill,
        cancellable: m.fields.starts_at > Utc::now() || (all.is_empty() && !any_decision),
        decisions,
        follow_up,
        agreed,
        owners,
        matters,
        follow_up_item,
        today: today.to_string(),
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
        agenda,
        versions,
        can_plan: auth::may(&state, &v, Action::PlanMeetings, Some(&org)).await,
        can_draft: auth::may(&state, &v, Action::DraftMinutes, Some(&org)).await,
        can_approve: auth::may(&state, &v, Action::ApproveMinutes, Some(&org)).await,
        can_publish: auth::may(&state, &v, Action::PublishMinutes, Some(&org)).await,
        draft_editable: status
            .is_none_or(|s| matches!(s, MinutesStatus::Draft | MinutesStatus::Returned)),
        submittable: matches!(status, Some(MinutesStatus::Draft | MinutesStatus::Returned)),
        // Approved once the meeting has begun.
        awaiting_approval: status == Some(MinutesStatus::Submitted)
            && m.fields.starts_at <= Utc::now(),
        awaiting_publication: status == Some(MinutesStatus::Approved),
        correctable: status.is_some_and(|s| s.is_approved()),
        latest_body: latest.map(|x| x.body).unwrap_or_default(),
        csrf: v.csrf(),
        c,
    };
    let refused = error.clone();
    let fields = crate::forms::FieldErrors(
        page.refill
            .errors
            .iter()
            .map(|(k, m)| (k.to_string(), m.clone()))
            .collect(),
    );
    let mut response = crate::render::page_after_form(&page, refused)?;
    // The API's writes that are this page's forms answer with the fields.
    if !fields.0.is_empty() {
        response.extensions_mut().insert(fields);
    }
    Ok(response)
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
    let today = swedish_date(Utc::now());
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
