//! Decisions and matters in the JSON API (read), in a shape that maps onto OParl
//! 1.1: a decision is an `AgendaItem` (its `resolutionText`, `result` and
//! `number`), a matter a `Paper` whose `consultation`s are the decisions taken on
//! it. What OParl has no word for (basis, topic, anchoring, notices) is under
//! `samordna:` keys. Only published decisions are served, whoever asks.
//! Addresses are relative, like the rest of `/api/v1`.

use axum::extract::{Path, State};
use axum::{Extension, Json};
use samordna_domain::policy::Action;
use samordna_store::{Decision, DecisionFilter, Matter, MatterFilter, Organization};
use serde_json::{json, Value};

use crate::api::page_json;
use crate::auth;
use crate::error::{ApiError, AppError};
use crate::extract::Query;
use crate::i18n::current_tr;
use crate::paging::ApiPageQuery;
use crate::request::Visitor;
use crate::state::AppState;

/// A decision as an OParl AgendaItem with Samordna's extensions.
pub fn decision_json(base: &str, org: &Organization, d: &Decision) -> Value {
    json!({
        "id": format!("{base}/api/v1/organizations/{}/decisions/{}", org.slug, d.id),
        "type": "https://schema.oparl.org/1.1/AgendaItem",
        "number": d.paragraph.map(|p| p.to_string()),
        "name": d.label(),
        "public": d.published,
        "result": "beslutat",
        "resolutionText": d.text,
        "web": format!("{base}/grupper/{}/beslut/{}", org.slug, d.id),
        "samordna:organization": org.slug,
        "samordna:meeting": format!("{base}/moten/{}", d.meeting_id),
        "samordna:decidedOn": d.decided_on,
        "samordna:basis": d.basis.as_str(),
        "samordna:topic": d.topic.as_str(),
        "samordna:matter": d.matter_id.map(|m| format!("{base}/api/v1/organizations/{}/matters/{m}", org.slug)),
        "samordna:anchoring": d.binds.iter().map(|a| json!({
            "administration": a.administration,
            "anchoredOn": a.anchored_on,
            "unionConsultedOn": a.union_consulted_on,
        })).collect::<Vec<_>>(),
        "samordna:fullyAnchored": d.fully_anchored(),
        "samordna:notified": d.notifications.iter().map(|n| json!({
            "organization": n.organization,
            "queuedAt": n.queued_at,
            "deliveredAt": n.delivered_at,
        })).collect::<Vec<_>>(),
        "samordna:escalations": d.escalations,
    })
}

/// A matter as an OParl Paper; its decisions are its consultations.
fn matter_json(
    base: &str,
    org: &Organization,
    m: &Matter,
    decisions: &[Decision],
    show_owner: bool,
) -> Value {
    json!({
        "id": format!("{base}/api/v1/organizations/{}/matters/{}", org.slug, m.id),
        "type": "https://schema.oparl.org/1.1/Paper",
        "name": m.fields.title,
        "reference": format!("{}-{}", org.slug, m.id),
        "paperType": current_tr().t(&m.fields.kind.message_id()),
        "modified": m.updated_at,
        "web": format!("{base}/grupper/{}/grupparenden/{}", org.slug, m.id),
        "consultation": decisions.iter().map(|d| json!({
            "type": "https://schema.oparl.org/1.1/Consultation",
            "agendaItem": format!("{base}/api/v1/organizations/{}/decisions/{}", org.slug, d.id),
            "organization": [format!("{base}/api/v1/organizations/{}", org.slug)],
            "authoritative": true,
        })).collect::<Vec<_>>(),
        "samordna:kind": m.fields.kind.as_str(),
        "samordna:status": m.status.as_str(),
        "samordna:source": m.fields.source.as_str(),
        // A person's name only for who may read people.
        "samordna:owner": m.owner_name.as_ref().filter(|_| show_owner),
        "samordna:dueOn": m.fields.due_on,
        // What a status move (`POST …/matters/{id}/status`) sends back, and where
        // it may go from here.
        "samordna:rowVersion": m.row_version,
        "samordna:moves": samordna_domain::matters::MatterStatus::ALL
            .iter()
            .filter(|s| m.fields.kind.may_move(m.status, **s))
            .map(|s| s.as_str())
            .collect::<Vec<_>>(),
        "samordna:description": m.fields.description,
    })
}

async fn group(state: &AppState, slug: &str) -> Result<Organization, ApiError> {
    Ok(state.group(slug).await?)
}

/// `GET /api/v1/organizations/{slug}/decisions?page=&per_page=`: the group's
/// published decisions, newest first.
#[utoipa::path(get, path = "/api/v1/organizations/{slug}/decisions", tag = "Beslut", params(("slug" = String, Path, description = "Gruppens adress, t.ex. samordningsrad-neurologi", example = "samordningsgrupp-for-neonatalvarden"), ("page" = Option<u64>, Query, description = "Sidan, från 1"), ("per_page" = Option<u64>, Query, description = "Per sida, 1–500 (100)")), responses((status = 200, description = "Gruppens publicerade beslut", body = crate::api_schema::DecisionList)))]
pub async fn decisions(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(q): Query<ApiPageQuery>,
) -> Result<Json<Value>, ApiError> {
    let org = group(&state, &slug).await?;
    let mut all = state
        .store
        .decisions(&DecisionFilter {
            organization_id: Some(org.id),
            published_only: true,
            ..Default::default()
        })
        .await?;
    all.reverse();
    let paging = q.paging(all.len());
    let base = "";
    let data: Vec<Value> = paging
        .slice(&all)
        .iter()
        .map(|d| decision_json(base, &org, d))
        .collect();
    Ok(Json(page_json(
        data,
        &paging,
        &format!("/api/v1/organizations/{slug}/decisions"),
    )))
}

/// `GET /api/v1/organizations/{slug}/decisions/{id}`: one published decision.
#[utoipa::path(get, path = "/api/v1/organizations/{slug}/decisions/{id}", tag = "Beslut", params(("slug" = String, Path, description = "Gruppens adress, t.ex. samordningsrad-neurologi", example = "samordningsgrupp-for-neonatalvarden"), ("id" = i64, Path, description = "Beslutets id", example = 1)), responses((status = 200, description = "Beslutet", body = crate::api_schema::DecisionItem)))]
pub async fn decision(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let org = group(&state, &slug).await?;
    let missing = || ApiError(AppError::NotFound(current_tr().t("error-no-decision")));
    let id: i64 = id.parse().map_err(|_| missing())?;
    let d = state
        .store
        .decision(id)
        .await?
        .filter(|d| d.organization_id == org.id && d.published)
        .ok_or_else(missing)?;
    Ok(Json(decision_json("", &org, &d)))
}

/// `GET /api/v1/organizations/{slug}/matters?page=&per_page=`: the group's
/// matters, ended ones too, the earliest due first.
#[utoipa::path(get, path = "/api/v1/organizations/{slug}/matters", tag = "Grupparenden", params(("slug" = String, Path, description = "Gruppens adress, t.ex. samordningsrad-neurologi", example = "samordningsgrupp-for-neonatalvarden"), ("page" = Option<u64>, Query, description = "Sidan, från 1"), ("per_page" = Option<u64>, Query, description = "Per sida, 1–500 (100)")), responses((status = 200, description = "Gruppens ärenden", body = crate::api_schema::MatterList)))]
pub async fn matters(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(slug): Path<String>,
    Query(q): Query<ApiPageQuery>,
) -> Result<Json<Value>, ApiError> {
    let org = group(&state, &slug).await?;
    let show_owner = auth::may(&state, &v, Action::ReadPeople, Some(&org)).await;
    let filter = MatterFilter {
        organization_id: Some(org.id),
        ..Default::default()
    };
    let paging = q.paging(state.store.matter_count(&filter).await? as usize);
    let base = "";
    let mut data = Vec::new();
    for m in state
        .store
        .matters(&filter, paging.offset(), paging.per_page)
        .await?
    {
        let ds = published_of(&state, &m).await?;
        data.push(matter_json(base, &org, &m, &ds, show_owner));
    }
    Ok(Json(page_json(
        data,
        &paging,
        &format!("/api/v1/organizations/{slug}/matters"),
    )))
}

async fn published_of(state: &AppState, m: &Matter) -> Result<Vec<Decision>, AppError> {
    Ok(state
        .store
        .decisions(&DecisionFilter {
            matter_id: Some(m.id),
            published_only: true,
            ..Default::default()
        })
        .await?)
}

/// `GET /api/v1/organizations/{slug}/matters/{id}`.
#[utoipa::path(get, path = "/api/v1/organizations/{slug}/matters/{id}", tag = "Grupparenden", params(("slug" = String, Path, description = "Gruppens adress, t.ex. samordningsrad-neurologi", example = "samordningsgrupp-for-neonatalvarden"), ("id" = i64, Path, description = "Ärendets id", example = 1)), responses((status = 200, description = "Ärendet", body = crate::api_schema::MatterItem)))]
pub async fn matter(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let org = group(&state, &slug).await?;
    let show_owner = auth::may(&state, &v, Action::ReadPeople, Some(&org)).await;
    let missing = || ApiError(AppError::NotFound(current_tr().t("error-no-matter")));
    let id: i64 = id.parse().map_err(|_| missing())?;
    let m = state
        .store
        .matter(id)
        .await?
        .filter(|m| m.fields.organization_id == org.id)
        .ok_or_else(missing)?;
    let ds = published_of(&state, &m).await?;
    Ok(Json(matter_json("", &org, &m, &ds, show_owner)))
}
