//! The read-only JSON API under `/api/v1`. Same data as the pages; errors are JSON
//! objects `{"error": {"status": 404, "message": "…"}}`.

use axum::extract::{Path, State};
use samordna_domain::calendar::swedish_date;

use crate::extract::Query;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Json};
use samordna_store::{in_force, CaseSummary, CharterVersion, Organization};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::error::ApiError;
use crate::error::AppError;
use crate::orginput::GroupRef;
use crate::paging::{ApiPage, ApiPageQuery, Paging};
use crate::state::AppState;
use crate::view::{CaseView, CharterState, OrgLink, Snapshot};

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
    /// The version to send back with `PUT` (or use the `ETag` of `GET`).
    row_version: i64,
}

fn summary(snap: &Snapshot, o: &Organization) -> OrgSummary {
    summary_of(
        o,
        o.reports_to_id.and_then(|id| snap.get(id)),
        snap.versions_of(o.id),
    )
}

/// A group as the API lists it, from the group, its parent and its versions.
fn summary_of(
    o: &Organization,
    parent: Option<&Organization>,
    versions: &[CharterVersion],
) -> OrgSummary {
    OrgSummary {
        slug: o.slug.clone(),
        name: o.name.clone(),
        short_name: o.short_name.clone(),
        kind: o.kind,
        area: o.area.clone(),
        status: o.status.clone(),
        placeholder: o.placeholder,
        reports_to: parent.map(|p| p.slug.clone()),
        charter: crate::view::charter_state(versions),
        url: format!("/api/v1/organizations/{}", o.slug),
        web_url: OrgLink::from(o).href(),
        row_version: o.row_version,
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

/// `GET /api/v1/organizations?page=&per_page=`: every group, in Swedish order,
/// a page at a time (100 by default, at most 500); `next` is the next page's
/// address.
#[utoipa::path(get, path = "/api/v1/organizations", tag = "Grupper", params(("page" = Option<u64>, Query, description = "Sidan, från 1"), ("per_page" = Option<u64>, Query, description = "Per sida, 1–500 (100)")), responses((status = 200, description = "Grupperna i svensk ordning", body = crate::api_schema::OrgList)))]
pub async fn organizations(
    State(state): State<AppState>,
    Query(q): Query<ApiPageQuery>,
) -> Result<Json<Value>, ApiError> {
    let mut snap = Snapshot::load(&state.store).await?;
    let ids: Vec<i64> = snap.current().map(|o| o.id).collect();
    let paging = q.paging(ids.len());
    snap.with_versions_of(&state.store, paging.slice(&ids))
        .await?;
    let all: Vec<&Organization> = snap.current().collect();
    let data: Vec<OrgSummary> = paging
        .slice(&all)
        .iter()
        .map(|o| summary(&snap, o))
        .collect();
    Ok(Json(page_json(data, &paging, "/api/v1/organizations")))
}

/// A page of a list: `data`, `count` (on this page), and the paging.
pub(crate) fn page_json<T: Serialize>(data: Vec<T>, paging: &Paging, base: &str) -> Value {
    let mut v = json!({ "count": data.len(), "data": data });
    if let (Value::Object(o), Ok(Value::Object(p))) =
        (&mut v, serde_json::to_value(ApiPage::of(paging, base)))
    {
        o.extend(p);
    }
    v
}

/// The group at `slug` and its neighbourhood, read by index; a 404 in JSON.
async fn one_group(state: &AppState, slug: &str) -> Result<samordna_store::GroupView, ApiError> {
    state.store.group_view(slug).await?.ok_or_else(|| {
        ApiError(AppError::NotFound(crate::i18n::current_tr().t1(
            "error-api-no-group",
            "slug",
            slug,
        )))
    })
}

#[utoipa::path(get, path = "/api/v1/organizations/{slug}", tag = "Grupper", params(("slug" = String, Path, description = "Gruppens adress, t.ex. samordningsrad-neurologi", example = "samordningsgrupp-for-neonatalvarden")), responses((status = 200, description = "Gruppen (ETag: dess version)", body = crate::api_schema::OrgDetail), (status = 308, description = "Gruppen har slagits ihop med en annan")))]
pub async fn organization(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response, ApiError> {
    let view = one_group(&state, &slug).await?;
    if let Some(into) = &view.merged_into {
        return Ok(
            Redirect::permanent(&format!("/api/v1/organizations/{}", into.slug)).into_response(),
        );
    }
    let o = &view.org;
    let versions: Vec<Value> = view
        .versions
        .iter()
        .map(|v| version_json(&o.slug, v))
        .collect();
    let links = |orgs: &[Organization]| orgs.iter().map(OrgLink::from).collect::<Vec<_>>();
    let body = json!({
        "organization": summary_of(o, view.parent.as_ref(), &view.versions),
        "aliases": view.aliases,
        "children": links(&view.children),
        "liaisons": links(&view.liaisons),
        "liaison_of": links(&view.liaison_of),
        "charters": versions,
        "charter_in_force": in_force(&view.versions).map(|v| v.version),
    });
    Ok(([(header::ETAG, etag(o))], Json(body)).into_response())
}

#[utoipa::path(get, path = "/api/v1/organizations/{slug}/charters", tag = "Uppdragshandlingar", params(("slug" = String, Path, description = "Gruppens adress, t.ex. samordningsrad-neurologi", example = "samordningsgrupp-for-neonatalvarden")), responses((status = 200, description = "Gruppens versioner", body = crate::api_schema::CharterList)))]
pub async fn charters(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let view = one_group(&state, &slug).await?;
    let o = &view.org;
    let data: Vec<Value> = view
        .versions
        .iter()
        .map(|v| version_json(&o.slug, v))
        .collect();
    Ok(Json(json!({ "data": data, "count": data.len() })))
}

#[utoipa::path(get, path = "/api/v1/organizations/{slug}/charters/{version}", tag = "Uppdragshandlingar", params(("slug" = String, Path, description = "Gruppens adress, t.ex. samordningsrad-neurologi", example = "samordningsgrupp-for-neonatalvarden"), ("version" = i64, Path, description = "Versionens nummer", example = 1)), responses((status = 200, description = "Versionen med sitt innehåll", body = crate::api_schema::CharterOne)))]
pub async fn charter(
    State(state): State<AppState>,
    Path((slug, version)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let number: i64 = version.parse().map_err(|_| {
        AppError::BadRequest(crate::i18n::current_tr().t1(
            "error-api-version-number",
            "value",
            format!("{version:?}"),
        ))
    })?;
    let o = state
        .store
        .organization_by_slug(&slug)
        .await?
        .ok_or_else(|| {
            AppError::NotFound(crate::i18n::current_tr().t1("error-api-no-group", "slug", &slug))
        })?;
    let doc = state
        .store
        .charter_document(o.id, number)
        .await?
        .ok_or_else(|| {
            AppError::NotFound(crate::i18n::current_tr().args(
                "error-api-no-version",
                &[
                    ("name", crate::i18n::Arg::Text(o.name.clone())),
                    ("version", crate::i18n::Arg::Num(number)),
                ],
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

/// `GET /api/v1/cases?page=&per_page=`: every case, a page at a time.
#[utoipa::path(get, path = "/api/v1/cases", tag = "Ärenden", params(("page" = Option<u64>, Query, description = "Sidan, från 1"), ("per_page" = Option<u64>, Query, description = "Per sida, 1–500 (100)")), responses((status = 200, description = "Ärendena (diarienummer)", body = crate::api_schema::CaseList)))]
pub async fn cases(
    State(state): State<AppState>,
    Query(q): Query<ApiPageQuery>,
) -> Result<Json<Value>, ApiError> {
    let paging = q.paging(state.store.case_count().await? as usize);
    let data: Vec<Value> = state
        .store
        .cases_page(paging.offset(), paging.per_page)
        .await?
        .iter()
        .map(|CaseSummary { case: c, documents }| {
            json!({
                "registry_number": c.registry_number,
                "slug": c.slug(),
                "prefix": c.prefix,
                "year": c.year,
                "serial": c.serial,
                "documents": documents,
                "url": format!("/api/v1/cases/{}", c.slug()),
            })
        })
        .collect();
    Ok(Json(page_json(data, &paging, "/api/v1/cases")))
}

/// `GET /api/v1/cases/{slug}?page=&per_page=`: a case and a page of its
/// documents (100 by default, at most 500), with `total` and `next`.
#[utoipa::path(get, path = "/api/v1/cases/{slug}", tag = "Ärenden", params(("slug" = String, Path, description = "Diarienumret som adress, t.ex. rs-2023-04038", example = "rs-2024-00784"), ("page" = Option<u64>, Query, description = "Sidan, från 1"), ("per_page" = Option<u64>, Query, description = "Per sida, 1–500 (100)")), responses((status = 200, description = "Ärendet och dess handlingar", body = crate::api_schema::CaseOne)))]
pub async fn case(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(q): Query<ApiPageQuery>,
) -> Result<Json<Value>, ApiError> {
    let CaseView {
        case,
        documents,
        paging,
    } = CaseView::load(&state.store, &slug, q.page, q.per_page()).await?;
    let documents: Vec<Value> = documents
        .iter()
        .map(|(v, group)| {
            let mut j = version_json(&group.slug, v);
            j["organization"] = json!(group);
            j
        })
        .collect();
    let mut body = json!({
        "registry_number": case.registry_number,
        "slug": case.slug(),
        "documents": documents,
    });
    if let (Value::Object(o), Ok(Value::Object(p))) = (
        &mut body,
        serde_json::to_value(ApiPage::of(
            &paging,
            &format!("/api/v1/cases/{}", case.slug()),
        )),
    ) {
        o.extend(p);
    }
    Ok(Json(body))
}

/// `PUT /api/v1/organizations/{slug}`: the same edit as the form, as JSON.
/// `row_version` must be the version read; a stale one gets 409 with both versions.
#[derive(serde::Deserialize)]
pub struct OrgPut {
    /// The version read; or send `If-Match` with the `ETag` of `GET`.
    #[serde(default)]
    row_version: Option<i64>,
    name: String,
    kind: String,
    /// For each optional field: left out, unchanged; `null`, cleared.
    #[serde(default, deserialize_with = "present")]
    short_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    area: Option<Option<String>>,
    /// The slug of the group reported to.
    #[serde(default, deserialize_with = "present")]
    reports_to: Option<Option<String>>,
    /// `active` or `dissolved`.
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    aliases: Option<Vec<String>>,
    /// Slugs of the liaison groups.
    #[serde(default)]
    liaisons: Option<Vec<String>>,
    #[serde(default)]
    publish_minutes_separately: Option<bool>,
    /// `null`: the region's default.
    #[serde(default, deserialize_with = "present")]
    minutes_overdue_days: Option<Option<i64>>,
    /// `null`: the region's default.
    #[serde(default, deserialize_with = "present")]
    adjunct_limit: Option<Option<i64>>,
}

/// A field that is there (a value or `null`) as `Some`; left out, it is `None`
/// (by `default`).
fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// The entity tag of an organisation's current version: `"{row_version}"`.
pub(crate) fn etag(o: &Organization) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{}\"", o.row_version)).expect("digits are a header value")
}

/// The version a client read: `If-Match` (an entity tag from `GET`, or `*`), or
/// else `row_version` in the body.
fn expected_version(
    headers: &HeaderMap,
    body: Option<i64>,
    org: &Organization,
) -> Result<(i64, bool), AppError> {
    match headers.get(header::IF_MATCH) {
        Some(v) => {
            let v = v.to_str().unwrap_or("").trim();
            if v == "*" {
                return Ok((org.row_version, true));
            }
            v.trim_start_matches("W/")
                .trim_matches('"')
                .parse::<i64>()
                .map(|n| (n, true))
                .map_err(|_| {
                    AppError::BadRequest(crate::i18n::current_tr().args(
                        "error-api-if-match",
                        &[
                            ("current", crate::i18n::Arg::Num(org.row_version)),
                            ("value", crate::i18n::Arg::Text(v.to_string())),
                        ],
                    ))
                })
        }
        None => body.map(|n| (n, false)).ok_or_else(|| {
            AppError::BadRequest(crate::i18n::current_tr().t("error-api-version-needed"))
        }),
    }
}

/// A group's editable fields as `PUT` takes them: other groups by slug.
fn fields_json(f: &samordna_store::OrgFields, orgs: &[Organization]) -> Value {
    let slug = |id: i64| orgs.iter().find(|o| o.id == id).map(|o| o.slug.clone());
    json!({
        "name": f.name,
        "short_name": f.short_name,
        "kind": f.kind,
        "area": f.area,
        "reports_to": f.reports_to_id.and_then(slug),
        "status": f.status,
        "aliases": f.aliases,
        "liaisons": f.liaison_ids.iter().filter_map(|id| slug(*id)).collect::<Vec<_>>(),
        "publish_minutes_separately": f.publish_minutes_separately,
        "minutes_overdue_days": f.minutes_overdue_days,
        "adjunct_limit": f.adjunct_limit,
    })
}

/// The API's name of a form field.
fn api_field(form_field: &str) -> &str {
    match form_field {
        "overdue_days" => "minutes_overdue_days",
        "publish_separately" => "publish_minutes_separately",
        other => other,
    }
}

#[utoipa::path(put, path = "/api/v1/organizations/{slug}", tag = "Grupper", params(("slug" = String, Path, description = "Gruppens adress, t.ex. samordningsrad-neurologi", example = "samordningsgrupp-for-neonatalvarden"), ("If-Match" = Option<String>, Header, description = "ETag från GET")), request_body = crate::api_schema::OrgPutBody, responses((status = 200, description = "Sparad", body = crate::api_schema::OrgSaved)))]
pub async fn organization_put(
    State(state): State<AppState>,
    Extension(visitor): Extension<crate::request::Visitor>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    crate::extract::JsonBody(body): crate::extract::JsonBody<OrgPut>,
) -> Result<Response, ApiError> {
    let org = state
        .store
        .organization_by_slug(&slug)
        .await?
        .ok_or_else(|| {
            AppError::NotFound(crate::i18n::current_tr().t1("error-api-no-group", "slug", &slug))
        })?;
    let (version, by_tag) = expected_version(&headers, body.row_version, &org)?;
    if body.status.as_ref().is_some_and(|s| *s != org.status)
        && !crate::auth::may(
            &state,
            &visitor,
            samordna_domain::policy::Action::EstablishOrDissolve,
            Some(&org),
        )
        .await
    {
        return Err(AppError::Forbidden(crate::i18n::current_tr().t("error-api-director")).into());
    }
    // What the body leaves out stays as it is.
    let current = state.store.org_fields(&org).await?;
    let aliases = body.aliases.unwrap_or_else(|| current.aliases.clone());
    let liaisons = match body.liaisons {
        Some(slugs) => slugs.into_iter().map(GroupRef::Slug).collect(),
        None => current
            .liaison_ids
            .iter()
            .map(|id| GroupRef::Id(id.to_string()))
            .collect(),
    };
    // The same input and checks as the form.
    let input = crate::orginput::OrgInput {
        name: body.name,
        short_name: body.short_name.unwrap_or(current.short_name),
        kind: body.kind,
        area: body.area.unwrap_or(current.area),
        reports_to: match body.reports_to {
            Some(slug) => slug.map(GroupRef::Slug),
            None => current.reports_to_id.map(|id| GroupRef::Id(id.to_string())),
        },
        status: body.status,
        aliases,
        liaisons,
        publish_minutes_separately: body.publish_minutes_separately,
        minutes_overdue_days: body
            .minutes_overdue_days
            .unwrap_or(current.minutes_overdue_days)
            .map(|n| n.to_string()),
        adjunct_limit: body
            .adjunct_limit
            .unwrap_or(current.adjunct_limit)
            .map(|n| n.to_string()),
    };
    let t = crate::i18n::current_tr();
    let (fields, errors) = input.check(&state, &visitor, Some(&org), &t).await?;
    if !errors.is_empty() {
        let list: Vec<Value> = errors
            .0
            .iter()
            .map(|(f, m)| json!({"field": api_field(f), "message": m}))
            .collect();
        let message = errors
            .0
            .iter()
            .map(|(f, m)| format!("{}: {m}", api_field(f)))
            .collect::<Vec<_>>()
            .join(" ");
        let body = json!({ "error": { "status": 400, "message": message }, "errors": list });
        return Ok((StatusCode::BAD_REQUEST, Json(body)).into_response());
    }
    match state
        .store
        .update_organization(&slug, version, &fields, &visitor.actor())
        .await
    {
        Ok(()) => {
            let now = state
                .store
                .organization_by_slug(&slug)
                .await?
                .ok_or_else(|| AppError::NotFound(slug.clone()))?;
            let tag = etag(&now);
            Ok((
                [(header::ETAG, tag)],
                Json(json!({ "slug": now.slug, "row_version": now.row_version })),
            )
                .into_response())
        }
        Err(samordna_store::StoreError::Stale {
            current_version, ..
        }) => {
            let saved = state.store.org_fields(&org).await?;
            // With If-Match, HTTP's answer is 412; with row_version in the body, 409.
            let status = if by_tag {
                StatusCode::PRECONDITION_FAILED
            } else {
                StatusCode::CONFLICT
            };
            let orgs = state.store.organizations().await?;
            let body = json!({
                "error": { "status": status.as_u16(), "message": crate::i18n::current_tr().t("error-api-stale") },
                "yours": fields_json(&fields, &orgs),
                "saved": fields_json(&saved, &orgs),
                "saved_row_version": current_version,
            });
            Ok((status, [(header::ETAG, etag(&org))], Json(body)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /api/v1/organizations/{slug}/memberships`: current and former members.
#[utoipa::path(get, path = "/api/v1/organizations/{slug}/memberships", tag = "Medlemskap", params(("slug" = String, Path, description = "Gruppens adress, t.ex. samordningsrad-neurologi", example = "samordningsgrupp-for-neonatalvarden")), responses((status = 200, description = "Nuvarande och tidigare medlemmar", body = crate::api_schema::MembershipList)))]
pub async fn memberships(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let org = state
        .store
        .organization_by_slug(&slug)
        .await?
        .ok_or_else(|| {
            AppError::NotFound(crate::i18n::current_tr().t1("error-api-no-group", "slug", &slug))
        })?;
    let today = swedish_date(chrono::Utc::now());
    let data: Vec<Value> = state
        .store
        .memberships(Some(org.id), None)
        .await?
        .into_iter()
        .map(|m| {
            json!({
                "id": m.id,
                "person": m.person_name,
                "person_id": m.fields.person_id,
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
