//! The middleware every request passes before its route: the language and path,
//! the client's address, and paths that name nothing.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::lang::Lang;
use crate::request::{cookie_lang, ClientAddr, RequestInfo, REQUEST};
use crate::state::AppState;

/// Middleware: chooses the language and runs the request with it.
pub async fn negotiate(req: Request, next: Next) -> Response {
    let lang = request_lang(req.headers());
    let info = RequestInfo {
        lang,
        // With the query, so that switching language or signing in comes back to the
        // same filtered, sorted page.
        path: req
            .uri()
            .path_and_query()
            .map_or_else(|| "/".to_string(), |p| p.as_str().to_string()),
    };
    let mut res = REQUEST.scope(info, next.run(req)).await;
    res.headers_mut().insert(
        header::CONTENT_LANGUAGE,
        header::HeaderValue::from_static(lang.code()),
    );
    res.headers_mut().append(
        header::VARY,
        header::HeaderValue::from_static("accept-language, cookie"),
    );
    res
}

/// The language a request asks for: its `lang` cookie, else `Accept-Language`,
/// else Swedish.
pub fn request_lang(headers: &header::HeaderMap) -> Lang {
    cookie_lang(headers)
        .or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::from_accept_language)
        })
        .unwrap_or(Lang::Sv)
}

/// Remembers the client's address for rate limiting: the peer's, or behind a
/// trusted proxy the last address of `X-Forwarded-For` — the one the proxy
/// appended; those before it are whatever the client sent.
pub async fn client_addr(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
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
    req.extensions_mut().insert(ClientAddr(addr));
    next.run(req).await
}

/// A path with a NUL character (`%00`) names nothing here: 404 before any handler
/// runs, so that no such text reaches the database (PostgreSQL refuses NUL in
/// text, which would be a 500). Form fields and JSON strings lose control
/// characters in `normalize`; this is the one place for paths.
pub async fn no_nul_in_paths(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if path.contains("%00") || path.contains('\0') {
        return crate::pages::not_found().await.into_response();
    }
    next.run(req).await
}

/// Middleware: every answer under `/oparl/` — objects, lists and errors — may be
/// read by a page of any origin (OParl 1.1: CORS for GET).
pub async fn oparl_cors(req: Request, next: Next) -> Response {
    let oparl = req.uri().path().starts_with("/oparl");
    let mut r = next.run(req).await;
    if oparl {
        r.headers_mut().insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            axum::http::HeaderValue::from_static("*"),
        );
    }
    r
}

/// Middleware: a request that declares a body larger than the server takes
/// (`Content-Length` over `Settings::body_limit`) is answered at once with the
/// "too large" page in the reader's language — not tower-http's English plain
/// text, which still guards bodies that declare no length.
pub async fn declared_size(State(limit): State<usize>, req: Request, next: Next) -> Response {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return crate::error::AppError::TooLarge.into_response();
    }
    next.run(req).await
}
