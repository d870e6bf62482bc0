//! The portal: server-rendered Swedish pages (askama) and the read-only JSON API.
//!
//! Architecture invariant: handlers read through `samordna_store::Store` only; they
//! never build SQL. Every failure becomes an [`AppError`], which renders itself as
//! a Swedish HTML page or, under `/api/`, as JSON with a message.

mod api;
mod error;
pub mod i18n;
mod pages;
mod view;

use std::sync::Arc;

use axum::http::{header, HeaderValue};
use axum::routing::get;
use axum::Router;
use samordna_store::Store;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub use error::AppError;

/// Settings of an installation.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Where readers report accessibility problems (shown on /tillganglighet).
    pub contact_email: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            contact_email: "samordna@example.org".into(),
        }
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub settings: Arc<Settings>,
}

/// The whole web application with default settings.
pub fn router(store: Store) -> Router {
    router_with(store, Settings::default())
}

/// The whole web application.
pub fn router_with(store: Store, settings: Settings) -> Router {
    let state = AppState {
        store,
        settings: Arc::new(settings),
    };
    Router::new()
        .route("/", get(pages::register))
        .route("/grupper/{slug}", get(pages::group))
        .route(
            "/grupper/{slug}/uppdragshandlingar/{version}",
            get(pages::charter),
        )
        .route(
            "/grupper/{slug}/uppdragshandlingar/{version}/kalla",
            get(pages::charter_source),
        )
        .route("/arenden", get(pages::cases))
        .route("/arenden/{slug}", get(pages::case))
        .route("/static/samordna.css", get(pages::stylesheet))
        .route("/tillganglighet", get(pages::accessibility))
        .route("/sprak/{lang}", get(pages::switch_language))
        .route("/healthz", get(|| async { "ok" }))
        .nest("/api/v1", api::router())
        .fallback(pages::not_found)
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'self'; img-src 'self' data:; style-src 'self'"),
        ))
        .layer(axum::middleware::from_fn(i18n::negotiate))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Serves the application on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    store: Store,
    settings: Settings,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router_with(store, settings))
        .with_graceful_shutdown(shutdown)
        .await
}
