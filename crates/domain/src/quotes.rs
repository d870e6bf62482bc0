//! Quoting a charter: its sentences, every paragraph and list item with its
//! section, and the first sentence that holds given words. Rules quote the
//! sentence they rest on; `decisions` reads which bodies a charter names.

use crate::message::Text;
use crate::parse::{Block, ParsedCharter};
use serde::Serialize;

pub(crate) fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        cur.push(c);
        let end =
            matches!(c, '.' | '!' | '?') && chars.get(i + 1).is_none_or(|n| n.is_whitespace());
        if end || c == '\n' {
            let s = cur.trim().to_string();
            if !s.is_empty() {
                out.push(s);
            }
            cur.clear();
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_string());
    }
    out
}

/// Every paragraph and list item of a charter with its section heading, then the
/// preamble (no heading).
pub(crate) fn charter_texts(doc: &ParsedCharter) -> Vec<(Option<&str>, &str)> {
    let mut out = Vec::new();
    for s in &doc.sections {
        for b in &s.blocks {
            match b {
                Block::Paragraph { text } => out.push((Some(s.heading.as_str()), text.as_str())),
                Block::List { items } => {
                    out.extend(items.iter().map(|i| (Some(s.heading.as_str()), i.as_str())))
                }
            }
        }
    }
    out.extend(doc.preamble.iter().map(|p| (None, p.as_str())));
    out
}

/// The first sentence of the charter containing all `words` (case-insensitive).
pub fn quote(label: &Text, doc: &ParsedCharter, words: &[&str]) -> Option<Source> {
    let hit = |t: &str| {
        let l = t.to_lowercase();
        words.iter().all(|w| l.contains(&w.to_lowercase()))
    };
    charter_texts(doc).into_iter().find_map(|(section, text)| {
        sentences(text)
            .into_iter()
            .find(|x| hit(x))
            .map(|q| Source {
                charter: label.clone(),
                section: section.map(str::to_string),
                quote: q,
            })
    })
}

/// Where in the charter a rule comes from: which version, which section, the
/// sentence quoted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Source {
    /// Which charter version: its title, version and decision.
    pub charter: Text,
    pub section: Option<String>,
    pub quote: String,
}
