//! Word-level differences between two texts, for people who are not technical:
//! each piece says whether it was kept, removed or added, so a page can mark it
//! with words and strike-through, not colour alone. The diff itself is the
//! `similar` crate's (Myers on words); here only what a charter needs.

use serde::Serialize;
use similar::{ChangeTag, TextDiff};

/// What happened to a piece of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PieceKind {
    Same,
    Removed,
    Added,
}

/// A run of words with one fate; whitespace is kept inside the run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Piece {
    pub kind: PieceKind,
    pub text: String,
}

impl Piece {
    /// In the old text only.
    pub fn is_removed(&self) -> bool {
        self.kind == PieceKind::Removed
    }

    /// In the new text only.
    pub fn is_added(&self) -> bool {
        self.kind == PieceKind::Added
    }
}

/// The old text and the new one as runs of kept, removed and added words
/// (neighbouring words of one fate joined into one piece).
pub fn words(old: &str, new: &str) -> Vec<Piece> {
    let diff = TextDiff::from_words(old, new);
    let mut out: Vec<Piece> = Vec::new();
    for change in diff.iter_all_changes() {
        let kind = match change.tag() {
            ChangeTag::Equal => PieceKind::Same,
            ChangeTag::Delete => PieceKind::Removed,
            ChangeTag::Insert => PieceKind::Added,
        };
        let text = change.value();
        match out.last_mut() {
            Some(last) if last.kind == kind => last.text.push_str(text),
            _ => out.push(Piece {
                kind,
                text: text.to_string(),
            }),
        }
    }
    out
}

/// How alike two texts are, word by word: 1.0 the same, 0.0 nothing in common.
pub fn similarity(old: &str, new: &str) -> f32 {
    TextDiff::from_words(old, new).ratio()
}

/// Whether the two texts differ only in the spelling of single words (each
/// removed word replaced by one added word at most two letters away), such as
/// "sjukvårdsystem" → "sjukvårdssystem". Returns the pairs, or `None` when the
/// difference is more than spelling. Identical texts give an empty list.
pub fn spelling_only(old: &str, new: &str) -> Option<Vec<(String, String)>> {
    let diff = TextDiff::from_words(old, new);
    let changes: Vec<(ChangeTag, String)> = diff
        .iter_all_changes()
        .filter(|c| !c.value().trim().is_empty())
        .map(|c| (c.tag(), c.value().to_string()))
        .collect();
    let mut pairs = Vec::new();
    let mut i = 0;
    while i < changes.len() {
        match (&changes[i], changes.get(i + 1)) {
            ((ChangeTag::Equal, _), _) => i += 1,
            ((ChangeTag::Delete, a), Some((ChangeTag::Insert, b)))
                if strsim::levenshtein(a, b) <= 2 && a.chars().count() > 3 =>
            {
                pairs.push((a.clone(), b.clone()));
                i += 2;
            }
            _ => return None,
        }
    }
    Some(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_words_are_marked_kept_removed_and_added() {
        let p = words("möts 4–8 gånger per år", "möts 6–10 gånger per år");
        let kinds: Vec<PieceKind> = p.iter().map(|x| x.kind).collect();
        assert!(kinds.contains(&PieceKind::Removed) && kinds.contains(&PieceKind::Added));
        let old: String = p
            .iter()
            .filter(|x| x.kind != PieceKind::Added)
            .map(|x| x.text.as_str())
            .collect();
        let new: String = p
            .iter()
            .filter(|x| x.kind != PieceKind::Removed)
            .map(|x| x.text.as_str())
            .collect();
        assert_eq!(old, "möts 4–8 gånger per år");
        assert_eq!(new, "möts 6–10 gånger per år");
    }

    #[test]
    fn a_letter_is_spelling_a_word_is_not() {
        assert_eq!(
            spelling_only(
                "ett sammanhållet hälso- och sjukvårdsystem",
                "ett sammanhållet hälso- och sjukvårdssystem"
            ),
            Some(vec![("sjukvårdsystem".into(), "sjukvårdssystem".into())])
        );
        assert_eq!(spelling_only("samma text", "samma text"), Some(vec![]));
        assert_eq!(spelling_only("koncernledning", "ledningsgrupp"), None);
        assert_eq!(spelling_only("fyra möten", "fyra möten per år"), None);
    }
}
