//! The OpenAPI description of `/api/v1`, generated from the handlers'
//! `#[utoipa::path]` attributes and the schemas below, served at
//! `/api/v1/openapi.json` (a stable address; OpenAPI 3.1). Every operation also
//! lists the API's error answers ([`ApiErrorBody`]) and takes a bearer API key.
//! The test below holds the description and the route table ([`crate::routes`])
//! to the same operations; schemathesis (`scripts/test`) holds the server to
//! the description.
//!
//! The response schemas name the fields clients rely on and their types; a
//! schema may leave further fields unnamed (JSON Schema allows them).

use axum::response::{IntoResponse, Response};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use crate::api_schema::{ApiErrorBody, ErrorDetail, FieldError, Paged, Written};

/// The description.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Samordna API",
        description = "Registret över regionens samverkansgrupper: grupper, uppdragshandlingar, medlemskap, möten, mötesanteckningar, grupparenden och beslut. Läsning utan nyckel enligt installationens inställning; skrivning med en API-nyckel (`Authorization: Bearer …`, skapas under Mitt konto) och samma behörigheter som i portalen.",
        version = "1"
    ),
    paths(
        crate::api::organizations,
        crate::api::organization,
        crate::api::organization_put,
        crate::api::charters,
        crate::api::charter,
        crate::api::memberships,
        crate::api::cases,
        crate::api::case,
        crate::search::api,
        crate::decisions::api::decisions,
        crate::decisions::api::decision,
        crate::decisions::api::matters,
        crate::decisions::api::matter,
        crate::api_forms::membership_create,
        crate::api_forms::membership_put,
        crate::api_forms::meetings,
        crate::api_forms::meeting,
        crate::api_forms::meeting_create,
        crate::api_forms::meeting_put,
        crate::api_forms::meeting_cancel,
        crate::api_forms::minutes_put,
        crate::api_forms::minutes_submit,
        crate::api_forms::minutes_approve,
        crate::api_forms::minutes_return,
        crate::api_forms::minutes_publish,
        crate::api_forms::minutes_correct,
        crate::api_forms::matter_create,
        crate::api_forms::matter_status,
        crate::api_forms::decision_create,
        spec,
    ),
    components(schemas(ApiErrorBody, ErrorDetail, FieldError, Written, Paged)),
    modifiers(&Common)
)]
pub struct ApiDoc;

/// Adds to every operation the error answers every route can give (the guard,
/// the body and query readers, the store) and the bearer key.
struct Common;

impl Modify for Common {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        let errors: [(&str, &str); 9] = [
            (
                "400",
                "Begäran kan inte läsas: fältet eller parametern och felet namnges",
            ),
            ("401", "Inloggning eller API-nyckel behövs"),
            ("403", "Behörighet saknas"),
            ("404", "Finns inte"),
            (
                "409",
                "Någon annan hann före, eller steget passar inte tillståndet",
            ),
            ("412", "If-Match stämmer inte med den sparade versionen"),
            ("413", "För stor begäran"),
            ("422", "Fälten godtogs inte: varje fält med sitt fel"),
            ("429", "För många försök"),
        ];
        for item in openapi.paths.paths.values_mut() {
            for op in [
                item.get.as_mut(),
                item.put.as_mut(),
                item.post.as_mut(),
                item.delete.as_mut(),
            ]
            .into_iter()
            .flatten()
            {
                for (code, text) in errors {
                    op.responses
                        .responses
                        .entry(code.to_string())
                        .or_insert_with(|| {
                            RefOr::T(
                                ResponseBuilder::new()
                                    .description(text)
                                    .content(
                                        "application/json",
                                        utoipa::openapi::ContentBuilder::new()
                                            .schema(Some(utoipa::openapi::Ref::from_schema_name(
                                                "ApiErrorBody",
                                            )))
                                            .build(),
                                    )
                                    .build(),
                            )
                        });
                }
                op.security = Some(vec![
                    utoipa::openapi::security::SecurityRequirement::new(
                        "bearer",
                        Vec::<String>::new(),
                    ),
                    utoipa::openapi::security::SecurityRequirement::default(),
                ]);
            }
        }
    }
}

/// `GET /api/v1/openapi.json`: this description.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "API",
    responses((status = 200, description = "OpenAPI 3.1-beskrivningen av /api/v1", body = serde_json::Value)))]
pub async fn spec() -> Response {
    let mut r = axum::Json(ApiDoc::openapi()).into_response();
    r.headers_mut().insert(
        axum::http::header::ACCESS_CONTROL_ALLOW_ORIGIN,
        axum::http::HeaderValue::from_static("*"),
    );
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `/api/v1` route of the table is described, with its method, and
    /// the description names no operation the server does not have.
    #[test]
    fn the_description_and_the_routes_name_the_same_operations() {
        let doc = ApiDoc::openapi();
        let mut described: Vec<(String, String)> = Vec::new();
        for (path, item) in &doc.paths.paths {
            for (method, op) in [
                ("GET", item.get.is_some()),
                ("PUT", item.put.is_some()),
                ("POST", item.post.is_some()),
                ("DELETE", item.delete.is_some()),
            ] {
                if op {
                    described.push((method.to_string(), path.clone()));
                }
            }
        }
        described.sort();
        let mut routed: Vec<(String, String)> = crate::routes::ROUTES
            .iter()
            .filter(|r| r.path.starts_with("/api/v1/"))
            .map(|r| (r.method.to_string(), r.path.to_string()))
            .collect();
        routed.sort();
        assert_eq!(described, routed);
    }
}
