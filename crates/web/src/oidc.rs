//! Sign-in with the region's identity provider: OpenID Connect, authorization code
//! flow with PKCE (S256), `state` and `nonce`, via the `openidconnect` crate. The
//! pending sign-in (state → nonce, PKCE verifier, where to return) is kept in the
//! database so that any app node can finish it, and is good once and for ten
//! minutes. An authenticated employee without an account gets a reader account.

use axum::extract::State;

use crate::extract::Query;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Duration, Utc};
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet, EndpointNotSet,
    EndpointSet, IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
    TokenResponse,
};
use serde::Deserialize;

use crate::chrome::Chrome;
use crate::config::OidcSettings;
use crate::error::AppError;
use crate::request::ClientAddr;
use crate::return_path::ReturnPath;
use crate::session::start_session;
use crate::state::AppState;

fn http_client() -> Result<reqwest::Client, AppError> {
    reqwest::Client::builder()
        // Following redirects would let a provider response lead requests elsewhere.
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(15))
        .build()
        .map_err(|e| AppError::Internal(format!("http client: {e}")))
}

fn unavailable(what: &str, e: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %e, "OpenID Connect: {what}");
    AppError::Internal(format!("OpenID Connect: {what}: {e}"))
}

async fn metadata(
    oidc: &OidcSettings,
    http: &reqwest::Client,
) -> Result<CoreProviderMetadata, AppError> {
    let issuer = IssuerUrl::new(oidc.issuer.clone()).map_err(|e| unavailable("issuer", e))?;
    CoreProviderMetadata::discover_async(issuer, http)
        .await
        .map_err(|e| unavailable("discovery", e))
}

/// The relying party: the provider's discovered endpoints, our client id and
/// secret, and our callback.
async fn client(
    oidc: &OidcSettings,
    http: &reqwest::Client,
) -> Result<
    CoreClient<
        EndpointSet,
        EndpointNotSet,
        EndpointNotSet,
        EndpointNotSet,
        EndpointMaybeSet,
        EndpointMaybeSet,
    >,
    AppError,
> {
    Ok(CoreClient::from_provider_metadata(
        metadata(oidc, http).await?,
        ClientId::new(oidc.client_id.clone()),
        Some(ClientSecret::new(oidc.client_secret.clone())),
    )
    .set_redirect_uri(redirect_url(oidc)?))
}

fn redirect_url(oidc: &OidcSettings) -> Result<RedirectUrl, AppError> {
    RedirectUrl::new(format!(
        "{}/oidc/callback",
        oidc.public_url.trim_end_matches('/')
    ))
    .map_err(|e| unavailable("redirect url", e))
}

fn settings(state: &AppState) -> Result<&OidcSettings, AppError> {
    state
        .settings
        .oidc
        .as_ref()
        .ok_or_else(|| AppError::NotFound(crate::i18n::current_tr().t("error-oidc-not-configured")))
}

#[derive(Deserialize)]
pub struct StartQuery {
    till: Option<String>,
}

/// Sends the visitor to the identity provider.
pub async fn start(
    State(state): State<AppState>,
    Query(q): Query<StartQuery>,
) -> Result<Response, AppError> {
    let oidc = settings(&state)?;
    let http = http_client()?;
    let client = client(oidc, &http).await?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, csrf, nonce) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("email".into()))
        .add_scope(Scope::new("profile".into()))
        .set_pkce_challenge(challenge)
        .url();
    let pending = samordna_store::OidcPending {
        nonce: nonce.secret().clone(),
        pkce_verifier: verifier.secret().clone(),
        return_to: ReturnPath::parse(q.till.as_deref()).to_string(),
        created_at: Utc::now(),
    };
    state
        .store
        .put_oidc_pending(csrf.secret(), &pending)
        .await?;
    Ok(Redirect::to(url.as_str()).into_response())
}

#[derive(Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// Why a sign-in was refused; logged, never shown in detail.
fn refuse(state: &AppState, reason: &str) -> Result<Response, AppError> {
    tracing::warn!(reason, "OpenID Connect sign-in refused");
    let c = Chrome::new("sign-in");
    let message = c.t.t("sign-in-oidc-failed");
    let _ = state;
    Err(AppError::Refused(message))
}

/// A failed OpenID Connect sign-in counts against the address's sign-in limit, as
/// a wrong password does, and is recorded.
async fn count_failure(state: &AppState, addr: &ClientAddr, why: &str) -> Result<(), AppError> {
    let key = format!("ip:{}", addr.0);
    state
        .store
        .count_sign_in_attempt(
            &[(key.clone(), crate::session::MAX_PER_ADDRESS)],
            Duration::minutes(crate::session::WINDOW_MINUTES),
        )
        .await?;
    state.store.record_failed_sign_in(&[key], why).await?;
    Ok(())
}

/// The provider sends the visitor back here with a code.
pub async fn callback(
    State(state): State<AppState>,
    axum::Extension(addr): axum::Extension<ClientAddr>,
    axum::Extension(visitor): axum::Extension<crate::request::Visitor>,
    headers: HeaderMap,
    Query(q): Query<CallbackQuery>,
) -> Result<Response, AppError> {
    let oidc = settings(&state)?;
    if let Some(e) = q.error {
        return refuse(&state, &format!("the provider answered {e}"));
    }
    let (Some(code), Some(st)) = (q.code, q.state) else {
        return refuse(&state, "no code or state");
    };
    let Some(pending) = state.store.take_oidc_pending(&st).await? else {
        count_failure(&state, &addr, "oidc: unknown state").await?;
        return refuse(&state, "unknown or used state");
    };
    if Utc::now() - pending.created_at > Duration::minutes(10) {
        return refuse(&state, "the sign-in took longer than ten minutes");
    }
    let http = http_client()?;
    let client = client(oidc, &http).await?;
    let request = match client.exchange_code(AuthorizationCode::new(code)) {
        Ok(r) => r,
        Err(e) => return Err(unavailable("token endpoint", e)),
    };
    let token = match request
        .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier))
        .request_async(&http)
        .await
    {
        Ok(t) => t,
        Err(e) => return refuse(&state, &format!("code exchange failed: {e}")),
    };
    let Some(id_token) = token.id_token() else {
        return refuse(&state, "no ID token");
    };
    let claims = match id_token.claims(&client.id_token_verifier(), &Nonce::new(pending.nonce)) {
        Ok(c) => c,
        Err(e) => {
            count_failure(&state, &addr, &format!("oidc: {e}")).await?;
            return refuse(&state, &format!("ID token refused: {e}"));
        }
    };
    let subject = format!("{}#{}", oidc.issuer, claims.subject().as_str());
    let email = match oidc.email_claim.as_str() {
        "preferred_username" => claims.preferred_username().map(|u| u.as_str().to_string()),
        _ => claims.email().map(|e| e.as_str().to_string()),
    };
    let name = claims
        .name()
        .and_then(|n| n.get(None))
        .map(|n| n.as_str().to_string())
        .or_else(|| email.clone())
        .unwrap_or_else(|| claims.subject().as_str().to_string());
    let account = match state.store.account_by_oidc_subject(&subject).await? {
        Some(a) => a,
        None => {
            let Some(email) = email.filter(|e| e.contains('@')) else {
                return refuse(&state, "no e-mail claim");
            };
            match state.store.account_by_email(&email).await? {
                Some(a) if a.oidc_subject.is_none() => {
                    state
                        .store
                        .link_oidc_subject(a.id, &subject, &format!("account:{}", a.id))
                        .await?;
                    a
                }
                Some(_) => {
                    return refuse(
                        &state,
                        "the e-mail belongs to an account linked to another subject",
                    )
                }
                None => {
                    let new = samordna_store::NewAccount {
                        email: &email,
                        name: &name,
                        oidc_subject: Some(&subject),
                        ..Default::default()
                    };
                    let id = state.store.create_account(&new, "oidc").await?;
                    state
                        .store
                        .account_by_email(&email)
                        .await?
                        .filter(|a| a.id == id)
                        .ok_or_else(|| AppError::Internal("new account".into()))?
                }
            }
        }
    };
    if account.disabled {
        return refuse(&state, "account disabled");
    }
    let _ = StatusCode::OK;
    // Parsed again: what was stored is a path, but the type is the guarantee.
    let back = ReturnPath::parse(Some(&pending.return_to));
    start_session(&state, &headers, &visitor, account.id, "oidc", &back).await
}
