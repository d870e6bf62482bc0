//! Rendering a page template as the response.

use askama::Template;
use axum::response::{Html, IntoResponse, Response};

use crate::error::AppError;

/// Renders a page template as the response.
pub fn page<T: Template>(t: &T) -> Result<Response, AppError> {
    let html = t
        .render()
        .map_err(|e| AppError::Internal(format!("template: {e}")))?;
    Ok(Html(html).into_response())
}

/// Renders a page that answers a form it holds: 422 when the form was refused
/// (the page then says why above it), 200 otherwise.
pub fn page_after_form<T: Template>(t: &T, refused: bool) -> Result<Response, AppError> {
    let html = page(t)?;
    Ok(if refused {
        (axum::http::StatusCode::UNPROCESSABLE_ENTITY, html).into_response()
    } else {
        html
    })
}
