//! "Mina uppgifter": what waits for the signed-in person — questions addressed to
//! them (as contact person, or chair or coordinator of the body asked), their own
//! open actions, and decisions their administration has still to anchor.

use crate::view::LocalTime;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use chrono::Utc;
use samordna_domain::calendar::swedish_date;
use samordna_domain::decisions::{EscalationStatus, Target};
use samordna_domain::matters::ActionStatus;
use samordna_domain::policy::Action;
use samordna_store::{ActionsOf, DecisionFilter, EscalationsOf, NewEscalation};

use crate::auth;
use crate::chrome::Chrome;
use crate::decisions::target_label;
use crate::error::AppError;
use crate::forms::{Form, Posted, Posts};
use crate::i18n::current_tr;
use crate::request::Visitor;
use crate::state::AppState;

struct Question {
    id: i64,
    group: String,
    group_href: String,
    /// The decision or matter the question comes from.
    origin_href: String,
    answered_on: String,
    question: String,
    reason: Option<String>,
    asked: String,
    open: bool,
    answer: Option<String>,
}

struct MyAction {
    id: i64,
    title: String,
    group: String,
    group_href: String,
    due: String,
    overdue: bool,
}

struct Outstanding {
    href: String,
    label: String,
    group: String,
    administration: String,
    text: String,
}

#[derive(Template)]
#[template(path = "tasks.html")]
struct TasksPage {
    c: Chrome,
    linked: bool,
    questions: Vec<Question>,
    /// Questions answered already, for reference.
    answered: Vec<Question>,
    actions: Vec<MyAction>,
    anchoring: Vec<Outstanding>,
    /// (value, label) of the targets a question may be passed on to.
    targets: Vec<(String, String)>,
    csrf: String,
    /// What went wrong with the visitor's last step.
    error: Option<String>,
}

/// `GET /mina-uppgifter`.
pub async fn tasks(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
) -> Result<Response, AppError> {
    tasks_page(&state, &v, None).await
}

/// The page; with `error`, a 422 that says what went wrong above the lists.
pub(crate) async fn tasks_page(
    state: &AppState,
    v: &Visitor,
    error: Option<String>,
) -> Result<Response, AppError> {
    let c = Chrome::new("tasks");
    let t = c.t;
    let person = v.account().and_then(|a| a.person_id);
    let mut questions = Vec::new();
    let mut actions = Vec::new();
    let mut anchoring = Vec::new();
    let today = swedish_date(Utc::now());
    if let Some(person) = person {
        for e in state
            .store
            .escalations(EscalationsOf::AddressedTo(person))
            .await?
        {
            if e.status == EscalationStatus::Forwarded {
                continue;
            }
            let origin_href = match (e.fields.decision_id, e.fields.matter_id) {
                (Some(d), _) => format!("/grupper/{}/beslut/{d}", e.organization_slug),
                (_, Some(m)) => format!("/grupper/{}/grupparenden/{m}", e.organization_slug),
                _ => format!("/grupper/{}", e.organization_slug),
            };
            questions.push(Question {
                id: e.id,
                origin_href,
                answered_on: e.answered_at.map(|a| a.local_date()).unwrap_or_default(),
                group_href: format!("/grupper/{}", e.organization_slug),
                group: e.organization.clone(),
                question: e.fields.question.clone(),
                reason: e.fields.deviation_reason.clone(),
                asked: e.created_at.local_date(),
                open: e.status == EscalationStatus::Open,
                answer: e.answer.clone(),
            });
        }
        for a in state.store.actions(ActionsOf::OpenOwnedBy(person)).await? {
            actions.push(MyAction {
                id: a.id,
                title: a.fields.title.clone(),
                group_href: format!("/grupper/{}", a.organization_slug),
                group: a.organization.clone(),
                due: a
                    .fields
                    .due_on
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "–".into()),
                overdue: a.fields.due_on.is_some_and(|d| d < today),
            });
        }
        for ms in state.store.memberships(None, Some(person)).await? {
            let (true, Some(adm)) = (ms.is_current(today), ms.fields.on_behalf_of_id) else {
                continue;
            };
            let Some(org) = state.store.organization(ms.fields.organization_id).await? else {
                continue;
            };
            for d in state
                .store
                .decisions(&DecisionFilter {
                    organization_id: Some(org.id),
                    approved_only: true,
                    ..Default::default()
                })
                .await?
            {
                if let Some(a) = d
                    .binds
                    .iter()
                    .find(|a| a.administration_id == adm && !a.is_done())
                {
                    anchoring.push(Outstanding {
                        href: format!("/grupper/{}/beslut/{}", org.slug, d.id),
                        label: d.label(),
                        group: org.name.clone(),
                        administration: a.administration.clone(),
                        text: d.text.clone(),
                    });
                }
            }
        }
    }
    let targets = Target::ALL
        .iter()
        .map(|x| (x.as_str().to_string(), target_label(&t, *x)))
        .collect();
    let (open, answered): (Vec<Question>, Vec<Question>) =
        questions.into_iter().partition(|q| q.open);
    let refused = error.clone();
    crate::render::page_after_form(
        &TasksPage {
            linked: person.is_some(),
            questions: open,
            answered,
            actions,
            anchoring,
            targets,
            csrf: v.csrf(),
            error,
            c,
        },
        refused,
    )
}

/// `POST /atgarder/{id}/klar`: the owner (or who manages the group's matters)
/// marks an action done.
pub async fn action_done(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(id): Path<String>,
    Form(p): Posts,
) -> Result<Response, AppError> {
    let t = current_tr();
    let missing = || AppError::NotFound(t.t("error-no-action"));
    let id: i64 = id.parse().map_err(|_| missing())?;
    let a = state.store.action(id).await?.ok_or_else(missing)?;
    let org = state
        .store
        .organization(a.fields.organization_id)
        .await?
        .ok_or_else(missing)?;
    let own = v
        .account()
        .and_then(|x| x.person_id)
        .is_some_and(|p| Some(p) == a.fields.owner_person_id);
    if !own && !auth::may(&state, &v, Action::ManageMatters, Some(&org)).await {
        return Err(AppError::Forbidden(t.t("error-action-not-yours")));
    }
    state
        .store
        .end_action(a.id, ActionStatus::Done, &v.actor())
        .await?;
    let back = Posted(p).opt("back");
    let back = match back {
        Some(b) => crate::return_path::ReturnPath::parse(Some(&b)).to_string(),
        None => "/mina-uppgifter".into(),
    };
    Ok(Redirect::to(&back).into_response())
}

/// `POST /fragor/{id}/svara`: the answer (`answer`) to a question addressed to
/// the visitor; or, with `forward` (a target) and `body`, the question passed on.
pub async fn answer(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(id): Path<String>,
    Form(p): Posts,
) -> Result<Response, AppError> {
    let t = current_tr();
    let missing = || AppError::NotFound(t.t("error-no-question"));
    let id: i64 = id.parse().map_err(|_| missing())?;
    // A question that does not exist is a 404 for anyone; one addressed to
    // someone else, a 403.
    state.store.escalation(id).await?.ok_or_else(missing)?;
    let Some(person) = v.account().and_then(|a| a.person_id) else {
        return Err(AppError::Forbidden(t.t("error-question-not-yours")));
    };
    let mine = state
        .store
        .escalations(EscalationsOf::AddressedTo(person))
        .await?;
    let e = mine
        .into_iter()
        .find(|e| e.id == id)
        .ok_or_else(|| AppError::Forbidden(t.t("error-question-not-yours")))?;
    let p = Posted(p);
    if let Some(forward) = p.opt("forward") {
        let target = forward
            .parse::<Target>()
            .map_err(|_| AppError::BadRequest(t.t("error-escalation-target")))?;
        let asking = state
            .store
            .organization(e.fields.organization_id)
            .await?
            .ok_or_else(missing)?;
        let body = match p.opt("body") {
            Some(slug) => Some(
                state
                    .store
                    .organization_by_slug(&slug)
                    .await?
                    .ok_or_else(|| AppError::BadRequest(t.t("error-escalation-body")))?
                    .id,
            ),
            None => crate::decisions::target_body(&state, &asking, target).await?,
        };
        let person = if target == Target::ContactPerson {
            crate::decisions::contact_person(&state, &asking).await?
        } else {
            None
        };
        state
            .store
            .forward_escalation(
                e.id,
                &NewEscalation {
                    target,
                    suggested_target: target,
                    target_organization_id: body,
                    target_person_id: person,
                    deviation_reason: None,
                    ..e.fields.clone()
                },
                &v.actor(),
            )
            .await?;
    } else {
        let answer = p.get("answer").trim().to_string();
        // An empty answer is said on "Mina uppgifter", where it was written.
        if answer.is_empty() {
            let why = t.t1("error-required", "field", t.t("question-answer"));
            return tasks_page(&state, &v, Some(why)).await;
        }
        state
            .store
            .answer_escalation(e.id, &answer, &v.actor())
            .await?;
    }
    Ok(Redirect::to("/mina-uppgifter").into_response())
}
