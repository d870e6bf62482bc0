//! The read-only JSON API under `/api/v1`. Same data as the pages; errors are JSON
//! objects `{"error": {"status": 404, "message": "…"}}`.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Json};
use samordna_store::{in_force, CharterVersion, Organization};
use serde::Serialize;
use serde_json::{json, Value};

use crate::error::ApiError;
use crate::view::{CaseView, CharterState, OrgLink, Snapshot};
use crate::{AppError, AppState};

#[derive(Serialize)]
struct OrgSummary {
    slug: String,
    name: String,
    short_name: Option<String>,
    kind: samordna_domain::OrgKind,
    area: Option<String>,
    status: String,
    placeholder: bool,
    reports_to: Option<String>,
    charter: CharterState,
    url: String,
    web_url: String,
}

fn summary(snap: &Snapshot, o: &Organization) -> OrgSummary {
    OrgSummary {
        slug: o.slug.clone(),
        name: o.name.clone(),
        short_name: o.short_name.clone(),
        kind: o.kind,
        area: o.area.clone(),
        status: o.status.clone(),
        placeholder: o.placeholder,
        reports_to: o
            .reports_to_id
            .and_then(|id| snap.get(id))
            .map(|p| p.slug.clone()),
        charter: snap.charter_state(o.id),
        url: format!("/api/v1/organizations/{}", o.slug),
        web_url: OrgLink::from(o).href(),
    }
}

fn version_json(slug: &str, v: &CharterVersion) -> Value {
    json!({
        "version": v.version,
        "title": v.title,
        "document_kind": v.document_kind,
        "revision": v.revision,
        "registry_number": v.registry_number,
        "date": v.document_date,
        "status": v.status,
        "decision_date": v.decision_date,
        "decided_by": v.decided_by_name.as_ref().map(|n| json!({"name": n, "title": v.decided_by_title})),
        "source_name": v.source_name,
        "source_sha256": v.source_sha256,
        "imported_at": v.imported_at,
        "url": format!("/api/v1/organizations/{slug}/charters/{}", v.version),
        "web_url": format!("/grupper/{slug}/uppdragshandlingar/{}", v.version),
    })
}

pub async fn organizations(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let snap = Snapshot::load(&state.store).await?;
    let data: Vec<OrgSummary> = snap.current().map(|o| summary(&snap, o)).collect();
    Ok(Json(json!({ "data": data, "count": data.len() })))
}

fn find<'a>(snap: &'a Snapshot, slug: &str) -> Result<&'a Organization, ApiError> {
    snap.by_slug(slug).ok_or_else(|| {
        ApiError(AppError::NotFound(format!(
            "Det finns ingen grupp med adressen {slug}."
        )))
    })
}

pub async fn organization(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response, ApiError> {
    let snap = Snapshot::load(&state.store).await?;
    let o = find(&snap, &slug)?;
    if let Some(into) = o.merged_into_id.and_then(|id| snap.get(id)) {
        return Ok(
            Redirect::permanent(&format!("/api/v1/organizations/{}", into.slug)).into_response(),
        );
    }
    let versions: Vec<Value> = snap
        .versions_of(o.id)
        .iter()
        .map(|v| version_json(&o.slug, v))
        .collect();
    let body = json!({
        "organization": summary(&snap, o),
        "aliases": snap.aliases.get(&o.id).cloned().unwrap_or_default(),
        "children": snap.children(o.id).into_iter().map(OrgLink::from).collect::<Vec<_>>(),
        "liaisons": snap.liaisons_of(o.id),
        "liaison_of": snap.liaison_of(o.id),
        "charters": versions,
        "charter_in_force": in_force(snap.versions_of(o.id)).map(|v| v.version),
    });
    Ok(Json(body).into_response())
}

pub async fn charters(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let snap = Snapshot::load(&state.store).await?;
    let o = find(&snap, &slug)?;
    let data: Vec<Value> = snap
        .versions_of(o.id)
        .iter()
        .map(|v| version_json(&o.slug, v))
        .collect();
    Ok(Json(json!({ "data": data, "count": data.len() })))
}

pub async fn charter(
    State(state): State<AppState>,
    Path((slug, version)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let number: i64 = version.parse().map_err(|_| {
        AppError::BadRequest(format!(
            "Versionen måste vara ett heltal, inte {version:?}."
        ))
    })?;
    let o = state
        .store
        .organization_by_slug(&slug)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("Det finns ingen grupp med adressen {slug}.")))?;
    let doc = state
        .store
        .charter_document(o.id, number)
        .await?
        .ok_or_else(|| {
            AppError::NotFound(format!(
                "{} har ingen version {number} av uppdragshandlingen.",
                o.name
            ))
        })?;
    let mut body = version_json(&o.slug, &doc.meta);
    body["organization"] = json!(OrgLink::from(&o));
    body["content"] =
        serde_json::to_value(&doc.content).map_err(|e| AppError::Internal(e.to_string()))?;
    body["source_url"] = json!(format!(
        "/grupper/{}/uppdragshandlingar/{number}/kalla",
        o.slug
    ));
    Ok(Json(body))
}

pub async fn cases(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    let versions = state.store.charter_versions(None).await?;
    let data: Vec<Value> = state
        .store
        .cases()
        .await?
        .into_iter()
        .map(|c| {
            json!({
                "registry_number": c.registry_number,
                "slug": c.slug(),
                "prefix": c.prefix,
                "year": c.year,
                "serial": c.serial,
                "documents": versions.iter().filter(|v| v.case_id == Some(c.id)).count(),
                "url": format!("/api/v1/cases/{}", c.slug()),
            })
        })
        .collect();
    Ok(Json(json!({ "data": data, "count": data.len() })))
}

pub async fn case(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let CaseView { case, documents } = CaseView::load(&state.store, &slug).await?;
    let documents: Vec<Value> = documents
        .iter()
        .map(|(v, group)| {
            let mut j = version_json(&group.slug, v);
            j["organization"] = json!(group);
            j
        })
        .collect();
    Ok(Json(json!({
        "registry_number": case.registry_number,
        "slug": case.slug(),
        "documents": documents,
    })))
}

/// `PUT /api/v1/organizations/{slug}`: the same edit as the form, as JSON.
/// `row_version` must be the version read; a stale one gets 409 with both versions.
#[derive(serde::Deserialize)]
pub struct OrgPut {
    row_version: i64,
    name: String,
    #[serde(default)]
    short_name: Option<String>,
    kind: samordna_domain::OrgKind,
    #[serde(default)]
    area: Option<String>,
    #[serde(default)]
    reports_to: Option<String>,
    #[serde(default = "active")]
    status: String,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    liaisons: Vec<String>,
    #[serde(default)]
    publish_minutes_separately: Option<bool>,
    #[serde(default)]
    minutes_overdue_days: Option<i64>,
    #[serde(default)]
    adjunct_limit: Option<i64>,
}

fn active() -> String {
    "active".into()
}

pub async fn organization_put(
    State(state): State<AppState>,
    Extension(visitor): Extension<crate::auth::Visitor>,
    Path(slug): Path<String>,
    body: Result<Json<OrgPut>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(body) =
        body.map_err(|e| AppError::BadRequest(format!("Ogiltig JSON: {}", e.body_text())))?;
    let orgs = state.store.organizations().await?;
    let org = orgs
        .iter()
        .find(|o| o.slug == slug)
        .ok_or_else(|| AppError::NotFound(format!("Det finns ingen grupp med adressen {slug}.")))?;
    let by_slug = |s: &str| {
        orgs.iter()
            .find(|o| o.slug == s)
            .map(|o| o.id)
            .ok_or_else(|| AppError::BadRequest(format!("Okänd grupp: {s}")))
    };
    if body.name.trim().is_empty() {
        return Err(AppError::BadRequest("Fältet name får inte vara tomt.".into()).into());
    }
    if body.status != "active" && body.status != "dissolved" {
        return Err(
            AppError::BadRequest("status måste vara active eller dissolved.".into()).into(),
        );
    }
    if body.status != org.status
        && !crate::auth::may(
            &state,
            &visitor,
            samordna_domain::policy::Action::EstablishOrDissolve,
            Some(org),
        )
        .await
    {
        return Err(AppError::Forbidden("Bara direktören kan ändra status.".into()).into());
    }
    let fields = samordna_store::OrgFields {
        name: body.name.trim().to_string(),
        short_name: body.short_name,
        kind: body.kind,
        area: body.area,
        reports_to_id: body.reports_to.as_deref().map(by_slug).transpose()?,
        status: body.status,
        aliases: body.aliases,
        liaison_ids: body
            .liaisons
            .iter()
            .map(|s| by_slug(s))
            .collect::<Result<_, _>>()?,
        publish_minutes_separately: body
            .publish_minutes_separately
            .unwrap_or(org.publish_minutes_separately),
        minutes_overdue_days: body.minutes_overdue_days.or(org.minutes_overdue_days),
        adjunct_limit: match body.adjunct_limit {
            Some(n) if !(0..=100).contains(&n) => {
                return Err(AppError::BadRequest(
                    "adjunct_limit måste vara ett heltal mellan 0 och 100.".into(),
                )
                .into())
            }
            Some(n) => Some(n),
            None => org.adjunct_limit,
        },
    };
    match state
        .store
        .update_organization(&slug, body.row_version, &fields, &visitor.actor())
        .await
    {
        Ok(()) => {
            let now = state
                .store
                .organization_by_slug(&slug)
                .await?
                .ok_or_else(|| AppError::NotFound(slug.clone()))?;
            Ok(Json(json!({ "slug": now.slug, "row_version": now.row_version })).into_response())
        }
        Err(samordna_store::StoreError::Stale {
            current_version, ..
        }) => {
            let saved = state.store.org_fields(org).await?;
            let body = json!({
                "error": { "status": 409, "message": "Gruppen har ändrats av någon annan; din ändring sparades inte." },
                "yours": fields,
                "saved": saved,
                "saved_row_version": current_version,
            });
            Ok((axum::http::StatusCode::CONFLICT, Json(body)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /api/v1/organizations/{slug}/memberships`: current and former members.
pub async fn memberships(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let org = state
        .store
        .organization_by_slug(&slug)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("Det finns ingen grupp med adressen {slug}.")))?;
    let today = chrono::Utc::now().date_naive();
    let data: Vec<Value> = state
        .store
        .memberships(Some(org.id), None)
        .await?
        .into_iter()
        .map(|m| {
            json!({
                "id": m.id,
                "person": m.person_name,
                "role": m.fields.role,
                "on_behalf_of": m.on_behalf_of_name,
                "voting_right": m.fields.voting_right,
                "appointed_by": m.fields.appointed_by,
                "start_date": m.fields.start_date,
                "end_date": m.fields.end_date,
                "current": m.is_current(today),
                "row_version": m.row_version,
            })
        })
        .collect();
    Ok(Json(json!({ "data": data, "count": data.len() })))
}
