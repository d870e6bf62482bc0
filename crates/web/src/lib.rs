//! The portal: server-rendered Swedish pages (askama) and the JSON API.
//!
//! Architecture invariant: handlers read and write through `samordna_store::Store`
//! only; they never build SQL. Every route is listed in `routes::ROUTES` with the
//! action the policy table must allow, and the router is built from that table, so
//! no route escapes the permission check. Every failure becomes an [`AppError`],
//! which renders itself as a Swedish HTML page or, under `/api/`, as JSON.

mod admin;
mod api;
pub mod auth;
mod compliance;
mod download;
mod edit;
mod error;
mod exceptions;
mod feed;
mod forms;
pub mod i18n;
mod links;
pub mod mail;
mod meetings;
mod oidc;
mod orgchart;
mod orginput;
mod pages;
pub mod return_path;
pub mod routes;
mod session;
#[cfg(feature = "test-support")]
pub mod testing;
mod view;
pub mod xml;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{ConnectInfo, Path, Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::{from_fn, from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, on, MethodFilter, MethodRouter};
use axum::Router;
use samordna_domain::policy::AnonymousAccess;
use samordna_store::Store;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub use error::AppError;
use routes::{RouteSpec, Scope, ROUTES};

/// OpenID Connect sign-in with the region's identity provider.
#[derive(Debug, Clone)]
pub struct OidcSettings {
    /// The issuer URL, e.g. `https://login.microsoftonline.com/{tenant}/v2.0`.
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    /// This installation's address as the provider sees it, e.g. `https://samordna.vgregion.se`.
    pub public_url: String,
    /// The claim that carries the e-mail address (Entra ID: `email` or `preferred_username`).
    pub email_claim: String,
}

/// Settings of an installation.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Where readers report accessibility problems (shown on /tillganglighet).
    pub contact_email: String,
    /// What visitors who are not signed in may read.
    pub anonymous_access: AnonymousAccess,
    /// A session ends after this long without a request.
    pub session_idle_minutes: i64,
    /// A session ends this long after sign-in, whatever happens.
    pub session_absolute_hours: i64,
    /// Cookies carry `Secure` (set behind HTTPS; also when the proxy says https).
    pub secure_cookies: bool,
    /// The largest request body accepted, in bytes (also the largest attachment).
    pub body_limit: usize,
    /// How long one request may take.
    pub request_timeout: Duration,
    pub oidc: Option<OidcSettings>,
    /// This installation's address, for links in mail.
    pub public_url: String,
    /// Outgoing mail; without it no mail is sent (jobs wait).
    pub smtp: Option<mail::SmtpSettings>,
    /// Region defaults for the settings each group may override (days to approve
    /// minutes, adjunct limit).
    pub region: samordna_domain::rules::RegionDefaults,
    /// The first retry of a failed job waits this long; later ones longer.
    pub job_retry_base: chrono::Duration,
    /// Behind a load balancer: take the client's address from `X-Forwarded-For`
    /// (for sign-in limits per address). Only when the proxy sets that header.
    pub trust_forwarded_for: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            contact_email: "samordna@example.org".into(),
            anonymous_access: AnonymousAccess::Published,
            session_idle_minutes: 30,
            session_absolute_hours: 12,
            secure_cookies: false,
            body_limit: 10 * 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            oidc: None,
            public_url: "http://127.0.0.1:8080".into(),
            smtp: None,
            region: Default::default(),
            job_retry_base: chrono::Duration::seconds(30),
            trust_forwarded_for: false,
        }
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub settings: Arc<Settings>,
}

/// "There is no group at this address", as a 404 page.
pub(crate) fn no_group(slug: &str) -> AppError {
    AppError::NotFound(i18n::current_tr().t1("error-no-group", "slug", slug))
}

impl AppState {
    /// The group at `slug`, or the 404 page that says there is none.
    pub(crate) async fn group(&self, slug: &str) -> Result<samordna_store::Organization, AppError> {
        self.store
            .organization_by_slug(slug)
            .await?
            .ok_or_else(|| no_group(slug))
    }
}

/// The whole web application with default settings.
pub fn router(store: Store) -> Router {
    router_with(store, Settings::default())
}

/// The handler of a route in the table.
fn handler(method: &str, path: &str) -> MethodRouter<AppState> {
    let filter = match method {
        "GET" => MethodFilter::GET,
        "POST" => MethodFilter::POST,
        "PUT" => MethodFilter::PUT,
        other => panic!("no method filter for {other}"),
    };
    macro_rules! h {
        ($f:expr) => {
            on(filter, $f)
        };
    }
    match (method, path) {
        ("GET", "/") => h!(pages::register),
        ("GET", "/grupper/{slug}") => h!(pages::group),
        ("GET", "/grupper/{slug}/uppdragshandlingar/{version}") => h!(pages::charter),
        ("GET", "/grupper/{slug}/uppdragshandlingar/{version}/kalla") => h!(pages::charter_source),
        ("GET", "/arenden") => h!(pages::cases),
        ("GET", "/arenden/{slug}") => h!(pages::case),
        ("GET", "/tillganglighet") => h!(pages::accessibility),
        ("GET", "/forvaltningar") => h!(edit::administrations),
        ("GET", "/grupper/{slug}/medlemmar") => h!(edit::members),
        ("GET", "/personer") => h!(edit::people),
        ("GET", "/grupper/ny") => h!(edit::group_new),
        ("POST", "/grupper/ny") => h!(edit::group_create),
        ("GET", "/grupper/{slug}/redigera") => h!(edit::group_edit),
        ("POST", "/grupper/{slug}/redigera") => h!(edit::group_save),
        ("GET", "/grupper/{slug}/medlemmar/ny") => h!(edit::membership_new),
        ("POST", "/grupper/{slug}/medlemmar/ny") => h!(edit::membership_create),
        ("GET", "/medlemskap/{id}/redigera") => h!(edit::membership_edit),
        ("POST", "/medlemskap/{id}/redigera") => h!(edit::membership_save),
        ("GET", "/personer/ny") => h!(edit::person_new),
        ("POST", "/personer/ny") => h!(edit::person_create),
        ("GET", "/personer/{id}/redigera") => h!(edit::person_edit),
        ("POST", "/personer/{id}/redigera") => h!(edit::person_save),
        ("GET", "/forvaltningar/ny") => h!(edit::administration_new),
        ("POST", "/forvaltningar/ny") => h!(edit::administration_create),
        ("GET", "/forvaltningar/{id}/redigera") => h!(edit::administration_edit),
        ("POST", "/forvaltningar/{id}/redigera") => h!(edit::administration_save),
        ("GET", "/organisation") => h!(orgchart::region),
        ("GET", "/grupper/{slug}/organisation") => h!(orgchart::group),
        ("GET", "/regelefterlevnad") => h!(compliance::dashboard),
        ("GET", "/grupper/{slug}/undantag") => h!(exceptions::list),
        ("POST", "/grupper/{slug}/undantag") => h!(exceptions::add),
        ("POST", "/grupper/{slug}/undantag/{id}/avsluta") => h!(exceptions::end),
        ("GET", "/regelefterlevnad.csv") => h!(compliance::csv),
        ("GET", "/admin/logg") => h!(admin::audit_log),
        ("GET", "/admin/logg.csv") => h!(admin::audit_csv),
        ("GET", "/konto") => h!(session::account),
        ("POST", "/konto/nycklar") => h!(session::token_create),
        ("POST", "/konto/nycklar/{id}/aterkalla") => h!(session::token_revoke),
        ("POST", "/konto/kalenderlankar") => h!(session::calendar_link_create),
        ("POST", "/konto/kalenderlankar/{id}/aterkalla") => h!(session::calendar_link_revoke),
        ("POST", "/logga-ut") => h!(session::sign_out),
        ("GET", "/grupper/{slug}/moten") => h!(meetings::list),
        ("GET", "/grupper/{slug}/moten/ny") => h!(meetings::new),
        ("POST", "/grupper/{slug}/moten/ny") => h!(meetings::create),
        ("GET", "/grupper/{slug}/moten/planera-ar") => h!(meetings::year_new),
        ("POST", "/grupper/{slug}/moten/planera-ar") => h!(meetings::year_create),
        ("GET", "/grupper/{slug}/kalender.ics") => h!(meetings::calendar),
        ("GET", "/grupper/{slug}/anteckningar.atom") => h!(meetings::feed),
        ("GET", "/moten/{id}") => h!(meetings::show),
        ("GET", "/moten/{id}/redigera") => h!(meetings::edit),
        ("POST", "/moten/{id}/redigera") => h!(meetings::save),
        ("POST", "/moten/{id}/installa") => h!(meetings::cancel),
        ("POST", "/moten/{id}/narvaro") => h!(meetings::attendance),
        ("POST", "/moten/{id}/bilagor") => {
            h!(meetings::upload).layer(axum::extract::DefaultBodyLimit::disable())
        }
        ("GET", "/moten/{id}/bilagor/{file}") => h!(meetings::download),
        ("POST", "/moten/{id}/dagordning") => h!(meetings::add_item),
        ("POST", "/moten/{id}/dagordning/publicera") => h!(meetings::publish_agenda),
        ("GET", "/moten/{id}/anteckningar") => h!(meetings::minutes_edit),
        ("POST", "/moten/{id}/anteckningar") => h!(meetings::minutes_save),
        ("POST", "/moten/{id}/anteckningar/skicka") => h!(meetings::submit),
        ("POST", "/moten/{id}/anteckningar/rattelse") => h!(meetings::correct),
        ("POST", "/moten/{id}/anteckningar/justera") => h!(meetings::approve),
        ("POST", "/moten/{id}/anteckningar/aterforvisa") => h!(meetings::return_minutes),
        ("POST", "/moten/{id}/anteckningar/publicera") => h!(meetings::publish),
        ("GET", "/api/v1/organizations") => h!(api::organizations),
        ("GET", "/api/v1/organizations/{slug}") => h!(api::organization),
        ("PUT", "/api/v1/organizations/{slug}") => h!(api::organization_put),
        ("GET", "/api/v1/organizations/{slug}/charters") => h!(api::charters),
        ("GET", "/api/v1/organizations/{slug}/charters/{version}") => h!(api::charter),
        ("GET", "/api/v1/organizations/{slug}/memberships") => h!(api::memberships),
        ("GET", "/api/v1/cases") => h!(api::cases),
        ("GET", "/api/v1/cases/{slug}") => h!(api::case),
        (m, p) => panic!("route {m} {p} is in ROUTES but has no handler"),
    }
}

/// Checks the route's action against the policy before its handler runs.
async fn guard(
    State((state, spec)): State<(AppState, RouteSpec)>,
    Path(params): Path<HashMap<String, String>>,
    req: Request,
    next: Next,
) -> Response {
    let visitor = req
        .extensions()
        .get::<auth::Visitor>()
        .cloned()
        .unwrap_or(auth::Visitor::Anonymous { csrf: None });
    let api = spec.path.starts_with("/api/");
    let org = scope_org(&state, spec.scope, &params).await;
    let checked = match org {
        Ok(org) => auth::require(&state, &visitor, spec.action, org.as_ref()).await,
        Err(e) => Err(e),
    };
    match checked {
        Ok(()) => next.run(req).await,
        Err(e) if api => e.into_json(),
        Err(e) => e.into_response(),
    }
}

/// The group a route acts on: by slug, or through the meeting or membership its
/// path names. `None` when the path names nothing (the handler answers 404).
async fn scope_org(
    state: &AppState,
    scope: Scope,
    params: &HashMap<String, String>,
) -> Result<Option<samordna_store::Organization>, AppError> {
    let id = || params.get("id").and_then(|i| i.parse::<i64>().ok());
    let org_id = match scope {
        Scope::Global => return Ok(None),
        Scope::GroupSlug => {
            return match params.get("slug") {
                Some(slug) => Ok(state.store.organization_by_slug(slug).await?),
                None => Ok(None),
            }
        }
        Scope::MeetingId => match id() {
            Some(id) => state
                .store
                .meeting(id)
                .await?
                .map(|m| m.fields.organization_id),
            None => None,
        },
        Scope::MembershipId => match id() {
            Some(id) => state
                .store
                .membership(id)
                .await?
                .map(|m| m.fields.organization_id),
            None => None,
        },
    };
    match org_id {
        Some(org_id) => Ok(state.store.organization(org_id).await?),
        None => Ok(None),
    }
}

/// Remembers the client's address for rate limiting: the peer's, or behind a
/// trusted proxy the last address of `X-Forwarded-For` — the one the proxy
/// appended; those before it are whatever the client sent.
async fn client_addr(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let forwarded = state
        .settings
        .trust_forwarded_for
        .then(|| {
            req.headers()
                .get("x-forwarded-for")?
                .to_str()
                .ok()?
                .rsplit(',')
                .next()
                .map(|a| a.trim().to_string())
        })
        .flatten()
        .filter(|a| !a.is_empty());
    let addr = forwarded.unwrap_or_else(|| {
        req.extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string())
            .unwrap_or_else(|| "unknown".into())
    });
    req.extensions_mut().insert(session::ClientAddr(addr));
    next.run(req).await
}

/// A path with a NUL character (`%00`) names nothing here: 404 before any handler
/// runs, so that no such text reaches the database (PostgreSQL refuses NUL in
/// text, which would be a 500). Form fields and JSON strings lose control
/// characters in `normalize`; this is the one place for paths.
async fn no_nul_in_paths(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if path.contains("%00") || path.contains('\0') {
        return pages::not_found().await.into_response();
    }
    next.run(req).await
}

/// The whole web application.
pub fn router_with(store: Store, settings: Settings) -> Router {
    let body_limit = settings.body_limit;
    let timeout = settings.request_timeout;
    let state = AppState {
        store,
        settings: Arc::new(settings),
    };
    let mut app: Router<AppState> = Router::new();
    for spec in ROUTES {
        let guarded = handler(spec.method, spec.path)
            .route_layer(from_fn_with_state((state.clone(), *spec), guard));
        app = app.route(spec.path, guarded);
    }
    app.route("/logga-in", get(session::sign_in_page).post(session::sign_in))
        .route("/oidc/start", get(oidc::start))
        .route("/oidc/callback", get(oidc::callback))
        .route("/sprak/{lang}", get(pages::switch_language))
        .route("/kalender/{file}", get(meetings::person_calendar))
        .route("/static/samordna.css", get(pages::stylesheet))
        .route("/healthz", get(|| async { "ok" }))
        .fallback(pages::fallback)
        .layer(from_fn(no_nul_in_paths))
        .layer(from_fn_with_state(state.clone(), auth::authenticate))
        .layer(from_fn_with_state(state.clone(), client_addr))
        .layer(from_fn(i18n::negotiate))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(body_limit))
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
    axum::serve(
        listener,
        router_with(store, settings).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
