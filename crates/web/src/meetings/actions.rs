//! What a meeting agrees besides decisions: actions (åtgärder), followed up at the
//! next meeting; and the group's agenda template (standing items) that builds an
//! agenda in one step.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use chrono::Utc;
use samordna_domain::calendar::swedish_date;
use samordna_store::ActionFields;

use crate::chrome::Chrome;
use crate::error::AppError;
use crate::forms::{Errors, Field, FieldKind, Form, FormView, Posted, Posts};
use crate::i18n::current_tr;
use crate::request::Visitor;
use crate::state::AppState;
use crate::view::OrgLink;

/// `POST /moten/{id}/atgarder`: an action agreed at the meeting (`title`,
/// `owner` person id, `due_on`).
pub async fn add_action(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(id): Path<String>,
    Form(p): Posts,
) -> Result<Response, AppError> {
    let (m, org) = state.meeting_and_group(&id).await?;
    let t = current_tr();
    let p = Posted(p);
    let title = p.get("title").trim().to_string();
    let refuse = |why: String| super::show_page(&state, &v, &id, Some(why));
    if title.is_empty() {
        return refuse(t.t1("error-required", "field", t.t("action-title"))).await;
    }
    if !samordna_domain::matters::fits(&title, samordna_domain::matters::TITLE_MAX) {
        return refuse(t.t("error-too-long")).await;
    }
    let mut e = Errors::default();
    let due = p.date(&t, &mut e, "due_on");
    if !e.is_empty() {
        return refuse(t.t("error-action-due")).await;
    }
    if due.is_some_and(|d| d < swedish_date(Utc::now())) {
        return refuse(t.t("error-due-past")).await;
    }
    // The owner is a current member of the group.
    let owner = match p.opt("owner") {
        None => None,
        Some(x) => match x.parse::<i64>() {
            Ok(pid) if state.is_current_member(org.id, pid).await? => Some(pid),
            _ => return refuse(t.t("error-action-owner")).await,
        },
    };
    state
        .store
        .create_action(
            &ActionFields {
                organization_id: org.id,
                title,
                owner_person_id: owner,
                due_on: due,
                meeting_id: Some(m.id),
                decision_id: None,
                matter_id: p.get("matter").parse().ok(),
            },
            &v.actor(),
        )
        .await?;
    Ok(Redirect::to(&format!("/moten/{}#atgarder", m.id)).into_response())
}

/// `POST /moten/{id}/dagordning/mall`: the group's standing items onto the agenda.
pub async fn apply_template(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (m, _) = state.meeting_and_group(&id).await?;
    state.store.apply_agenda_template(m.id, &v.actor()).await?;
    Ok(Redirect::to(&format!("/moten/{}", m.id)).into_response())
}

async fn template_page(
    state: &AppState,
    v: &Visitor,
    slug: &str,
    saved: bool,
) -> Result<Response, AppError> {
    let org = state.group(slug).await?;
    let c = Chrome::new("register");
    let t = c.t;
    let items = state.store.agenda_template(org.id).await?.join("\n");
    let f = FormView {
        title: t.t1("template-title", "name", &org.name),
        intro: Some(if saved {
            t.t("template-saved")
        } else {
            t.t("template-intro")
        }),
        action: format!("/grupper/{slug}/dagordningsmall"),
        csrf: v.csrf(),
        row_version: None,
        hidden: vec![],
        fields: vec![
            Field::new("items", t.t("template-items"), FieldKind::Textarea, items)
                .hint(t.t("template-items-hint")),
        ],
        submit: t.t("template-save"),
        back: Some((OrgLink::from(&org).href(), org.name.clone())),
    };
    crate::forms::render_form(c.section, f)
}

/// `GET /grupper/{slug}/dagordningsmall`.
pub async fn template_form(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    template_page(&state, &v, &slug, false).await
}

/// `POST /grupper/{slug}/dagordningsmall`: one item per line.
pub async fn template_save(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(slug): Path<String>,
    Form(p): Posts,
) -> Result<Response, AppError> {
    let org = state.group(&slug).await?;
    let p = Posted(p);
    let items: Vec<String> = p
        .get("items")
        .lines()
        .map(|l| l.trim().to_string())
        .collect();
    if items.iter().all(|l| l.is_empty()) {
        return Err(AppError::BadRequest(current_tr().t("error-template-empty")));
    }
    state
        .store
        .set_agenda_template(org.id, &items, &v.actor())
        .await?;
    template_page(&state, &v, &slug, true).await
}
