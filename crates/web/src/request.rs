//! What is known about the request being served, for every layer below the
//! router: who the visitor is, the language and path, the client's address; the
//! middleware that finds them; cookies as the browser sent them.

use std::collections::HashMap;

use axum::http::{header, HeaderMap};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use samordna_store::Account;

use crate::lang::Lang;

tokio::task_local! {
    /// The visitor, set by `auth::authenticate` for the rest of the request.
    pub(crate) static VISITOR: Visitor;
}

/// The visitor of the current request (anonymous outside one).
pub fn current_visitor() -> Visitor {
    VISITOR
        .try_with(Clone::clone)
        .unwrap_or(Visitor::Anonymous { csrf: None })
}

/// The visitor of a request.
#[derive(Debug, Clone)]
pub enum Visitor {
    Anonymous {
        csrf: Option<String>,
    },
    Account {
        account: Account,
        csrf: String,
        session_hash: Option<String>,
    },
}

impl Visitor {
    pub fn account(&self) -> Option<&Account> {
        match self {
            Visitor::Account { account, .. } => Some(account),
            Visitor::Anonymous { .. } => None,
        }
    }

    /// The CSRF token forms must carry.
    pub fn csrf(&self) -> String {
        match self {
            Visitor::Account { csrf, .. } => csrf.clone(),
            Visitor::Anonymous { csrf } => csrf.clone().unwrap_or_default(),
        }
    }

    /// Who did it, for the audit log.
    pub fn actor(&self) -> String {
        match self {
            Visitor::Account { account, .. } => format!("account:{}", account.id),
            Visitor::Anonymous { .. } => "anonymous".into(),
        }
    }
}

/// The cookies of a request by name.
pub fn cookies(headers: &HeaderMap) -> HashMap<String, String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// What every page needs besides its own content: the language and the path.
#[derive(Debug, Clone)]
pub struct RequestInfo {
    pub lang: Lang,
    /// The request's path and query.
    pub path: String,
}

tokio::task_local! {
    pub(crate) static REQUEST: RequestInfo;
}

impl RequestInfo {
    /// The current request's info; Swedish at `/` outside a request.
    pub fn current() -> RequestInfo {
        REQUEST.try_with(Clone::clone).unwrap_or(RequestInfo {
            lang: Lang::Sv,
            path: "/".into(),
        })
    }
}

/// The cookie that remembers the visible language switch.
pub const LANG_COOKIE: &str = "lang";

pub(crate) fn cookie_lang(headers: &axum::http::HeaderMap) -> Option<Lang> {
    cookies(headers)
        .get(LANG_COOKIE)
        .and_then(|v| Lang::from_code(v))
}

/// What may stand unencoded in a query value: letters, digits, `-._~/`.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// Percent-encodes a path for use as a query value (RFC 3986).
pub fn encode_query(s: &str) -> String {
    utf8_percent_encode(s, QUERY_VALUE).to_string()
}

/// The address a request came from, as the server saw it.
#[derive(Debug, Clone)]
pub struct ClientAddr(pub String);
