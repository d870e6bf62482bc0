//! One error type for the web layer, mapped to HTTP: not found → 404, a database
//! that cannot be reached → 503, anything else is logged and becomes a plain 500.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use samordna_store::StoreError;

use crate::chrome::Chrome;
use crate::i18n::Tr;
use crate::request::RequestInfo;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    BadRequest(String),
    /// Not signed in: pages redirect to the sign-in page, the API answers 401.
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    Conflict(String),
    #[error("för många försök")]
    TooManyAttempts,
    /// A sign-in that could not be verified (401, with a message for the user).
    #[error("{0}")]
    Refused(String),
    #[error("för stor begäran")]
    TooLarge,
    /// The address exists but does not take this method (405).
    #[error("metoden stöds inte")]
    MethodNotAllowed,
    #[error("tjänsten är tillfälligt otillgänglig")]
    Unavailable(#[source] StoreError),
    #[error("internt fel")]
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => AppError::NotFound(format!("{what} finns inte")),
            StoreError::Conflict(m) => AppError::Conflict(m),
            e @ StoreError::Stale { .. } => AppError::Conflict(e.to_string()),
            e if e.is_unavailable() => AppError::Unavailable(e),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooManyAttempts => StatusCode::TOO_MANY_REQUESTS,
            AppError::Refused(_) => StatusCode::UNAUTHORIZED,
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The message shown to the user; internal details stay in the log.
    fn public_message(&self) -> String {
        let t = Tr {
            lang: RequestInfo::current().lang,
        };
        match self {
            AppError::NotFound(m)
            | AppError::BadRequest(m)
            | AppError::Unauthorized(m)
            | AppError::Forbidden(m)
            | AppError::Conflict(m)
            | AppError::Refused(m) => m.clone(),
            AppError::TooManyAttempts => t.t("error-too-many-text"),
            AppError::TooLarge => t.t("error-too-large-text"),
            AppError::MethodNotAllowed => t.t("error-method-not-allowed-text"),
            AppError::Unavailable(e) if e.is_disk_full() => t.t("error-disk-full-text"),
            AppError::Unavailable(_) => t.t("error-unavailable-text"),
            AppError::Internal(_) => t.t("error-internal-text"),
        }
    }

    fn log(&self) {
        match self {
            AppError::Internal(detail) => tracing::error!(%detail, "internal error"),
            AppError::Unavailable(e) => tracing::error!(error = %e, "database unavailable"),
            _ => {}
        }
    }

    /// The error as the request's path wants it: under an API (`/api/`, `/oparl/`)
    /// JSON, elsewhere a page.
    pub fn respond(self) -> Response {
        if is_api_path(&RequestInfo::current().path) {
            self.into_json()
        } else {
            self.into_response()
        }
    }

    /// The error as JSON, for the API.
    pub fn into_json(self) -> Response {
        self.log();
        let status = self.status();
        let body = serde_json::json!({ "error": { "status": status.as_u16(), "message": self.public_message() } });
        with_retry_after(status, (status, Json(body)).into_response())
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    c: Chrome,
    title: String,
    message: String,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        self.log();
        let status = self.status();
        if let AppError::Unauthorized(_) = self {
            let path = crate::request::RequestInfo::current().path;
            let to = format!("/logga-in?till={}", crate::request::encode_query(&path));
            return axum::response::Redirect::to(&to).into_response();
        }
        let c = Chrome::new("");
        let title = c.t.t(match status {
            StatusCode::NOT_FOUND => "error-not-found",
            StatusCode::BAD_REQUEST => "error-bad-request",
            StatusCode::SERVICE_UNAVAILABLE => "error-unavailable",
            StatusCode::FORBIDDEN => "error-forbidden",
            StatusCode::UNAUTHORIZED => "sign-in-title",
            StatusCode::CONFLICT => "error-conflict",
            StatusCode::TOO_MANY_REQUESTS => "error-too-many",
            StatusCode::PAYLOAD_TOO_LARGE => "error-too-large",
            StatusCode::METHOD_NOT_ALLOWED => "error-method-not-allowed",
            _ => "error-internal",
        });
        let page = ErrorPage {
            c,
            title,
            message: self.public_message(),
        };
        let res = match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => (status, self.public_message()).into_response(),
        };
        with_retry_after(status, res)
    }
}

/// A 503 says when to try again (RFC 9110 §10.2.3): the database is usually back
/// within seconds (a restart, a failover), the disk once someone has freed it.
fn with_retry_after(status: StatusCode, mut res: Response) -> Response {
    if status == StatusCode::SERVICE_UNAVAILABLE {
        res.headers_mut().insert(
            axum::http::header::RETRY_AFTER,
            axum::http::HeaderValue::from_static("10"),
        );
    }
    res
}

/// Whether a path is under one of the JSON APIs (`/api/`, `/oparl/`): errors
/// there are JSON, never a page. The one place that decides it.
pub fn is_api_path(path: &str) -> bool {
    path.starts_with("/api/") || path.starts_with("/oparl/") || path == "/oparl"
}

/// An API error: the same error, rendered as JSON.
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.into_json()
    }
}
