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
