//! A charter version as a file — PDF/A and DOCX, laid out like the region's
//! originals (`samordna_documents`) — and a charter file read into the register:
//! uploaded (PDF, DOCX or text), its text extracted and parsed, the parse shown
//! for confirmation, and only then stored, with the original file kept as the
//! source (issue 13, items 6 and 7).
//!
//! The file travels from the preview to the confirmation in the form itself
//! (base64 in a hidden field) and is read again on confirmation, so nothing is
//! stored before the user says so and nothing half-read is kept.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use base64::Engine;
use samordna_documents::extract::{self, Kind};
use samordna_documents::DocumentError;
use samordna_domain::ParsedCharter;
use samordna_store::{ImportChange, Source, SourceFile};

use crate::chrome::Chrome;
use crate::download::{disposition, Disposition};
use crate::error::AppError;
use crate::forms::Form;
use crate::i18n::{Arg, Tr};
use crate::pages::{no_version, parse_version};
use crate::request::Visitor;
use crate::state::AppState;

/// Which file a version is wanted as.
#[derive(Clone, Copy)]
enum Format {
    Pdf,
    Docx,
}

async fn version_file(
    state: &AppState,
    slug: &str,
    version: &str,
    format: Format,
) -> Result<Response, AppError> {
    let version = parse_version(version)?;
    let org = state.group(slug).await?;
    let doc = state
        .store
        .charter_document(org.id, version)
        .await?
        .ok_or_else(|| no_version(version))?;
    let content = doc.content;
    // Laying out a document is CPU work: off the async threads.
    let bytes = tokio::task::spawn_blocking(move || match format {
        Format::Pdf => samordna_documents::pdf::charter_pdf(&content),
        Format::Docx => samordna_documents::docx::charter_docx(&content),
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
    .map_err(|e| AppError::Internal(e.to_string()))?;
    let (ext, media) = match format {
        Format::Pdf => ("pdf", Kind::Pdf.media_type()),
        Format::Docx => ("docx", Kind::Docx.media_type()),
    };
    let name = format!("{}-uppdragshandling-version-{version}.{ext}", org.slug);
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(media)),
            (
                header::CONTENT_DISPOSITION,
                disposition(Disposition::Attachment, &name),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// `GET /grupper/{slug}/uppdragshandlingar/{version}/pdf`: PDF/A-2a, tagged.
pub async fn pdf(
    State(state): State<AppState>,
    Path((slug, version)): Path<(String, String)>,
) -> Result<Response, AppError> {
    version_file(&state, &slug, &version, Format::Pdf).await
}

/// `GET /grupper/{slug}/uppdragshandlingar/{version}/docx`: Word.
pub async fn docx(
    State(state): State<AppState>,
    Path((slug, version)): Path<(String, String)>,
) -> Result<Response, AppError> {
    version_file(&state, &slug, &version, Format::Docx).await
}

/// What the upload page shows after a file was read.
struct Preview {
    /// "How the file was read", naming it and its kind.
    intro: String,
    name: String,
    /// The file, base64, for the confirmation form.
    file: String,
    group: String,
    /// What saving does to the register: a new group, a new version, or nothing
    /// (the same content is version N).
    effect: String,
    doc: ParsedCharter,
    sections: Vec<String>,
}

#[derive(Template)]
#[template(path = "upload.html")]
struct UploadPage {
    c: Chrome,
    csrf: String,
    error: Option<String>,
    preview: Option<Preview>,
    /// After a confirmation that changed nothing: what was found, and where.
    notice: Option<(String, String)>,
}

/// The message for a file that could not be read, in the visitor's language.
fn refusal(t: &Tr, e: &DocumentError) -> String {
    match e {
        DocumentError::Empty => t.t("upload-error-empty"),
        DocumentError::UnknownKind => t.t("upload-error-kind"),
        DocumentError::TooLarge { limit, .. } => t.args(
            "upload-error-too-large",
            &[("limit", Arg::Num((*limit / (1024 * 1024)) as i64))],
        ),
        DocumentError::Unreadable { kind, reason } => t.args(
            "upload-error-unreadable",
            &[
                ("kind", Arg::Text((*kind).into())),
                ("reason", Arg::Text(reason.clone())),
            ],
        ),
        DocumentError::OverLimit(limit) => t.text(&limit.text()),
        DocumentError::Io(e) => t.args(
            "upload-error-unreadable",
            &[
                ("kind", Arg::Text("fil".into())),
                ("reason", Arg::Text(e.to_string())),
            ],
        ),
        DocumentError::NoText => t.t("upload-error-no-text"),
        DocumentError::NoExtractor => t.t("upload-error-no-extractor"),
        DocumentError::Pdf(_) | DocumentError::Docx(_) => t.t("upload-error-kind"),
    }
}

fn page(
    c: Chrome,
    v: &Visitor,
    error: Option<String>,
    preview: Option<Preview>,
) -> Result<Response, AppError> {
    let refused = error.clone();
    crate::render::page_after_form(
        &UploadPage {
            c,
            csrf: v.csrf(),
            error,
            preview,
            notice: None,
        },
        refused,
    )
}

/// `GET /uppdragshandlingar/las-in`: the form.
pub async fn form(Extension(v): Extension<Visitor>) -> Result<Response, AppError> {
    page(Chrome::new("compliance"), &v, None, None)
}

/// Reads a file into text and a parsed charter, or says why not.
/// Extraction (a `pdftotext` process, a DOCX unpacked) and parsing run off the
/// async threads, so that a large file does not hold up other requests.
async fn read(t: &Tr, bytes: &[u8]) -> Result<(Kind, String, ParsedCharter), String> {
    let owned = bytes.to_vec();
    let read = tokio::task::spawn_blocking(move || {
        extract::charter_text_of(&owned).map(|(kind, text)| {
            let doc = samordna_domain::parse_charter(&text);
            (kind, text, doc)
        })
    })
    .await
    .map_err(|e| e.to_string())?;
    let (kind, text, doc) = read.map_err(|e| refusal(t, &e))?;
    let doc = doc.map_err(|e| t.t1("upload-error-not-charter", "reason", e.to_string()))?;
    Ok((kind, text, doc))
}

/// `POST /uppdragshandlingar/las-in` (multipart): reads the file and shows what
/// was read. Stores nothing.
pub async fn preview(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, AppError> {
    let c = Chrome::new("compliance");
    let t = c.t;
    // A body that is not multipart (or has a bad boundary) is named in the
    // reader's language, not in the framework's.
    let mut multipart = multipart.map_err(|e| {
        tracing::info!(error = %e.body_text(), "an upload was not a multipart form");
        AppError::BadRequest(t.t("error-upload"))
    })?;
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = multipart.next_field().await.map_err(|e| {
        tracing::info!(error = %e.body_text(), "an upload could not be read");
        AppError::BadRequest(t.t("error-upload"))
    })? {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("uppdragshandling").to_string();
            let bytes = field.bytes().await.map_err(|_| AppError::TooLarge)?;
            file = Some((name, bytes.to_vec()));
        }
    }
    let Some((name, bytes)) = file.filter(|(n, b)| !(n.is_empty() && b.is_empty())) else {
        return page(c, &v, Some(t.t("upload-error-no-file")), None);
    };
    let name = samordna_domain::normalize::line(&name);
    let (kind, text, doc) = match read(&t, &bytes).await {
        Ok(r) => r,
        Err(message) => return page(c, &v, Some(message), None),
    };
    let group = doc.organization.name.clone();
    let effect = effect(&state, &t, &text, &doc).await?;
    let preview = Preview {
        intro: t.args(
            "upload-preview-intro",
            &[
                ("name", Arg::Text(name.clone())),
                ("kind", Arg::Text(kind.label().into())),
            ],
        ),
        file: base64::engine::general_purpose::STANDARD.encode(&bytes),
        sections: doc.sections.iter().map(|s| s.heading.clone()).collect(),
        name,
        group,
        effect,
        doc,
    };
    page(c, &v, None, Some(preview))
}

/// What saving `doc` does to the register, as the preview says it: the same
/// check as the import's (`Store::version_with_same_document`).
async fn effect(
    state: &AppState,
    t: &Tr,
    text: &str,
    doc: &ParsedCharter,
) -> Result<String, AppError> {
    let slug = samordna_domain::names::slugify(&doc.organization.name);
    let Some(org) = state.store.organization_by_slug(&slug).await? else {
        return Ok(t.t("upload-group-new"));
    };
    Ok(
        match state
            .store
            .version_with_same_document(org.id, text, doc)
            .await?
        {
            Some(v) => t.args("upload-group-same", &[("version", Arg::Num(v))]),
            None => t.t("upload-group-known"),
        },
    )
}

/// `POST /uppdragshandlingar/las-in/spara`: reads the confirmed file again and
/// imports it in one transaction, keeping the original; then the new version.
pub async fn save(
    State(state): State<AppState>,
    Extension(v): Extension<Visitor>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let c = Chrome::new("compliance");
    let t = c.t;
    let field = |k: &str| {
        form.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(field("file").trim()) else {
        return page(c, &v, Some(t.t("upload-error-no-file")), None);
    };
    let name = samordna_domain::normalize::line(&field("name"));
    let name = if name.is_empty() {
        "uppdragshandling".to_string()
    } else {
        name
    };
    let (kind, text, doc) = match read(&t, &bytes).await {
        Ok(r) => r,
        Err(message) => return page(c, &v, Some(message), None),
    };
    let file = (kind != Kind::Text).then_some(SourceFile {
        media_type: kind.media_type(),
        bytes: &bytes,
    });
    let outcome = state
        .store
        .import_charter(
            &doc,
            &Source {
                name: &name,
                text: &text,
                file,
            },
            &v.actor(),
        )
        .await?;
    match outcome.change {
        ImportChange::NewVersion(n) => Ok(Redirect::to(&format!(
            "/grupper/{}/uppdragshandlingar/{n}",
            outcome.organization_slug
        ))
        .into_response()),
        // The same content again: nothing changed, and the page says so.
        ImportChange::Unchanged => crate::render::page_after_form(
            &UploadPage {
                csrf: v.csrf(),
                error: None,
                preview: None,
                notice: Some((
                    t.t1("upload-unchanged", "group", &outcome.organization_name),
                    format!("/grupper/{}", outcome.organization_slug),
                )),
                c,
            },
            None,
        ),
    }
}
