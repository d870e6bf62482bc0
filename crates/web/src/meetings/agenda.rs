//! The agenda: items, and publishing it to the group (which sends the invitation).

use crate::forms::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::Extension;

use crate::error::AppError;
use crate::forms::Posted;
use crate::request::Visitor;
use crate::state::AppState;

use crate::forms::Posts;
use crate::i18n::current_tr as t;

use super::{back, meeting_and_group};

pub async fn add_item(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(id): Path<String>,
    Form(p): Posts,
) -> Result<Response, AppError> {
    let (m, org) = meeting_and_group(&state, &id).await?;
    let p = Posted(p);
    let title = p.get("title");
    // The group matter the item concerns, if one is chosen: one of this group's.
    let matter = match p.opt("matter") {
        None => None,
        Some(x) => {
            let wrong = || AppError::BadRequest(t().t("error-no-matter"));
            let id: i64 = x.parse().map_err(|_| wrong())?;
            state
                .store
                .matter(id)
                .await?
                .filter(|m| m.fields.organization_id == org.id)
                .ok_or_else(wrong)?;
            Some(id)
        }
    };
    if title.is_empty() {
        return Err(AppError::BadRequest(t().t1(
            "error-required",
            "field",
            t().t("agenda-item-title").to_lowercase(),
        )));
    }
    let minutes = match p.opt("minutes") {
        None => None,
        Some(x) => Some(
            x.parse::<i64>()
                .ok()
                .filter(|x| *x > 0 && *x < 24 * 60)
                .ok_or_else(|| AppError::BadRequest(t().t("error-agenda-minutes")))?,
        ),
    };
    let item = state
        .store
        .add_agenda_item(
            m.id,
            &title,
            p.opt("presenter").as_deref(),
            minutes,
            &v.actor(),
        )
        .await?;
    if matter.is_some() {
        state
            .store
            .set_agenda_item_matter(item, matter, None, &v.actor())
            .await?;
    }
    Ok(back(m.id))
}

pub async fn publish_agenda(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (m, _) = meeting_and_group(&state, &id).await?;
    state.store.publish_agenda(m.id, &v.actor()).await?;
    Ok(back(m.id))
}
