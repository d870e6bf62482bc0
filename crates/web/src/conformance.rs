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

/// How a charter follows its template, in a sentence: "follows …" or
/// "deviates from … in N sections" (the group page, the charter page, the
/// comparison page).
pub(crate) fn summary(t: &crate::i18n::Tr, c: &templates::Conformance) -> String {
    if c.follows() {
        t.t1("conformance-summary-follows", "template", c.template_name)
    } else {
        t.args(
            "conformance-summary-deviates",
            &[
                ("template", crate::i18n::Arg::Text(c.template_name.into())),
                ("count", crate::i18n::Arg::Num(c.deviating().len() as i64)),
            ],
        )
    }
}

/// Words spelt otherwise, as "a → b, c → d".
fn spelled(words: &[(String, String)]) -> String {
    words
        .iter()
        .map(|(a, b)| format!("{a} → {b}"))
        .collect::<Vec<_>>()
        .join(", ")
}

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
                    t.t1("conformance-spelling", "words", spelled(words)),
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
    let summary = summary(&t, &conf);
    crate::render::page(&ConformancePage {
        group: OrgLink::from(&org),
        version: v,
        title: t.t1("conformance-title", "title", &doc.meta.title),
        summary,
        rows,
        c,
    })
}

/// `?med=N` (the version compared with; default the one in force, or the one
/// before) and `?visning=sida` (side by side; default inline).
#[derive(Debug, serde::Deserialize, Default)]
pub struct CompareQuery {
    med: Option<i64>,
    #[serde(default)]
    visning: String,
}

/// A section of two versions as the page shows it.
struct CompareRow {
    heading: String,
    status: &'static str,
    label: String,
    /// Inline: every piece; side by side: the old text's pieces and the new one's.
    pieces: Vec<Piece>,
    old: Vec<Piece>,
    new: Vec<Piece>,
}

#[derive(Template)]
#[template(path = "compare.html")]
struct ComparePage {
    c: Chrome,
    group: OrgLink,
    version: i64,
    other: i64,
    title: String,
    summary: String,
    side_by_side: bool,
    /// (version, label, selected) to compare with.
    versions: Vec<(i64, String, bool)>,
    rows: Vec<CompareRow>,
    inline_href: String,
    side_href: String,
    legend: String,
}

/// `GET /grupper/{slug}/uppdragshandlingar/{version}/jamfor`: what changed
/// between two versions, section by section and word by word.
pub async fn compare(
    State(state): State<AppState>,
    Path((slug, version)): Path<(String, String)>,
    crate::extract::Query(q): crate::extract::Query<CompareQuery>,
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
    let all = state.store.charter_versions(Some(org.id)).await?;
    if !all.iter().any(|x| x.version == v) {
        return Err(missing());
    }
    let in_force = samordna_store::in_force(&all).map(|x| x.version);
    let other = q
        .med
        .or(in_force.filter(|x| *x != v))
        .or_else(|| all.iter().map(|x| x.version).filter(|x| *x < v).max())
        .or_else(|| all.iter().map(|x| x.version).find(|x| *x != v))
        .ok_or_else(|| AppError::NotFound(t.t("error-nothing-to-compare")))?;
    let load = |n: i64| {
        let store = state.store.clone();
        let id = org.id;
        async move { store.charter_document(id, n).await }
    };
    let old = load(other)
        .await?
        .ok_or_else(|| AppError::NotFound(current_tr().t1("error-no-version", "version", other)))?;
    let new = load(v).await?.ok_or_else(missing)?;
    let sections = templates::compare_sections(&old.content, &new.content, true);
    let changed = sections
        .iter()
        .filter(|s| !matches!(s.status, SectionStatus::Follows))
        .count();
    let rows = sections
        .into_iter()
        .map(|s| {
            let (status, label, pieces) = match s.status {
                SectionStatus::Follows => ("follows", t.t("compare-same"), Vec::new()),
                SectionStatus::Spelling { words } => (
                    "spelling",
                    t.t1("compare-spelling", "words", spelled(&words)),
                    Vec::new(),
                ),
                SectionStatus::Deviates { pieces, .. } => {
                    ("deviates", t.t("compare-changed"), pieces)
                }
                SectionStatus::Missing => ("missing", t.t("compare-removed-section"), Vec::new()),
                SectionStatus::Extra => ("extra", t.t("compare-added-section"), Vec::new()),
            };
            let old = pieces
                .iter()
                .filter(|p| p.kind != PieceKind::Added)
                .cloned()
                .collect();
            let new = pieces
                .iter()
                .filter(|p| p.kind != PieceKind::Removed)
                .cloned()
                .collect();
            CompareRow {
                heading: s.heading,
                status,
                label,
                pieces,
                old,
                new,
            }
        })
        .collect();
    let base = format!("/grupper/{slug}/uppdragshandlingar/{v}/jamfor?med={other}");
    let versions = all
        .iter()
        .filter(|x| x.version != v)
        .map(|x| {
            (
                x.version,
                t.args(
                    "compare-version-option",
                    &[
                        ("version", crate::i18n::Arg::Num(x.version)),
                        (
                            "date",
                            crate::i18n::Arg::Text(
                                x.decision_date
                                    .map(|d| d.to_string())
                                    .unwrap_or_else(|| t.t("charter-decision-pending")),
                            ),
                        ),
                    ],
                ),
                x.version == other,
            )
        })
        .collect();
    crate::render::page(&ComparePage {
        group: OrgLink::from(&org),
        version: v,
        other,
        title: t.args(
            "compare-title",
            &[
                ("version", crate::i18n::Arg::Num(v)),
                ("other", crate::i18n::Arg::Num(other)),
            ],
        ),
        summary: t.n1("compare-summary", "count", changed as i64),
        side_by_side: q.visning == "sida",
        versions,
        rows,
        legend: t.args(
            "compare-legend",
            &[
                ("other", crate::i18n::Arg::Num(other)),
                ("version", crate::i18n::Arg::Num(v)),
            ],
        ),
        inline_href: base.clone(),
        side_href: format!("{base}&visning=sida"),
        c,
    })
}
