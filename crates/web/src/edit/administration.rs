//! Administrations (förvaltningar): the list and the form.

use crate::forms::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::Extension;
use samordna_domain::policy::Action;
use samordna_store::StoreError;

use crate::auth;
use crate::error::AppError;
use crate::forms::{render_form, Errors, Field, FieldKind, FormView, Posted};
use crate::request::Visitor;
use crate::state::AppState;

use crate::forms::Posts;
use crate::i18n::current_tr as t;

use super::{conflict, parse_id, render_list, see_other, ListRow};

pub async fn administrations(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    crate::extract::Query(q): crate::extract::Query<crate::paging::PageQuery>,
) -> Result<Response, AppError> {
    let t = t();
    let can_edit = auth::may(&state, &v, Action::EditAdministrations, None).await;
    let rows = state
        .store
        .administrations()
        .await?
        .into_iter()
        .map(|a| ListRow {
            href: can_edit.then(|| format!("/forvaltningar/{}/redigera", a.id)),
            meta: a.short_name.clone(),
            label: a.name,
        })
        .collect();
    render_list(
        "administrations",
        t.t("administrations-title"),
        can_edit.then(|| ("/forvaltningar/ny".to_string(), t.t("administrations-add"))),
        rows,
        q.sida,
        "/forvaltningar",
    )
}

fn administration_form(
    v: &Visitor,
    name: &str,
    short: &str,
    action: String,
    row_version: Option<i64>,
    title: String,
) -> FormView {
    let t = t();
    FormView {
        title,
        intro: None,
        action,
        csrf: v.csrf(),
        row_version,
        hidden: vec![],
        fields: vec![
            Field::new("name", t.t("field-name"), FieldKind::Input("text"), name).required(),
            Field::new(
                "short_name",
                t.t("field-short-name"),
                FieldKind::Input("text"),
                short,
            ),
        ],
        submit: t.t("form-save"),
        back: Some(("/forvaltningar".into(), t.t("administrations-title"))),
    }
}

pub async fn administration_new(Extension(v): Extension<Visitor>) -> Result<Response, AppError> {
    render_form(
        "administrations",
        administration_form(
            &v,
            "",
            "",
            "/forvaltningar/ny".into(),
            None,
            t().t("administration-new-title"),
        ),
    )
}

pub async fn administration_create(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Form(p): Posts,
) -> Result<Response, AppError> {
    let p = Posted(p);
    let t = t();
    let mut e = Errors::default();
    let name = p.required(&t, &mut e, "name", &t.t("field-name"));
    let short = p.opt("short_name");
    let title = t.t("administration-new-title");
    if e.is_empty() {
        match state
            .store
            .create_administration(&name, short.as_deref(), &v.actor())
            .await
        {
            Ok(_) => return Ok(see_other("/forvaltningar")),
            Err(StoreError::Conflict(m)) => e.add("name", m),
            Err(other) => return Err(other.into()),
        }
    }
    render_form(
        "administrations",
        administration_form(
            &v,
            &name,
            short.as_deref().unwrap_or(""),
            "/forvaltningar/ny".into(),
            None,
            title,
        )
        .with_errors(&e),
    )
}

pub async fn administration_edit(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let a = state
        .store
        .administrations()
        .await?
        .into_iter()
        .find(|a| a.id == id)
        .ok_or_else(|| AppError::NotFound(t().t("error-not-found-page")))?;
    let title = t().t1("administration-edit-title", "name", &a.name);
    render_form(
        "administrations",
        administration_form(
            &v,
            &a.name,
            a.short_name.as_deref().unwrap_or(""),
            format!("/forvaltningar/{id}/redigera"),
            Some(a.row_version),
            title,
        ),
    )
}

pub async fn administration_save(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(id): Path<String>,
    Form(p): Posts,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let a = state
        .store
        .administrations()
        .await?
        .into_iter()
        .find(|a| a.id == id)
        .ok_or_else(|| AppError::NotFound(t().t("error-not-found-page")))?;
    let p = Posted(p);
    let version = p.row_version()?;
    let t = t();
    let mut e = Errors::default();
    let name = p.required(&t, &mut e, "name", &t.t("field-name"));
    let short = p.opt("short_name");
    let action = format!("/forvaltningar/{id}/redigera");
    if e.is_empty() {
        match state
            .store
            .update_administration(id, version, &name, short.as_deref(), &v.actor())
            .await
        {
            Ok(()) => return Ok(see_other("/forvaltningar")),
            Err(StoreError::Stale { .. }) => {
                let saved = state
                    .store
                    .administrations()
                    .await?
                    .into_iter()
                    .find(|x| x.id == id)
                    .ok_or_else(|| AppError::NotFound(String::new()))?;
                let rows = vec![
                    (t.t("field-name"), name.clone(), saved.name.clone()),
                    (
                        t.t("field-short-name"),
                        short.clone().unwrap_or_default(),
                        saved.short_name.clone().unwrap_or_default(),
                    ),
                ];
                return conflict(a.name.clone(), rows, action);
            }
            Err(StoreError::Conflict(m)) => e.add("name", m),
            Err(other) => return Err(other.into()),
        }
    }
    let title = t.t1("administration-edit-title", "name", &a.name);
    render_form(
        "administrations",
        administration_form(
            &v,
            &name,
            short.as_deref().unwrap_or(""),
            action,
            Some(version),
            title,
        )
        .with_errors(&e),
    )
}
