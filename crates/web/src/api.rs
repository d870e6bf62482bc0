//! The read-only JSON API under `/api/v1`. Same data as the pages; errors are JSON
//! objects `{"error": {"status": 404, "message": "…"}}`.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Json, Router};
use samordna_store::{in_force, CharterVersion, Organization};
use serde::Serialize;
use serde_json::{json, Value};

use crate::error::ApiError;
use crate::view::{CaseView, CharterState, OrgLink, Snapshot};
use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/organizations", get(organizations))
        .route("/organizations/{slug}", get(organization))
        .route("/organizations/{slug}/charters", get(charters))
        .route("/organizations/{slug}/charters/{version}", get(charter))
        .route("/cases", get(cases))
        .route("/cases/{slug}", get(case))
        .fallback(|| async {
            ApiError(AppError::NotFound(
                "Det finns ingen sådan resurs i API:t.".into(),
            ))
        })
}

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

async fn organizations(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
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

async fn organization(
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

async fn charters(
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

async fn charter(
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

async fn cases(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
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

async fn case(
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
