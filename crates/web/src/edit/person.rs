//! People: the list, and the form to add or edit a person.

use crate::forms::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::Extension;
use samordna_domain::policy::Action;
use samordna_store::{PersonFields, StoreError};

use crate::auth;
use crate::error::AppError;
use crate::forms::{looks_like_email, render_form, Errors, Field, FieldKind, FormView, Posted};
use crate::request::Visitor;
use crate::state::AppState;

use crate::forms::Posts;
use crate::i18n::current_tr as t;

use super::{conflict, parse_id, render_list, see_other, ListRow};

pub async fn people(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    crate::extract::Query(q): crate::extract::Query<crate::paging::PageQuery>,
) -> Result<Response, AppError> {
    let t = t();
    let can_edit = auth::may(&state, &v, Action::EditPeople, None).await;
    let adms = state.store.administrations().await?;
    let rows = state
        .store
        .people()
        .await?
        .into_iter()
        .map(|p| ListRow {
            href: can_edit.then(|| format!("/personer/{}/redigera", p.id)),
            meta: Some(
                [
                    p.fields.title.clone(),
                    p.fields
                        .administration_id
                        .and_then(|id| adms.iter().find(|a| a.id == id))
                        .map(|a| a.name.clone()),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", "),
            )
            .filter(|m| !m.is_empty()),
            label: p.fields.name,
        })
        .collect();
    render_list(
        "people",
        t.t("people-title"),
        can_edit.then(|| ("/personer/ny".to_string(), t.t("people-add"))),
        rows,
        q.sida,
        "/personer",
    )
}

async fn person_form(
    state: &AppState,
    v: &Visitor,
    f: &PersonFields,
    action: String,
    row_version: Option<i64>,
    title: String,
) -> Result<FormView, AppError> {
    let t = t();
    let mut adms = vec![(String::new(), t.t("field-administration-none"))];
    adms.extend(
        state
            .store
            .administrations()
            .await?
            .into_iter()
            .map(|a| (a.id.to_string(), a.name)),
    );
    Ok(FormView {
        title,
        intro: None,
        action,
        csrf: v.csrf(),
        row_version,
        hidden: vec![],
        fields: vec![
            Field::new("name", t.t("field-name"), FieldKind::Input("text"), &f.name)
                .required()
                .autocomplete("off"),
            Field::new(
                "title",
                t.t("field-title"),
                FieldKind::Input("text"),
                f.title.clone().unwrap_or_default(),
            ),
            Field::new(
                "email",
                t.t("field-email"),
                FieldKind::Input("email"),
                f.email.clone().unwrap_or_default(),
            ),
            Field::new(
                "phone",
                t.t("field-phone"),
                FieldKind::Input("tel"),
                f.phone.clone().unwrap_or_default(),
            ),
            Field::new(
                "administration",
                t.t("field-administration"),
                FieldKind::Select(adms),
                f.administration_id
                    .map(|i| i.to_string())
                    .unwrap_or_default(),
            ),
        ],
        submit: t.t("form-save"),
        back: Some(("/personer".into(), t.t("people-title"))),
    })
}

async fn read_person(state: &AppState, p: &Posted) -> Result<(PersonFields, Errors), AppError> {
    let t = t();
    let mut e = Errors::default();
    let name = p.required(&t, &mut e, "name", &t.t("field-name"));
    let email = p.opt("email");
    if email.as_deref().is_some_and(|m| !looks_like_email(m)) {
        e.add("email", t.t("error-email"));
    }
    let adms: Vec<i64> = state
        .store
        .administrations()
        .await?
        .iter()
        .map(|a| a.id)
        .collect();
    let administration_id = p.id(&t, &mut e, "administration", &adms);
    Ok((
        PersonFields {
            name,
            title: p.opt("title"),
            email,
            phone: p.opt("phone"),
            administration_id,
        },
        e,
    ))
}

pub async fn person_new(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
) -> Result<Response, AppError> {
    render_form(
        "people",
        person_form(
            &state,
            &v,
            &PersonFields::default(),
            "/personer/ny".into(),
            None,
            t().t("person-new-title"),
        )
        .await?
        .once(None),
    )
}

pub async fn person_create(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Form(p): Posts,
) -> Result<Response, AppError> {
    let p = Posted(p);
    let once = p.opt(crate::forms::ONCE);
    let (f, e) = read_person(&state, &p).await?;
    if !e.is_empty() {
        return render_form(
            "people",
            person_form(
                &state,
                &v,
                &f,
                "/personer/ny".into(),
                None,
                t().t("person-new-title"),
            )
            .await?
            .once(once)
            .with_errors(&e),
        );
    }
    // The same form sent twice (its key) is one person.
    state
        .store
        .create_person_once(&f, once.as_deref(), &v.actor())
        .await?;
    Ok(see_other("/personer"))
}

pub async fn person_edit(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let person = state
        .store
        .person(id)
        .await?
        .ok_or_else(|| AppError::NotFound(t().t("error-not-found-page")))?;
    let title = t().t1("person-edit-title", "name", &person.fields.name);
    render_form(
        "people",
        person_form(
            &state,
            &v,
            &person.fields,
            format!("/personer/{id}/redigera"),
            Some(person.row_version),
            title,
        )
        .await?,
    )
}

pub async fn person_save(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(id): Path<String>,
    Form(p): Posts,
) -> Result<Response, AppError> {
    let id = parse_id(&id)?;
    let person = state
        .store
        .person(id)
        .await?
        .ok_or_else(|| AppError::NotFound(t().t("error-not-found-page")))?;
    let p = Posted(p);
    let version = p.row_version()?;
    let (f, e) = read_person(&state, &p).await?;
    let action = format!("/personer/{id}/redigera");
    let title = t().t1("person-edit-title", "name", &person.fields.name);
    if !e.is_empty() {
        return render_form(
            "people",
            person_form(&state, &v, &f, action, Some(version), title)
                .await?
                .with_errors(&e),
        );
    }
    match state.store.update_person(id, version, &f, &v.actor()).await {
        Ok(()) => Ok(see_other("/personer")),
        Err(StoreError::Stale { .. }) => {
            let saved = state
                .store
                .person(id)
                .await?
                .ok_or_else(|| AppError::NotFound(String::new()))?
                .fields;
            let t = t();
            let o = |s: &Option<String>| s.clone().unwrap_or_default();
            let rows = vec![
                (t.t("field-name"), f.name.clone(), saved.name.clone()),
                (t.t("field-title"), o(&f.title), o(&saved.title)),
                (t.t("field-email"), o(&f.email), o(&saved.email)),
                (t.t("field-phone"), o(&f.phone), o(&saved.phone)),
            ];
            conflict(person.fields.name.clone(), rows, action)
        }
        Err(other) => Err(other.into()),
    }
}
