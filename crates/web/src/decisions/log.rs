//! The decision log (beslutslogg) of a group and of the region, and one decision:
//! what it rests on, how far each administration has anchored it, who was told.

use crate::view::LocalTime;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use chrono::Utc;
use samordna_domain::calendar::swedish_date;
use samordna_domain::decisions::{Basis, Topic};
use samordna_domain::policy::Action;
use samordna_store::{Decision, DecisionFilter, EscalationsOf, Organization};
use serde::Deserialize;

use crate::auth;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::extract::Query;
use crate::forms::{Errors, Form, Posted, Posts};
use crate::i18n::{current_tr, Arg};
use crate::paging::{Pager, Paging};
use crate::request::Visitor;
use crate::state::AppState;
use crate::view::OrgLink;

use super::{basis_label, target_label, topic_label, DecisionRow};

/// The log's filters: `?grund=&amne=&forankring=&eskalerat=&sida=`.
#[derive(Debug, Deserialize, Default)]
pub struct LogQuery {
    #[serde(default)]
    grund: String,
    #[serde(default)]
    amne: String,
    /// `klar` or `utestaende`.
    #[serde(default)]
    forankring: String,
    /// `ja` or `nej`.
    #[serde(default)]
    eskalerat: String,
    sida: Option<usize>,
}

/// One choice of a filter: (value, label, selected).
type Choice = (String, String, bool);

#[derive(Template)]
#[template(path = "decisions.html")]
struct LogPage {
    c: Chrome,
    title: String,
    lead: String,
    group: Option<OrgLink>,
    action: String,
    bases: Vec<Choice>,
    topics: Vec<Choice>,
    anchorings: Vec<Choice>,
    escalations: Vec<Choice>,
    rows: Vec<DecisionRow>,
    summary: String,
    pager: Option<Pager>,
}

use crate::forms::filter_choices as choices;

async fn log_page(
    state: &AppState,
    v: &Visitor,
    group: Option<Organization>,
    q: LogQuery,
) -> Result<Response, AppError> {
    let c = Chrome::new("decisions");
    let t = c.t;
    let basis: Option<Basis> = crate::extract::choice("grund", &q.grund)?;
    let topic: Option<Topic> = crate::extract::choice("amne", &q.amne)?;
    for (param, value, allowed) in [
        ("forankring", &q.forankring, &["klar", "utestaende"][..]),
        ("eskalerat", &q.eskalerat, &["ja", "nej"][..]),
    ] {
        if !value.is_empty() && !allowed.contains(&value.as_str()) {
            return Err(AppError::BadRequest(c.t.args(
                "error-bad-query",
                &[
                    ("param", Arg::Text(param.into())),
                    ("value", Arg::Text(value.clone())),
                ],
            )));
        }
    }
    // Inside the group its decisions show before the minutes are published.
    let internal = match &group {
        Some(g) => auth::may(state, v, Action::ReadGroupInternal, Some(g)).await,
        None => false,
    };
    let filter = DecisionFilter {
        organization_id: group.as_ref().map(|g| g.id),
        basis,
        topic,
        published_only: !internal,
        fully_anchored: match q.forankring.as_str() {
            "klar" => Some(true),
            "utestaende" => Some(false),
            _ => None,
        },
        escalated: match q.eskalerat.as_str() {
            "ja" => Some(true),
            "nej" => Some(false),
            _ => None,
        },
        ..Default::default()
    };
    // Newest first, one page read.
    let total = state.store.decision_count(&filter).await?;
    let paging = Paging::new(q.sida, 50, total);
    let page_of = state
        .store
        .decisions_page(&filter, paging.offset(), paging.per_page)
        .await?;
    let orgs =
        crate::view::org_links(&state.store, page_of.iter().map(|d| d.organization_id)).await?;
    let rows = page_of
        .iter()
        .filter_map(|d| {
            Some(DecisionRow::new(
                &t,
                d,
                orgs.get(&d.organization_id)?.clone(),
            ))
        })
        .collect();
    let action = match &group {
        Some(g) => format!("/grupper/{}/beslut", g.slug),
        None => "/beslut".to_string(),
    };
    let mut base = format!(
        "{action}?grund={}&amne={}&forankring={}&eskalerat={}",
        q.grund, q.amne, q.forankring, q.eskalerat
    );
    base = base.replace(' ', "");
    let pager = paging.pager(&t, &base);
    let (title, lead) = match &group {
        Some(g) => (
            t.t1("decisions-group-title", "name", &g.name),
            t.t(if internal {
                "decisions-group-lead-internal"
            } else {
                "decisions-lead"
            }),
        ),
        None => (t.t("decisions-title"), t.t("decisions-lead")),
    };
    let page = LogPage {
        title,
        lead,
        group: group.as_ref().map(OrgLink::from),
        action,
        bases: choices(
            &t,
            &q.grund,
            Basis::ALL
                .iter()
                .map(|b| (b.as_str().to_string(), basis_label(&t, *b)))
                .collect(),
        ),
        topics: choices(
            &t,
            &q.amne,
            Topic::ALL
                .iter()
                .map(|x| (x.as_str().to_string(), topic_label(&t, *x)))
                .collect(),
        ),
        anchorings: choices(
            &t,
            &q.forankring,
            vec![
                ("klar".into(), t.t("filter-anchoring-done")),
                ("utestaende".into(), t.t("filter-anchoring-outstanding")),
            ],
        ),
        escalations: choices(
            &t,
            &q.eskalerat,
            vec![
                ("ja".into(), t.t("filter-yes")),
                ("nej".into(), t.t("filter-no")),
            ],
        ),
        summary: t.n1("decisions-count", "count", paging.total as i64),
        rows,
        pager,
        c,
    };
    crate::render::page(&page)
}

/// `GET /beslut`: the region's published decisions.
pub async fn region_log(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Query(q): Query<LogQuery>,
) -> Result<Response, AppError> {
    log_page(&state, &v, None, q).await
}

/// `GET /grupper/{slug}/beslut`: a group's decisions.
pub async fn group_log(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(slug): Path<String>,
    Query(q): Query<LogQuery>,
) -> Result<Response, AppError> {
    let org = state.group(&slug).await?;
    log_page(&state, &v, Some(org), q).await
}

/// One administration's anchoring, as a row.
struct AnchorRow {
    administration_id: i64,
    administration: String,
    anchored: String,
    union: String,
    /// The dates recorded, to fill the form with (empty when none).
    anchored_value: String,
    union_value: String,
    /// The visitor may record it (represents it, or coordinates the group).
    editable: bool,
}

struct NoticeRow {
    organization_id: i64,
    body: String,
    queued: String,
    delivered: Option<String>,
}

struct EscalationRow {
    question: String,
    target: String,
    status: String,
    answer: Option<String>,
}

#[derive(Template)]
#[template(path = "decision.html")]
struct DecisionPage {
    c: Chrome,
    group: OrgLink,
    id: i64,
    label: String,
    text: String,
    meeting_href: String,
    basis: String,
    basis_note: Option<String>,
    topic: String,
    /// The group matter the decision was taken on: (href, title).
    matter: Option<(String, String)>,
    unpublished: bool,
    anchoring: String,
    anchors: Vec<AnchorRow>,
    notices: Vec<NoticeRow>,
    escalations: Vec<EscalationRow>,
    can_manage: bool,
    can_resend: bool,
    csrf: String,
    today: String,
    /// What went wrong with the visitor's last step, shown above the forms.
    error: Option<String>,
}

/// The decision `id` of the group at `slug`, if the visitor may see it: 404 when
/// there is none, or it is not yet published and the visitor is outside the group.
async fn visible(
    state: &AppState,
    v: &Visitor,
    slug: &str,
    id: &str,
) -> Result<(Organization, Decision), AppError> {
    let org = state.group(slug).await?;
    let missing = || AppError::NotFound(current_tr().t("error-no-decision"));
    let id: i64 = id.parse().map_err(|_| missing())?;
    let d = state
        .store
        .decision(id)
        .await?
        .filter(|d| d.organization_id == org.id)
        .ok_or_else(missing)?;
    if !d.published && !auth::may(state, v, Action::ReadGroupInternal, Some(&org)).await {
        return Err(missing());
    }
    Ok((org, d))
}

/// The administrations the visitor represents in the group today.
async fn represented(
    state: &AppState,
    v: &Visitor,
    org: &Organization,
) -> Result<Vec<i64>, AppError> {
    let Some(person) = v.account().and_then(|a| a.person_id) else {
        return Ok(Vec::new());
    };
    let today = swedish_date(Utc::now());
    Ok(state
        .store
        .memberships(Some(org.id), Some(person))
        .await?
        .into_iter()
        .filter(|m| m.is_current(today))
        .filter_map(|m| m.fields.on_behalf_of_id)
        .collect())
}

fn day(t: Option<chrono::NaiveDate>) -> String {
    t.map(|d| d.to_string()).unwrap_or_else(|| "–".into())
}

/// `GET /grupper/{slug}/beslut/{id}`.
pub async fn show(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    decision_page(&state, &v, &slug, &id, None).await
}

/// The decision's page; with `error`, a 422 that says what went wrong above the
/// forms (the visitor's step is not lost to an error page).
async fn decision_page(
    state: &AppState,
    v: &Visitor,
    slug: &str,
    id: &str,
    error: Option<String>,
) -> Result<Response, AppError> {
    let (state, v) = (state.clone(), v.clone());
    let (org, d) = visible(&state, &v, slug, id).await?;
    let c = Chrome::new("decisions");
    let t = c.t;
    let can_manage = auth::may(&state, &v, Action::ManageMatters, Some(&org)).await;
    let may_anchor = auth::may(&state, &v, Action::RecordAnchoring, Some(&org)).await;
    let mine = represented(&state, &v, &org).await?;
    let anchors = d
        .binds
        .iter()
        .map(|a| AnchorRow {
            administration_id: a.administration_id,
            administration: a.administration.clone(),
            anchored: day(a.anchored_on),
            union: day(a.union_consulted_on),
            anchored_value: a.anchored_on.map(|x| x.to_string()).unwrap_or_default(),
            union_value: a
                .union_consulted_on
                .map(|x| x.to_string())
                .unwrap_or_default(),
            editable: d.approved
                && may_anchor
                && (can_manage || mine.contains(&a.administration_id)),
        })
        .collect();
    let notices = d
        .notifications
        .iter()
        .map(|n| NoticeRow {
            organization_id: n.organization_id,
            body: n.organization.clone(),
            queued: n.queued_at.local_time(),
            delivered: n.delivered_at.map(|d| d.local_time()),
        })
        .collect();
    let escalations = state
        .store
        .escalations(EscalationsOf::Decision(d.id))
        .await?
        .into_iter()
        .map(|e| EscalationRow {
            question: e.fields.question,
            target: e
                .target_organization
                .or(e.target_person)
                .unwrap_or_else(|| target_label(&t, e.fields.target)),
            status: t.t(&e.status.message_id()),
            answer: e.answer,
        })
        .collect();
    let matter = match d.matter_id {
        Some(id) => state.store.matter(id).await?.map(|m| {
            (
                format!("/grupper/{}/grupparenden/{}", org.slug, m.id),
                m.fields.title,
            )
        }),
        None => None,
    };
    let page = DecisionPage {
        matter,
        group: OrgLink::from(&org),
        id: d.id,
        label: d.label(),
        text: d.text.clone(),
        meeting_href: format!("/moten/{}", d.meeting_id),
        basis: basis_label(&t, d.basis),
        basis_note: match d.basis {
            Basis::MemberMandates => Some(t.t("basis-member-mandates-note")),
            Basis::ChairMandate => Some(t.t("basis-chair-mandate-note")),
            Basis::NotStated => Some(t.t("basis-none-note")),
        },
        topic: topic_label(&t, d.topic),
        unpublished: !d.published,
        anchoring: super::anchoring_label(&t, &d),
        anchors,
        notices,
        escalations,
        can_resend: can_manage && d.approved,
        can_manage,
        csrf: v.csrf(),
        today: swedish_date(Utc::now()).to_string(),
        error: error.clone(),
        c,
    };
    let refused = error.clone();
    crate::render::page_after_form(&page, refused)
}

/// `POST /grupper/{slug}/beslut/{id}/forankring`: an administration's anchoring
/// (`administration`, `anchored_on`, `union_consulted_on`). A representative
/// records it for the administration they represent; who may manage the group's
/// matters, for any.
pub async fn anchor(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path((slug, id)): Path<(String, String)>,
    Form(p): Posts,
) -> Result<Response, AppError> {
    let (org, d) = visible(&state, &v, &slug, &id).await?;
    let t = current_tr();
    let p = Posted(p);
    let adm: Option<i64> = p
        .get("administration")
        .parse()
        .ok()
        .filter(|adm| d.binds.iter().any(|a| a.administration_id == *adm));
    let Some(adm) = adm else {
        return decision_page(
            &state,
            &v,
            &slug,
            &id,
            Some(t.t("error-anchoring-administration")),
        )
        .await;
    };
    if !d.approved {
        return decision_page(
            &state,
            &v,
            &slug,
            &id,
            Some(t.t("error-anchoring-not-approved")),
        )
        .await;
    }
    let can_manage = auth::may(&state, &v, Action::ManageMatters, Some(&org)).await;
    if !can_manage && !represented(&state, &v, &org).await?.contains(&adm) {
        return Err(AppError::Forbidden(t.t("error-anchoring-not-yours")));
    }
    let mut e = Errors::default();
    let anchored = p.date(&t, &mut e, "anchored_on");
    let union = p.date(&t, &mut e, "union_consulted_on");
    if !e.is_empty() || (anchored.is_none() && union.is_none()) {
        return decision_page(&state, &v, &slug, &id, Some(t.t("error-anchoring-dates"))).await;
    }
    let today = swedish_date(Utc::now());
    if anchored.is_some_and(|x| x > today || x < d.decided_on)
        || union.is_some_and(|x| x > today || x < d.decided_on)
    {
        let why = t.args(
            "error-anchoring-date-range",
            &[("decided", Arg::Text(d.decided_on.to_string()))],
        );
        return decision_page(&state, &v, &slug, &id, Some(why)).await;
    }
    state
        .store
        .record_anchoring(d.id, adm, anchored, union, &v.actor())
        .await?;
    Ok(Redirect::to(&format!("/grupper/{slug}/beslut/{}", d.id)).into_response())
}

/// `POST /grupper/{slug}/beslut/{id}/skicka-igen`: the notice to one body
/// (`organization`) again.
pub async fn resend(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path((slug, id)): Path<(String, String)>,
    Form(p): Posts,
) -> Result<Response, AppError> {
    let (org, d) = visible(&state, &v, &slug, &id).await?;
    let p = Posted(p);
    let not_named = || AppError::BadRequest(current_tr().t("error-notice-body"));
    let body: i64 = p.get("organization").parse().map_err(|_| not_named())?;
    // Only a body the charter names, or one told before.
    let named = state
        .store
        .bodies_to_inform(org.id)
        .await?
        .iter()
        .any(|(_, o)| o.as_ref().is_some_and(|o| o.id == body));
    if !named && !d.notifications.iter().any(|n| n.organization_id == body) {
        return Err(not_named());
    }
    state
        .store
        .resend_notification(d.id, body, &v.actor())
        .await?;
    Ok(Redirect::to(&format!("/grupper/{slug}/beslut/{}", d.id)).into_response())
}
