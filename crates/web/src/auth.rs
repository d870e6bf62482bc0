//! Who is asking, and may they? Sessions in the database (cookie `samordna_session`,
//! HttpOnly, SameSite=Lax, Secure behind HTTPS) with idle and absolute timeouts;
//! API tokens as `Authorization: Bearer`; CSRF tokens on every state-changing
//! request; roles from the account and its memberships, decided by the policy table
//! in `samordna_domain::policy`.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use chrono::{Duration, Utc};
use samordna_domain::calendar::swedish_date;
use samordna_domain::policy::{self, Action, Role};
use samordna_store::Organization;
use sha2::{Digest, Sha256};

use crate::error::AppError;
use crate::request::{cookies, Visitor, VISITOR};
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "samordna_session";
pub const CSRF_COOKIE: &str = "samordna_csrf";
pub const CSRF_FIELD: &str = "_csrf";

/// A random secret, URL-safe.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The SHA-256 of a secret, as stored in the database.
pub fn hash_secret(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// An argon2id hash of a password.
pub fn hash_password(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// Whether a password matches an argon2 hash.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A password an account may have: at least 12 characters.
pub fn check_new_password(password: &str) -> Result<(), String> {
    if password.chars().count() < 12 {
        return Err("Lösenordet måste ha minst 12 tecken.".into());
    }
    Ok(())
}

/// A `Set-Cookie` value with the flags every cookie of ours carries.
pub fn cookie(name: &str, value: &str, max_age: Option<i64>, secure: bool) -> String {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        c.push_str("; Secure");
    }
    c
}

/// Whether cookies must be `Secure`: set by configuration, or the request came over
/// HTTPS through a proxy.
pub fn secure(state: &AppState, headers: &HeaderMap) -> bool {
    state.settings.secure_cookies
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            == Some("https")
}

/// Middleware: finds the visitor (session cookie or bearer token), enforces the
/// session timeouts, and refuses state-changing requests without a valid CSRF token.
pub async fn authenticate(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let jar = cookies(req.headers());
    let mut end_cookie = false;
    let mut via_token = false;
    let mut visitor = Visitor::Anonymous {
        csrf: jar.get(CSRF_COOKIE).cloned(),
    };
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_string);
    if let Some(token) = bearer {
        match state.store.account_by_token(&hash_secret(&token)).await {
            Ok(Some(account)) if !account.disabled => {
                via_token = true;
                visitor = Visitor::Account {
                    account,
                    csrf: String::new(),
                    session_hash: None,
                };
            }
            Ok(_) => {
                return AppError::Unauthorized(crate::i18n::current_tr().t("error-api-key-invalid"))
                    .into_json()
            }
            Err(e) => return AppError::from(e).into_json(),
        }
    } else if let Some(secret) = jar.get(SESSION_COOKIE) {
        let hash = hash_secret(secret);
        match state.store.session(&hash).await {
            Ok(Some(s)) => {
                let now = Utc::now();
                let idle =
                    now - s.last_seen_at > Duration::minutes(state.settings.session_idle_minutes);
                if s.account.disabled || idle || now > s.expires_at {
                    let why = if idle { "idle-timeout" } else { "expired" };
                    let _ = state.store.end_session(&hash, why).await;
                    end_cookie = true;
                } else {
                    if now - s.last_seen_at > Duration::seconds(60) {
                        let _ = state.store.touch_session(&hash).await;
                    }
                    visitor = Visitor::Account {
                        account: s.account,
                        csrf: s.csrf_token,
                        session_hash: Some(hash),
                    };
                }
            }
            Ok(None) => end_cookie = true,
            Err(e) => return AppError::from(e).into_response(),
        }
    }

    let changes_state = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if changes_state && !via_token {
        let (parts, body) = req.into_parts();
        let bytes = match axum::body::to_bytes(body, state.settings.body_limit).await {
            Ok(b) => b,
            Err(_) => return AppError::TooLarge.into_response(),
        };
        // A multipart form (a file upload) carries the token in its action's query.
        let in_query = parts.uri.query().and_then(|q| {
            serde_urlencoded::from_str::<Vec<(String, String)>>(q)
                .ok()?
                .into_iter()
                .find(|(k, _)| k == CSRF_FIELD)
                .map(|(_, v)| v)
        });
        let mut sent = parts
            .headers
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
            .or_else(|| form_field(&bytes, CSRF_FIELD));
        if sent.is_none() {
            sent = multipart_field(&parts.headers, &bytes, CSRF_FIELD).await;
        }
        let sent = sent.or(in_query);
        let expected = visitor.csrf();
        if expected.is_empty() || sent.as_deref() != Some(expected.as_str()) {
            let path = parts.uri.path();
            // Under /api/, JSON: a client without a key is told to send one.
            if crate::error::is_api_path(path) && matches!(visitor, Visitor::Anonymous { .. }) {
                tracing::info!(%path, "refused an API write without an API key");
                return AppError::Unauthorized(crate::i18n::current_tr().t("error-api-key-needed"))
                    .into_json();
            }
            tracing::warn!(%path, "refused a request without a valid CSRF token");
            return AppError::Forbidden(crate::i18n::current_tr().t("error-csrf")).respond();
        }
        req = Request::from_parts(parts, Body::from(bytes));
    }

    req.extensions_mut().insert(visitor.clone());
    let mut res = VISITOR.scope(visitor, next.run(req)).await;
    // The handler may have set a new session (a sign-in): one cookie, never two.
    let sets_session = res.headers().get_all(header::SET_COOKIE).iter().any(|v| {
        v.to_str()
            .is_ok_and(|c| c.starts_with(&format!("{SESSION_COOKIE}=")))
    });
    if end_cookie && !sets_session {
        let sec = secure(&state, res.headers());
        if let Ok(v) = cookie(SESSION_COOKIE, "", Some(0), sec).parse() {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}

/// One field of an `application/x-www-form-urlencoded` body.
/// A text field of a `multipart/form-data` body (RFC 7578), read with multer
/// (axum's own multipart reader): a file upload carries its CSRF token in the
/// body like any form, never in the address.
async fn multipart_field(headers: &header::HeaderMap, body: &Bytes, name: &str) -> Option<String> {
    let ct = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    let boundary = multer::parse_boundary(ct).ok()?;
    let body = body.clone();
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(body) });
    let mut parts = multer::Multipart::new(stream, boundary);
    while let Ok(Some(field)) = parts.next_field().await {
        if field.name() == Some(name) {
            return field.text().await.ok();
        }
    }
    None
}

pub fn form_field(body: &Bytes, name: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// The roles a visitor has towards an organisation (or globally, with `None`):
/// system roles, plus group roles from current memberships in the organisation or
/// in the groups it reports to (globally: in any group).
pub async fn roles(
    state: &AppState,
    visitor: &Visitor,
    org: Option<&Organization>,
) -> Result<Vec<Role>, AppError> {
    let Some(account) = visitor.account() else {
        return Ok(vec![Role::Anonymous]);
    };
    let mut roles = vec![Role::Reader];
    match account.system_role.as_deref() {
        Some("admin") => roles.push(Role::Admin),
        Some("director") => roles.push(Role::Director),
        _ => {}
    }
    if let Some(person) = account.person_id {
        // For a group: memberships in it or in the groups it reports to. For a
        // global action: memberships anywhere (a coordinator may add people).
        let chain = match org {
            Some(org) => {
                // Up the reporting line one group at a time (a few reads by key),
                // not by reading the whole register.
                let mut chain = vec![org.id];
                let mut cur = org.reports_to_id;
                while let Some(id) = cur.filter(|id| !chain.contains(id) && chain.len() < 32) {
                    chain.push(id);
                    cur = state
                        .store
                        .organization(id)
                        .await?
                        .and_then(|o| o.reports_to_id);
                }
                Some(chain)
            }
            None => None,
        };
        let today = swedish_date(Utc::now());
        for m in state.store.memberships(None, Some(person)).await? {
            let here = chain
                .as_ref()
                .is_none_or(|c| c.contains(&m.fields.organization_id));
            if m.is_current(today) && here {
                roles.push(Role::from_membership(m.fields.role));
            }
        }
    }
    Ok(roles)
}

/// Refuses unless the visitor may do `action` (to `org`): 401 for a visitor who is
/// not signed in, 403 for one who is.
pub async fn require(
    state: &AppState,
    visitor: &Visitor,
    action: Action,
    org: Option<&Organization>,
) -> Result<(), AppError> {
    let roles = roles(state, visitor, org).await?;
    if policy::may(&roles, action, state.settings.anonymous_access) {
        return Ok(());
    }
    match visitor {
        Visitor::Anonymous { .. } => Err(AppError::Unauthorized(
            crate::i18n::current_tr().t("error-sign-in-to-continue"),
        )),
        Visitor::Account { .. } => Err(AppError::Forbidden(
            crate::i18n::current_tr().t("error-no-permission"),
        )),
    }
}

/// Whether the visitor may; for showing or hiding links.
pub async fn may(
    state: &AppState,
    visitor: &Visitor,
    action: Action,
    org: Option<&Organization>,
) -> bool {
    match roles(state, visitor, org).await {
        Ok(r) => policy::may(&r, action, state.settings.anonymous_access),
        Err(_) => false,
    }
}
