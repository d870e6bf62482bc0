//! Templates (mallar) for charters, and how far a charter follows its template.
//!
//! The region drafts every council's charter from one standard text (the 2026
//! council template: the ortopedi and onkologi charters are that text with
//! another area), and the coordination groups' from the neonatal group's. A
//! template here is that text with the area as a variable, `{område}`; it is
//! instantiated for a group and parsed like any charter, and the group's charter
//! is compared with it section by section ([`conformance`]).

use serde::Serialize;

use crate::diff::{self, Piece};
use crate::parse::{ParsedCharter, Section};
use crate::OrgKind;

/// The variable a template's text holds for the group's area.
pub const AREA: &str = "{område}";

/// A template for the charters of one kind of group.
#[derive(Debug, Clone, Copy)]
pub struct Template {
    /// Stable id, e.g. `samordningsrad-2026`.
    pub id: &'static str,
    /// The name people know it by (message id `template-…` in the portal).
    pub name: &'static str,
    pub kind: OrgKind,
    pub version: &'static str,
    /// The charter the template's text is taken from, with its area word.
    source: &'static str,
    area_word: &'static str,
}

/// The templates of the region, newest first per kind.
pub const TEMPLATES: &[Template] = &[
    Template {
        id: "samordningsrad-2026",
        name: "Uppdragshandling samordningsråd 2026",
        kind: OrgKind::Samordningsrad,
        version: "2026",
        source: include_str!("../../../fixtures/seeds/sor-ortopedi-2026.txt"),
        area_word: "ortopedi",
    },
    Template {
        id: "samordningsgrupp-2023",
        name: "Uppdragshandling samordningsgrupp 2023",
        kind: OrgKind::Samordningsgrupp,
        version: "2023",
        source: include_str!("../../../fixtures/seeds/samordningsgrupp-neonatalvard-2023.txt"),
        area_word: "neonatalvård",
    },
];

impl Template {
    /// The template's text, the area written as [`AREA`].
    pub fn text(&self) -> String {
        replace_word(self.source, self.area_word, AREA)
    }

    /// The template for a group's area ("neurologi"), parsed as a charter.
    pub fn instantiate(&self, area: &str) -> Result<ParsedCharter, crate::ParseError> {
        crate::parse_charter(&self.text().replace(AREA, area))
    }
}

/// Replaces `word` (any letter case of its first letter) by `with`.
fn replace_word(text: &str, word: &str, with: &str) -> String {
    let mut upper = word.to_string();
    if let Some(first) = upper.get(..1) {
        upper = first.to_uppercase() + &upper[1..];
    }
    text.replace(word, with).replace(&upper, with)
}

/// The template a charter is drafted from: the newest of its group's kind.
pub fn template_for(doc: &ParsedCharter) -> Option<&'static Template> {
    TEMPLATES.iter().find(|t| t.kind == doc.organization.kind)
}

/// The area a charter's group is named for ("Samordningsråd neurologi" →
/// "neurologi"), as its template writes it.
pub fn area_of(doc: &ParsedCharter) -> String {
    let name = doc.organization.name.as_str();
    for prefix in [
        "Samordningsråd för ",
        "Samordningsråd ",
        "Samordningsgrupp för ",
        "Samordningsgrupp ",
    ] {
        if let Some(rest) = name.strip_prefix(prefix) {
            // "neonatalvården" is written "neonatalvård" in running text.
            return rest.strip_suffix("en").unwrap_or(rest).to_string();
        }
    }
    doc.organization
        .area
        .clone()
        .unwrap_or_else(|| name.to_string())
        .to_lowercase()
}

/// How one section of a charter compares with its template.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum SectionStatus {
    /// Word for word as the template.
    Follows,
    /// As the template but for the spelling of some words: (template, charter).
    Spelling { words: Vec<(String, String)> },
    /// Different: the template's text and the charter's, word by word; and
    /// both texts whole, for a section rewritten (`similarity` below one half is
    /// better read side by side than word by word).
    Deviates {
        pieces: Vec<Piece>,
        template: String,
        charter: String,
        similarity: f32,
    },
    /// The template has the section; the charter does not.
    Missing,
    /// The charter has a section the template does not.
    Extra,
}

/// One section of the comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectionConformance {
    pub heading: String,
    #[serde(flatten)]
    pub status: SectionStatus,
}

/// How a charter follows its template.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Conformance {
    pub template: &'static str,
    pub template_name: &'static str,
    pub sections: Vec<SectionConformance>,
}

impl Conformance {
    /// Every section follows the template (spelling aside).
    pub fn follows(&self) -> bool {
        self.sections.iter().all(|s| {
            matches!(
                s.status,
                SectionStatus::Follows | SectionStatus::Spelling { .. }
            )
        })
    }

    /// The headings of the sections that deviate, are missing or are extra.
    pub fn deviating(&self) -> Vec<&str> {
        self.sections
            .iter()
            .filter(|s| {
                !matches!(
                    s.status,
                    SectionStatus::Follows | SectionStatus::Spelling { .. }
                )
            })
            .map(|s| s.heading.as_str())
            .collect()
    }
}

/// A section as running text: heading, paragraphs and list items, with
/// whitespace and bold markers of extraction made uniform.
fn section_text(s: &Section) -> String {
    let mut all = String::new();
    all.push_str(&s.text);
    for item in &s.items {
        all.push('\n');
        all.push_str(item);
    }
    all.replace("**", " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Compares two charters section by section (and, `with_distribution`, their
/// distribution lists as a section [`DISTRIBUTION`]): each section of `old` in its order
/// (`Missing` when `new` lacks it), then the sections only `new` has (`Extra`).
/// Section texts are compared word by word after whitespace and extraction bold
/// markers are made uniform; a difference only in the spelling of words is
/// `Spelling`. Used for a charter against its template and for two versions.
pub fn compare_sections(
    old: &ParsedCharter,
    new: &ParsedCharter,
    with_distribution: bool,
) -> Vec<SectionConformance> {
    let key = |h: &str| h.trim().to_lowercase();
    let mut sections = Vec::new();
    let mut old_sections: Vec<Section> = old.sections.clone();
    let mut new_sections: Vec<Section> = new.sections.clone();
    // The distribution list is compared like a section (not with a template:
    // each group has its own).
    for (doc, list) in [(old, &mut old_sections), (new, &mut new_sections)] {
        if with_distribution && !doc.distribution.is_empty() {
            list.push(Section {
                heading: DISTRIBUTION.into(),
                parent: None,
                text: String::new(),
                items: doc.distribution.clone(),
                blocks: Vec::new(),
            });
        }
    }
    for t in &old_sections {
        let status = match new_sections
            .iter()
            .find(|s| key(&s.heading) == key(&t.heading))
        {
            None => SectionStatus::Missing,
            Some(s) => {
                let (a, b) = (section_text(t), section_text(s));
                match diff::spelling_only(&a, &b) {
                    Some(w) if w.is_empty() => SectionStatus::Follows,
                    Some(words) => SectionStatus::Spelling { words },
                    None => SectionStatus::Deviates {
                        pieces: diff::words(&a, &b),
                        similarity: diff::similarity(&a, &b),
                        template: a,
                        charter: b,
                    },
                }
            }
        };
        sections.push(SectionConformance {
            heading: t.heading.clone(),
            status,
        });
    }
    for s in &new_sections {
        if !old_sections
            .iter()
            .any(|t| key(&t.heading) == key(&s.heading))
        {
            sections.push(SectionConformance {
                heading: s.heading.clone(),
                status: SectionStatus::Extra,
            });
        }
    }
    sections
}

/// The heading the distribution list is compared under.
pub const DISTRIBUTION: &str = "Sändlista";

/// Compares a charter with its template, section by section in the template's
/// order (then the charter's extra sections). `None` when no template fits the
/// charter's kind, or the template cannot be instantiated.
pub fn conformance(doc: &ParsedCharter) -> Option<Conformance> {
    let template = template_for(doc)?;
    let expected = template.instantiate(&area_of(doc)).ok()?;
    let sections = compare_sections(&expected, doc, false);
    Some(Conformance {
        template: template.id,
        template_name: template.name,
        sections,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed(name: &str) -> ParsedCharter {
        let text = std::fs::read_to_string(format!(
            "{}/../../fixtures/seeds/{name}.txt",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        crate::parse_charter(&text).unwrap()
    }

    #[test]
    fn the_council_template_is_the_ortopedi_text_with_the_area_as_a_variable() {
        let t = &TEMPLATES[0];
        assert!(t.text().contains("samordningsråd {område}"));
        assert!(!t.text().to_lowercase().contains("ortopedi"));
        let neuro = t.instantiate("neurologi").unwrap();
        assert_eq!(neuro.organization.name, "Samordningsråd neurologi");
    }

    #[test]
    fn the_seeds_follow_their_template_or_say_where_not() {
        for name in ["sor-ortopedi-2026", "sor-onkologi-2026"] {
            let c = conformance(&seed(name)).unwrap();
            assert_eq!(c.template, "samordningsrad-2026");
            assert!(
                c.sections
                    .iter()
                    .all(|s| s.status == SectionStatus::Follows),
                "{name}: {:?}",
                c.deviating()
            );
        }
        // Neurologi: the same text once its extraction is cleaned, one word
        // spelled otherwise.
        let c = conformance(&seed("sor-neurologi-2026")).unwrap();
        assert!(c.follows(), "{:?}", c.deviating());
        let spelled: Vec<_> = c
            .sections
            .iter()
            .filter_map(|s| match &s.status {
                SectionStatus::Spelling { words } => Some(words.clone()),
                _ => None,
            })
            .flatten()
            .collect();
        assert_eq!(
            spelled,
            [("sjukvårdsystem".to_string(), "sjukvårdssystem".to_string())]
        );
        // Rättspsykiatri 2024: an older template.
        let c = conformance(&seed("sor-rattspsykiatri-2024")).unwrap();
        assert!(!c.follows());
        let deviating = c.deviating();
        assert!(deviating.contains(&"Uppdragsbeskrivning"), "{deviating:?}");
        let removed_or_added = |heading: &str| -> String {
            c.sections
                .iter()
                .filter(|s| s.heading == heading)
                .filter_map(|s| match &s.status {
                    SectionStatus::Deviates { pieces, .. } => Some(
                        pieces
                            .iter()
                            .filter(|p| p.kind != diff::PieceKind::Same)
                            .map(|p| p.text.as_str())
                            .collect::<String>(),
                    ),
                    _ => None,
                })
                .collect()
        };
        let all: String = deviating.iter().map(|h| removed_or_added(h)).collect();
        assert!(all.contains("oncernledning"), "the renamed body: {all}");
        // The neonatal group is its own template.
        let c = conformance(&seed("samordningsgrupp-neonatalvard-2023")).unwrap();
        assert!(c.follows(), "{:?}", c.deviating());
    }
}
