//! Groups: the form (shared with the API through `OrgInput`), create, edit, save.

use crate::forms::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::Extension;
use samordna_domain::policy::Action;
use samordna_domain::OrgKind;
use samordna_store::{OrgFields, Organization, StoreError};

use crate::auth;
use crate::error::AppError;
use crate::forms::{render_form, Errors, Field, FieldKind, FormView, Posted};
use crate::i18n::Tr;
use crate::request::Visitor;
use crate::state::AppState;
use crate::view::{kind_label, OrgLink};

use crate::forms::Posts;
use crate::i18n::current_tr as t;

use super::{conflict, see_other};

fn kind_options(t: &Tr) -> Vec<(String, String)> {
    OrgKind::ALL
        .iter()
        .map(|k| (k.as_str().to_string(), kind_label(t, *k)))
        .collect()
}

fn status_options(t: &Tr) -> Vec<(String, String)> {
    vec![
        ("active".into(), t.t("status-active")),
        ("dissolved".into(), t.t("status-dissolved")),
    ]
}

async fn group_form(
    state: &AppState,
    visitor: &Visitor,
    org: Option<&Organization>,
    f: &OrgFields,
    action: String,
    row_version: Option<i64>,
) -> Result<FormView, AppError> {
    let t = t();
    let orgs: Vec<Organization> = state
        .store
        .organizations()
        .await?
        .into_iter()
        .filter(|o| o.merged_into_id.is_none() && Some(o.id) != org.map(|x| x.id))
        .collect();
    let mut parents = vec![(String::new(), t.t("field-reports-to-none"))];
    parents.extend(orgs.iter().map(|o| (o.id.to_string(), o.name.clone())));
    let liaisons = orgs
        .iter()
        .filter(|o| matches!(o.kind, OrgKind::Samordningsrad | OrgKind::Samordningsgrupp))
        .map(|o| {
            (
                o.id.to_string(),
                o.name.clone(),
                f.liaison_ids.contains(&o.id),
            )
        })
        .collect();
    let can_status = auth::may(state, visitor, Action::EstablishOrDissolve, org).await;
    let (title, back) = match org {
        Some(o) => (
            t.t1("group-edit-title", "name", &o.name),
            Some((OrgLink::from(o).href(), o.name.clone())),
        ),
        None => (
            t.t("group-new"),
            Some(("/".to_string(), t.t("nav-register"))),
        ),
    };
    Ok(FormView {
        title,
        intro: None,
        action,
        csrf: visitor.csrf(),
        row_version,
        hidden: vec![],
        fields: vec![
            Field::new("name", t.t("field-name"), FieldKind::Input("text"), &f.name).required(),
            Field::new(
                "short_name",
                t.t("field-short-name"),
                FieldKind::Input("text"),
                f.short_name.clone().unwrap_or_default(),
            ),
            Field::new(
                "kind",
                t.t("field-kind"),
                FieldKind::Select(kind_options(&t)),
                f.kind.as_str(),
            ),
            Field::new(
                "area",
                t.t("field-area"),
                FieldKind::Input("text"),
                f.area.clone().unwrap_or_default(),
            ),
            Field::new(
                "reports_to",
                t.t("field-reports-to"),
                FieldKind::Select(parents),
                f.reports_to_id.map(|i| i.to_string()).unwrap_or_default(),
            ),
            Field::new(
                "status",
                t.t("field-status"),
                FieldKind::Select(status_options(&t)),
                &f.status,
            )
            .hint(t.t("field-status-hint"))
            .disabled(!can_status),
            Field::new(
                "aliases",
                t.t("field-aliases"),
                FieldKind::Textarea,
                f.aliases.join("\n"),
            )
            .hint(t.t("field-aliases-hint")),
            Field::new(
                "liaisons",
                t.t("field-liaisons"),
                FieldKind::Checkboxes(liaisons),
                "",
            ),
            Field::new(
                "publish_separately",
                t.t("field-publish-separately"),
                FieldKind::Checkbox,
                if f.publish_minutes_separately {
                    "on"
                } else {
                    ""
                },
            ),
            Field::new(
                "overdue_days",
                t.t("field-overdue-days"),
                FieldKind::Input("number"),
                f.minutes_overdue_days
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
            )
            .hint(t.t("field-overdue-days-hint")),
            Field::new(
                "adjunct_limit",
                t.t("field-adjunct-limit"),
                FieldKind::Input("number"),
                f.adjunct_limit.map(|d| d.to_string()).unwrap_or_default(),
            )
            .hint(t.t("field-adjunct-limit-hint")),
        ],
        submit: t.t("form-save"),
        back,
    })
}

/// The group form, checked by the one input shared with the API.
async fn read_group_form(
    state: &AppState,
    visitor: &Visitor,
    org: Option<&Organization>,
    p: &Posted,
) -> Result<(OrgFields, Errors), AppError> {
    crate::orginput::OrgInput::from_form(p)
        .check(state, visitor, org, &t())
        .await
}

pub async fn group_new(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
) -> Result<Response, AppError> {
    let f = OrgFields {
        name: String::new(),
        short_name: None,
        kind: OrgKind::Samordningsgrupp,
        area: None,
        reports_to_id: None,
        status: "active".into(),
        aliases: vec![],
        liaison_ids: vec![],
        publish_minutes_separately: false,
        minutes_overdue_days: None,
        adjunct_limit: None,
    };
    render_form(
        "register",
        group_form(&state, &v, None, &f, "/grupper/ny".into(), None).await?,
    )
}

pub async fn group_create(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Form(p): Posts,
) -> Result<Response, AppError> {
    let p = Posted(p);
    let (f, e) = read_group_form(&state, &v, None, &p).await?;
    if !e.is_empty() {
        return render_form(
            "register",
            group_form(&state, &v, None, &f, "/grupper/ny".into(), None)
                .await?
                .keep_typed(&p, &["overdue_days", "adjunct_limit"])
                .with_errors(&e),
        );
    }
    let slug = state.store.create_organization(&f, &v.actor()).await?;
    Ok(see_other(&format!("/grupper/{slug}")))
}

pub async fn group_edit(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let org = state.group(&slug).await?;
    let f = state.store.org_fields(&org).await?;
    render_form(
        "register",
        group_form(
            &state,
            &v,
            Some(&org),
            &f,
            format!("/grupper/{slug}/redigera"),
            Some(org.row_version),
        )
        .await?,
    )
}

pub async fn group_save(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(slug): Path<String>,
    Form(p): Posts,
) -> Result<Response, AppError> {
    let org = state.group(&slug).await?;
    let p = Posted(p);
    let version = p.row_version()?;
    let (f, e) = read_group_form(&state, &v, Some(&org), &p).await?;
    let action = format!("/grupper/{slug}/redigera");
    if !e.is_empty() {
        return render_form(
            "register",
            group_form(&state, &v, Some(&org), &f, action, Some(version))
                .await?
                .keep_typed(&p, &["overdue_days", "adjunct_limit"])
                .with_errors(&e),
        );
    }
    match state
        .store
        .update_organization(&slug, version, &f, &v.actor())
        .await
    {
        Ok(()) => Ok(see_other(&format!("/grupper/{slug}"))),
        Err(StoreError::Stale { .. }) => {
            let saved = state.store.org_fields(&org).await?;
            let t = t();
            let orgs = state.store.organizations().await?;
            let parent = |id: Option<i64>| {
                id.and_then(|id| orgs.iter().find(|o| o.id == id))
                    .map(|o| o.name.clone())
                    .unwrap_or_default()
            };
            let rows = vec![
                (t.t("field-name"), f.name.clone(), saved.name.clone()),
                (
                    t.t("field-short-name"),
                    f.short_name.clone().unwrap_or_default(),
                    saved.short_name.clone().unwrap_or_default(),
                ),
                (
                    t.t("field-kind"),
                    kind_label(&t, f.kind),
                    kind_label(&t, saved.kind),
                ),
                (
                    t.t("field-area"),
                    f.area.clone().unwrap_or_default(),
                    saved.area.clone().unwrap_or_default(),
                ),
                (
                    t.t("field-reports-to"),
                    parent(f.reports_to_id),
                    parent(saved.reports_to_id),
                ),
                (t.t("field-status"), f.status.clone(), saved.status.clone()),
                (
                    t.t("field-aliases"),
                    f.aliases.join(", "),
                    saved.aliases.join(", "),
                ),
            ];
            conflict(org.name.clone(), rows, action)
        }
        Err(StoreError::Conflict(m)) => render_form(
            "register",
            group_form(&state, &v, Some(&org), &f, action, Some(version))
                .await?
                .with_errors(&Errors(vec![("name", m)])),
        ),
        Err(other) => Err(other.into()),
    }
}
