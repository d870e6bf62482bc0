//! The write side of the portal: groups, memberships, people, administrations,
//! with Swedish validation messages next to the fields and a conflict page when a
//! save comes from a stale form. Permission is checked by the route guard
//! (`routes.rs`) before a handler runs; handlers check only field-level rules.

use crate::forms::Form;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Extension;
use samordna_domain::policy::{Action, MembershipRole};
use samordna_domain::OrgKind;
use samordna_store::{MembershipFields, OrgFields, Organization, PersonFields, StoreError};

use crate::auth;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::forms::{looks_like_email, render_form, Errors, Field, FieldKind, FormView, Posted};
use crate::i18n::Tr;
use crate::request::Visitor;
use crate::state::AppState;
use crate::view::{kind_label, OrgLink};

use crate::forms::Posts;
use crate::i18n::current_tr as t;

#[derive(Template)]
#[template(path = "conflict.html")]
struct ConflictPage {
    c: Chrome,
    what: String,
    rows: Vec<(String, String, String)>,
    reopen: String,
}

/// 409 with both versions side by side; the first save stands.
fn conflict(
    what: String,
    rows: Vec<(String, String, String)>,
    reopen: String,
) -> Result<Response, AppError> {
    let html = ConflictPage {
        c: Chrome::new(""),
        what,
        rows,
        reopen,
    }
    .render()
    .map_err(|e| AppError::Internal(format!("template: {e}")))?;
    Ok((axum::http::StatusCode::CONFLICT, Html(html)).into_response())
}

fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

// ---------- groups ----------

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

// ---------- memberships ----------

struct MemberRow {
    id: i64,
    name: String,
    role: String,
    on_behalf_of: String,
    start: String,
    end: String,
}

#[derive(Template)]
#[template(path = "members.html")]
struct MembersPage {
    c: Chrome,
    group: OrgLink,
    can_edit: bool,
    current: Vec<MemberRow>,
    former: Vec<MemberRow>,
}

fn role_label(t: &Tr, r: MembershipRole) -> String {
    t.t(&format!("role-{}", r.as_str()))
}

pub async fn members(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let org = state.group(&slug).await?;
    let c = Chrome::new("register");
    let t = c.t;
    let today = chrono::Utc::now().date_naive();
    let (mut current, mut former) = (Vec::new(), Vec::new());
    for m in state.store.memberships(Some(org.id), None).await? {
        let row = MemberRow {
            id: m.id,
            name: m.person_name.clone(),
            role: role_label(&t, m.fields.role),
            on_behalf_of: m.on_behalf_of_name.clone().unwrap_or_default(),
            start: m.fields.start_date.to_string(),
            end: m.fields.end_date.map(|d| d.to_string()).unwrap_or_default(),
        };
        if m.is_current(today) {
            current.push(row);
        } else {
            former.push(row);
        }
    }
    let can_edit = auth::may(&state, &v, Action::EditMemberships, Some(&org)).await;
    crate::render::page(&MembersPage {
        c,
        group: OrgLink::from(&org),
        can_edit,
        current,
        former,
    })
}

async fn membership_form(
    state: &AppState,
    v: &Visitor,
    org: &Organization,
    f: Option<&MembershipFields>,
    action: String,
    row_version: Option<i64>,
    person_name: Option<&str>,
) -> Result<FormView, AppError> {
    let t = t();
    let mut people = vec![(String::new(), String::new())];
    people.extend(
        state
            .store
            .people()
            .await?
            .into_iter()
            .map(|p| (p.id.to_string(), p.fields.name)),
    );
    let mut adms = vec![(String::new(), t.t("field-administration-none"))];
    adms.extend(
        state
            .store
            .administrations()
            .await?
            .into_iter()
            .map(|a| (a.id.to_string(), a.name)),
    );
    let roles = MembershipRole::ALL
        .iter()
        .map(|r| (r.as_str().to_string(), role_label(&t, *r)))
        .collect();
    let title = match person_name {
        Some(n) => t.t1("membership-edit-title", "name", n),
        None => t.t1("membership-new-title", "name", &org.name),
    };
    let val = |g: &dyn Fn(&MembershipFields) -> String| f.map(g).unwrap_or_default();
    Ok(FormView {
        title,
        intro: None,
        action,
        csrf: v.csrf(),
        row_version,
        hidden: vec![],
        fields: vec![
            Field::new(
                "person",
                t.t("field-person"),
                FieldKind::Select(people),
                val(&|m| m.person_id.to_string()),
            )
            .required(),
            Field::new(
                "role",
                t.t("field-role"),
                FieldKind::Select(roles),
                f.map_or("deltagare".to_string(), |m| m.role.as_str().to_string()),
            ),
            Field::new(
                "on_behalf_of",
                t.t("field-on-behalf-of"),
                FieldKind::Select(adms),
                val(&|m| m.on_behalf_of_id.map(|i| i.to_string()).unwrap_or_default()),
            ),
            Field::new(
                "voting_right",
                t.t("field-voting-right"),
                FieldKind::Checkbox,
                if f.is_none_or(|m| m.voting_right) {
                    "on"
                } else {
                    ""
                },
            ),
            Field::new(
                "appointed_by",
                t.t("field-appointed-by"),
                FieldKind::Input("text"),
                val(&|m| m.appointed_by.clone().unwrap_or_default()),
            ),
            Field::new(
                "start_date",
                t.t("field-start-date"),
                FieldKind::Input("date"),
                val(&|m| m.start_date.to_string()),
            )
            .required(),
            Field::new(
                "end_date",
                t.t("field-end-date"),
                FieldKind::Input("date"),
                val(&|m| m.end_date.map(|d| d.to_string()).unwrap_or_default()),
            )
            .hint(t.t("field-end-date-hint")),
        ],
        submit: t.t("form-save"),
        back: Some((
            format!("{}/medlemmar", OrgLink::from(org).href()),
            t.t("members-crumb"),
        )),
    })
}

async fn read_membership(
    state: &AppState,
    org: &Organization,
    p: &Posted,
) -> Result<(Option<MembershipFields>, Errors), AppError> {
    let t = t();
    let mut e = Errors::default();
    let people: Vec<i64> = state.store.people().await?.iter().map(|p| p.id).collect();
    let adms: Vec<i64> = state
        .store
        .administrations()
        .await?
        .iter()
        .map(|a| a.id)
        .collect();
    let person = p.id(&t, &mut e, "person", &people);
    if person.is_none() && p.get("person").is_empty() {
        e.add(
            "person",
            t.t1(
                "error-required",
                "field",
                t.t("field-person").to_lowercase(),
            ),
        );
    }
    let role = p
        .get("role")
        .parse::<MembershipRole>()
        .map_err(|_| e.add("role", t.t("error-unknown-choice")))
        .ok();
    let on_behalf_of_id = p.id(&t, &mut e, "on_behalf_of", &adms);
    let start = p.date(&t, &mut e, "start_date");
    if p.get("start_date").is_empty() {
        e.add(
            "start_date",
            t.t1(
                "error-required",
                "field",
                t.t("field-start-date").to_lowercase(),
            ),
        );
    }
    let end = p.date(&t, &mut e, "end_date");
    if let (Some(s), Some(en)) = (start, end) {
        if en < s {
            e.add("end_date", t.t("error-end-before-start"));
        }
    }
    let fields = match (person, role, start) {
        (Some(person_id), Some(role), Some(start_date)) => Some(MembershipFields {
            person_id,
            organization_id: org.id,
            role,
            on_behalf_of_id,
            voting_right: p.checked("voting_right"),
            appointed_by: p.opt("appointed_by"),
            start_date,
            end_date: end,
        }),
        _ => None,
    };
    Ok((fields, e))
}

pub async fn membership_new(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let org = state.group(&slug).await?;
    render_form(
        "register",
        membership_form(
            &state,
            &v,
            &org,
            None,
            format!("/grupper/{slug}/medlemmar/ny"),
            None,
            None,
        )
        .await?,
    )
}

/// Re-shows a membership form with what was posted and the errors.
async fn membership_errors(
    state: &AppState,
    v: &Visitor,
    org: &Organization,
    p: &Posted,
    e: &Errors,
    action: String,
    version: Option<i64>,
) -> Result<Response, AppError> {
    let mut form = membership_form(state, v, org, None, action, version, None).await?;
    for f in &mut form.fields {
        f.value = p.get(f.name);
    }
    render_form("register", form.with_errors(e))
}

pub async fn membership_create(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(slug): Path<String>,
    Form(p): Posts,
) -> Result<Response, AppError> {
    let org = state.group(&slug).await?;
    let p = Posted(p);
    let (f, e) = read_membership(&state, &org, &p).await?;
    match f {
        Some(f) if e.is_empty() => {
            state.store.create_membership(&f, &v.actor()).await?;
            Ok(see_other(&format!("/grupper/{slug}/medlemmar")))
        }
        _ => {
            membership_errors(
                &state,
                &v,
                &org,
                &p,
                &e,
                format!("/grupper/{slug}/medlemmar/ny"),
                None,
            )
            .await
        }
    }
}

async fn membership_and_group(
    state: &AppState,
    id: &str,
) -> Result<(samordna_store::Membership, Organization), AppError> {
    let missing = || AppError::NotFound(t().t("error-not-found-page"));
    let id: i64 = id.parse().map_err(|_| missing())?;
    let m = state.store.membership(id).await?.ok_or_else(missing)?;
    let org = state
        .store
        .organization(m.fields.organization_id)
        .await?
        .ok_or_else(missing)?;
    Ok((m, org))
}

pub async fn membership_edit(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (m, org) = membership_and_group(&state, &id).await?;
    let action = format!("/medlemskap/{}/redigera", m.id);
    render_form(
        "register",
        membership_form(
            &state,
            &v,
            &org,
            Some(&m.fields),
            action,
            Some(m.row_version),
            Some(&m.person_name),
        )
        .await?,
    )
}

pub async fn membership_save(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(id): Path<String>,
    Form(p): Posts,
) -> Result<Response, AppError> {
    let (m, org) = membership_and_group(&state, &id).await?;
    let p = Posted(p);
    let version = p.row_version()?;
    let action = format!("/medlemskap/{}/redigera", m.id);
    let (f, e) = read_membership(&state, &org, &p).await?;
    let Some(f) = f.filter(|_| e.is_empty()) else {
        return membership_errors(&state, &v, &org, &p, &e, action, Some(version)).await;
    };
    match state
        .store
        .update_membership(m.id, version, &f, &v.actor())
        .await
    {
        Ok(()) => Ok(see_other(&format!(
            "{}/medlemmar",
            OrgLink::from(&org).href()
        ))),
        Err(StoreError::Stale { .. }) => {
            let saved = state
                .store
                .membership(m.id)
                .await?
                .ok_or_else(|| AppError::NotFound(String::new()))?;
            let t = t();
            let people = state.store.people().await?;
            let adms = state.store.administrations().await?;
            let person = |id: i64| {
                people
                    .iter()
                    .find(|p| p.id == id)
                    .map(|p| p.fields.name.clone())
                    .unwrap_or_default()
            };
            let adm = |id: Option<i64>| {
                id.and_then(|id| adms.iter().find(|a| a.id == id))
                    .map(|a| a.name.clone())
                    .unwrap_or_default()
            };
            let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
            let yes_no = |b: bool| {
                if b {
                    "✓".to_string()
                } else {
                    "–".to_string()
                }
            };
            let s = &saved.fields;
            let rows = vec![
                (
                    t.t("field-person"),
                    person(f.person_id),
                    person(s.person_id),
                ),
                (
                    t.t("field-role"),
                    role_label(&t, f.role),
                    role_label(&t, s.role),
                ),
                (
                    t.t("field-on-behalf-of"),
                    adm(f.on_behalf_of_id),
                    adm(s.on_behalf_of_id),
                ),
                (
                    t.t("field-voting-right"),
                    yes_no(f.voting_right),
                    yes_no(s.voting_right),
                ),
                (
                    t.t("field-appointed-by"),
                    f.appointed_by.clone().unwrap_or_default(),
                    s.appointed_by.clone().unwrap_or_default(),
                ),
                (
                    t.t("field-start-date"),
                    f.start_date.to_string(),
                    s.start_date.to_string(),
                ),
                (t.t("field-end-date"), date(f.end_date), date(s.end_date)),
            ];
            conflict(
                t.t1("membership-edit-title", "name", &m.person_name),
                rows,
                action,
            )
        }
        Err(other) => Err(other.into()),
    }
}

// ---------- people ----------

#[derive(Template)]
#[template(path = "list.html")]
struct ListPage {
    c: Chrome,
    title: String,
    add: Option<(String, String)>,
    rows: Vec<ListRow>,
}

struct ListRow {
    label: String,
    href: Option<String>,
    meta: Option<String>,
}

fn render_list(
    section: &'static str,
    title: String,
    add: Option<(String, String)>,
    rows: Vec<ListRow>,
) -> Result<Response, AppError> {
    crate::render::page(&ListPage {
        c: Chrome::new(section),
        title,
        add,
        rows,
    })
}

pub async fn people(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
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
        .await?,
    )
}

pub async fn person_create(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Form(p): Posts,
) -> Result<Response, AppError> {
    let (f, e) = read_person(&state, &Posted(p)).await?;
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
            .with_errors(&e),
        );
    }
    state.store.create_person(&f, &v.actor()).await?;
    Ok(see_other("/personer"))
}

fn parse_id(id: &str) -> Result<i64, AppError> {
    id.parse()
        .map_err(|_| AppError::NotFound(t().t("error-not-found-page")))
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

// ---------- administrations ----------

pub async fn administrations(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
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
