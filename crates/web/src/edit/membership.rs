//! Memberships: the members page, and who is a member in what role, when.

use crate::forms::Form;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::Extension;
use samordna_domain::calendar::swedish_date;
use samordna_domain::policy::{Action, MembershipRole};
use samordna_store::{MembershipFields, Organization, StoreError};

use crate::auth;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::forms::{render_form, Errors, Field, FieldKind, FormView, Posted};
use crate::i18n::Tr;
use crate::request::Visitor;
use crate::state::AppState;
use crate::view::OrgLink;

use crate::forms::Posts;
use crate::i18n::current_tr as t;

use super::{conflict, see_other};

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
    let today = swedish_date(chrono::Utc::now());
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

pub(crate) async fn read_membership(
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
        Some(f) if e.is_empty() => match state.store.create_membership(&f, &v.actor()).await {
            Ok(_) => Ok(see_other(&format!("/grupper/{slug}/medlemmar"))),
            // The person has the role from that day already (another
            // membership): said at the person, with what was typed kept.
            Err(samordna_store::StoreError::Conflict(m)) => {
                let mut e = Errors::default();
                e.add("person", m);
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
            Err(err) => Err(err.into()),
        },
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
