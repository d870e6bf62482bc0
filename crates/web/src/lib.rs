//! The portal: server-rendered Swedish pages (askama) and the JSON API.
//!
//! This file holds only the router and `serve`. The ground floor every feature
//! stands on: `config` (settings), `state` (what handlers reach), `request` (the
//! visitor, language and path of the request being served), `error` (one error
//! that maps to HTTP), `chrome` and `render` (the frame of a page). Routes are
//! declared once, with their action and handler, in `routes`.
//!
//! Architecture invariant: handlers read and write through `samordna_store::Store`
//! only; they never build SQL. Every route is in `routes::ROUTES` with the action
//! the policy table must allow, and the router is built from that table, so no
//! route escapes the permission check. Every failure becomes an [`AppError`], which
//! renders itself as an HTML page in the reader's language or, under `/api/`, as
//! JSON.

mod admin;
mod api;
mod api_forms;
pub mod api_schema;
pub mod archive;
pub mod auth;
pub mod cache;
mod chrome;
mod compliance;
pub mod config;
mod conformance;
mod decisions;
mod documents;
mod download;
mod drafts;
mod edit;
mod error;
mod exceptions;
pub mod export;
mod extract;
mod feed;
mod forms;
pub mod i18n;
pub mod lang;
mod links;
pub mod mail;
mod matters;
mod meetings;
mod middleware;
mod oidc;
pub mod oparl;
pub mod openapi;
mod orgchart;
mod orginput;
mod pages;
mod paging;
mod render;
pub mod request;
pub mod return_path;
pub mod routes;
mod search;
pub mod search_sync;
mod session;
pub mod state;
mod tasks;
#[cfg(feature = "test-support")]
pub mod testing;
mod view;
pub mod xml;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::http::{header, HeaderValue};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{get, MethodFilter};
use axum::Router;
use samordna_store::Store;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub use config::{OidcSettings, Settings};
pub use error::AppError;
pub use state::AppState;

/// The whole web application with default settings.
pub fn router(store: Store) -> Router {
    router_with(store, Settings::default())
}

/// The whole web application.
pub fn router_with(store: Store, settings: Settings) -> Router {
    app(AppState::new(store, settings)).0
}

/// The router and its response cache (whose watcher [`serve`] starts).
fn app(state: AppState) -> (Router, Arc<cache::ResponseCache>) {
    let response_cache = Arc::new(cache::ResponseCache::new(state.settings.cache));
    let body_limit = state.settings.body_limit;
    let timeout = state.settings.request_timeout;
    let mut app: Router<AppState> = Router::new();
    for spec in routes::ROUTES {
        let filter = match spec.method {
            "GET" => MethodFilter::GET,
            "POST" => MethodFilter::POST,
            "PUT" => MethodFilter::PUT,
            other => panic!("no method filter for {other}"),
        };
        let guarded = (spec.handler)(filter)
            .route_layer(from_fn_with_state((state.clone(), *spec), routes::guard));
        app = app.route(spec.path, guarded);
    }
    let router = app.route("/logga-in", get(session::sign_in_page).post(session::sign_in))
        .route("/oidc/start", get(oidc::start))
        .route("/oidc/callback", get(oidc::callback))
        .route("/sprak/{lang}", get(pages::switch_language))
        .route("/kalender/{file}", get(meetings::person_calendar))
        .route("/static/samordna.css", get(pages::stylesheet))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readiness).with_state(state.clone()))
        .fallback(pages::fallback)
        .method_not_allowed_fallback(pages::method_not_allowed)
        .layer(from_fn(middleware::no_nul_in_paths))
        .layer(from_fn(middleware::oparl_cors))
        .layer(from_fn_with_state(state.clone(), auth::authenticate))
        .layer(from_fn_with_state(state.clone(), middleware::client_addr))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(body_limit))
        .layer(from_fn_with_state(body_limit, middleware::declared_size))
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(from_fn(middleware::negotiate))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(axum::http::StatusCode::REQUEST_TIMEOUT, timeout))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'",
            ),
        ))
        // Outside all but the trace: a page from the cache carries the headers the
        // layers inside gave it when it was made, and skips them.
        .layer(from_fn_with_state(response_cache.clone(), cache::layer))
        .layer(TraceLayer::new_for_http())
        .with_state(state);
    (router, response_cache)
}

/// Serves the application on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    store: Store,
    settings: Settings,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let watching = settings.cache;
    // The search index: on disk where the settings say, else in memory; kept
    // current from the database in the background (a rebuild first when it is
    // missing or stale, while the server already serves).
    let search = search_sync::Search::open(store.clone(), settings.search_index.as_deref())
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    let search = Arc::new(search);
    let keeper = search.spawn(settings.search_interval);
    let state = AppState {
        store: store.clone(),
        settings: Arc::new(settings),
        search,
        oparl: Default::default(),
    };
    let (router, response_cache) = app(state);
    let watcher = match watching {
        true => Some(response_cache.watch(store).await),
        false => None,
    };
    let served = axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await;
    if let Some(w) = watcher {
        w.abort();
    }
    keeper.abort();
    served
}

/// `GET /readyz`: whether this node can serve the register now — its database
/// answers within two seconds. 200 `ok`, or 503 with the reason (for a load
/// balancer's or an orchestrator's readiness check; `/healthz` says only that the
/// process runs).
async fn readiness(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> (axum::http::StatusCode, &'static str) {
    let answer = tokio::time::timeout(
        std::time::Duration::from_secs(2),
        state.store.change_count(),
    )
    .await;
    match answer {
        Ok(Ok(_)) => (axum::http::StatusCode::OK, "ok"),
        _ => (
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "databasen svarar inte",
        ),
    }
}
