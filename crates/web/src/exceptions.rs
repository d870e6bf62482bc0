//! Exceptions to a rule for one group — for example a meeting frequency agreed with
//! the contact person — recorded in the portal with a reason and an end date. An
//! exception clears the rule's finding while it is valid; it is never edited or
//! removed, only outlived, and each one is in the audit log.

use crate::forms::Form;
use askama::Template;
use axum::extract::{Path, State};
use samordna_domain::calendar::swedish_date;

use crate::extract::Query;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use samordna_domain::rules::RuleId;
use serde::Deserialize;

use crate::chrome::Chrome;
use crate::error::AppError;
use crate::forms::{Errors, Field, FieldKind, FormView, Posted, Posts};
use crate::request::Visitor;
use crate::state::AppState;
use crate::view::OrgLink;

struct Row {
    rule: String,
    until: String,
    reason: String,
    by: String,
    valid: bool,
    /// Where to end it today, while it is valid.
    end_href: Option<String>,
}

#[derive(Template)]
#[template(path = "exceptions.html")]
struct Page {
    c: Chrome,
    f: FormView,
    rows: Vec<Row>,
}

#[derive(Deserialize, Default)]
pub struct Prefill {
    /// The rule to preselect, from a finding's "record an exception" link.
    #[serde(default)]
    regel: String,
}

/// What the form holds, as typed.
struct Typed {
    rule: String,
    until: String,
    reason: String,
}

async fn page(
    state: &AppState,
    v: &Visitor,
    slug: &str,
    typed: &Typed,
    errors: &Errors,
) -> Result<Response, AppError> {
    let c = Chrome::new("compliance");
    let t = c.t;
    let org = state.group(slug).await?;
    let names = state.store.actor_names().await?;
    let today = swedish_date(chrono::Utc::now());
    let rows = state
        .store
        .rule_exception_records(org.id)
        .await?
        .into_iter()
        .map(|r| Row {
            valid: r.exception.valid_until >= today,
            end_href: (r.exception.valid_until >= today)
                .then(|| format!("/grupper/{slug}/undantag/{}/avsluta", r.id)),
            rule: r.exception.rule,
            until: r.exception.valid_until.to_string(),
            reason: r.exception.reason,
            by: names
                .get(&r.created_by)
                .cloned()
                .unwrap_or_else(|| r.created_by.clone()),
        })
        .collect();
    let mut rules = vec![(String::new(), t.t("exception-choose-rule"))];
    rules.extend(RuleId::ALL.iter().map(|r| (r.to_string(), r.to_string())));
    let link = OrgLink::from(&org);
    let f = FormView {
        title: t.t1("exceptions-title", "name", &org.name),
        intro: Some(t.t("exceptions-intro")),
        action: format!("/grupper/{slug}/undantag"),
        csrf: v.csrf(),
        row_version: None,
        hidden: vec![],
        fields: vec![
            Field::new(
                "rule",
                t.t("exception-rule"),
                FieldKind::Select(rules),
                &typed.rule,
            ),
            Field::new(
                "until",
                t.t("exception-until"),
                FieldKind::Input("date"),
                &typed.until,
            )
            .required()
            .hint(t.t("exception-until-hint")),
            Field::new(
                "reason",
                t.t("exception-reason"),
                FieldKind::Textarea,
                &typed.reason,
            )
            .hint(t.t("exception-reason-hint")),
        ],
        submit: t.t("exception-save"),
        back: Some((link.href(), org.name.clone())),
    }
    .with_errors(errors);
    let status = if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    let html = crate::render::page(&Page { c, f, rows })?;
    Ok((status, html).into_response())
}

/// `GET /grupper/{slug}/undantag`: the group's exceptions and a form for a new one.
pub async fn list(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(slug): Path<String>,
    Query(q): Query<Prefill>,
) -> Result<Response, AppError> {
    let typed = Typed {
        rule: q.regel,
        until: String::new(),
        reason: String::new(),
    };
    page(&state, &v, &slug, &typed, &Errors::default()).await
}

/// `POST /grupper/{slug}/undantag`: records an exception.
pub async fn add(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(slug): Path<String>,
    Form(p): Posts,
) -> Result<Response, AppError> {
    let t = Chrome::new("compliance").t;
    let p = Posted(p);
    let mut e = Errors::default();
    let typed = Typed {
        rule: p.get("rule"),
        until: p.get("until"),
        reason: p.get("reason").trim().to_string(),
    };
    let rule = typed.rule.parse::<RuleId>().ok();
    if rule.is_none() {
        e.add("rule", t.t("error-exception-rule"));
    }
    let today = swedish_date(chrono::Utc::now());
    let until = match p.date(&t, &mut e, "until") {
        Some(d) if d < today => {
            e.add("until", t.t("error-exception-past"));
            None
        }
        None if typed.until.is_empty() => {
            e.add(
                "until",
                t.t1("error-required", "field", t.t("exception-until")),
            );
            None
        }
        other => other,
    };
    if typed.reason.is_empty() {
        e.add("reason", t.t("error-exception-reason"));
    }
    let org = state.group(&slug).await?;
    match (until, rule) {
        (Some(until), Some(rule)) if e.is_empty() => {
            state
                .store
                .add_rule_exception(org.id, rule, until, &typed.reason, &v.actor())
                .await?;
            Ok(Redirect::to(&format!("/grupper/{slug}/undantag")).into_response())
        }
        _ => page(&state, &v, &slug, &typed, &e).await,
    }
}

/// `POST /grupper/{slug}/undantag/{id}/avsluta`: ends a valid exception today.
pub async fn end(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path((slug, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let org = state.group(&slug).await?;
    state
        .store
        .end_rule_exception(org.id, id, &v.actor())
        .await?;
    Ok(Redirect::to(&format!("/grupper/{slug}/undantag")).into_response())
}
