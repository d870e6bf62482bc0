//! What the full-text search indexes: one [`Document`] per thing a reader finds
//! (a group, a charter section, an agenda item, a section of minutes, an
//! attachment, a matter, a decision, a person), with who may read it. The store
//! makes them from the register; the search crate indexes them. Pure data.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The kind of thing a search result is (the facet "typ").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    Group,
    Charter,
    Agenda,
    Minutes,
    Attachment,
    Matter,
    Decision,
    Person,
}

impl DocKind {
    pub const ALL: [DocKind; 8] = [
        DocKind::Group,
        DocKind::Charter,
        DocKind::Agenda,
        DocKind::Minutes,
        DocKind::Attachment,
        DocKind::Matter,
        DocKind::Decision,
        DocKind::Person,
    ];

    /// The stored name (also the URL's `typ=` value and the message id suffix).
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Group => "group",
            DocKind::Charter => "charter",
            DocKind::Agenda => "agenda",
            DocKind::Minutes => "minutes",
            DocKind::Attachment => "attachment",
            DocKind::Matter => "matter",
            DocKind::Decision => "decision",
            DocKind::Person => "person",
        }
    }

    /// The kind a stored name names; `None` for any other text.
    pub fn parse(s: &str) -> Option<DocKind> {
        DocKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Who may read a document (policy.rs: the actions behind each).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// Whoever may read what is published (`ReadPublished`).
    Public,
    /// Whoever may read people (`ReadPeople`).
    People,
    /// Whoever may read the owning group's internal records
    /// (`ReadGroupInternal`): unpublished agendas, minutes not yet published,
    /// decisions in them, what was said under an item.
    Internal,
}

impl Audience {
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Public => "public",
            Audience::People => "people",
            Audience::Internal => "internal",
        }
    }
}

/// One thing to find.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Unique across the index: `"<kind>:<id>[:<part>]"`, e.g. `"charter:12:3"`
    /// (version 12, section 3).
    pub key: String,
    pub kind: DocKind,
    /// The document type within the kind (the facet "dokumenttyp"): a charter's
    /// `document_kind`, a matter's kind, a group's kind, as stored.
    pub doc_type: Option<String>,
    /// The group it belongs to; `None` for a person.
    pub org_id: Option<i64>,
    /// That group's name, for the facet and the result line.
    pub org_name: Option<String>,
    pub audience: Audience,
    pub title: String,
    pub body: String,
    /// Identifiers searched as written: diarienummer ("RS 2024-00784"), dates.
    pub codes: Vec<String>,
    /// The page that shows it, a path on the portal ("/moten/12").
    pub url: String,
    /// The date it is of (meeting, decision, charter date); its year is the
    /// facet "år".
    pub date: Option<NaiveDate>,
    /// An attachment's bytes and content type, whose text the indexer extracts
    /// into `body` (the domain reads no files).
    #[serde(skip)]
    pub file: Option<(String, Vec<u8>)>,
}

/// An entity whose documents are written again when it changes (the outbox's
/// rows): a group with everything in it, or a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Entity {
    Org(i64),
    Person(i64),
}

/// The sections of Markdown minutes: `(heading, text)` for each `## ` heading,
/// text before the first heading under an empty heading (when not blank).
pub fn minutes_sections(body: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut heading = String::new();
    let mut text = String::new();
    for line in body.lines() {
        if let Some(h) = line.strip_prefix("## ").or_else(|| line.strip_prefix("# ")) {
            if !heading.is_empty() || !text.trim().is_empty() {
                out.push((heading.clone(), text.trim().to_string()));
            }
            heading = h.trim().to_string();
            text.clear();
        } else {
            text.push_str(line);
            text.push('\n');
        }
    }
    if !heading.is_empty() || !text.trim().is_empty() {
        out.push((heading, text.trim().to_string()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_split_at_their_headings() {
        let s = minutes_sections("Inledning\n## 1. Öppnande\nÖppnades.\n\n## 2. Övrigt\nInget.\n");
        assert_eq!(
            s,
            vec![
                (String::new(), "Inledning".to_string()),
                ("1. Öppnande".to_string(), "Öppnades.".to_string()),
                ("2. Övrigt".to_string(), "Inget.".to_string()),
            ]
        );
        assert!(minutes_sections("  \n").is_empty());
        for k in DocKind::ALL {
            assert_eq!(DocKind::parse(k.as_str()), Some(k));
        }
    }
}
