//! Charter drafts in the portal (issue 13): a coordinator starts a revision from
//! the version in force, edits the title and each section, sees what changed,
//! submits it; the director decides it, and it is the version in force.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use chrono::Utc;
use samordna_domain::calendar::swedish_date;
use samordna_domain::diff::Piece;
use samordna_domain::parse::NameAndTitle;
use samordna_domain::policy::Action;
use samordna_domain::templates::{self, SectionStatus};
use samordna_store::{Draft, DraftStatus, Organization};

use crate::auth;
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::forms::{Errors, Form, Posted, Posts};
use crate::i18n::current_tr;
use crate::request::Visitor;
use crate::state::AppState;
use crate::view::{LocalTime, OrgLink};

/// A section of the draft: heading, body as edited, and what changed.
struct SectionRow {
    index: usize,
    heading: String,
    body: String,
    changed: bool,
    pieces: Vec<Piece>,
}

#[derive(Template)]
#[template(path = "draft.html")]
struct DraftPage {
    c: Chrome,
    group: OrgLink,
    id: i64,
    title: String,
    status: String,
    editable: bool,
    can_edit: bool,
    can_decide: bool,
    submitted: bool,
    row_version: i64,
    base_version: Option<i64>,
    sections: Vec<SectionRow>,
    csrf: String,
    today: String,
    /// The decision form's values: as typed after a refusal, else today and
    /// the signed-in director.
    decide_date: String,
    decider: String,
    decider_title: String,
    /// The version a decided draft became.
    decided_href: Option<String>,
    error: Option<String>,
    /// The comments, oldest first: (author, when, section, text).
    comments: Vec<(String, String, String, String)>,
    /// Comments may be added (the draft is open).
    can_comment: bool,
    /// The section headings to choose from for a comment.
    headings: Vec<String>,
    /// A refused comment as typed, to fill the form again.
    comment_typed: String,
}

/// What a refused form held, to fill it again: a comment, or the decision's
/// date, maker and title.
#[derive(Default)]
struct Typed {
    comment: String,
    date: Option<String>,
    name: Option<String>,
    title: Option<String>,
}

async fn draft_of(
    state: &AppState,
    slug: &str,
    id: &str,
) -> Result<(Organization, Draft), AppError> {
    let org = state.group(slug).await?;
    let missing = || AppError::NotFound(current_tr().t("error-no-draft"));
    let id: i64 = id.parse().map_err(|_| missing())?;
    let d = state
        .store
        .draft(id)
        .await?
        .filter(|d| d.organization_id == org.id)
        .ok_or_else(missing)?;
    Ok((org, d))
}

async fn page(
    state: &AppState,
    v: &Visitor,
    slug: &str,
    id: &str,
    error: Option<String>,
    typed: &Typed,
) -> Result<Response, AppError> {
    let (org, d) = draft_of(state, slug, id).await?;
    let c = Chrome::new("register");
    let t = c.t;
    // What changed against the version revised.
    let base = match d.base_version {
        Some(b) => state
            .store
            .charter_document(org.id, b)
            .await?
            .map(|x| x.content),
        None => None,
    };
    let changes = base
        .as_ref()
        .map(|b| templates::compare_sections(b, &d.content, false))
        .unwrap_or_default();
    let sections = d
        .content
        .sections
        .iter()
        .enumerate()
        .map(|(index, s)| {
            let change = changes.iter().find(|x| x.heading == s.heading);
            let (changed, pieces) = match change.map(|x| &x.status) {
                Some(SectionStatus::Deviates { pieces, .. }) => (true, pieces.clone()),
                Some(SectionStatus::Spelling { .. }) | Some(SectionStatus::Extra) => {
                    (true, Vec::new())
                }
                None if base.is_some() => (true, Vec::new()),
                _ => (false, Vec::new()),
            };
            SectionRow {
                index,
                heading: s.heading.clone(),
                body: samordna_domain::drafts::section_body(s),
                changed,
                pieces,
            }
        })
        .collect();
    let can_edit = auth::may(state, v, Action::EditGroup, Some(&org)).await;
    let can_decide = auth::may(state, v, Action::DecideCharter, Some(&org)).await;
    let comments = state
        .store
        .draft_comments(d.id)
        .await?
        .into_iter()
        .map(|x| {
            (
                x.author_name,
                x.created_at.local_time(),
                x.section.unwrap_or_default(),
                x.body,
            )
        })
        .collect();
    let page = DraftPage {
        comments,
        can_comment: matches!(d.status, DraftStatus::Draft | DraftStatus::Submitted),
        headings: d
            .content
            .sections
            .iter()
            .map(|s| s.heading.clone())
            .collect(),
        comment_typed: typed.comment.clone(),
        group: OrgLink::from(&org),
        id: d.id,
        title: d.content.title.clone(),
        status: t.t(&format!("draft-status-{}", d.status.as_str())),
        editable: d.status == DraftStatus::Draft,
        submitted: d.status == DraftStatus::Submitted,
        can_edit,
        can_decide,
        row_version: d.row_version,
        base_version: d.base_version,
        sections,
        csrf: v.csrf(),
        today: swedish_date(Utc::now()).to_string(),
        decide_date: typed
            .date
            .clone()
            .unwrap_or_else(|| swedish_date(Utc::now()).to_string()),
        decider: typed
            .name
            .clone()
            .unwrap_or_else(|| v.account().map(|a| a.name.clone()).unwrap_or_default()),
        decider_title: typed.title.clone().unwrap_or_default(),
        decided_href: d
            .decided_version
            .map(|n| format!("/grupper/{}/uppdragshandlingar/{n}", org.slug)),
        error: error.clone(),
        c,
    };
    let refused = error.clone();
    crate::render::page_after_form(&page, refused)
}

/// `POST /grupper/{slug}/utkast`: a revision of the version in force (or, with
/// none, a new charter from the template of the group's kind); the group's open
/// draft if it has one.
pub async fn start(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(slug): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let org = state.group(&slug).await?;
    if let Some(d) = state.store.open_draft(org.id).await? {
        return Ok(Redirect::to(&format!("/grupper/{slug}/utkast/{}", d.id)).into_response());
    }
    let from_template = form.iter().any(|(k, v)| k == "fran" && v == "mall");
    let versions = state.store.charter_versions(Some(org.id)).await?;
    let base =
        samordna_store::in_force(&versions).or_else(|| versions.iter().max_by_key(|x| x.version));
    let (content, base_version, template) = match base {
        // A revision from the template of the group's kind, compared with the
        // version it replaces; the group's case (diarienummer) carries over.
        Some(b) if from_template => {
            let doc = state
                .store
                .charter_document(org.id, b.version)
                .await?
                .ok_or_else(|| AppError::Internal("versionen saknar innehåll".into()))?;
            let t = samordna_domain::templates::template_for(&doc.content)
                .ok_or_else(|| AppError::Conflict(current_tr().t("error-no-template")))?;
            let area = samordna_domain::templates::area_of(&doc.content);
            let mut fresh = t
                .instantiate(&area)
                .map_err(|e| AppError::Internal(e.to_string()))?;
            fresh.registry_number = doc
                .content
                .registry_number
                .clone()
                .or(fresh.registry_number);
            fresh.date = None;
            (
                samordna_domain::drafts::revision_of(&fresh),
                Some(b.version),
                Some(t.id),
            )
        }
        Some(b) => {
            let doc = state
                .store
                .charter_document(org.id, b.version)
                .await?
                .ok_or_else(|| AppError::Internal("versionen saknar innehåll".into()))?;
            (
                samordna_domain::drafts::revision_of(&doc.content),
                Some(b.version),
                None,
            )
        }
        None => {
            let t = samordna_domain::templates::TEMPLATES
                .iter()
                .find(|t| t.kind == org.kind)
                .ok_or_else(|| AppError::Conflict(current_tr().t("error-no-template")))?;
            let area = org.area.clone().unwrap_or_else(|| org.name.to_lowercase());
            let doc = t
                .instantiate(&area)
                .map_err(|e| AppError::Internal(e.to_string()))?;
            (samordna_domain::drafts::revision_of(&doc), None, Some(t.id))
        }
    };
    let id = state
        .store
        .start_draft(org.id, base_version, template, &content, &v.actor())
        .await?;
    Ok(Redirect::to(&format!("/grupper/{slug}/utkast/{id}")).into_response())
}

/// `GET /grupper/{slug}/utkast/{id}`.
pub async fn show(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    page(&state, &v, &slug, &id, None, &Typed::default()).await
}

/// `POST /grupper/{slug}/utkast/{id}/spara`: `title`, `section-N` bodies, `row_version`.
pub async fn save(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path((slug, id)): Path<(String, String)>,
    Form(p): Posts,
) -> Result<Response, AppError> {
    let (_, d) = draft_of(&state, &slug, &id).await?;
    let t = current_tr();
    let p = Posted(p);
    let version = p.row_version()?;
    if let Some(why) = not_editable(&d) {
        return page(&state, &v, &slug, &id, Some(why), &Typed::default()).await;
    }
    if version != d.row_version {
        return stale(&state, &v, &slug, &id, &Typed::default()).await;
    }
    let title = p.get("title").trim().to_string();
    if title.is_empty() {
        let why = t.t1("error-required", "field", t.t("draft-title"));
        return page(&state, &v, &slug, &id, Some(why), &Typed::default()).await;
    }
    let bodies: Vec<(String, String)> = d
        .content
        .sections
        .iter()
        .enumerate()
        // A field sent empty empties its section; one not sent leaves it.
        .filter_map(|(i, s)| {
            let name = format!("section-{i}");
            p.0.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, b)| (s.heading.clone(), b.clone()))
        })
        .collect();
    if bodies
        .iter()
        .any(|(_, b)| !samordna_domain::matters::fits(b, 4 * samordna_domain::matters::TEXT_MAX))
    {
        return page(
            &state,
            &v,
            &slug,
            &id,
            Some(t.t("error-too-long")),
            &Typed::default(),
        )
        .await;
    }
    let content = match samordna_domain::drafts::apply_edits(&d.content, &title, &bodies) {
        Ok(c) => c,
        Err(e) => {
            return page(
                &state,
                &v,
                &slug,
                &id,
                Some(t.t1("error-draft-unreadable", "detail", e)),
                &Typed::default(),
            )
            .await
        }
    };
    state
        .store
        .save_draft(d.id, version, &content, &v.actor())
        .await?;
    Ok(Redirect::to(&format!("/grupper/{slug}/utkast/{}", d.id)).into_response())
}

/// `POST /grupper/{slug}/utkast/{id}/skicka`: submitted for decision.
pub async fn submit(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path((slug, id)): Path<(String, String)>,
    Form(p): Posts,
) -> Result<Response, AppError> {
    let (org, d) = draft_of(&state, &slug, &id).await?;
    let version = Posted(p).row_version()?;
    let here = format!("/grupper/{slug}/utkast/{}", d.id);
    // Sent twice (a double click, the back button): it is where it was meant to be.
    match d.status {
        DraftStatus::Submitted => return Ok(Redirect::to(&here).into_response()),
        DraftStatus::Draft => {}
        _ => {
            let why = not_editable(&d).unwrap_or_default();
            return page(&state, &v, &slug, &id, Some(why), &Typed::default()).await;
        }
    }
    if let Some(why) = unchanged(&state, &org, &d).await? {
        return page(&state, &v, &slug, &id, Some(why), &Typed::default()).await;
    }
    if version != d.row_version {
        return stale(&state, &v, &slug, &id, &Typed::default()).await;
    }
    state.store.submit_draft(d.id, version, &v.actor()).await?;
    Ok(Redirect::to(&here).into_response())
}

/// `POST /grupper/{slug}/utkast/{id}/ateroppna`: a submitted draft back to the
/// group for more work (the coordinator withdraws it, or the director sends it
/// back); once more is harmless.
pub async fn reopen(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path((slug, id)): Path<(String, String)>,
    Form(p): Posts,
) -> Result<Response, AppError> {
    let (_, d) = draft_of(&state, &slug, &id).await?;
    let version = Posted(p).row_version()?;
    let here = format!("/grupper/{slug}/utkast/{}", d.id);
    match d.status {
        DraftStatus::Draft => return Ok(Redirect::to(&here).into_response()),
        DraftStatus::Submitted => {}
        _ => {
            let why = not_editable(&d).unwrap_or_default();
            return page(&state, &v, &slug, &id, Some(why), &Typed::default()).await;
        }
    }
    if version != d.row_version {
        return stale(&state, &v, &slug, &id, &Typed::default()).await;
    }
    state.store.reopen_draft(d.id, version, &v.actor()).await?;
    Ok(Redirect::to(&here).into_response())
}

/// Why a draft can no longer be edited, if it cannot.
fn not_editable(d: &Draft) -> Option<String> {
    let t = current_tr();
    match d.status {
        DraftStatus::Draft => None,
        DraftStatus::Submitted => Some(t.t("error-draft-submitted")),
        DraftStatus::Decided => Some(t.t("error-draft-decided")),
        DraftStatus::Withdrawn => Some(t.t("error-draft-withdrawn")),
    }
}

/// Why a draft may not go to decision: it says exactly what the version it
/// revises says.
async fn unchanged(
    state: &AppState,
    org: &Organization,
    d: &Draft,
) -> Result<Option<String>, AppError> {
    let Some(b) = d.base_version else {
        return Ok(None);
    };
    let Some(base) = state.store.charter_document(org.id, b).await? else {
        return Ok(None);
    };
    let same = samordna_domain::drafts::same_text(&base.content, &d.content);
    Ok(same.then(|| current_tr().t1("error-draft-unchanged", "version", b)))
}

/// `POST /grupper/{slug}/utkast/{id}/besluta`: the director decides (`date`,
/// `name`, `title`); the decided version is in force and is sent to its
/// distribution list through the mail queue.
pub async fn decide(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path((slug, id)): Path<(String, String)>,
    Form(p): Posts,
) -> Result<Response, AppError> {
    let (org, d) = draft_of(&state, &slug, &id).await?;
    let t = current_tr();
    let p = Posted(p);
    let version = p.row_version()?;
    // Decided twice (a double click): the version it became.
    if let (DraftStatus::Decided, Some(n)) = (d.status, d.decided_version) {
        return Ok(
            Redirect::to(&format!("/grupper/{slug}/uppdragshandlingar/{n}")).into_response(),
        );
    }
    if d.status != DraftStatus::Submitted {
        let why = t.t("error-draft-not-submitted");
        return page(&state, &v, &slug, &id, Some(why), &Typed::default()).await;
    }
    let typed = Typed {
        date: Some(p.get("date").trim().to_string()),
        name: Some(p.get("name").trim().to_string()),
        title: Some(p.get("title").trim().to_string()),
        ..Default::default()
    };
    let mut e = Errors::default();
    let date = p.date(&t, &mut e, "date");
    let name = p.get("name").trim().to_string();
    let Some(date) = date.filter(|d| *d <= swedish_date(Utc::now())) else {
        return page(
            &state,
            &v,
            &slug,
            &id,
            Some(t.t("error-decision-date")),
            &typed,
        )
        .await;
    };
    if name.is_empty() {
        let why = t.t1("error-required", "field", t.t("draft-decider"));
        return page(&state, &v, &slug, &id, Some(why), &typed).await;
    }
    if let Some(why) = unchanged(&state, &org, &d).await? {
        return page(&state, &v, &slug, &id, Some(why), &typed).await;
    }
    if version != d.row_version {
        return stale(&state, &v, &slug, &id, &typed).await;
    }
    let by = NameAndTitle {
        name,
        title: p.opt("title").map(|x| x.trim().to_string()),
    };
    let decided = match state
        .store
        .decide_draft(d.id, version, date, by, &v.actor())
        .await
    {
        Ok(n) => n,
        // Another director decided it (or the draft was taken back) at the same
        // moment: the version it became, or the page saying what happened.
        Err(
            e
            @ (samordna_store::StoreError::Stale { .. } | samordna_store::StoreError::Conflict(_)),
        ) => {
            let now = state.store.draft(d.id).await?;
            if let Some(n) = now
                .filter(|x| x.status == DraftStatus::Decided)
                .and_then(|x| x.decided_version)
            {
                return Ok(
                    Redirect::to(&format!("/grupper/{slug}/uppdragshandlingar/{n}"))
                        .into_response(),
                );
            }
            if let samordna_store::StoreError::Conflict(_) = e {
                return Err(e.into());
            }
            return stale(&state, &v, &slug, &id, &typed).await;
        }
        Err(e) => return Err(e.into()),
    };
    // On decision the charter goes to its distribution list (issue 13, item 5).
    state
        .store
        .distribute_charter(d.organization_id, decided, &v.actor())
        .await?;
    Ok(Redirect::to(&format!("/grupper/{slug}/uppdragshandlingar/{decided}")).into_response())
}

/// `POST /grupper/{slug}/utkast/{id}/kommentera`: a comment on an open draft, by
/// anyone who may read it; empty or on a closed draft, the page again with why
/// (and the comment as typed).
pub async fn comment(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path((slug, id)): Path<(String, String)>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (_, d) = draft_of(&state, &slug, &id).await?;
    let t = current_tr();
    let field = |k: &str| {
        form.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| samordna_domain::normalize::text(v))
            .unwrap_or_default()
    };
    let body = field("kommentar");
    let section = field("avsnitt");
    let section = d
        .content
        .sections
        .iter()
        .find(|s| s.heading == section)
        .map(|s| s.heading.clone());
    if body.trim().is_empty() {
        return page(
            &state,
            &v,
            &slug,
            &id,
            Some(t.t("draft-comment-empty")),
            &Typed {
                comment: body.clone(),
                ..Default::default()
            },
        )
        .await;
    }
    if body.chars().count() > 5000 {
        return page(
            &state,
            &v,
            &slug,
            &id,
            Some(t.t("error-too-long")),
            &Typed {
                comment: body.clone(),
                ..Default::default()
            },
        )
        .await;
    }
    let name = v
        .account()
        .map(|a| a.name.clone())
        .unwrap_or_else(|| v.actor());
    match state
        .store
        .add_draft_comment(d.id, section.as_deref(), &body, &v.actor(), &name)
        .await
    {
        Ok(_) => Ok(
            Redirect::to(&format!("/grupper/{slug}/utkast/{}#kommentarer", d.id)).into_response(),
        ),
        Err(samordna_store::StoreError::Conflict(_)) => {
            page(
                &state,
                &v,
                &slug,
                &id,
                Some(t.t("draft-comment-closed")),
                &Typed {
                    comment: body.clone(),
                    ..Default::default()
                },
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// The draft page after a stale write: 409 Conflict, with the draft as it now
/// is and why (someone else acted first).
async fn stale(
    state: &AppState,
    v: &Visitor,
    slug: &str,
    id: &str,
    typed: &Typed,
) -> Result<Response, AppError> {
    let why = current_tr().t("error-draft-stale");
    let mut r = page(state, v, slug, id, Some(why), typed).await?;
    *r.status_mut() = axum::http::StatusCode::CONFLICT;
    Ok(r)
}
