//! Escalating a question the group cannot decide on its members' mandates: the
//! form suggests where the charters send it (`escalation-route`) and asks why
//! when another target is chosen; whoever it goes to answers it or passes it on
//! from "Mina uppgifter", and the answer returns to the asking group.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use chrono::Utc;
use samordna_domain::calendar::swedish_date;
use samordna_domain::decisions::{suggested_target, Target, Topic};
use samordna_domain::policy::MembershipRole;
use samordna_store::{NewEscalation, Organization};
use serde::Deserialize;

use crate::chrome::Chrome;
use crate::error::AppError;
use crate::extract::Query;
use crate::forms::{Errors, Field, FieldKind, Form, FormView, Posted, Posts};
use crate::i18n::current_tr;
use crate::request::Visitor;
use crate::state::AppState;
use crate::view::OrgLink;

use super::{target_label, topic_label};

/// `?beslut=ID` or `?arende=ID`: what the question comes from; `amne`, the topic
/// chosen in the form's first step (the route follows from it).
#[derive(Debug, Deserialize, Default)]
pub struct From {
    beslut: Option<i64>,
    arende: Option<i64>,
    amne: Option<String>,
}

#[derive(askama::Template)]
#[template(path = "escalate.html")]
struct EscalatePage {
    c: Chrome,
    f: FormView,
    /// The form's own address, for the topic step.
    route_action: String,
    beslut: Option<i64>,
    arende: Option<i64>,
    /// (value, label, selected).
    topics: Vec<(String, String, bool)>,
}

#[derive(Default)]
struct Typed {
    question: String,
    topic: String,
    target: String,
    body: String,
    reason: String,
}

/// The decision or matter of this group the question comes from, and its topic.
async fn origin(
    state: &AppState,
    org: &Organization,
    from: &From,
) -> Result<(Option<i64>, Option<i64>, Topic, String), AppError> {
    let t = current_tr();
    let missing = || AppError::NotFound(t.t("error-escalation-origin"));
    if let Some(id) = from.beslut {
        let d = state
            .store
            .decision(id)
            .await?
            .filter(|d| d.organization_id == org.id)
            .ok_or_else(missing)?;
        return Ok((
            Some(d.id),
            d.matter_id,
            d.topic,
            t.t1("escalation-from-decision", "label", d.label()),
        ));
    }
    if let Some(id) = from.arende {
        let m = state
            .store
            .matter(id)
            .await?
            .filter(|m| m.fields.organization_id == org.id)
            .ok_or_else(missing)?;
        return Ok((
            None,
            Some(m.id),
            Topic::OwnArea,
            t.t1("escalation-from-matter", "title", m.fields.title),
        ));
    }
    Err(missing())
}

/// Bodies a question may be addressed to: the council above, the well-known
/// bodies, and the region-wide groups in the register.
async fn bodies(state: &AppState, org: &Organization) -> Result<Vec<Organization>, AppError> {
    let mut out = Vec::new();
    if let Some(parent) = org.reports_to_id {
        out.extend(state.store.organization(parent).await?);
    }
    for b in samordna_domain::names::KNOWN_BODIES {
        if let Some(o) = state.store.organization_named(b.name).await? {
            if !out.iter().any(|x: &Organization| x.id == o.id) {
                out.push(o);
            }
        }
    }
    Ok(out)
}

/// The organisation a target denotes for this group, if the register has one.
pub(crate) async fn target_body(
    state: &AppState,
    org: &Organization,
    target: Target,
) -> Result<Option<i64>, AppError> {
    let named = |name: &'static str| async move {
        Ok::<_, AppError>(state.store.organization_named(name).await?.map(|o| o.id))
    };
    Ok(match target {
        Target::ParentCouncil => org.reports_to_id,
        Target::KliniskLedning => named("Klinisk ledning").await?,
        Target::Ppr => named("Program- och prioriteringsrådet").await?,
        _ => None,
    })
}

/// The group's contact person (or its council's), today.
pub(crate) async fn contact_person(
    state: &AppState,
    org: &Organization,
) -> Result<Option<i64>, AppError> {
    let today = swedish_date(Utc::now());
    for id in std::iter::once(org.id).chain(org.reports_to_id) {
        if let Some(m) = state
            .store
            .memberships(Some(id), None)
            .await?
            .into_iter()
            .find(|m| m.is_current(today) && m.fields.role == MembershipRole::Kontaktperson)
        {
            return Ok(Some(m.fields.person_id));
        }
    }
    Ok(None)
}

async fn form(
    state: &AppState,
    v: &Visitor,
    slug: &str,
    from: &From,
    typed: &Typed,
    errors: &Errors,
) -> Result<Response, AppError> {
    let org = state.group(slug).await?;
    let (_, _, topic, origin_text) = origin(state, &org, from).await?;
    let c = Chrome::new("decisions");
    let t = c.t;
    let topic = typed
        .topic
        .parse()
        .ok()
        .or_else(|| from.amne.as_deref().and_then(|a| a.parse().ok()))
        .unwrap_or(topic);
    let suggested = suggested_target(org.kind, org.reports_to_id.is_some(), topic);
    let targets: Vec<(String, String)> = Target::ALL
        .iter()
        .map(|x| {
            let mut label = target_label(&t, *x);
            if *x == suggested {
                label = t.t1("escalation-suggested", "target", label);
            }
            (x.as_str().to_string(), label)
        })
        .collect();
    let topics: Vec<(String, String, bool)> = Topic::ALL
        .iter()
        .map(|x| (x.as_str().to_string(), topic_label(&t, *x), *x == topic))
        .collect();
    let mut body_choices = vec![(String::new(), t.t("escalation-body-by-target"))];
    body_choices.extend(
        bodies(state, &org)
            .await?
            .into_iter()
            .map(|o| (o.slug, o.name)),
    );
    let query = match (from.beslut, from.arende) {
        (Some(d), _) => format!("beslut={d}"),
        (_, Some(m)) => format!("arende={m}"),
        _ => String::new(),
    };
    let f = FormView {
        title: t.t1("escalation-title", "name", &org.name),
        intro: Some(format!(
            "{} {}",
            origin_text,
            t.t1("escalation-intro", "target", target_label(&t, suggested))
        )),
        action: format!("/grupper/{slug}/eskalera?{query}&amne={}", topic.as_str()),
        csrf: v.csrf(),
        row_version: None,
        hidden: vec![("topic".into(), topic.as_str().to_string())],
        fields: vec![
            Field::new(
                "question",
                t.t("escalation-question"),
                FieldKind::Textarea,
                &typed.question,
            ),
            Field::new(
                "target",
                t.t("escalation-target"),
                FieldKind::Select(targets),
                if typed.target.is_empty() {
                    suggested.as_str()
                } else {
                    &typed.target
                },
            ),
            Field::new(
                "body",
                t.t("escalation-body"),
                FieldKind::Select(body_choices),
                &typed.body,
            )
            .hint(t.t("escalation-body-hint")),
            Field::new(
                "reason",
                t.t("escalation-reason"),
                FieldKind::Textarea,
                &typed.reason,
            )
            .hint(t.t("escalation-reason-hint")),
        ],
        submit: t.t("escalation-save"),
        back: Some((OrgLink::from(&org).href(), org.name.clone())),
    }
    .with_errors(errors);
    let status = if f.has_errors() {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    let page = EscalatePage {
        route_action: format!("/grupper/{slug}/eskalera"),
        beslut: from.beslut,
        arende: from.arende,
        topics,
        f,
        c,
    };
    Ok((status, crate::render::page(&page)?).into_response())
}

/// `GET /grupper/{slug}/eskalera?beslut=ID|arende=ID`.
pub async fn escalate_form(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(slug): Path<String>,
    Query(from): Query<From>,
) -> Result<Response, AppError> {
    form(
        &state,
        &v,
        &slug,
        &from,
        &Typed::default(),
        &Errors::default(),
    )
    .await
}

/// `POST /grupper/{slug}/eskalera?beslut=ID|arende=ID`: raises the escalation.
pub async fn escalate_save(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(slug): Path<String>,
    Query(from): Query<From>,
    Form(p): Posts,
) -> Result<Response, AppError> {
    let org = state.group(&slug).await?;
    let (decision_id, matter_id, topic, _) = origin(&state, &org, &from).await?;
    let t = current_tr();
    let p = Posted(p);
    let typed = Typed {
        question: p.get("question").trim().to_string(),
        topic: p.get("topic"),
        target: p.get("target"),
        body: p.get("body"),
        reason: p.get("reason").trim().to_string(),
    };
    let topic = typed.topic.parse::<Topic>().unwrap_or(topic);
    let suggested = suggested_target(org.kind, org.reports_to_id.is_some(), topic);
    let mut e = Errors::default();
    if typed.question.is_empty() {
        e.add(
            "question",
            t.t1("error-required", "field", t.t("escalation-question")),
        );
    }
    let target = typed.target.parse::<Target>().ok();
    match target {
        None => e.add("target", t.t("error-escalation-target")),
        Some(x) if x != suggested && typed.reason.is_empty() => e.add(
            "reason",
            t.t1(
                "error-escalation-reason",
                "target",
                target_label(&t, suggested),
            ),
        ),
        _ => {}
    }
    let body = match typed.body.as_str() {
        "" => None,
        s => match state.store.organization_by_slug(s).await? {
            Some(o) => Some(o.id),
            None => {
                e.add("body", t.t("error-escalation-body"));
                None
            }
        },
    };
    if !samordna_domain::matters::fits(&typed.question, samordna_domain::matters::TEXT_MAX) {
        e.add("question", t.t("error-too-long"));
    }
    let target_person = if target == Some(Target::ContactPerson) {
        let found = contact_person(&state, &org).await?;
        if found.is_none() {
            e.add("target", t.t("error-escalation-no-contact"));
        }
        found
    } else {
        None
    };
    let target_org = match (body, target) {
        (Some(b), _) => Some(b),
        (None, Some(x)) => target_body(&state, &org, x).await?,
        (None, None) => None,
    };
    // Someone must be able to answer: a body, or a person, unless the question
    // stays within the administration.
    if target.is_some_and(|x| x != Target::Administration)
        && target_org.is_none()
        && target_person.is_none()
        && !e.has("target")
    {
        e.add("body", t.t("error-escalation-body-required"));
    }
    let Some(target) = target.filter(|_| e.is_empty()) else {
        return form(&state, &v, &slug, &from, &typed, &e).await;
    };
    state
        .store
        .escalate(
            &NewEscalation {
                organization_id: org.id,
                decision_id,
                matter_id,
                topic,
                target,
                suggested_target: suggested,
                target_organization_id: target_org,
                target_person_id: target_person,
                deviation_reason: (target != suggested).then(|| typed.reason.clone()),
                question: typed.question.clone(),
            },
            &v.actor(),
        )
        .await?;
    let back = match (decision_id, matter_id) {
        (Some(d), _) => format!("/grupper/{slug}/beslut/{d}"),
        (_, Some(m)) => format!("/grupper/{slug}/grupparenden/{m}"),
        _ => format!("/grupper/{slug}"),
    };
    Ok(Redirect::to(&back).into_response())
}
