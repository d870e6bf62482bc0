//! Editing the register: groups, memberships, people and administrations, one
//! file each; here what they share (the conflict page, a list page, redirects).

mod administration;
mod group;
mod membership;
mod person;

pub use administration::{
    administration_create, administration_edit, administration_new, administration_save,
    administrations,
};
pub use group::{group_create, group_edit, group_new, group_save};
pub(crate) use membership::read_membership;
pub use membership::{
    members, membership_create, membership_edit, membership_new, membership_save,
};
pub use person::{people, person_create, person_edit, person_new, person_save};

use askama::Template;
use axum::response::{Html, IntoResponse, Redirect, Response};

use crate::chrome::Chrome;
use crate::error::AppError;

use crate::i18n::current_tr as t;

#[derive(Template)]
#[template(path = "conflict.html")]
struct ConflictPage {
    c: Chrome,
    what: String,
    rows: Vec<(String, String, String)>,
    reopen: String,
}

/// 409 with both versions side by side; the first save stands.
fn conflict(
    what: String,
    rows: Vec<(String, String, String)>,
    reopen: String,
) -> Result<Response, AppError> {
    let refusal = crate::forms::Refusal {
        message: what.clone(),
        rows: rows.clone(),
    };
    let html = ConflictPage {
        c: Chrome::new(""),
        what,
        rows,
        reopen,
    }
    .render()
    .map_err(|e| AppError::Internal(format!("template: {e}")))?;
    let mut response = (axum::http::StatusCode::CONFLICT, Html(html)).into_response();
    response.extensions_mut().insert(refusal);
    Ok(response)
}

fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

#[derive(Template)]
#[template(path = "list.html")]
struct ListPage {
    pager: Option<crate::paging::Pager>,
    c: Chrome,
    title: String,
    add: Option<(String, String)>,
    rows: Vec<ListRow>,
}

struct ListRow {
    label: String,
    href: Option<String>,
    meta: Option<String>,
}

/// A list page, a hundred rows to a page (`?sida=`): `base` is its address.
fn render_list(
    section: &'static str,
    title: String,
    add: Option<(String, String)>,
    rows: Vec<ListRow>,
    page: Option<usize>,
    base: &str,
) -> Result<Response, AppError> {
    let c = Chrome::new(section);
    let paging = crate::paging::Paging::new(page, 100, rows.len());
    let pager = paging.pager(&c.t, base);
    let shown = paging.page;
    let rows = rows
        .into_iter()
        .skip((shown - 1) * paging.per_page)
        .take(paging.per_page)
        .collect();
    crate::render::page(&ListPage {
        c,
        title,
        add,
        rows,
        pager,
    })
}

fn parse_id(id: &str) -> Result<i64, AppError> {
    id.parse()
        .map_err(|_| AppError::NotFound(t().t("error-not-found-page")))
}
