//! Editing a charter as structured sections (issue 13): a revision starts from
//! the version in force without its decision; a person edits the title and each
//! section's body as text (paragraphs apart by a blank line, list items starting
//! "- "); the result is written out and read again as a charter, so everything
//! derived from the text — duties, meeting frequency, the bodies it names —
//! follows the edit.

use crate::parse::{Block, ParsedCharter, Section};

/// A section's body as a person edits it.
pub fn section_body(s: &Section) -> String {
    s.blocks
        .iter()
        .map(|b| match b {
            Block::Paragraph { text } => text.clone(),
            Block::List { items } => items
                .iter()
                .map(|i| format!("- {i}"))
                .collect::<Vec<_>>()
                .join("\n"),
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The blocks of an edited body.
fn blocks_of(body: &str) -> Vec<Block> {
    let mut out = Vec::new();
    for chunk in body.replace("\r\n", "\n").split("\n\n") {
        let lines: Vec<&str> = chunk
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        if lines.is_empty() {
            continue;
        }
        if lines
            .iter()
            .all(|l| l.starts_with("- ") || l.starts_with("• "))
        {
            out.push(Block::List {
                items: lines.iter().map(|l| l[2..].trim().to_string()).collect(),
            });
        } else {
            out.push(Block::Paragraph {
                text: lines.join(" "),
            });
        }
    }
    out
}

/// The start of a revision: the version's content, its decision cleared.
pub fn revision_of(doc: &ParsedCharter) -> ParsedCharter {
    let mut d = doc.clone();
    d.decision.date = None;
    d.decision.decided_by = None;
    d.warnings.clear();
    d
}

/// The draft with a new title and the sections' bodies as edited (by heading;
/// sections not named keep theirs), written out and read again.
///
/// Errors: the text the edit makes is no charter the parser can read (an empty
/// title, say).
pub fn apply_edits(
    doc: &ParsedCharter,
    title: &str,
    bodies: &[(String, String)],
) -> Result<ParsedCharter, crate::ParseError> {
    let mut d = doc.clone();
    d.title = crate::normalize::line(title);
    for s in &mut d.sections {
        if let Some((_, body)) = bodies.iter().find(|(h, _)| *h == s.heading) {
            s.blocks = blocks_of(&crate::normalize::text(body));
        }
    }
    crate::parse_charter(&crate::render::charter_text(&d))
}

/// Whether a draft says exactly what the version it revises says (its decision
/// and the warnings of reading aside): such a draft has nothing to decide.
pub fn same_text(base: &ParsedCharter, draft: &ParsedCharter) -> bool {
    revision_of(base) == revision_of(draft)
}

/// The Swedish name of a month (1–12), as a revision is dated ("juni").
fn month_sv(m: u32) -> &'static str {
    [
        "januari",
        "februari",
        "mars",
        "april",
        "maj",
        "juni",
        "juli",
        "augusti",
        "september",
        "oktober",
        "november",
        "december",
    ][(m.clamp(1, 12) - 1) as usize]
}

/// A revision's title dated by its decision: "Uppdragshandling för
/// samordningsråd X, reviderad juni 2026" → "…, reviderad november 2026". The
/// revision the title had (from the template or the version revised) goes.
pub fn dated_revision(title: &str, decided: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    static REVISED: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?i),?\s*\(?\breviderad\b[^)]*\)?\s*$").expect("a valid pattern")
    });
    let bare = REVISED.replace(title.trim(), "");
    format!(
        "{}, reviderad {} {}",
        bare.trim_end_matches(',').trim(),
        month_sv(decided.month()),
        decided.year()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn neurologi() -> ParsedCharter {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fixtures/seeds/sor-neurologi-2026.txt"
        ))
        .unwrap();
        crate::parse_charter(&text).unwrap()
    }

    #[test]
    fn an_edited_section_changes_what_is_derived_from_it() {
        let doc = revision_of(&neurologi());
        assert_eq!(doc.decision.date, None);
        let work = doc
            .sections
            .iter()
            .find(|s| s.heading == "Arbetsorganisation")
            .unwrap();
        let body =
            section_body(work).replace("4 till maximalt 8 ggr/år", "6 till maximalt 10 ggr/år");
        let duties = doc
            .sections
            .iter()
            .find(|s| s.heading == "Uppdragsbeskrivning")
            .unwrap();
        let duty_body = format!("{}\n- Följa upp väntetiderna.", section_body(duties));
        let edited = apply_edits(
            &doc,
            &doc.title,
            &[
                ("Arbetsorganisation".into(), body),
                ("Uppdragsbeskrivning".into(), duty_body),
            ],
        )
        .unwrap();
        let f = edited.meeting_frequency.clone().unwrap();
        assert_eq!((f.min, f.max), (Some(6), Some(10)));
        assert_eq!(edited.duties.len(), doc.duties.len() + 1);
        assert_eq!(edited.duties.last().unwrap(), "Följa upp väntetiderna.");
        // Untouched sections read back as they were.
        assert_eq!(edited.sections[0], doc.sections[0]);
    }

    #[test]
    fn a_decided_revision_is_dated_by_its_decision() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        for (title, want) in [
            (
                "Uppdragshandling för samordningsråd rättspsykiatri, reviderad juni 2026",
                "Uppdragshandling för samordningsråd rättspsykiatri, reviderad november 2026",
            ),
            (
                "Uppdragshandling för samordningsråd rättspsykiatri",
                "Uppdragshandling för samordningsråd rättspsykiatri, reviderad november 2026",
            ),
            (
                "Uppdragshandling för SOR barn (reviderad mars 2024)",
                "Uppdragshandling för SOR barn, reviderad november 2026",
            ),
        ] {
            assert_eq!(dated_revision(title, d), want);
        }
    }
}
