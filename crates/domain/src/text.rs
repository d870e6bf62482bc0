//! Clean-up of text extracted from PDF and Word: line endings, bold markers,
//! Markdown escapes and links, page headers and footers, broken lines.

use std::sync::LazyLock;

use regex::Regex;

/// One cleaned line of the source with its 1-based line number.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Line {
    pub no: usize,
    pub text: String,
    /// Written as a Markdown heading (`# …`).
    pub md_heading: bool,
}

impl Line {
    pub fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }
}

static BOLD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\*{2,}|_{2,}").unwrap());
static MD_LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[([^\]]*)\]\(([^)\s]*)\)").unwrap());
static MD_ESCAPE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\\([\\`*_{}\[\]()#+\-.!<>])").unwrap());
static MD_HEADING: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^#{1,6}\s+").unwrap());

/// Splits the input into lines and removes what extraction leaves behind inside a line.
///
/// Bold markers glued between a word and a capitalised word
/// ("sjukvård**Uppdragsgivare:") separate two fields, so they become a paragraph
/// break; all other bold markers are dropped.
pub(crate) fn lines(input: &str) -> Vec<Line> {
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    let mut out = Vec::new();
    for (i, raw) in input.split('\n').enumerate() {
        let no = i + 1;
        let mut text: String = raw
            .trim_end_matches('\r')
            .chars()
            .map(|c| match c {
                '\u{a0}' | '\u{2007}' | '\u{202f}' | '\t' | '\u{b}' | '\u{c}' => ' ',
                '\r' => ' ',
                c if c.is_control() => ' ',
                c => c,
            })
            .collect();
        text = MD_LINK.replace_all(&text, "$1").into_owned();
        let md_heading = MD_HEADING.is_match(text.trim_start());
        if md_heading {
            text = MD_HEADING.replace(text.trim_start(), "").into_owned();
        }
        // Split on glued bold markers, drop the others.
        let mut pieces: Vec<String> = vec![String::new()];
        let mut last = 0;
        for m in BOLD.find_iter(&text) {
            let before = &text[last..m.start()];
            pieces.last_mut().unwrap().push_str(before);
            let prev = text[..m.start()].chars().next_back();
            let next = text[m.end()..].chars().next();
            let glued =
                prev.is_some_and(|c| !c.is_whitespace()) && next.is_some_and(|c| c.is_uppercase());
            if glued {
                pieces.push(String::new());
            }
            last = m.end();
        }
        pieces.last_mut().unwrap().push_str(&text[last..]);
        let n = pieces.len();
        for (j, piece) in pieces.into_iter().enumerate() {
            let cleaned = MD_ESCAPE.replace_all(&piece, "$1");
            out.push(Line {
                no,
                text: cleaned.trim().to_string(),
                md_heading,
            });
            if j + 1 < n {
                out.push(Line {
                    no,
                    text: String::new(),
                    md_heading: false,
                });
            }
        }
    }
    out
}

static PAGE_HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^(?:
            (?:diarienummer|dnr)\s*:?\s*[A-ZÅÄÖ]{2,5}\s*\d{4}\s*[-–—]\s*\d{3,6}(?:-\d{1,3})?
          | datum\s*:?\s*\d{4}-\d{2}-\d{2}
          | (?:sida\s+)?\d{1,3}\s*(?:\(\s*\d{1,3}\s*\)|av\s+\d{1,3}|/\s*\d{1,3})?
          | sida\s+\d{1,3}
          | västra\s+götalandsregionen
          | koncernkontoret
          | uppdragshandling
          | verkställighetsbeslut
        )$",
    )
    .unwrap()
});

static FOOTER_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:postadress|besöksadress|leveransadress|telefon|tel|telefax|fax|e-post|epost|webbplats|webb|hemsida|organisationsnummer|org\.?\s*nr)\b\s*:?",
    )
    .unwrap()
});

/// Whether a line of the body is page furniture: a running header with the registry
/// number, a page number, a letterhead line, or a repeat of a header line.
pub(crate) fn is_page_header(text: &str, header_lines: &[String]) -> bool {
    let t = text.trim();
    PAGE_HEADER.is_match(t) || (t.chars().count() >= 6 && header_lines.iter().any(|h| h == t))
}

/// Removes page headers, page numbers and address footers from body lines.
/// A footer starts at a "Postadress" line and runs over its labels and their short
/// values; it ends after the value of "Webbplats", or at the first long line.
/// With `header_lines` of `None` (the document header itself), only footers go.
pub(crate) fn strip_furniture(lines: Vec<Line>, header_lines: Option<&[String]>) -> Vec<Line> {
    let mut out = Vec::with_capacity(lines.len());
    let mut in_footer = false;
    let mut footer_ends_after_value = false;
    for line in lines {
        let t = line.text.trim();
        if t.is_empty() {
            out.push(line);
            continue;
        }
        if !in_footer && FOOTER_LABEL.is_match(t) && t.to_lowercase().starts_with("postadress") {
            in_footer = true;
            footer_ends_after_value = false;
            continue;
        }
        if in_footer {
            if FOOTER_LABEL.is_match(t) {
                let label_only = t.trim_end().ends_with(':');
                let lower = t.to_lowercase();
                if lower.starts_with("webbplats")
                    || lower.starts_with("webb")
                    || lower.starts_with("hemsida")
                {
                    if label_only {
                        footer_ends_after_value = true;
                    } else {
                        in_footer = false;
                    }
                }
                continue;
            }
            if t.chars().count() <= 50 {
                if footer_ends_after_value {
                    in_footer = false;
                }
                continue;
            }
            in_footer = false;
        }
        if header_lines.is_some_and(|h| is_page_header(t, h)) {
            continue;
        }
        out.push(line);
    }
    out
}

/// Joins two pieces of one sentence that a line break separated, mending hyphenated
/// breaks ("utvecklings-" + "direktör") but keeping "hälso- och".
pub(crate) fn join_broken(a: &str, b: &str) -> String {
    let a = a.trim_end();
    let b = b.trim_start();
    if a.is_empty() {
        return b.to_string();
    }
    if b.is_empty() {
        return a.to_string();
    }
    if let Some(stem) = a.strip_suffix('-') {
        let before_is_letter = stem.chars().next_back().is_some_and(char::is_alphabetic);
        let next_lower = b.chars().next().is_some_and(char::is_lowercase);
        let conjunction = ["och ", "eller ", "samt ", "respektive ", "till ", "som "]
            .iter()
            .any(|c| b.starts_with(c));
        if before_is_letter && next_lower && !conjunction {
            return format!("{stem}{b}");
        }
    }
    format!("{a} {b}")
}

/// Collapses runs of white space to one space.
pub(crate) fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

static BULLET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:[-–—•·▪◦○●*]|\d{1,2}[.)])\s+").unwrap());

/// The text of a list item, if the line starts one.
pub(crate) fn bullet(text: &str) -> Option<&str> {
    BULLET.find(text).map(|m| &text[m.end()..])
}

/// Whether a sentence ends here.
pub(crate) fn ends_sentence(s: &str) -> bool {
    s.trim_end()
        .chars()
        .next_back()
        .is_some_and(|c| matches!(c, '.' | '!' | '?' | ':' | ';'))
}

/// A block of running text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum RawBlock {
    Paragraph(String),
    Item(String),
}

impl RawBlock {
    fn text_mut(&mut self) -> &mut String {
        match self {
            RawBlock::Paragraph(s) | RawBlock::Item(s) => s,
        }
    }
}

/// Groups lines into paragraphs and list items. A line that follows without a blank
/// line continues the block; a line after a blank line that starts in lower case
/// continues a block that did not end its sentence (a page break in mid-sentence).
pub(crate) fn blocks(lines: &[Line]) -> Vec<RawBlock> {
    let mut out: Vec<RawBlock> = Vec::new();
    let mut after_break = true;
    for line in lines {
        let t = line.text.trim();
        if t.is_empty() {
            after_break = true;
            continue;
        }
        if let Some(item) = bullet(t) {
            out.push(RawBlock::Item(item.trim().to_string()));
        } else if let Some(last) = out.last_mut().filter(|_| !after_break) {
            let joined = join_broken(last.text_mut(), t);
            *last.text_mut() = joined;
        } else if let Some(last) = out.last_mut().filter(|b| {
            !ends_sentence(match b {
                RawBlock::Paragraph(s) | RawBlock::Item(s) => s,
            }) && t.chars().next().is_some_and(char::is_lowercase)
        }) {
            let joined = join_broken(last.text_mut(), t);
            *last.text_mut() = joined;
        } else {
            out.push(RawBlock::Paragraph(t.to_string()));
        }
        after_break = false;
    }
    for b in &mut out {
        let s = squash(b.text_mut());
        *b.text_mut() = s;
    }
    out.retain(|b| match b {
        RawBlock::Paragraph(s) | RawBlock::Item(s) => !s.is_empty(),
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(input: &str) -> Vec<String> {
        lines(input).into_iter().map(|l| l.text).collect()
    }

    #[test]
    fn glued_bold_markers_separate_fields() {
        assert_eq!(
            texts("Hälso- och sjukvård**Uppdragsgivare:** Karin"),
            ["Hälso- och sjukvård", "", "Uppdragsgivare: Karin"]
        );
        assert_eq!(texts("**Syfte med uppdraget**"), ["Syfte med uppdraget"]);
        assert_eq!(texts("ett **viktigt** ord"), ["ett viktigt ord"]);
    }

    #[test]
    fn crlf_markdown_links_and_escapes() {
        let l = lines("Enligt [Rutin \\(vregion.se\\)](http://x.se).\r\n## Kommunikation\r\n");
        assert_eq!(l[0].text, "Enligt Rutin (vregion.se).");
        assert_eq!(l[1].text, "Kommunikation");
        assert!(l[1].md_heading);
    }

    #[test]
    fn hyphenated_breaks_are_mended_but_not_elisions() {
        assert_eq!(
            join_broken("sjukvårdsutvecklings-", "direktör"),
            "sjukvårdsutvecklingsdirektör"
        );
        assert_eq!(join_broken("hälso-", "och sjukvård"), "hälso- och sjukvård");
        assert_eq!(join_broken("Program-", "Och"), "Program- Och");
    }

    #[test]
    fn footers_and_running_headers_are_removed() {
        let src = "Gruppen ska beakta\n\nPostadress:\nRegionens Hus\n462 80 Vänersborg\n\nTelefon:\n010-441 00 00\nWebbplats:\nwww.vgregion.se\n\nkonsekvenser för linjen.\n\nDiarienummer RS 2023-04038\n\nSida 2 av 4\n";
        let kept = strip_furniture(lines(src), Some(&[]));
        let b = blocks(&kept);
        assert_eq!(
            b,
            [RawBlock::Paragraph(
                "Gruppen ska beakta konsekvenser för linjen.".into()
            )]
        );
    }
}
