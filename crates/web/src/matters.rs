//! Matters (ärenden i gruppen) in the portal: the register of a group's matters
//! and the region's, filterable by kind, status, owner and due date; one matter
//! with its history (agenda items, decisions, actions, escalations and their
//! answers); opening a matter and moving it through its kind's statuses.

use crate::view::LocalTime;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use chrono::Utc;
use samordna_domain::calendar::swedish_date;
use samordna_domain::matters::{MatterKind, MatterSource, MatterStatus};
use samordna_domain::policy::Action;
use samordna_store::{
    ActionsOf, DecisionFilter, EscalationsOf, Matter, MatterFields, MatterFilter, Organization,
};
use serde::Deserialize;

use crate::auth;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::extract::Query;
use crate::forms::{Errors, Field, FieldKind, Form, FormView, Posted, Posts};
use crate::i18n::{current_tr, Tr};
use crate::paging::{Pager, Paging};
use crate::request::Visitor;
use crate::state::AppState;
use crate::view::OrgLink;

/// `?typ=&status=&ansvarig=&senast=&sida=`.
#[derive(Debug, Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    typ: String,
    #[serde(default)]
    status: String,
    /// A person id.
    #[serde(default)]
    ansvarig: String,
    /// Due on or before (a date).
    #[serde(default)]
    senast: String,
    /// `alla` shows ended matters too.
    #[serde(default)]
    visa: String,
    /// `ja`: only the visitor's own.
    #[serde(default)]
    mina: String,
    sida: Option<usize>,
}

pub fn kind_label(t: &Tr, k: MatterKind) -> String {
    t.t(&k.message_id())
}

pub fn status_label(t: &Tr, s: MatterStatus) -> String {
    t.t(&s.message_id())
}

struct Row {
    href: String,
    title: String,
    group: OrgLink,
    kind: String,
    status: String,
    owner: String,
    due: String,
    overdue: bool,
}

type Choice = (String, String, bool);

#[derive(Template)]
#[template(path = "matters.html")]
struct ListPage {
    c: Chrome,
    title: String,
    group: Option<OrgLink>,
    action: String,
    kinds: Vec<Choice>,
    statuses: Vec<Choice>,
    senast: String,
    all: bool,
    /// The visitor has a person in the register (so "mine" means something).
    can_mine: bool,
    mine: bool,
    rows: Vec<Row>,
    summary: String,
    pager: Option<Pager>,
    new_href: Option<String>,
}

use crate::forms::filter_choices as choices;

async fn list_page(
    state: &AppState,
    v: &Visitor,
    group: Option<Organization>,
    q: ListQuery,
) -> Result<Response, AppError> {
    let c = Chrome::new("matters");
    let t = c.t;
    // "Mina": the visitor's own matters.
    let mine = q.mina == "ja";
    let me = v.account().and_then(|a| a.person_id);
    let filter = MatterFilter {
        organization_id: group.as_ref().map(|g| g.id),
        kind: crate::extract::choice("typ", &q.typ)?,
        status: crate::extract::choice("status", &q.status)?,
        owner_person_id: if mine {
            Some(me.unwrap_or(-1))
        } else {
            crate::extract::choice("ansvarig", &q.ansvarig)?
        },
        due_by: crate::extract::choice("senast", &q.senast)?,
        open_only: q.visa != "alla" && q.status.is_empty(),
    };
    let total = state.store.matter_count(&filter).await? as usize;
    let paging = Paging::new(q.sida, 50, total);
    let matters = state
        .store
        .matters(&filter, paging.offset(), paging.per_page)
        .await?;
    let today = swedish_date(Utc::now());
    let show_owner = auth::may(state, v, Action::ReadPeople, group.as_ref()).await;
    let orgs = crate::view::org_links(
        &state.store,
        matters.iter().map(|m| m.fields.organization_id),
    )
    .await?;
    let mut rows = Vec::new();
    for m in matters {
        let Some(link) = orgs.get(&m.fields.organization_id).cloned() else {
            continue;
        };
        rows.push(Row {
            href: format!("/grupper/{}/grupparenden/{}", link.slug, m.id),
            title: m.fields.title.clone(),
            kind: kind_label(&t, m.fields.kind),
            status: status_label(&t, m.status),
            owner: m
                .owner_name
                .clone()
                .filter(|_| show_owner)
                .unwrap_or_else(|| "–".into()),
            due: m
                .fields
                .due_on
                .map(|d| d.to_string())
                .unwrap_or_else(|| "–".into()),
            overdue: !m.status.is_final() && m.fields.due_on.is_some_and(|d| d < today),
            group: link,
        });
    }
    let action = match &group {
        Some(g) => format!("/grupper/{}/grupparenden", g.slug),
        None => "/grupparenden".to_string(),
    };
    let base = format!(
        "{action}?typ={}&status={}&ansvarig={}&senast={}&visa={}&mina={}",
        q.typ, q.status, q.ansvarig, q.senast, q.visa, q.mina
    );
    let new_href = match &group {
        Some(g) if auth::may(state, v, Action::ManageMatters, Some(g)).await => {
            Some(format!("/grupper/{}/grupparenden/ny", g.slug))
        }
        _ => None,
    };
    let page = ListPage {
        title: match &group {
            Some(g) => t.t1("matters-group-title", "name", &g.name),
            None => t.t("matters-title"),
        },
        group: group.as_ref().map(OrgLink::from),
        kinds: choices(
            &t,
            &q.typ,
            MatterKind::ALL
                .iter()
                .map(|k| (k.as_str().to_string(), kind_label(&t, *k)))
                .collect(),
        ),
        statuses: choices(
            &t,
            &q.status,
            MatterStatus::ALL
                .iter()
                .map(|s| (s.as_str().to_string(), status_label(&t, *s)))
                .collect(),
        ),
        senast: q.senast.clone(),
        all: q.visa == "alla",
        can_mine: me.is_some(),
        mine,
        summary: t.n1("matters-count", "count", total as i64),
        pager: paging.pager(&t, &base),
        rows,
        action,
        new_href,
        c,
    };
    crate::render::page(&page)
}

/// `GET /grupparenden`: the region's matters.
pub async fn region(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    list_page(&state, &v, None, q).await
}

/// `GET /grupper/{slug}/grupparenden`: a group's matters.
pub async fn group(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(slug): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let org = state.group(&slug).await?;
    list_page(&state, &v, Some(org), q).await
}

#[derive(Default)]
struct Typed {
    kind: String,
    title: String,
    description: String,
    source: String,
    owner: String,
    due: String,
}

async fn new_form(
    state: &AppState,
    v: &Visitor,
    org: &Organization,
    typed: &Typed,
    errors: &Errors,
) -> Result<Response, AppError> {
    let c = Chrome::new("matters");
    let t = c.t;
    let today = swedish_date(Utc::now());
    let mut owners = vec![(String::new(), t.t("matter-no-owner"))];
    let mut people: Vec<(String, String)> = state
        .store
        .memberships(Some(org.id), None)
        .await?
        .into_iter()
        .filter(|m| m.is_current(today))
        .map(|m| (m.fields.person_id.to_string(), m.person_name))
        .collect();
    samordna_domain::collation::sort_by(&mut people, |p| &p.1);
    people.dedup_by(|a, b| a.0 == b.0);
    owners.extend(people);
    let mut kinds = vec![(String::new(), t.t("matter-choose-kind"))];
    kinds.extend(
        MatterKind::ALL
            .iter()
            .map(|k| (k.as_str().to_string(), kind_label(&t, *k))),
    );
    let sources: Vec<(String, String)> = MatterSource::ALL
        .iter()
        .map(|s| (s.as_str().to_string(), t.t(&s.message_id())))
        .collect();
    let f = FormView {
        title: t.t1("matter-new-title", "name", &org.name),
        intro: Some(t.t("matter-new-intro")),
        action: format!("/grupper/{}/grupparenden/ny", org.slug),
        csrf: v.csrf(),
        row_version: None,
        hidden: vec![],
        fields: vec![
            Field::new(
                "kind",
                t.t("matter-kind"),
                FieldKind::Select(kinds),
                &typed.kind,
            ),
            Field::new(
                "title",
                t.t("matter-title"),
                FieldKind::Input("text"),
                &typed.title,
            )
            .required(),
            Field::new(
                "description",
                t.t("matter-description"),
                FieldKind::Textarea,
                &typed.description,
            ),
            Field::new(
                "source",
                t.t("matter-source"),
                FieldKind::Select(sources),
                if typed.source.is_empty() {
                    "own_initiative"
                } else {
                    &typed.source
                },
            ),
            Field::new(
                "owner",
                t.t("matter-owner"),
                FieldKind::Select(owners),
                &typed.owner,
            ),
            Field::new(
                "due",
                t.t("matter-due"),
                FieldKind::Input("date"),
                &typed.due,
            )
            .hint(t.t("matter-due-hint")),
        ],
        submit: t.t("matter-save"),
        back: Some((
            format!("/grupper/{}/grupparenden", org.slug),
            t.t1("matters-group-title", "name", &org.name),
        )),
    }
    .with_errors(errors);
    crate::forms::render_form(c.section, f)
}

/// `GET /grupper/{slug}/grupparenden/ny`.
pub async fn new(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let org = state.group(&slug).await?;
    new_form(&state, &v, &org, &Typed::default(), &Errors::default()).await
}

/// `POST /grupper/{slug}/grupparenden/ny`: opens the matter.
pub async fn create(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(slug): Path<String>,
    Form(p): Posts,
) -> Result<Response, AppError> {
    let org = state.group(&slug).await?;
    let t = current_tr();
    let p = Posted(p);
    let typed = Typed {
        kind: p.get("kind"),
        title: p.get("title").trim().to_string(),
        description: p.get("description").trim().to_string(),
        source: p.get("source"),
        owner: p.get("owner"),
        due: p.get("due"),
    };
    let mut e = Errors::default();
    let kind = typed.kind.parse::<MatterKind>().ok();
    if kind.is_none() {
        e.add("kind", t.t("error-matter-kind"));
    }
    if typed.title.is_empty() {
        e.add(
            "title",
            t.t1("error-required", "field", t.t("matter-title")),
        );
    } else if !samordna_domain::matters::fits(&typed.title, samordna_domain::matters::TITLE_MAX) {
        e.add("title", t.t("error-too-long"));
    }
    if !samordna_domain::matters::fits(&typed.description, samordna_domain::matters::TEXT_MAX) {
        e.add("description", t.t("error-too-long"));
    }
    let source = match typed.source.as_str() {
        "" => MatterSource::OwnInitiative,
        x => x.parse::<MatterSource>().unwrap_or_else(|_| {
            e.add("source", t.t("error-unknown-choice"));
            MatterSource::OwnInitiative
        }),
    };
    let due = p.date(&t, &mut e, "due");
    if due.is_some_and(|d| d < swedish_date(Utc::now())) {
        e.add("due", t.t("error-due-past"));
    }
    let owner = match typed.owner.as_str() {
        "" => None,
        x => {
            let pid: Option<i64> = x.parse().ok();
            let member = match pid {
                Some(pid) => state.is_current_member(org.id, pid).await?,
                None => false,
            };
            if !member {
                e.add("owner", t.t("error-action-owner"));
            }
            pid
        }
    };
    let Some(kind) = kind.filter(|_| e.is_empty()) else {
        return new_form(&state, &v, &org, &typed, &e).await;
    };
    let made = state
        .store
        .create_matter(
            &MatterFields {
                organization_id: org.id,
                kind,
                title: typed.title.clone(),
                description: (!typed.description.is_empty()).then(|| typed.description.clone()),
                source,
                owner_person_id: owner,
                due_on: due,
            },
            &v.actor(),
        )
        .await;
    let id = match made {
        Ok(id) => id,
        // Another open matter of this kind has the title: said at the title.
        Err(samordna_store::StoreError::Conflict(m)) => {
            e.add("title", m);
            return new_form(&state, &v, &org, &typed, &e).await;
        }
        Err(err) => return Err(err.into()),
    };
    Ok(Redirect::to(&format!("/grupper/{slug}/grupparenden/{id}")).into_response())
}

/// One line of a matter's history.
struct Event {
    date: String,
    what: String,
    href: Option<String>,
    text: String,
}

#[derive(Template)]
#[template(path = "matter.html")]
struct MatterPage {
    c: Chrome,
    group: OrgLink,
    m: Matter,
    kind: String,
    status: String,
    source: String,
    due: String,
    /// (value, label) of the statuses it may move to.
    moves: Vec<(String, String)>,
    history: Vec<Event>,
    can_manage: bool,
    csrf: String,
    /// Owners' names only for who may read people.
    show_owner: bool,
    /// What went wrong with the visitor's last step.
    error: Option<String>,
}

async fn matter_of(
    state: &AppState,
    slug: &str,
    id: &str,
) -> Result<(Organization, Matter), AppError> {
    let org = state.group(slug).await?;
    let missing = || AppError::NotFound(current_tr().t("error-no-matter"));
    let id: i64 = id.parse().map_err(|_| missing())?;
    let m = state
        .store
        .matter(id)
        .await?
        .filter(|m| m.fields.organization_id == org.id)
        .ok_or_else(missing)?;
    Ok((org, m))
}

/// `GET /grupper/{slug}/grupparenden/{id}`.
pub async fn show(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    matter_page(&state, &v, &slug, &id, None).await
}

/// The matter's page; with `error`, a 422 that says what went wrong.
async fn matter_page(
    state: &AppState,
    v: &Visitor,
    slug: &str,
    id: &str,
    error: Option<String>,
) -> Result<Response, AppError> {
    let (state, v, slug) = (state.clone(), v.clone(), slug.to_string());
    let (org, m) = matter_of(&state, &slug, id).await?;
    let c = Chrome::new("matters");
    let t = c.t;
    let internal = auth::may(&state, &v, Action::ReadGroupInternal, Some(&org)).await;
    let mut history = Vec::new();
    let show_owner = auth::may(&state, &v, Action::ReadPeople, Some(&org)).await;
    for (meeting, at, title, notes) in state.store.matter_agenda_items(m.id).await? {
        // What was said under an item is the minutes': the group's until published.
        let notes = notes.filter(|_| internal);
        history.push(Event {
            date: at.local_date(),
            what: t.t("matter-event-agenda"),
            href: Some(format!("/moten/{meeting}")),
            text: match notes {
                Some(n) => format!("{title}: {n}"),
                None => title,
            },
        });
    }
    for d in state
        .store
        .decisions(&DecisionFilter {
            matter_id: Some(m.id),
            published_only: !internal,
            ..Default::default()
        })
        .await?
    {
        history.push(Event {
            date: d.decided_on.to_string(),
            what: t.t1("matter-event-decision", "label", d.label()),
            href: Some(format!("/grupper/{slug}/beslut/{}", d.id)),
            text: d.text.clone(),
        });
    }
    let actions = if internal {
        state.store.actions(ActionsOf::Matter(m.id)).await?
    } else {
        Vec::new()
    };
    for a in actions {
        history.push(Event {
            date: a.fields.due_on.map(|d| d.to_string()).unwrap_or_default(),
            what: t.t1("matter-event-action", "status", t.t(&a.status.message_id())),
            href: None,
            text: match &a.owner_name {
                Some(o) => format!("{} ({o})", a.fields.title),
                None => a.fields.title.clone(),
            },
        });
    }
    for e in state.store.escalations(EscalationsOf::Matter(m.id)).await? {
        let date = e.created_at.local_date();
        let to = e
            .target_organization
            .clone()
            .or(e.target_person.clone())
            .unwrap_or_else(|| crate::decisions::target_label(&t, e.fields.target));
        history.push(Event {
            date,
            what: t.t1("matter-event-escalation", "target", to),
            href: None,
            text: e.fields.question.clone(),
        });
        if let (Some(answer), Some(at)) = (e.answer, e.answered_at) {
            history.push(Event {
                date: at.local_date(),
                what: t.t("matter-event-answer"),
                href: None,
                text: answer,
            });
        }
    }
    history.sort_by(|a, b| a.date.cmp(&b.date));
    let moves = m
        .fields
        .kind
        .statuses()
        .iter()
        .filter(|s| m.fields.kind.may_move(m.status, **s))
        .map(|s| (s.as_str().to_string(), status_label(&t, *s)))
        .collect();
    let page = MatterPage {
        group: OrgLink::from(&org),
        kind: kind_label(&t, m.fields.kind),
        status: status_label(&t, m.status),
        source: t.t(&m.fields.source.message_id()),
        due: m
            .fields
            .due_on
            .map(|d| d.to_string())
            .unwrap_or_else(|| "–".into()),
        moves,
        history,
        can_manage: auth::may(&state, &v, Action::ManageMatters, Some(&org)).await,
        csrf: v.csrf(),
        show_owner,
        error: error.clone(),
        m,
        c,
    };
    let refused = error.clone();
    crate::render::page_after_form(&page, refused)
}

/// `POST /grupper/{slug}/grupparenden/{id}/status`: moves the matter (`status`,
/// `row_version`).
pub async fn move_status(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path((slug, id)): Path<(String, String)>,
    Form(p): Posts,
) -> Result<Response, AppError> {
    let (_, m) = matter_of(&state, &slug, &id).await?;
    let t = current_tr();
    let p = Posted(p);
    let Some(to) = p
        .get("status")
        .parse::<MatterStatus>()
        .ok()
        .filter(|to| *to == m.status || m.fields.kind.may_move(m.status, *to))
    else {
        let why = t.args(
            "error-matter-move",
            &[
                ("from", crate::i18n::Arg::Text(status_label(&t, m.status))),
                (
                    "kind",
                    crate::i18n::Arg::Text(kind_label(&t, m.fields.kind)),
                ),
            ],
        );
        return matter_page(&state, &v, &slug, &id, Some(why)).await;
    };
    let version = p.row_version()?;
    if version != m.row_version && to != m.status {
        return matter_page(&state, &v, &slug, &id, Some(t.t("error-matter-stale"))).await;
    }
    state
        .store
        .move_matter(m.id, version, to, &v.actor())
        .await?;
    Ok(Redirect::to(&format!("/grupper/{slug}/grupparenden/{}", m.id)).into_response())
}
