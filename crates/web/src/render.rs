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
/// (the page then says why above it, and the answer carries the reason as a
/// [`crate::forms::Refusal`] for the API), 200 otherwise.
pub fn page_after_form<T: Template>(t: &T, refused: Option<String>) -> Result<Response, AppError> {
    let html = page(t)?;
    Ok(match refused {
        Some(message) => {
            let mut r = (axum::http::StatusCode::UNPROCESSABLE_ENTITY, html).into_response();
            r.extensions_mut().insert(crate::forms::Refusal {
                message,
                rows: Vec::new(),
            });
            r
        }
        None => html,
    })
}
