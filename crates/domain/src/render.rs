//! A charter written out as the region's documents read — header, preamble,
//! sections, decision block, distribution list — in the plain text the parser
//! reads. It is what a charter drafted or revised in Samordna becomes when it is
//! decided, and the one text the PDF and DOCX renderings are laid out from
//! (issue 13). Round trip: `parse_charter(&charter_text(&parse_charter(s)?))`
//! gives the same content as `parse_charter(s)` (tested on every seed).

use crate::parse::{Block, ParsedCharter};

/// The placeholder a charter not yet decided has for its decision date.
pub const UNDECIDED: &str = "(ifylls av beslutsfattaren vid godkännande)";

/// The charter as text, in the layout of the region's originals.
pub fn charter_text(doc: &ParsedCharter) -> String {
    let mut out = String::new();
    let mut line = |s: &str| {
        out.push_str(s);
        out.push_str("\n\n");
    };
    line(doc.document_kind.label_sv());
    if let Some(d) = doc.date {
        line(&format!("Datum {d}"));
    }
    if let Some(r) = &doc.registry_number {
        line(&format!("Diarienummer {r}"));
    }
    if let Some(unit) = &doc.issuing_unit {
        line(&format!("Västra Götalandsregionen**{unit}**"));
    }
    if let Some(o) = &doc.case_officer {
        let mut s = format!("Handläggare: {}", o.name);
        if let Some(p) = &o.phone {
            s.push_str(&format!("\nTelefon: {p}"));
        }
        if let Some(e) = &o.email {
            s.push_str(&format!("\nE-post: {e}"));
        }
        line(&s);
    }
    // The title holds the revision ("…, reviderad juni 2026") as written.
    line(&doc.title);
    let mut header = String::new();
    if let Some(a) = &doc.responsibility_area {
        header.push_str(&format!("Ansvarsområde: {a}"));
    }
    if let Some(c) = &doc.commissioner {
        header.push_str(&format!("**Uppdragsgivare:** {c}"));
    }
    if let Some(a) = &doc.assignee {
        header.push_str(&format!("**Uppdragstagare:** {a}"));
    }
    if !header.is_empty() {
        line(&header);
    }
    for p in &doc.preamble {
        line(p);
    }
    for s in &doc.sections {
        line(&s.heading);
        for b in &s.blocks {
            match b {
                Block::Paragraph { text } => line(text),
                Block::List { items } => line(
                    &items
                        .iter()
                        .map(|i| format!("- {i}"))
                        .collect::<Vec<_>>()
                        .join("\n"),
                ),
            }
        }
    }
    let date = match doc.decision.date {
        Some(d) => format!("Datum för beslut: {d}"),
        None => format!("Datum för beslut: {UNDECIDED}"),
    };
    line(&date);
    if let Some(by) = &doc.decision.decided_by {
        line(&by.name);
        if let Some(t) = &by.title {
            line(t);
        }
    }
    if !doc.distribution.is_empty() {
        line("Uppdraget skickas till");
        line(
            &doc.distribution
                .iter()
                .map(|d| format!("- {d}"))
                .collect::<Vec<_>>()
                .join("\n"),
        );
    }
    out.trim_end().to_string() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a rendering must keep: everything but the warnings of extraction.
    fn content(mut d: ParsedCharter) -> ParsedCharter {
        d.warnings.clear();
        d
    }

    #[test]
    fn every_seed_renders_to_text_that_parses_to_the_same_charter() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/seeds");
        let mut n = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "txt") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let doc = crate::parse_charter(&text).unwrap();
            let rendered = charter_text(&doc);
            let again = crate::parse_charter(&rendered)
                .unwrap_or_else(|e| panic!("{}: {e}\n{rendered}", path.display()));
            let (a, b) = (content(again), content(doc));
            if a != b {
                let (a, b) = (format!("{a:#?}"), format!("{b:#?}"));
                let first = a
                    .lines()
                    .zip(b.lines())
                    .find(|(x, y)| x != y)
                    .map(|(x, y)| format!("rendered: {x}\noriginal: {y}"));
                panic!(
                    "{}: the rendering reads back otherwise\n{first:?}",
                    path.display()
                );
            }
            n += 1;
        }
        assert_eq!(n, 5, "every seed");
    }
}
