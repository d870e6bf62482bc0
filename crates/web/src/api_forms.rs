//! The API's write operations: memberships, meetings, the steps of the minutes,
//! matters and decisions. Each is the portal's form sent as JSON: the body is
//! read into the form's fields and handed to the form's own handler, so the
//! checks, the policy (the route's action, [`crate::routes`]) and the CSRF and
//! token rules ([`crate::auth`]) are the same. The answer is JSON:
//!
//! - done: `201 Created` (a new record) or `200`, with `Location` and
//!   `{"location", "id"}` (the record's page and id);
//! - a field refused: `422` with `{"error", "errors": [{"field", "message"}]}`;
//! - refused as a whole (someone saved first, a step that does not fit the
//!   minutes' state): `409` or `422` with `{"error"}` saying why;
//! - anything else: the API's error object with its status.
//!
//! Also the two reads a client of these needs: a group's meetings and one meeting.

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use utoipa::ToSchema;

use crate::error::{ApiError, AppError};
use crate::extract::JsonBody;
use crate::forms::{FieldErrors, Form, Refusal};
use crate::request::Visitor;
use crate::state::AppState;

/// A body's fields as the form posts them: text as written, numbers as digits,
/// `true` as a ticked checkbox (`on`), `false` and `null` left out, a list as
/// the field repeated.
fn pairs<T: Serialize>(body: &T) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Ok(Value::Object(map)) = serde_json::to_value(body) {
        for (k, v) in map {
            let one = |v: &Value| match v {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                Value::Bool(true) => Some("on".to_string()),
                _ => None,
            };
            match &v {
                Value::Array(items) => {
                    out.extend(items.iter().filter_map(one).map(|x| (k.clone(), x)))
                }
                other => out.extend(one(other).map(|x| (k.clone(), x))),
            }
        }
    }
    out
}

/// The JSON answer to a form's answer (see the module's list).
fn answer(result: Result<Response, AppError>, created: bool) -> Response {
    let r = match result {
        Ok(r) => r,
        Err(e) => return ApiError(e).into_response(),
    };
    let status = r.status();
    if status.is_redirection() {
        let location = r
            .headers()
            .get(header::LOCATION)
            .and_then(|l| l.to_str().ok())
            .unwrap_or("/")
            .to_string();
        let id = location
            .rsplit('/')
            .next()
            .and_then(|last| last.parse::<i64>().ok());
        let status = if created {
            StatusCode::CREATED
        } else {
            StatusCode::OK
        };
        return (
            status,
            [(header::LOCATION, location.clone())],
            Json(json!({ "location": location, "id": id })),
        )
            .into_response();
    }
    if let Some(FieldErrors(errors)) = r.extensions().get::<FieldErrors>() {
        if !errors.is_empty() {
            let message = errors
                .iter()
                .map(|(f, m)| format!("{f}: {m}"))
                .collect::<Vec<_>>()
                .join(" ");
            let list: Vec<Value> = errors
                .iter()
                .map(|(f, m)| json!({"field": f, "message": m}))
                .collect();
            return (
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(json!({"error": {"status": 422, "message": message}, "errors": list})),
            )
                .into_response();
        }
    }
    let status = if status.is_success() {
        // A page shown instead of a redirect: the form was not carried out.
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        status
    };
    let (message, fields) = match r.extensions().get::<Refusal>() {
        Some(x) => (
            x.message.clone(),
            x.rows
                .iter()
                .map(|(label, sent, saved)| json!({"field": label, "sent": sent, "saved": saved}))
                .collect::<Vec<_>>(),
        ),
        None => (
            crate::i18n::current_tr().t("error-api-form-refused"),
            Vec::new(),
        ),
    };
    (
        status,
        Json(json!({"error": {"status": status.as_u16(), "message": message}, "fields": fields})),
    )
        .into_response()
}

/// A membership, as the member form takes it.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct MembershipBody {
    /// The person's id.
    pub person: i64,
    /// `ordforande`, `vice_ordforande`, `deltagare`, `adjungerad`, `koordinator`,
    /// `kontaktperson` or `sekreterare`.
    pub role: String,
    /// The id of the administration the member represents.
    #[serde(default)]
    pub on_behalf_of: Option<i64>,
    #[serde(default)]
    pub voting_right: bool,
    #[serde(default)]
    pub appointed_by: Option<String>,
    /// `YYYY-MM-DD`.
    pub start_date: String,
    /// `YYYY-MM-DD`; leave out for a membership without end.
    #[serde(default)]
    pub end_date: Option<String>,
    /// When changing: the `row_version` read.
    #[serde(default)]
    pub row_version: Option<i64>,
}

/// A meeting, as the meeting form takes it (Swedish time).
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct MeetingBody {
    /// `ordinary` or `extra`.
    pub kind: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `HH:MM`.
    pub start: String,
    /// `HH:MM`, not before `start`.
    pub end: String,
    #[serde(default)]
    pub place: Option<String>,
    /// An `https://` address of the digital meeting.
    #[serde(default)]
    pub digital_link: Option<String>,
    /// Outside the year's range of meetings the form asks to confirm.
    #[serde(default)]
    pub confirm: bool,
    /// When changing: the `row_version` read.
    #[serde(default)]
    pub row_version: Option<i64>,
}

/// Why a meeting is cancelled.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct CancelBody {
    pub reason: String,
}

/// The text of the minutes (Markdown; `## ` starts an item).
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct MinutesBody {
    pub body: String,
}

/// Why the chair returns the minutes to the coordinator.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct ReturnBody {
    pub comment: String,
}

/// A correction of approved minutes: a new version, with its reason.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct CorrectionBody {
    pub body: String,
    pub reason: String,
}

/// A matter, as the matter form takes it.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct MatterBody {
    /// One of the matter kinds (`remissvar`, `vardforlopp`, …, `other`).
    pub kind: String,
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    /// `ledningsgrupp`, `ppr`, `national`, `own_initiative` or `other`.
    pub source: String,
    /// The responsible person's id.
    #[serde(default)]
    pub owner: Option<i64>,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub due: Option<String>,
}

/// A matter's move to another status.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct StatusBody {
    /// The status moved to (one the matter's kind allows from its status).
    pub status: String,
    /// The `row_version` read.
    pub row_version: i64,
}

/// A decision recorded at a meeting.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct DecisionBody {
    pub text: String,
    /// `member_mandates`, `chair_mandate` or `none`.
    pub basis: String,
    /// `own_area`, `regional_routine`, `cross_area_methods`, `new_drug_or_method`,
    /// `organisation_and_conditions` or `support_process`.
    pub topic: String,
    /// The agenda item's id.
    #[serde(default)]
    pub item: Option<i64>,
    /// The matter's id.
    #[serde(default)]
    pub matter: Option<i64>,
    /// The ids of the administrations a decision on the members' mandates binds.
    #[serde(default)]
    pub binds: Vec<i64>,
}

/// `POST /api/v1/organizations/{slug}/memberships`: a new member.
#[utoipa::path(post, path = "/api/v1/organizations/{slug}/memberships", tag = "Medlemskap",
    params(("slug" = String, Path, description = "Gruppens adress", example = "samordningsgrupp-for-neonatalvarden")),
    request_body = MembershipBody,
    responses((status = 201, description = "Medlemskapet har lagts till", body = crate::api_schema::Written)))]
pub async fn membership_create(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(slug): Path<String>,
    JsonBody(b): JsonBody<MembershipBody>,
) -> Response {
    let done = async {
        let org = state.group(&slug).await?;
        let p = crate::forms::Posted(pairs(&b));
        let (f, e) = crate::edit::read_membership(&state, &org, &p).await?;
        match f {
            Some(f) if e.is_empty() => {
                let id = match state.store.create_membership(&f, &v.actor()).await {
                    Ok(id) => id,
                    Err(samordna_store::StoreError::Conflict(m)) => {
                        let mut r = StatusCode::UNPROCESSABLE_ENTITY.into_response();
                        r.extensions_mut()
                            .insert(FieldErrors(vec![("person".to_string(), m)]));
                        return Ok(r);
                    }
                    Err(err) => return Err(err.into()),
                };
                Ok(axum::response::Redirect::to(&format!(
                    "/grupper/{slug}/medlemmar#medlemskap-{id}"
                ))
                .into_response())
                .map(|mut r: Response| {
                    r.extensions_mut().insert(CreatedId(id));
                    r
                })
            }
            _ => {
                let mut r = StatusCode::UNPROCESSABLE_ENTITY.into_response();
                r.extensions_mut().insert(FieldErrors(
                    e.0.iter()
                        .map(|(f, m)| (f.to_string(), m.clone()))
                        .collect(),
                ));
                Ok(r)
            }
        }
    };
    with_id(done.await)
}

/// An id the Location does not end with.
#[derive(Clone, Copy)]
struct CreatedId(i64);

fn with_id(result: Result<Response, AppError>) -> Response {
    let id = result
        .as_ref()
        .ok()
        .and_then(|r| r.extensions().get::<CreatedId>().copied());
    let mut r = answer(result, true);
    if let Some(CreatedId(id)) = id {
        let location = r
            .headers()
            .get(header::LOCATION)
            .and_then(|l| l.to_str().ok())
            .unwrap_or_default()
            .to_string();
        r = (
            StatusCode::CREATED,
            [(header::LOCATION, location.clone())],
            Json(json!({"location": location, "id": id})),
        )
            .into_response();
    }
    r
}

/// 404: nothing with the id in the path.
fn no_such(id: &str) -> Response {
    ApiError(AppError::NotFound(crate::i18n::current_tr().t1(
        "error-api-no-id",
        "id",
        id,
    )))
    .into_response()
}

/// The body of a change laid over the record as it is: a field left out keeps
/// its value, `null` clears it (as `PUT /api/v1/organizations/{slug}` does).
/// Errors: a body that is not an object, or a field of the wrong kind (400).
fn over<T: serde::de::DeserializeOwned>(current: Value, body: Value) -> Result<T, AppError> {
    let Value::Object(body) = body else {
        return Err(AppError::BadRequest(crate::i18n::current_tr().t1(
            "error-api-json",
            "detail",
            "{…}",
        )));
    };
    let mut merged = current;
    if let Value::Object(m) = &mut merged {
        m.extend(body);
    }
    crate::extract::from_json(merged)
}

/// `PUT /api/v1/memberships/{id}`: a membership changed or ended (`end_date`);
/// fields left out keep their values.
#[utoipa::path(put, path = "/api/v1/memberships/{id}", tag = "Medlemskap",
    params(("id" = i64, Path, description = "Medlemskapets id", example = 1)),
    request_body = MembershipBody,
    responses((status = 200, description = "Medlemskapet har ändrats", body = crate::api_schema::Written)))]
pub async fn membership_put(
    state: State<AppState>,
    v: Extension<Visitor>,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<Value>,
) -> Response {
    let current = match id.parse::<i64>() {
        Ok(n) => match state.store.membership(n).await {
            Ok(Some(m)) => json!({
                "person": m.fields.person_id,
                "role": m.fields.role.as_str(),
                "on_behalf_of": m.fields.on_behalf_of_id,
                "voting_right": m.fields.voting_right,
                "appointed_by": m.fields.appointed_by,
                "start_date": m.fields.start_date.to_string(),
                "end_date": m.fields.end_date.map(|d| d.to_string()),
                "row_version": m.row_version,
            }),
            Ok(None) => return no_such(&id),
            Err(e) => return ApiError(e.into()).into_response(),
        },
        Err(_) => return no_such(&id),
    };
    let b: MembershipBody = match over(current, body) {
        Ok(b) => b,
        Err(e) => return ApiError(e).into_response(),
    };
    answer(
        crate::edit::membership_save(state, v, Path(id), Form(pairs(&b))).await,
        false,
    )
}

/// `POST /api/v1/organizations/{slug}/meetings`: a new meeting.
#[utoipa::path(post, path = "/api/v1/organizations/{slug}/meetings", tag = "Möten",
    params(("slug" = String, Path, description = "Gruppens adress", example = "samordningsgrupp-for-neonatalvarden")),
    request_body = MeetingBody,
    responses((status = 201, description = "Mötet har lagts till", body = crate::api_schema::Written)))]
pub async fn meeting_create(
    state: State<AppState>,
    v: Extension<Visitor>,
    slug: Path<String>,
    JsonBody(b): JsonBody<MeetingBody>,
) -> Response {
    answer(
        crate::meetings::create(state, v, slug, Form(pairs(&b))).await,
        true,
    )
}

/// `PUT /api/v1/meetings/{id}`: a meeting changed; fields left out keep their
/// values.
#[utoipa::path(put, path = "/api/v1/meetings/{id}", tag = "Möten",
    params(("id" = i64, Path, description = "Mötets id", example = 1)),
    request_body = MeetingBody,
    responses((status = 200, description = "Mötet har ändrats", body = crate::api_schema::Written)))]
pub async fn meeting_put(
    state: State<AppState>,
    v: Extension<Visitor>,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<Value>,
) -> Response {
    let local = samordna_domain::calendar::swedish_time;
    let current = match id.parse::<i64>() {
        Ok(n) => match state.store.meeting(n).await {
            Ok(Some(m)) => json!({
                "kind": m.fields.kind.as_str(),
                "date": local(m.fields.starts_at).format("%Y-%m-%d").to_string(),
                "start": local(m.fields.starts_at).format("%H:%M").to_string(),
                "end": local(m.fields.ends_at).format("%H:%M").to_string(),
                "place": m.fields.place,
                "digital_link": m.fields.digital_link,
                "row_version": m.row_version,
            }),
            Ok(None) => return no_such(&id),
            Err(e) => return ApiError(e.into()).into_response(),
        },
        Err(_) => return no_such(&id),
    };
    let b: MeetingBody = match over(current, body) {
        Ok(b) => b,
        Err(e) => return ApiError(e).into_response(),
    };
    answer(
        crate::meetings::save(state, v, Path(id), Form(pairs(&b))).await,
        false,
    )
}

/// `POST /api/v1/meetings/{id}/cancel`: the meeting cancelled, with the reason.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/cancel", tag = "Möten",
    params(("id" = i64, Path, description = "Mötets id", example = 1)),
    request_body = CancelBody,
    responses((status = 200, description = "Mötet är inställt", body = crate::api_schema::Written)))]
pub async fn meeting_cancel(
    state: State<AppState>,
    v: Extension<Visitor>,
    id: Path<String>,
    JsonBody(b): JsonBody<CancelBody>,
) -> Response {
    answer(
        crate::meetings::cancel(state, v, id, Form(pairs(&b))).await,
        false,
    )
}

/// `PUT /api/v1/meetings/{id}/minutes`: the draft of the minutes saved.
#[utoipa::path(put, path = "/api/v1/meetings/{id}/minutes", tag = "Mötesanteckningar",
    params(("id" = i64, Path, description = "Mötets id", example = 1)),
    request_body = MinutesBody,
    responses((status = 200, description = "Utkastet har sparats", body = crate::api_schema::Written)))]
pub async fn minutes_put(
    state: State<AppState>,
    v: Extension<Visitor>,
    id: Path<String>,
    JsonBody(b): JsonBody<MinutesBody>,
) -> Response {
    answer(
        crate::meetings::minutes_save(state, v, id, Form(pairs(&b))).await,
        false,
    )
}

macro_rules! step {
    ($name:ident, $path:literal, $doc:literal, $handler:path, $summary:literal) => {
        #[doc = $doc]
        #[utoipa::path(post, path = $path, tag = "Mötesanteckningar",
            params(("id" = i64, Path, description = "Mötets id", example = 1)),
            responses((status = 200, description = $summary, body = crate::api_schema::Written)))]
        pub async fn $name(
            state: State<AppState>,
            v: Extension<Visitor>,
            id: Path<String>,
        ) -> Response {
            answer($handler(state, v, id).await, false)
        }
    };
}

step!(
    minutes_submit,
    "/api/v1/meetings/{id}/minutes/submit",
    "`POST …/minutes/submit`: the coordinator sends the draft to the chair.",
    crate::meetings::submit,
    "Skickade för justering"
);
step!(
    minutes_approve,
    "/api/v1/meetings/{id}/minutes/approve",
    "`POST …/minutes/approve`: the chair approves (justerar) the minutes.",
    crate::meetings::approve,
    "Justerade"
);
step!(
    minutes_publish,
    "/api/v1/meetings/{id}/minutes/publish",
    "`POST …/minutes/publish`: approved minutes published.",
    crate::meetings::publish,
    "Publicerade"
);

/// `POST …/minutes/return`: the chair returns the minutes, saying why.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/minutes/return", tag = "Mötesanteckningar",
    params(("id" = i64, Path, description = "Mötets id", example = 1)),
    request_body = ReturnBody,
    responses((status = 200, description = "Återförvisade", body = crate::api_schema::Written)))]
pub async fn minutes_return(
    state: State<AppState>,
    v: Extension<Visitor>,
    id: Path<String>,
    JsonBody(b): JsonBody<ReturnBody>,
) -> Response {
    answer(
        crate::meetings::return_minutes(state, v, id, Form(pairs(&b))).await,
        false,
    )
}

/// `POST …/minutes/correct`: approved minutes corrected as a new version.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/minutes/correct", tag = "Mötesanteckningar",
    params(("id" = i64, Path, description = "Mötets id", example = 1)),
    request_body = CorrectionBody,
    responses((status = 200, description = "Rättelsen är en ny version", body = crate::api_schema::Written)))]
pub async fn minutes_correct(
    state: State<AppState>,
    v: Extension<Visitor>,
    id: Path<String>,
    JsonBody(b): JsonBody<CorrectionBody>,
) -> Response {
    answer(
        crate::meetings::correct(state, v, id, Form(pairs(&b))).await,
        false,
    )
}

/// `POST /api/v1/organizations/{slug}/matters`: a new matter.
#[utoipa::path(post, path = "/api/v1/organizations/{slug}/matters", tag = "Grupparenden",
    params(("slug" = String, Path, description = "Gruppens adress", example = "samordningsgrupp-for-neonatalvarden")),
    request_body = MatterBody,
    responses((status = 201, description = "Ärendet har lagts till", body = crate::api_schema::Written)))]
pub async fn matter_create(
    state: State<AppState>,
    v: Extension<Visitor>,
    slug: Path<String>,
    JsonBody(b): JsonBody<MatterBody>,
) -> Response {
    answer(
        crate::matters::create(state, v, slug, Form(pairs(&b))).await,
        true,
    )
}

/// `POST /api/v1/organizations/{slug}/matters/{id}/status`: a matter moved.
#[utoipa::path(post, path = "/api/v1/organizations/{slug}/matters/{id}/status", tag = "Grupparenden",
    params(("slug" = String, Path, description = "Gruppens adress", example = "samordningsgrupp-for-neonatalvarden"), ("id" = i64, Path, description = "Ärendets id", example = 1)),
    request_body = StatusBody,
    responses((status = 200, description = "Ärendet har flyttats", body = crate::api_schema::Written)))]
pub async fn matter_status(
    state: State<AppState>,
    v: Extension<Visitor>,
    path: Path<(String, String)>,
    JsonBody(b): JsonBody<StatusBody>,
) -> Response {
    answer(
        crate::matters::move_status(state, v, path, Form(pairs(&b))).await,
        false,
    )
}

/// `POST /api/v1/meetings/{id}/decisions`: a decision recorded at the meeting.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/decisions", tag = "Beslut",
    params(("id" = i64, Path, description = "Mötets id", example = 1)),
    request_body = DecisionBody,
    responses((status = 201, description = "Beslutet har registrerats", body = crate::api_schema::Written)))]
pub async fn decision_create(
    state: State<AppState>,
    v: Extension<Visitor>,
    id: Path<String>,
    JsonBody(b): JsonBody<DecisionBody>,
) -> Response {
    answer(
        crate::decisions::record_save(state, v, id, Form(pairs(&b))).await,
        true,
    )
}

/// `GET /api/v1/organizations/{slug}/meetings`: the group's meetings, oldest
/// first, with what a write needs (`id`, `row_version`).
#[utoipa::path(get, path = "/api/v1/organizations/{slug}/meetings", tag = "Möten",
    params(("slug" = String, Path, description = "Gruppens adress", example = "samordningsgrupp-for-neonatalvarden")),
    responses((status = 200, description = "Gruppens möten", body = crate::api_schema::MeetingList)))]
pub async fn meetings(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(slug): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let org = state.group(&slug).await?;
    let internal = crate::auth::may(
        &state,
        &v,
        samordna_domain::policy::Action::ReadGroupInternal,
        Some(&org),
    )
    .await;
    let data: Vec<Value> = state
        .store
        .meetings(Some(org.id))
        .await?
        .iter()
        .map(|m| meeting_json(m, internal))
        .collect();
    Ok(Json(json!({"count": data.len(), "data": data})))
}

/// A meeting as the API shows it; the digital link only to the group (`internal`),
/// as the meeting's page shows it ("Länken visas för gruppens medlemmar").
fn meeting_json(m: &samordna_store::Meeting, internal: bool) -> Value {
    json!({
        "id": m.id,
        "kind": m.fields.kind.as_str(),
        "starts_at": m.fields.starts_at,
        "ends_at": m.fields.ends_at,
        "place": m.fields.place,
        "digital_link": if internal { m.fields.digital_link.clone() } else { None },
        "state": m.state.as_seen(m.fields.ends_at, chrono::Utc::now()).as_str(),
        "cancel_reason": m.cancel_reason,
        "agenda_published": m.agenda_published,
        "row_version": m.row_version,
        "url": format!("/api/v1/meetings/{}", m.id),
        "web_url": format!("/moten/{}", m.id),
    })
}

/// `GET /api/v1/meetings/{id}`: a meeting, its agenda when published (or the
/// reader is of the group), and its minutes' latest status the reader may see.
#[utoipa::path(get, path = "/api/v1/meetings/{id}", tag = "Möten",
    params(("id" = i64, Path, description = "Mötets id", example = 1)),
    responses((status = 200, description = "Mötet", body = crate::api_schema::MeetingOne)))]
pub async fn meeting(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let (m, org) = state.meeting_and_group(&id).await?;
    let internal = crate::auth::may(
        &state,
        &v,
        samordna_domain::policy::Action::ReadGroupInternal,
        Some(&org),
    )
    .await;
    let mut body = meeting_json(&m, internal);
    body["organization"] = json!(org.slug);
    if m.agenda_published || internal {
        body["agenda"] = json!(state
            .store
            .agenda(m.id)
            .await?
            .iter()
            .map(|a| json!({"id": a.id, "position": a.position, "title": a.title}))
            .collect::<Vec<_>>());
    }
    let minutes = state.store.minutes(m.id).await?;
    let shown = minutes
        .iter()
        .rev()
        .find(|n| internal || n.status == samordna_domain::meetings::MinutesStatus::Published);
    body["minutes"] = match shown {
        Some(n) => json!({
            "version": n.version,
            "status": n.status.as_str(),
            "body": n.body,
            "row_version": n.row_version,
        }),
        None => Value::Null,
    };
    Ok(Json(body))
}
