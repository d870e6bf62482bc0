//! Signing in and out, the account page and API tokens.

use crate::forms::Form;
use askama::Template;
use axum::extract::{Path, State};

use crate::extract::Query;
use crate::view::LocalTime as _;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Extension;
use chrono::{Duration, Utc};
use serde::Deserialize;

use crate::auth::{
    cookie, hash_secret, random_token, secure, verify_password, CSRF_COOKIE, SESSION_COOKIE,
};
use crate::chrome::Chrome;
use crate::error::AppError;
use crate::forms::{Errors, Field, FieldKind, FormView, Posted};
use crate::request::{ClientAddr, Visitor};
use crate::return_path::ReturnPath;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct Till {
    till: Option<String>,
}

fn sign_in_form(csrf: &str, email: &str, till: &ReturnPath, error: Option<String>) -> FormView {
    let t = Chrome::new("sign-in").t;
    let mut email_field = Field::new(
        "email",
        t.t("sign-in-email"),
        FieldKind::Input("email"),
        email,
    )
    .required()
    .autocomplete("username");
    email_field.error = error;
    FormView {
        title: t.t("sign-in-title"),
        intro: Some(t.t("sign-in-intro")),
        action: "/logga-in".into(),
        csrf: csrf.to_string(),
        row_version: None,
        hidden: vec![("till".into(), till.to_string())],
        fields: vec![
            email_field,
            Field::new(
                "password",
                t.t("sign-in-password"),
                FieldKind::Input("password"),
                "",
            )
            .required()
            .autocomplete("current-password"),
        ],
        submit: t.t("sign-in-submit"),
        back: None,
    }
}

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    c: Chrome,
    f: FormView,
    oidc_href: Option<String>,
    notice: Option<String>,
}

fn render_sign_in(
    state: &AppState,
    status: StatusCode,
    f: FormView,
    till: &ReturnPath,
    set_csrf: Option<String>,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let oidc_href = state.settings.oidc.as_ref().map(|_| {
        format!(
            "/oidc/start?till={}",
            crate::request::encode_query(till.as_str())
        )
    });
    let html = SignInPage {
        c: Chrome::new("sign-in"),
        f,
        oidc_href,
        notice,
    }
    .render()
    .map_err(|e| AppError::Internal(format!("template: {e}")))?;
    let mut res = (status, Html(html)).into_response();
    if let Some(token) = set_csrf {
        if let Ok(v) = cookie(CSRF_COOKIE, &token, None, state.settings.secure_cookies).parse() {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    Ok(res)
}

pub async fn sign_in_page(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Query(q): Query<Till>,
) -> Result<Response, AppError> {
    let till = ReturnPath::parse(q.till.as_deref());
    let (csrf, set) = match v.csrf() {
        c if !c.is_empty() => (c, None),
        _ => {
            let c = random_token();
            (c.clone(), Some(c))
        }
    };
    render_sign_in(
        &state,
        StatusCode::OK,
        sign_in_form(&csrf, "", &till, None),
        &till,
        set,
        None,
    )
}

/// Failed sign-ins allowed per account and per address in the window.
const MAX_PER_ACCOUNT: i64 = 5;
pub(crate) const MAX_PER_ADDRESS: i64 = 20;
pub(crate) const WINDOW_MINUTES: i64 = 15;

pub async fn sign_in(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Extension(addr): Extension<ClientAddr>,
    headers: HeaderMap,
    Form(p): crate::forms::Posts,
) -> Result<Response, AppError> {
    let p = Posted(p);
    let email = p.get("email").to_lowercase();
    let till = ReturnPath::parse(p.opt("till").as_deref());
    let keys = vec![format!("account:{email}"), format!("ip:{}", addr.0)];
    // Counted before the password is checked, atomically: of many requests sent
    // at once only those within the limit are ever verified.
    let within = state
        .store
        .count_sign_in_attempt(
            &[
                (keys[0].clone(), MAX_PER_ACCOUNT),
                (keys[1].clone(), MAX_PER_ADDRESS),
            ],
            Duration::minutes(WINDOW_MINUTES),
        )
        .await?;
    if !within {
        return Err(AppError::TooManyAttempts);
    }
    let account = state.store.account_by_email(&email).await?;
    let ok = account
        .as_ref()
        .filter(|a| !a.disabled)
        .and_then(|a| a.password_hash.as_deref())
        .is_some_and(|h| verify_password(&p.get("password"), h));
    let Some(account) = account.filter(|_| ok) else {
        state.store.record_failed_sign_in(&keys, &email).await?;
        let t = Chrome::new("sign-in").t;
        let form = sign_in_form(&v.csrf(), &email, &till, Some(t.t("sign-in-failed")));
        return render_sign_in(&state, StatusCode::UNAUTHORIZED, form, &till, None, None);
    };
    state.store.forget_sign_in_attempt(&keys).await?;
    start_session(&state, &headers, &v, account.id, "password", &till).await
}

/// Creates a session and its cookie, then goes to `till`. The visitor's current
/// session, if any, ends: a new sign-in replaces it.
pub async fn start_session(
    state: &AppState,
    headers: &HeaderMap,
    visitor: &Visitor,
    account_id: i64,
    how: &str,
    till: &ReturnPath,
) -> Result<Response, AppError> {
    if let Visitor::Account {
        session_hash: Some(old),
        ..
    } = visitor
    {
        state.store.end_session(old, "replaced").await?;
    }
    let secret = random_token();
    let hours = state.settings.session_absolute_hours;
    state
        .store
        .create_session(
            &hash_secret(&secret),
            account_id,
            &random_token(),
            Utc::now() + Duration::hours(hours),
            how,
        )
        .await?;
    let c = cookie(
        SESSION_COOKIE,
        &secret,
        Some(hours * 3600),
        secure(state, headers),
    );
    Ok(([(header::SET_COOKIE, c)], Redirect::to(till.as_str())).into_response())
}

pub async fn sign_out(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    if let Visitor::Account {
        session_hash: Some(h),
        ..
    } = &v
    {
        state.store.end_session(h, "sign-out").await?;
    }
    let c = cookie(SESSION_COOKIE, "", Some(0), secure(&state, &headers));
    Ok(([(header::SET_COOKIE, c)], Redirect::to("/")).into_response())
}

/// The visitor's account; a visitor who is not signed in goes to the sign-in page.
fn signed_in(v: &Visitor) -> Result<samordna_store::Account, AppError> {
    v.account()
        .cloned()
        .ok_or_else(|| AppError::Unauthorized(String::new()))
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    c: Chrome,
    account: samordna_store::Account,
    role: String,
    tokens: Vec<samordna_store::ApiToken>,
    new_token: Option<String>,
    /// The key form sent again: the key was made, its secret shown once before.
    token_again: bool,
    /// The key's name as typed, and why it was refused.
    token_name: String,
    token_error: Option<String>,
    /// (id, address, created, revoked) of the account's calendar links.
    calendars: Vec<(i64, String, String, bool)>,
    csrf: String,
    /// A new key for each of the page's creating forms (`_once`).
    once: String,
}

/// What the key form left to say.
#[derive(Default)]
struct TokenForm {
    secret: Option<String>,
    again: bool,
    name: String,
    error: Option<String>,
}

async fn account_page(
    state: &AppState,
    v: &Visitor,
    form: TokenForm,
) -> Result<Response, AppError> {
    let account = signed_in(v)?;
    let c = Chrome::new("account");
    let role = c.t.t(match account.system_role.as_deref() {
        Some("admin") => "account-role-admin",
        Some("director") => "account-role-director",
        _ => "account-role-none",
    });
    let tokens = state.store.api_tokens(account.id).await?;
    let base = state.settings.public_url.trim_end_matches('/');
    let calendars = state
        .store
        .calendar_links(account.id)
        .await?
        .into_iter()
        .map(|l| {
            (
                l.id,
                format!("{base}/kalender/{}.ics", l.token),
                crate::view::LocalTime::local_date(&l.created_at),
                l.revoked_at.is_some(),
            )
        })
        .collect();
    let page = AccountPage {
        c,
        role,
        tokens,
        calendars,
        new_token: form.secret,
        token_again: form.again,
        token_name: form.name,
        csrf: v.csrf(),
        once: random_token(),
        account,
        token_error: form.error.clone(),
    };
    match form.error {
        Some(e) => crate::render::page_after_form(&page, Some(e)),
        None => crate::render::page(&page),
    }
}

pub async fn account(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
) -> Result<Response, AppError> {
    account_page(&state, &v, TokenForm::default()).await
}

pub async fn token_create(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Form(p): crate::forms::Posts,
) -> Result<Response, AppError> {
    let account = signed_in(&v)?;
    let p = Posted(p);
    let t = Chrome::new("account").t;
    let mut e = Errors::default();
    let name = p.required(&t, &mut e, "name", &t.t("account-token-name"));
    if let Some((_, message)) = e.0.first() {
        let form = TokenForm {
            name,
            error: Some(message.clone()),
            ..TokenForm::default()
        };
        return account_page(&state, &v, form).await;
    }
    let secret = format!("smd_{}", random_token());
    // The same form sent twice (its key) is one key; its secret was shown to
    // the first answer and is not stored, so the second says so.
    let made = state
        .store
        .create_api_token_once(
            account.id,
            &name,
            &hash_secret(&secret),
            p.opt(crate::forms::ONCE).as_deref(),
            &v.actor(),
        )
        .await?;
    let form = match made {
        samordna_store::Made::New(_) => TokenForm {
            secret: Some(secret),
            ..TokenForm::default()
        },
        samordna_store::Made::Again(_) => TokenForm {
            again: true,
            ..TokenForm::default()
        },
    };
    account_page(&state, &v, form).await
}

pub async fn token_revoke(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let account = signed_in(&v)?;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound(String::new()))?;
    if !state
        .store
        .revoke_api_token(account.id, id, &v.actor())
        .await?
    {
        return Err(AppError::NotFound(
            Chrome::new("account").t.t("error-not-found-page"),
        ));
    }
    Ok(Redirect::to("/konto").into_response())
}

/// A new calendar link: an address that reads the meetings of the account's groups
/// and nothing else (not an API key).
pub async fn calendar_link_create(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Form(p): crate::forms::Posts,
) -> Result<Response, AppError> {
    let account = signed_in(&v)?;
    // The same form sent twice (its key) is one link.
    state
        .store
        .create_calendar_link_once(
            account.id,
            &random_token(),
            Posted(p).opt(crate::forms::ONCE).as_deref(),
            &v.actor(),
        )
        .await?;
    Ok(Redirect::to("/konto#kalender").into_response())
}

pub async fn calendar_link_revoke(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let account = signed_in(&v)?;
    let missing = || AppError::NotFound(Chrome::new("account").t.t("error-not-found-page"));
    let id: i64 = id.parse().map_err(|_| missing())?;
    if !state
        .store
        .revoke_calendar_link(account.id, id, &v.actor())
        .await?
    {
        return Err(missing());
    }
    Ok(Redirect::to("/konto#kalender").into_response())
}
