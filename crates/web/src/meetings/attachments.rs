//! Attachments to agenda items: upload (checked type) and download.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use samordna_domain::policy::Action;

use crate::auth;
use crate::error::AppError;
use crate::request::Visitor;
use crate::state::AppState;

use crate::i18n::current_tr as t;

use super::{back, meeting_and_group};

/// The content types attachments may have, by file ending.
const ALLOWED: [(&str, &str); 10] = [
    ("pdf", "application/pdf"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    (
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    ("odt", "application/vnd.oasis.opendocument.text"),
    ("txt", "text/plain; charset=utf-8"),
    ("csv", "text/csv; charset=utf-8"),
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
];

fn content_type(filename: &str) -> Option<&'static str> {
    let ext = filename.rsplit_once('.')?.1.to_ascii_lowercase();
    ALLOWED.iter().find(|(e, _)| *e == ext).map(|(_, t)| *t)
}

/// Uploads a file to an agenda item (multipart: `item`, `file`).
pub async fn upload(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path(id): Path<String>,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, AppError> {
    let (m, _) = meeting_and_group(&state, &id).await?;
    let t = t();
    // A body that is not multipart (or has a bad boundary) is named in the
    // reader's language, not in the framework's.
    let mut multipart = multipart.map_err(|e| {
        tracing::info!(error = %e.body_text(), "an upload was not a multipart form");
        AppError::BadRequest(t.t("error-upload"))
    })?;
    let mut item: Option<i64> = None;
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = multipart.next_field().await.map_err(|e| {
        tracing::info!(error = %e.body_text(), "an upload could not be read");
        AppError::BadRequest(t.t("error-upload"))
    })? {
        match field.name() {
            Some("item") => item = field.text().await.ok().and_then(|x| x.parse().ok()),
            Some("file") => {
                let name = field.file_name().unwrap_or("bilaga").to_string();
                let bytes = field.bytes().await.map_err(|_| AppError::TooLarge)?;
                file = Some((name, bytes.to_vec()));
            }
            _ => {}
        }
    }
    // What the form could not be read for is said on the meeting's page, not on
    // an error page of its own.
    let agenda = state.store.agenda(m.id).await?;
    let Some(item) = item.filter(|i| agenda.iter().any(|a| a.id == *i)) else {
        return super::show::show_page(&state, &v, &id, Some(t.t("attachment-no-item"))).await;
    };
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return super::show::show_page(&state, &v, &id, Some(t.t("attachment-empty"))).await;
    };
    // The size the form promises ("högst 7 MB"), the same as a charter file's.
    let limit = samordna_documents::extract::MAX_BYTES;
    if bytes.len() > limit {
        let why = t.args(
            "upload-error-too-large",
            &[(
                "limit",
                crate::i18n::Arg::Num((limit / (1024 * 1024)) as i64),
            )],
        );
        return super::show::show_page(&state, &v, &id, Some(why)).await;
    }
    // The name as the user gave it, less what extraction or a path leaves; the
    // download gives it back whole (`download::disposition`).
    let name: String = samordna_domain::normalize::line(&name)
        .chars()
        .map(|c| if matches!(c, '/' | '\\') { '_' } else { c })
        .collect();
    let Some(ct) = content_type(&name) else {
        return super::show::show_page(&state, &v, &id, Some(t.t("attachment-type"))).await;
    };
    // Search reads the text of a PDF, Word or text attachment later: a file over
    // one of the bounds of that reading is refused now, and nothing is stored.
    if let Some(refusal) = over_bound(ct, &bytes).await {
        return super::show::show_page(&state, &v, &id, Some(t.text(&refusal))).await;
    }
    state
        .store
        .add_attachment(item, &name, ct, &bytes, &v.actor())
        .await?;
    Ok(back(m.id))
}

/// The bound a file's text extraction would go past, if any (the reading search
/// does later, `search_sync::with_file_text`); off the async threads.
async fn over_bound(ct: &str, bytes: &[u8]) -> Option<samordna_domain::message::Text> {
    if !crate::search_sync::text_is_read(ct) {
        return None;
    }
    let owned = bytes.to_vec();
    let read = tokio::task::spawn_blocking(move || {
        samordna_documents::extract::charter_text_of(&owned).err()
    })
    .await
    .ok()
    .flatten();
    match read {
        Some(samordna_documents::DocumentError::OverLimit(limit)) => Some(limit.text()),
        _ => None,
    }
}

/// Serves an attachment with its content type, to those who may see the agenda.
pub async fn download(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Path((id, file)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (m, org) = meeting_and_group(&state, &id).await?;
    let missing = || AppError::NotFound(t().t("error-not-found-page"));
    let file: i64 = file.parse().map_err(|_| missing())?;
    let (a, data) = state
        .store
        .attachment(file)
        .await?
        .filter(|(a, _)| a.meeting_id == m.id)
        .ok_or_else(missing)?;
    let visible =
        m.agenda_published || auth::may(&state, &v, Action::ReadGroupInternal, Some(&org)).await;
    if !visible {
        return Err(missing());
    }
    Ok((
        [
            (
                header::CONTENT_TYPE,
                header::HeaderValue::from_str(&a.content_type)
                    .unwrap_or(header::HeaderValue::from_static("application/octet-stream")),
            ),
            (
                header::CONTENT_DISPOSITION,
                crate::download::disposition(crate::download::Disposition::Attachment, &a.filename),
            ),
            (
                header::HeaderName::from_static("x-content-sha256"),
                header::HeaderValue::from_str(&a.sha256)
                    .unwrap_or(header::HeaderValue::from_static("")),
            ),
        ],
        data,
    )
        .into_response())
}
