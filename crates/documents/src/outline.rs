//! The parts of a charter in the order the region's originals have them:
//! document kind, date and diarienummer, letterhead, case officer, title, header
//! fields, preamble, sections, decision block and distribution list. The PDF and
//! the DOCX are both laid out from this one list, and [`samordna_domain::render`]
//! writes the same order as text.

use samordna_domain::parse::{Block, ParsedCharter};
use samordna_domain::render::UNDECIDED;

/// A run of text in one weight.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub text: String,
    pub bold: bool,
}

impl Run {
    fn plain(text: impl Into<String>) -> Self {
        Run {
            text: text.into(),
            bold: false,
        }
    }
    fn bold(text: impl Into<String>) -> Self {
        Run {
            text: text.into(),
            bold: true,
        }
    }
}

/// One part of the document.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    /// A heading; level 1 is the title, 2 a section, 3 a subsection
    /// ("Rapportering" under "Beslutsordning").
    Heading { level: u8, text: String },
    /// A paragraph; each inner list is a line of its own (a hard break).
    /// `keep_with_next`: on the same page as the part that follows (the lines
    /// of the decision block stay together).
    Paragraph {
        lines: Vec<Vec<Run>>,
        keep_with_next: bool,
    },
    /// A bulleted list.
    List { items: Vec<String> },
}

fn para(runs: Vec<Run>) -> Part {
    Part::Paragraph {
        lines: vec![runs],
        keep_with_next: false,
    }
}

fn kept(runs: Vec<Run>) -> Part {
    Part::Paragraph {
        lines: vec![runs],
        keep_with_next: true,
    }
}

/// The parts of `doc`, in reading order.
pub fn outline(doc: &ParsedCharter) -> Vec<Part> {
    let mut out = Vec::new();
    // The letterhead: the kind of document, its date and its diarienummer.
    out.push(para(vec![Run::bold(doc.document_kind.label_sv())]));
    let mut ids = Vec::new();
    if let Some(d) = doc.date {
        ids.push(vec![Run::plain(format!("Datum {d}"))]);
    }
    if let Some(r) = &doc.registry_number {
        ids.push(vec![Run::plain(format!("Diarienummer {r}"))]);
    }
    if !ids.is_empty() {
        out.push(Part::Paragraph {
            lines: ids,
            keep_with_next: false,
        });
    }
    if let Some(unit) = &doc.issuing_unit {
        out.push(para(vec![Run::bold("Västra Götalandsregionen")]));
        out.push(para(vec![Run::plain(unit.clone())]));
    }
    if let Some(o) = &doc.case_officer {
        let mut lines = vec![vec![Run::plain(format!("Handläggare: {}", o.name))]];
        if let Some(p) = &o.phone {
            lines.push(vec![Run::plain(format!("Telefon: {p}"))]);
        }
        if let Some(e) = &o.email {
            lines.push(vec![Run::plain(format!("E-post: {e}"))]);
        }
        out.push(Part::Paragraph {
            lines,
            keep_with_next: false,
        });
    }
    out.push(Part::Heading {
        level: 1,
        text: doc.title.clone(),
    });
    for (label, value) in [
        ("Ansvarsområde:", &doc.responsibility_area),
        ("Uppdragsgivare:", &doc.commissioner),
        ("Uppdragstagare:", &doc.assignee),
    ] {
        if let Some(v) = value {
            out.push(para(vec![Run::bold(label), Run::plain(format!(" {v}"))]));
        }
    }
    for p in &doc.preamble {
        out.push(para(vec![Run::plain(p.clone())]));
    }
    for s in &doc.sections {
        out.push(Part::Heading {
            level: if s.parent.is_some() { 3 } else { 2 },
            text: s.heading.clone(),
        });
        for b in &s.blocks {
            out.push(match b {
                Block::Paragraph { text } => para(vec![Run::plain(text.clone())]),
                Block::List { items } => Part::List {
                    items: items.clone(),
                },
            });
        }
    }
    let date = match doc.decision.date {
        Some(d) => d.to_string(),
        None => UNDECIDED.to_string(),
    };
    // The decision block — date, decision maker, title — on one page.
    let by = doc.decision.decided_by.as_ref();
    let date_line = vec![
        Run::bold("Datum för beslut:"),
        Run::plain(format!(" {date}")),
    ];
    out.push(if by.is_some() {
        kept(date_line)
    } else {
        para(date_line)
    });
    if let Some(by) = by {
        let name = vec![Run::plain(by.name.clone())];
        out.push(if by.title.is_some() {
            kept(name)
        } else {
            para(name)
        });
        if let Some(t) = &by.title {
            out.push(para(vec![Run::plain(t.clone())]));
        }
    }
    if !doc.distribution.is_empty() {
        out.push(Part::Heading {
            level: 2,
            text: "Uppdraget skickas till".into(),
        });
        out.push(Part::List {
            items: doc.distribution.clone(),
        });
    }
    out
}
