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
    // What cannot be read is said beside its field on the meeting's page, with
    // everything typed kept (issue 27, item 6).
    let mut e = Errors::default();
    let title = p.required(&t, &mut e, "title", &t.t("action-title"));
    if !samordna_domain::matters::fits(&title, samordna_domain::matters::TITLE_MAX) {
        e.add("title", t.t("error-too-long"));
    }
    let due = p.date(&t, &mut e, "due_on");
    if due.is_some_and(|d| d < swedish_date(Utc::now())) {
        e.add("due_on", t.t("error-due-past"));
    }
    // The owner is a current member of the group.
    let owner = match p.number(&t, &mut e, "owner", 1..=i64::MAX, "error-action-owner") {
        Some(pid) if state.is_current_member(org.id, pid).await? => Some(pid),
        Some(_) => {
            e.add("owner", t.t("error-action-owner"));
            None
        }
        None => None,
    };
    // A matter of the group, if the action names one.
    let matter = match p.number(&t, &mut e, "matter", 1..=i64::MAX, "error-no-matter") {
        Some(mid) => {
            let ours = state
                .store
                .matter(mid)
                .await?
                .is_some_and(|x| x.fields.organization_id == org.id);
            if !ours {
                e.add("matter", t.t("error-no-matter"));
            }
            ours.then_some(mid)
        }
        None => None,
    };
    let refuse = |e: &Errors| {
        super::show_page_with(
            &state,
            &v,
            &id,
            Some(t.t("form-has-errors")),
            crate::forms::Refill::new("action", &p, e),
        )
    };
    if !e.is_empty() {
        return refuse(&e).await;
    }
    let made = state
        .store
        .create_action(
            &ActionFields {
                organization_id: org.id,
                title,
                owner_person_id: owner,
                due_on: due,
                meeting_id: Some(m.id),
                decision_id: None,
                matter_id: matter,
            },
            &v.actor(),
        )
        .await;
    if let Err(samordna_store::StoreError::Conflict(message)) = made {
        e.add("title", message);
        return refuse(&e).await;
    }
    made?;
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
    template_page_with(state, v, slug, saved, None).await
}

/// The template's form; with `refused`, what was typed and why it was not saved.
async fn template_page_with(
    state: &AppState,
    v: &Visitor,
    slug: &str,
    saved: bool,
    refused: Option<(String, String)>,
) -> Result<Response, AppError> {
    let org = state.group(slug).await?;
    let c = Chrome::new("register");
    let t = c.t;
    let items = match &refused {
        Some((typed, _)) => typed.clone(),
        None => state.store.agenda_template(org.id).await?.join("\n"),
    };
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
    let f = match refused {
        Some((_, why)) => {
            let mut e = Errors::default();
            e.add("items", why);
            f.with_errors(&e)
        }
        None => f,
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
        let why = current_tr().t("error-template-empty");
        return template_page_with(&state, &v, &slug, false, Some((p.get("items"), why))).await;
    }
    state
        .store
        .set_agenda_template(org.id, &items, &v.actor())
        .await?;
    template_page(&state, &v, &slug, true).await
}
