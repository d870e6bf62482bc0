//! The agenda: items, and publishing it to the group (which sends the invitation).

use crate::forms::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::Extension;

use crate::error::AppError;
use crate::forms::{Errors, Posted, Refill};
use crate::request::Visitor;
use crate::state::AppState;
use samordna_store::StoreError;

use crate::forms::Posts;
use crate::i18n::current_tr as t;

use super::{back, meeting_and_group};

/// `POST /moten/{id}/dagordning`: an item on the agenda (`title`, `presenter`,
/// `minutes`, `matter`). What cannot be read is said beside its field on the
/// meeting's page, with everything typed kept (issue 27, item 6); an item with
/// the title of one already on the agenda is said at the title.
pub async fn add_item(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(id): Path<String>,
    Form(p): Posts,
) -> Result<Response, AppError> {
    let (m, org) = meeting_and_group(&state, &id).await?;
    let t = t();
    let p = Posted(p);
    let mut e = Errors::default();
    let title = p.required(&t, &mut e, "title", &t.t("agenda-item-title"));
    if !samordna_domain::matters::fits(&title, samordna_domain::matters::TITLE_MAX) {
        e.add("title", t.t("error-too-long"));
    }
    let minutes = p.number(
        &t,
        &mut e,
        "minutes",
        1..=24 * 60 - 1,
        "error-agenda-minutes",
    );
    // The group matter the item concerns, if one is chosen: one of this group's.
    let chosen = p.number(&t, &mut e, "matter", 1..=i64::MAX, "error-unknown-choice");
    let matter = match chosen {
        Some(mid) => {
            let ours = state
                .store
                .matter(mid)
                .await?
                .is_some_and(|x| x.fields.organization_id == org.id);
            if !ours {
                e.add("matter", t.t("error-no-matter"));
            }
            ours.then_some(mid)
        }
        None => None,
    };
    let refuse = |e: &Errors| {
        super::show_page_with(
            &state,
            &v,
            &id,
            Some(t.t("form-has-errors")),
            Refill::new("agenda", &p, e),
        )
    };
    if !e.is_empty() {
        return refuse(&e).await;
    }
    let item = match state
        .store
        .add_agenda_item(
            m.id,
            &title,
            p.opt("presenter").as_deref(),
            minutes,
            &v.actor(),
        )
        .await
    {
        Ok(item) => item,
        Err(StoreError::Conflict(message)) => {
            e.add("title", message);
            return refuse(&e).await;
        }
        Err(err) => return Err(err.into()),
    };
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
