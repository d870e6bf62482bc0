//! Extractors whose refusals the user can read: a query string or a JSON body
//! that cannot be read is answered with a 400 that names the parameter or field,
//! in the reader's language, as a page or (under `/api/`) as the API's JSON
//! error. Axum's own extractors answer with English plain text.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::response::Response;
use serde::de::DeserializeOwned;

use crate::error::AppError;
use crate::i18n::current_tr;

/// The query string as `T` (`?sida=2`). A value that cannot be read, or a
/// parameter given twice, is a 400 naming the parameter and the value.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Response> {
        let raw = parts.uri.query().unwrap_or("");
        let de = serde_urlencoded::Deserializer::new(url::form_urlencoded::parse(raw.as_bytes()));
        serde_path_to_error::deserialize(de)
            .map(Query)
            .map_err(|e| {
                let param = named(&e);
                let t = current_tr();
                let message = match param {
                    Some(param) => {
                        let value = url::form_urlencoded::parse(raw.as_bytes())
                            .find(|(k, _)| *k == param)
                            .map(|(_, v)| v.into_owned())
                            .unwrap_or_default();
                        t.args(
                            "error-bad-query",
                            &[
                                ("param", crate::i18n::Arg::Text(param)),
                                ("value", crate::i18n::Arg::Text(value)),
                            ],
                        )
                    }
                    None => t.t("error-bad-query-any"),
                };
                AppError::BadRequest(message).respond()
            })
    }
}

/// A filter's value from the query string: empty means no filter; a value that
/// is none of the choices is a 400 naming the parameter and the value, like any
/// unreadable parameter.
pub fn choice<T: std::str::FromStr>(param: &str, value: &str) -> Result<Option<T>, AppError> {
    if value.is_empty() {
        return Ok(None);
    }
    value.parse::<T>().map(Some).map_err(|_| {
        AppError::BadRequest(current_tr().args(
            "error-bad-query",
            &[
                ("param", crate::i18n::Arg::Text(param.to_string())),
                ("value", crate::i18n::Arg::Text(value.to_string())),
            ],
        ))
    })
}

/// A JSON request body as `T`. A body that is not JSON, or a field missing or of
/// the wrong kind, is a 400 naming the field.
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Response> {
        let t = current_tr();
        let axum::Json(value) = axum::Json::<serde_json::Value>::from_request(req, state)
            .await
            .map_err(|e| {
                use axum::extract::rejection::JsonRejection::*;
                let message = match e {
                    MissingJsonContentType(_) => t.t("error-api-json-type"),
                    other => t.t1("error-api-json", "detail", other.body_text()),
                };
                AppError::BadRequest(message).respond()
            })?;
        from_json(value).map(JsonBody).map_err(AppError::respond)
    }
}

/// A JSON value as `T`: a field missing or of the wrong kind is a 400 naming the
/// field (what [`JsonBody`] answers; also for a body merged with a record).
pub fn from_json<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, AppError> {
    let t = current_tr();
    serde_path_to_error::deserialize(value).map_err(|e| {
        let message = match named(&e) {
            Some(field) => t.args(
                "error-api-json-field",
                &[
                    ("field", crate::i18n::Arg::Text(field)),
                    ("detail", crate::i18n::Arg::Text(e.inner().to_string())),
                ],
            ),
            None => t.t1("error-api-json", "detail", e.inner().to_string()),
        };
        AppError::BadRequest(message)
    })
}

/// The parameter or field an error is about: its path, or the field serde
/// names in "missing field `x`" / "duplicate field `x`" at the top level.
fn named<E: std::fmt::Display>(e: &serde_path_to_error::Error<E>) -> Option<String> {
    let path = e.path().to_string();
    if path != "." && !path.is_empty() {
        return Some(path);
    }
    let inner = e.inner().to_string();
    let start = inner.find('`')? + 1;
    let len = inner[start..].find('`')?;
    Some(inner[start..start + len].to_string())
}
