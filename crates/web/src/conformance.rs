//! How a charter follows its template (PRODUCT.md's templates; issue 13): a page
//! per charter version that compares it with the template of its kind, section by
//! section, word by word — removed words struck through and added ones
//! underlined, each also named in words for screen readers.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use samordna_domain::diff::{Piece, PieceKind};
use samordna_domain::templates::{self, SectionStatus};

use crate::chrome::Chrome;
use crate::error::AppError;
use crate::i18n::current_tr;
use crate::state::AppState;
use crate::view::OrgLink;

/// A section as the page shows it.
struct Row {
    heading: String,
    /// `follows`, `spelling`, `deviates`, `missing` or `extra` (a CSS class too).
    status: &'static str,
    label: String,
    /// Word by word, for a section that differs in part.
    pieces: Vec<Piece>,
    /// Both texts whole, for a section rewritten: (template, charter).
    apart: Option<(String, String)>,
}

#[derive(Template)]
#[template(path = "conformance.html")]
struct ConformancePage {
    c: Chrome,
    group: OrgLink,
    version: i64,
    title: String,
    summary: String,
    rows: Vec<Row>,
}

impl ConformancePage {
    fn removed(p: &Piece) -> bool {
        p.kind == PieceKind::Removed
    }
    fn added(p: &Piece) -> bool {
        p.kind == PieceKind::Added
    }
}

/// `GET /grupper/{slug}/uppdragshandlingar/{version}/mall`.
pub async fn page(
    State(state): State<AppState>,
    Path((slug, version)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let c = Chrome::new("register");
    let t = c.t;
    let org = state.group(&slug).await?;
    let missing = || AppError::NotFound(current_tr().t1("error-no-version", "version", &version));
    let v: i64 = version
        .parse()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(missing)?;
    let doc = state
        .store
        .charter_document(org.id, v)
        .await?
        .ok_or_else(missing)?;
    let conf = templates::conformance(&doc.content)
        .ok_or_else(|| AppError::NotFound(t.t("error-no-template")))?;
    let rows: Vec<Row> = conf
        .sections
        .iter()
        .map(|s| {
            let mut apart = None;
            let (status, label, pieces) = match &s.status {
                SectionStatus::Follows => ("follows", t.t("conformance-follows"), Vec::new()),
                SectionStatus::Spelling { words } => (
                    "spelling",
                    t.t1(
                        "conformance-spelling",
                        "words",
                        words
                            .iter()
                            .map(|(a, b)| format!("{a} → {b}"))
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                    Vec::new(),
                ),
                SectionStatus::Deviates {
                    pieces,
                    template,
                    charter,
                    similarity,
                } => {
                    if *similarity < 0.5 {
                        apart = Some((template.clone(), charter.clone()));
                        ("deviates", t.t("conformance-rewritten"), Vec::new())
                    } else {
                        ("deviates", t.t("conformance-deviates"), pieces.clone())
                    }
                }
                SectionStatus::Missing => ("missing", t.t("conformance-missing"), Vec::new()),
                SectionStatus::Extra => ("extra", t.t("conformance-extra"), Vec::new()),
            };
            Row {
                heading: s.heading.clone(),
                status,
                label,
                pieces,
                apart,
            }
        })
        .collect();
    let deviating = conf.deviating().len();
    let summary = if conf.follows() {
        t.t1(
            "conformance-summary-follows",
            "template",
            conf.template_name,
        )
    } else {
        t.args(
            "conformance-summary-deviates",
            &[
                (
                    "template",
                    crate::i18n::Arg::Text(conf.template_name.into()),
                ),
                ("count", crate::i18n::Arg::Num(deviating as i64)),
            ],
        )
    };
    crate::render::page(&ConformancePage {
        group: OrgLink::from(&org),
        version: v,
        title: t.t1("conformance-title", "title", &doc.meta.title),
        summary,
        rows,
        c,
    })
}
