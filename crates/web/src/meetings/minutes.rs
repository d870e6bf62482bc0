//! Minutes: the draft, the steps of the workflow (submit, approve, return,
//! publish, correct), and Markdown rendered without raw HTML or unsafe links.

use crate::forms::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::Extension;
use samordna_domain::meetings::MinutesStep;
use samordna_store::{Meeting, Organization, StoreError};

use crate::error::AppError;
use crate::forms::{render_form, Field, FieldKind, FormView, Posted};
use crate::i18n::Arg;
use crate::request::Visitor;
use crate::state::AppState;

use crate::forms::Posts;
use crate::i18n::current_tr as t;

use super::{back, local, meeting_and_group, minutes_label, when};

/// Renders Markdown without letting raw HTML through.
pub fn markdown(text: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    // A link or image whose address is not safe (`javascript:` …) is not a link:
    // its text stays, as text. Links do not nest, so one flag each is enough.
    let (mut in_bad_link, mut in_bad_image) = (false, false);
    let events = Parser::new_ext(text, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH)
        .filter_map(move |e| match e {
            Event::Html(h) | Event::InlineHtml(h) => Some(Event::Text(h)),
            Event::Start(Tag::Link { ref dest_url, .. })
                if crate::links::safe_href(dest_url).is_none() =>
            {
                in_bad_link = true;
                None
            }
            Event::End(TagEnd::Link) if in_bad_link => {
                in_bad_link = false;
                None
            }
            Event::Start(Tag::Image { ref dest_url, .. })
                if crate::links::safe_href(dest_url).is_none() =>
            {
                in_bad_image = true;
                None
            }
            Event::End(TagEnd::Image) if in_bad_image => {
                in_bad_image = false;
                None
            }
            other => Some(other),
        });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    // Headings inside minutes start at level 4: the page has h1–h3 above them.
    html.replace("<h1>", "<h4>")
        .replace("</h1>", "</h4>")
        .replace("<h2>", "<h4>")
        .replace("</h2>", "</h4>")
        .replace("<h3>", "<h5>")
        .replace("</h3>", "</h5>")
}
fn minutes_form(v: &Visitor, m: &Meeting, org: &Organization, body: &str) -> FormView {
    let t = t();
    FormView {
        title: t.t1("minutes-edit-title", "date", when(m)),
        intro: None,
        action: format!("/moten/{}/anteckningar", m.id),
        csrf: v.csrf(),
        row_version: None,
        hidden: vec![],
        fields: vec![
            Field::new("body", t.t("minutes-body"), FieldKind::Textarea, body)
                .hint(t.t("minutes-body-hint")),
        ],
        submit: t.t("form-save"),
        back: Some((
            format!("/moten/{}", m.id),
            t.args(
                "meeting-title",
                &[
                    (
                        "date",
                        Arg::Text(local(m.fields.starts_at).format("%Y-%m-%d").to_string()),
                    ),
                    ("name", Arg::Text(org.name.clone())),
                ],
            ),
        )),
    }
}

pub async fn minutes_edit(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (m, org) = meeting_and_group(&state, &id).await?;
    let body = match state.store.minutes(m.id).await?.pop() {
        Some(x) => x.body,
        None => state
            .store
            .agenda(m.id)
            .await?
            .iter()
            .map(|a| format!("## {}. {}\n\n", a.position, a.title))
            .collect(),
    };
    render_form("register", minutes_form(&v, &m, &org, &body))
}

pub async fn minutes_save(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(id): Path<String>,
    Form(p): Posts,
) -> Result<Response, AppError> {
    let (m, _) = meeting_and_group(&state, &id).await?;
    state
        .store
        .save_minutes(m.id, &Posted(p).get("body"), &v.actor())
        .await?;
    Ok(back(m.id))
}

async fn step(
    state: &AppState,
    v: &Visitor,
    id: &str,
    step: MinutesStep,
    comment: Option<String>,
) -> Result<Response, AppError> {
    let (m, _) = meeting_and_group(state, id).await?;
    // Before the meeting: said on its page, not as a state the minutes are in.
    if m.fields.starts_at > chrono::Utc::now()
        && matches!(step, MinutesStep::Approve | MinutesStep::Publish)
    {
        return super::show_page_with(
            state,
            v,
            id,
            Some(t().t("minutes-not-held")),
            crate::forms::Refill::default(),
        )
        .await;
    }
    match state
        .store
        .minutes_step(m.id, step, comment.as_deref(), &v.actor())
        .await
    {
        Ok(_) => Ok(back(m.id)),
        // Someone else acted first, or the step does not fit the state: say which
        // state the minutes are in now (a repeat of one's own step is done above).
        Err(StoreError::Conflict(_)) => {
            let t = t();
            let latest = state.store.minutes(m.id).await?.pop();
            Err(AppError::Conflict(match latest {
                Some(x) => t.t1(
                    "minutes-step-conflict",
                    "status",
                    minutes_label(&t, Some(&x)),
                ),
                None => t.t("minutes-step-none"),
            }))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn submit(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    step(&state, &v, &id, MinutesStep::Submit, None).await
}

pub async fn approve(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    step(&state, &v, &id, MinutesStep::Approve, None).await
}

pub async fn return_minutes(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(id): Path<String>,
    Form(p): Posts,
) -> Result<Response, AppError> {
    let p = Posted(p);
    let t = t();
    let mut e = crate::forms::Errors::default();
    let comment = p.required(&t, &mut e, "comment", &t.t("minutes-return-comment"));
    if !e.is_empty() {
        return super::show_page_with(
            &state,
            &v,
            &id,
            Some(t.t("form-has-errors")),
            crate::forms::Refill::new("return", &p, &e),
        )
        .await;
    }
    step(&state, &v, &id, MinutesStep::Return, Some(comment)).await
}

pub async fn publish(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    step(&state, &v, &id, MinutesStep::Publish, None).await
}

pub async fn correct(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(id): Path<String>,
    Form(p): Posts,
) -> Result<Response, AppError> {
    let (m, _) = meeting_and_group(&state, &id).await?;
    let p = Posted(p);
    let t = t();
    let mut e = crate::forms::Errors::default();
    let reason = p.required(&t, &mut e, "reason", &t.t("minutes-correct-reason"));
    if e.is_empty() {
        match state
            .store
            .correct_minutes(m.id, &p.get("body"), &reason, &v.actor())
            .await
        {
            Ok(_) => return Ok(back(m.id)),
            Err(StoreError::Conflict(message)) => e.add("reason", message),
            Err(err) => return Err(err.into()),
        }
    }
    super::show_page_with(
        &state,
        &v,
        &id,
        Some(t.t("form-has-errors")),
        crate::forms::Refill::new("correct", &p, &e),
    )
    .await
}
