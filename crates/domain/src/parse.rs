//! The charter parser: `samordna parse FILE` (see "Parse contract" in PRODUCT.md).
//!
//! The document is read in three zones. The *header* runs up to the first known
//! section heading and holds the letterhead, the labelled fields (Datum,
//! Diarienummer, Ansvarsområde, Uppdragsgivare, Uppdragstagare, Handläggare) and
//! an optional preamble. The *sections* run from the first heading to the line
//! "Datum för beslut". The *decision block* follows, and after the line
//! "Uppdraget skickas till" the *distribution list*.

use std::fmt;
use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::model::{CharterStatus, DocumentKind, OrgKind, RegistryNumber};
use crate::names::{self, lowercase_first};
use crate::text::{self, Line, RawBlock};

/// The longest text the parser reads: 4 MiB. A charter is 10–60 kB of text (the
/// seeds are 8–24 kB), a PDF's `-layout` text pads it with spaces; with
/// [`MAX_LINES`] the bound keeps the work of one parse bounded (measured
/// 2026-12-06: 3 MB of padding 1.2 s, 12,000 lines of words 0.4 s, in a debug
/// build; a release build is about ten times faster).
pub const MAX_TEXT_BYTES: usize = 4 * 1024 * 1024;

/// The most lines the parser reads: 50,000 (a charter extracted with
/// `pdftotext -layout` has 60 lines a page).
pub const MAX_LINES: usize = 50_000;

/// Refuses a text over [`MAX_TEXT_BYTES`] or [`MAX_LINES`] before any work is
/// done on it, naming the line where the bound was passed.
fn within_bounds(input: &str) -> Result<(), ParseError> {
    if input.len() > MAX_TEXT_BYTES {
        let line = input.as_bytes()[..MAX_TEXT_BYTES]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        return Err(ParseError {
            line,
            reason: format!(
                "texten är längre än {} KiB (gränsen är {} KiB; en uppdragshandling är några tiotal KiB)",
                MAX_TEXT_BYTES / 1024,
                MAX_TEXT_BYTES / 1024
            ),
        });
    }
    if input.bytes().filter(|b| *b == b'\n').count() > MAX_LINES {
        return Err(ParseError {
            line: MAX_LINES + 1,
            reason: format!("texten har fler än {MAX_LINES} rader (gränsen är {MAX_LINES} rader)"),
        });
    }
    Ok(())
}

/// Why a text is not a charter, and the line where the parser gave up.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ParseError {
    pub line: usize,
    pub reason: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "rad {}: {}", self.line, self.reason)
    }
}

/// The group a charter is for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrgRef {
    pub name: String,
    pub kind: OrgKind,
    pub area: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseOfficer {
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeetingFrequency {
    pub min: Option<u32>,
    pub max: Option<u32>,
    pub digital_preferred: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NameAndTitle {
    pub name: String,
    pub title: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    /// `None` while the date is the placeholder "(ifylls av beslutsfattaren …)".
    pub date: Option<NaiveDate>,
    pub decided_by: Option<NameAndTitle>,
}

/// One paragraph or list of a section, in document order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    Paragraph { text: String },
    List { items: Vec<String> },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub heading: String,
    /// The heading of the enclosing section ("Beslutsordning" for "Rapportering").
    pub parent: Option<String>,
    /// The paragraphs, separated by a blank line.
    pub text: String,
    /// The list items.
    pub items: Vec<String>,
    /// Paragraphs and lists in the order the document has them.
    pub blocks: Vec<Block>,
}

/// A name of an organisation as the document writes it, and the name it denotes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    pub name: String,
    pub written: String,
    pub kind: OrgKind,
}

/// Everything `samordna parse` reads out of a charter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParsedCharter {
    pub document_kind: DocumentKind,
    pub title: String,
    pub revision: Option<String>,
    pub organization: OrgRef,
    pub reports_to: Option<String>,
    pub liaisons: Vec<String>,
    pub date: Option<NaiveDate>,
    pub registry_number: Option<RegistryNumber>,
    pub issuing_unit: Option<String>,
    pub case_officer: Option<CaseOfficer>,
    pub responsibility_area: Option<String>,
    pub commissioner: Option<String>,
    pub assignee: Option<String>,
    pub duties: Vec<String>,
    pub meeting_frequency: Option<MeetingFrequency>,
    pub references: Vec<RegistryNumber>,
    /// Text between the header fields and the first heading.
    pub preamble: Vec<String>,
    pub sections: Vec<Section>,
    pub decision: Decision,
    pub distribution: Vec<String>,
    /// Every organisation the document names: parent, liaisons, bodies referred to.
    pub mentions: Vec<Mention>,
    /// Things the parser noticed but could not read, for the person importing.
    pub warnings: Vec<String>,
}

impl ParsedCharter {
    /// The one-line fields as [`crate::normalize::line`] has them (typographic
    /// quotes too); the running text keeps the document's typography.
    fn normalise_fields(&mut self) {
        use crate::normalize::line;
        let one = |s: &mut String| *s = line(s);
        let opt = |s: &mut Option<String>| {
            if let Some(v) = s {
                *v = line(v);
            }
        };
        one(&mut self.title);
        opt(&mut self.revision);
        one(&mut self.organization.name);
        opt(&mut self.organization.area);
        opt(&mut self.reports_to);
        self.liaisons.iter_mut().for_each(one);
        opt(&mut self.issuing_unit);
        opt(&mut self.responsibility_area);
        opt(&mut self.commissioner);
        opt(&mut self.assignee);
        if let Some(o) = &mut self.case_officer {
            one(&mut o.name);
        }
        if let Some(d) = &mut self.decision.decided_by {
            one(&mut d.name);
            opt(&mut d.title);
        }
        for m in &mut self.mentions {
            one(&mut m.name);
            one(&mut m.written);
        }
    }

    pub fn status(&self) -> CharterStatus {
        if self.decision.date.is_some() {
            CharterStatus::Decided
        } else {
            CharterStatus::Undecided
        }
    }

    /// All running text of the document (preamble, sections, decision, distribution),
    /// one block a line.
    pub fn full_text(&self) -> String {
        let mut out: Vec<&str> = self.preamble.iter().map(String::as_str).collect();
        for s in &self.sections {
            out.push(&s.heading);
            for b in &s.blocks {
                match b {
                    Block::Paragraph { text } => out.push(text),
                    Block::List { items } => out.extend(items.iter().map(String::as_str)),
                }
            }
        }
        out.extend(self.distribution.iter().map(String::as_str));
        out.join("\n")
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Mark {
    Section {
        key: &'static str,
        parent: Option<&'static str>,
    },
    DecisionDate,
    Distribution,
}

const HEADINGS: [(&str, &str, Option<&str>); 15] = [
    ("beslut", "beslut", None),
    ("syfte", "syfte med uppdraget", None),
    ("syfte", "syfte", None),
    ("bakgrund", "bakgrund", None),
    ("uppdragsbeskrivning", "uppdragsbeskrivning", None),
    ("specifikt", "specifikt för gruppen", None),
    ("arbetsorganisation", "arbetsorganisation", None),
    ("samband", "samband och gränsdragning", None),
    ("kommunikation", "kommunikation", None),
    ("beslutsordning", "beslutsordning", None),
    ("rapportering", "rapportering", Some("beslutsordning")),
    ("beslutsfattande", "beslutsfattande", Some("beslutsordning")),
    ("uppfoljning", "uppföljning", None),
    ("mal", "mål", None),
    ("uppdragets-omfattning", "uppdragets omfattning", None),
];

fn classify(line: &Line) -> Option<Mark> {
    let t = line
        .text
        .trim()
        .trim_matches(|c| c == '*' || c == '#')
        .trim()
        .trim_end_matches(':')
        .trim();
    let lower = t.to_lowercase();
    if lower.starts_with("datum för beslut") {
        return Some(Mark::DecisionDate);
    }
    let words = lower.split_whitespace().count();
    if words == 0 || words > 12 || t.ends_with('.') || t.ends_with(',') {
        return None;
    }
    if [
        "uppdraget skickas till",
        "beslutet skickas till",
        "sändlista",
        "sändlista för beslut",
    ]
    .contains(&lower.as_str())
    {
        return Some(Mark::Distribution);
    }
    for (key, heading, parent) in HEADINGS {
        let matches = if key == "samband" {
            lower.starts_with(heading)
        } else {
            lower == heading
                || (heading.len() >= 10
                    && words <= 6
                    && strsim::normalized_levenshtein(&lower, heading) >= 0.88)
        };
        if matches {
            return Some(Mark::Section { key, parent });
        }
    }
    if line.md_heading && words <= 8 {
        return Some(Mark::Section {
            key: "other",
            parent: None,
        });
    }
    None
}

/// What each line is. A line that reads like a heading but runs on into a line
/// in lower case is the start of a wrapped sentence ("Samband och
/// gränsdragningar till andra grupper är specifikt för respektive" /
/// "ansvarsområde. …"), as text extracted from a PDF has it.
fn marks_of(lines: &[Line]) -> Vec<Option<Mark>> {
    let mut marks: Vec<Option<Mark>> = lines.iter().map(classify).collect();
    for (i, mark) in marks.iter_mut().enumerate() {
        if matches!(mark, Some(Mark::Section { .. }))
            && lines
                .get(i + 1)
                .and_then(|l| l.text.trim().chars().next())
                .is_some_and(char::is_lowercase)
        {
            *mark = None;
        }
    }
    marks
}

static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:^|\s)(Datum|Diarienummer|Dnr|Ansvarsområde|Uppdragsgivare|Uppdragstagare|Handläggare|Telefon|E-post)(?:\s*:|\s+(?:[A-ZÅÄÖ]{2,5}\s*\d{4}|\d{4}-\d{2}-\d{2}))",
    )
    .unwrap()
});

static ISO_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\d{4})-(\d{2})-(\d{2})\b").unwrap());

/// Splits a header paragraph into (label, value) pairs; text before the first label
/// has no label.
fn split_labels(p: &str) -> Vec<(Option<&'static str>, String)> {
    let mut out = Vec::new();
    let mut spans: Vec<(usize, usize, &'static str)> = Vec::new();
    for c in LABEL.captures_iter(p) {
        let m = c.get(1).unwrap();
        let label: &'static str = match m.as_str() {
            "Datum" => "datum",
            "Diarienummer" | "Dnr" => "diarienummer",
            "Ansvarsområde" => "ansvarsomrade",
            "Uppdragsgivare" => "uppdragsgivare",
            "Uppdragstagare" => "uppdragstagare",
            "Handläggare" => "handlaggare",
            "Telefon" => "telefon",
            _ => "epost",
        };
        // The value starts after the label and its colon, if any.
        let after = &p[m.end()..];
        let colon = after.len() - after.trim_start().len();
        let start = if after.trim_start().starts_with(':') {
            m.end() + colon + 1
        } else {
            m.end()
        };
        spans.push((m.start(), start, label));
    }
    let first = spans.first().map_or(p.len(), |s| s.0);
    let lead = p[..first].trim();
    if !lead.is_empty() {
        out.push((None, lead.to_string()));
    }
    for (i, (_, start, label)) in spans.iter().enumerate() {
        let end = spans.get(i + 1).map_or(p.len(), |s| s.0);
        out.push((Some(*label), p[*start..end].trim().to_string()));
    }
    out
}

/// The first date in `s`, if it is one a charter can have: on or after the day
/// the region began ([`crate::calendar::REGION_BEGAN`]) and before 2100 — "0226-06-17" is a
/// typo for 2026, not a date. An impossible or implausible date is a warning
/// naming the line (`line`, where it is known) and no date.
fn first_date(s: &str, line: Option<usize>, warnings: &mut Vec<String>) -> Option<NaiveDate> {
    let c = ISO_DATE.captures(s)?;
    let at = line.map(|n| format!("rad {n}: ")).unwrap_or_default();
    let parsed =
        NaiveDate::from_ymd_opt(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?);
    match parsed {
        None => {
            warnings.push(format!("{at}ogiltigt datum: {}", &c[0]));
            None
        }
        Some(d) if !crate::calendar::plausible(d) => {
            warnings.push(format!(
                "{at}datumet {} är inte rimligt (före {} då regionen bildades, eller efter 2099); kontrollera årtalet",
                &c[0],
                crate::calendar::REGION_BEGAN
            ));
            None
        }
        Some(d) => Some(d),
    }
}

#[derive(Default)]
struct Header {
    kind: Option<DocumentKind>,
    title: Option<String>,
    org_line: Option<String>,
    issuing_unit: Option<String>,
    date: Option<NaiveDate>,
    registry_number: Option<RegistryNumber>,
    responsibility_area: Option<String>,
    commissioner: Option<String>,
    assignee: Option<String>,
    officer: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    preamble: Vec<String>,
    /// Short header lines, which reappear as running page headers.
    single_lines: Vec<String>,
}

fn read_header(lines: Vec<Line>, warnings: &mut Vec<String>) -> Header {
    let lines = text::strip_furniture(lines, None);
    // The line a value was read from, for a warning about it.
    let line_of = |value: &str| {
        let probe = value.split_whitespace().next().unwrap_or("");
        lines
            .iter()
            .find(|l| !probe.is_empty() && l.text.contains(probe))
            .map(|l| l.no)
    };
    let blocks = text::blocks(&lines);
    let mut h = Header::default();
    let mut pending: Option<&'static str> = None;
    let mut after_letterhead = false;
    for block in blocks {
        let p = match block {
            RawBlock::Paragraph(s) | RawBlock::Item(s) => s,
        };
        let was_after_letterhead = std::mem::take(&mut after_letterhead);
        for (label, value) in split_labels(&p) {
            let label = match (label, pending.take()) {
                (Some(l), _) => Some(l),
                (None, Some(l)) => Some(l),
                (None, None) => None,
            };
            let Some(label) = label else {
                classify_header_text(&mut h, value, was_after_letterhead, &mut after_letterhead);
                continue;
            };
            if value.is_empty() {
                pending = Some(label);
                continue;
            }
            let v = Some(value.clone());
            match label {
                "datum" => {
                    h.date = h
                        .date
                        .or_else(|| first_date(&value, line_of(&value), warnings))
                }
                "diarienummer" => {
                    if h.registry_number.is_none() {
                        h.registry_number = RegistryNumber::find_all(&value).into_iter().next();
                        if h.registry_number.is_none() {
                            warnings.push(format!("kunde inte läsa diarienumret: {value}"));
                        }
                    }
                }
                "ansvarsomrade" => h.responsibility_area = v,
                "uppdragsgivare" => h.commissioner = v,
                "uppdragstagare" => h.assignee = v,
                "handlaggare" => h.officer = v,
                "telefon" => h.phone = v,
                _ => h.email = v,
            }
        }
    }
    h
}

fn classify_header_text(h: &mut Header, value: String, after_letterhead: bool, next: &mut bool) {
    let lower = value.to_lowercase();
    let words = value.split_whitespace().count();
    let short = words <= 8 && !value.ends_with('.');
    if short {
        h.single_lines.push(value.clone());
    }
    if lower == "uppdragshandling" {
        h.kind.get_or_insert(DocumentKind::Uppdragshandling);
    } else if lower == "verkställighetsbeslut" {
        h.kind.get_or_insert(DocumentKind::Verkstallighetsbeslut);
    } else if lower.starts_with("uppdragshandling för") && words <= 16 {
        h.title.get_or_insert(value);
    } else if lower == "västra götalandsregionen" {
        *next = true;
    } else if short && OrgKind::from_name(&value).is_some() {
        h.org_line.get_or_insert(value);
    } else if after_letterhead
        && words <= 5
        && value.chars().count() <= 60
        && !value.chars().any(|c| c.is_ascii_digit())
    {
        h.issuing_unit.get_or_insert(value);
    } else if words >= 8 {
        h.preamble.push(value);
    }
}

static REVISION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i),?\s*\(?\breviderad\s+([^)]+?)\)?\s*$").unwrap());
static UNDER_COUNCIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:arbetsgrupp|undergrupp|grupp)\s+under\s+((?:samordningsråd(?:\s*\(SOR\))?|SOR)\s+[\p{L}-]+)")
        .unwrap()
});
static FREQUENCY_RANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(\d{1,2})\s*(?:–|-|—|till)\s*(?:maximalt\s+|max\.?\s+|högst\s+)?(\d{1,2})")
        .unwrap()
});
static FREQUENCY_ONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(minst\s+|högst\s+)?(\d{1,2})\s*(?:ggr|gånger|möten)").unwrap()
});

fn strip_kind_words(s: &str) -> String {
    names::area_from_name(s).unwrap_or_default()
}

fn area_of(name: &str, responsibility_area: Option<&str>) -> Option<String> {
    if let Some(ra) = responsibility_area {
        let head = ra.split(',').next().unwrap_or("").trim();
        let head = head
            .strip_prefix("Verksamhet ")
            .or_else(|| head.strip_prefix("verksamhet "))
            .unwrap_or(head);
        let area = strip_kind_words(head);
        if !area.is_empty() {
            return Some(area);
        }
    }
    let area = strip_kind_words(name);
    (!area.is_empty()).then_some(area)
}

/// Parses one charter document. See the module documentation for how it is read.
pub fn parse_charter(input: &str) -> Result<ParsedCharter, ParseError> {
    within_bounds(input)?;
    let input = crate::normalize::text(input);
    let lines = text::lines(&input);
    let last_line = lines
        .iter()
        .rev()
        .find(|l| !l.is_blank())
        .map_or(1, |l| l.no);
    if lines.iter().all(Line::is_blank) {
        return Err(ParseError {
            line: 1,
            reason: "filen är tom".into(),
        });
    }
    let marks = marks_of(&lines);
    let Some(first) = marks
        .iter()
        .position(|m| matches!(m, Some(Mark::Section { .. })))
    else {
        return Err(ParseError {
            line: last_line,
            reason: "ingen rubrik från en uppdragshandling hittades (t.ex. \"Syfte med uppdraget\" eller \"Arbetsorganisation\")".into(),
        });
    };
    let first_no = lines[first].no;
    let mut warnings = Vec::new();
    let header = read_header(lines[..first].to_vec(), &mut warnings);

    let Some(kind) = header.kind.or(header
        .title
        .as_ref()
        .map(|_| DocumentKind::Uppdragshandling))
    else {
        return Err(ParseError {
            line: first_no,
            reason: "dokumenttypen saknas: varken \"Uppdragshandling\" eller \"Verkställighetsbeslut\" står före första rubriken".into(),
        });
    };

    // The group: from the title, or from a line of its own when the title lacks it.
    let (title_org, revision) = match &header.title {
        Some(t) => {
            let rest = t["uppdragshandling för".len()..].trim();
            match REVISION.captures(rest) {
                Some(c) => (
                    Some(rest[..c.get(0).unwrap().start()].trim().to_string()),
                    Some(c[1].trim().to_string()),
                ),
                None => (Some(rest.to_string()), None),
            }
        }
        None => (None, None),
    };
    let title_has_area = title_org
        .as_deref()
        .is_some_and(|o| !strip_kind_words(o).is_empty());
    let org_text = match (&title_org, &header.org_line) {
        (Some(t), _) if title_has_area => t.clone(),
        (_, Some(line)) => line.clone(),
        (Some(t), None) if !t.is_empty() => t.clone(),
        _ => {
            return Err(ParseError {
                line: first_no,
                reason: "kunde inte avgöra vilken grupp uppdraget gäller: ingen rad \"Uppdragshandling för …\" eller gruppnamn före första rubriken".into(),
            })
        }
    };
    let name = names::group_name(org_text.trim());
    let org_kind = OrgKind::from_name(&name).unwrap_or(OrgKind::Other);
    let area = area_of(&name, header.responsibility_area.as_deref());
    let title = match &header.title {
        Some(t) if title_has_area => t.clone(),
        _ => format!("{} för {}", kind.label_sv(), lowercase_first(&name)),
    };

    // Sections, decision and distribution.
    let body = text::strip_furniture(lines[first..].to_vec(), Some(&header.single_lines));
    let mut sections: Vec<Section> = Vec::new();
    let mut keys: Vec<&'static str> = Vec::new();
    let mut current: Option<(String, Option<String>, &'static str, Vec<Line>)> = None;
    let mut decision_lines: Vec<Line> = Vec::new();
    let mut distribution_lines: Vec<Line> = Vec::new();
    let mut zone = 0; // 0 sections, 1 decision, 2 distribution
    let mut beslutsordning: Option<String> = None;
    let flush = |cur: Option<(String, Option<String>, &'static str, Vec<Line>)>,
                 sections: &mut Vec<Section>,
                 keys: &mut Vec<&'static str>| {
        if let Some((heading, parent, key, lines)) = cur {
            sections.push(section(heading, parent, &lines));
            keys.push(key);
        }
    };
    let body_marks = marks_of(&body);
    for (line, mark) in body.into_iter().zip(body_marks) {
        match (zone, mark) {
            (0, Some(Mark::Section { key, parent })) => {
                flush(current.take(), &mut sections, &mut keys);
                let heading = line
                    .text
                    .trim()
                    .trim_matches(|c| c == '*' || c == '#')
                    .trim()
                    .trim_end_matches(':')
                    .trim()
                    .to_string();
                if key == "beslutsordning" {
                    beslutsordning = Some(heading.clone());
                }
                let parent = parent.and_then(|_| beslutsordning.clone());
                current = Some((heading, parent, key, Vec::new()));
            }
            (0 | 1, Some(Mark::DecisionDate)) => {
                zone = 1;
                decision_lines.push(line);
            }
            (_, Some(Mark::Distribution)) => zone = 2,
            (0, _) => {
                if let Some(cur) = current.as_mut() {
                    cur.3.push(line);
                }
            }
            (1, _) => decision_lines.push(line),
            _ => distribution_lines.push(line),
        }
    }
    flush(current.take(), &mut sections, &mut keys);
    let section_by = |key: &str| keys.iter().position(|k| *k == key).map(|i| &sections[i]);

    let duties = section_by("uppdragsbeskrivning")
        .map(|s| s.items.clone())
        .unwrap_or_default();

    let decision = read_decision(&decision_lines, &mut warnings);
    let distribution: Vec<String> = text::blocks(&distribution_lines)
        .into_iter()
        .map(|b| match b {
            RawBlock::Paragraph(s) | RawBlock::Item(s) => s,
        })
        .collect();

    let meeting_frequency = sections
        .iter()
        .flat_map(|s| s.blocks.iter())
        .flat_map(|b| match b {
            Block::Paragraph { text } => vec![text.as_str()],
            Block::List { items } => items.iter().map(String::as_str).collect(),
        })
        .find(|t| t.to_lowercase().starts_with("mötesfrekvens"))
        .map(read_frequency);

    let mut doc = ParsedCharter {
        document_kind: kind,
        title,
        revision,
        organization: OrgRef {
            name,
            kind: org_kind,
            area,
        },
        reports_to: None,
        liaisons: Vec::new(),
        date: header.date,
        registry_number: header.registry_number,
        issuing_unit: header.issuing_unit,
        case_officer: header.officer.map(|name| CaseOfficer {
            name,
            phone: header.phone,
            email: header.email,
        }),
        responsibility_area: header.responsibility_area,
        commissioner: header.commissioner,
        assignee: header.assignee,
        duties,
        meeting_frequency,
        references: Vec::new(),
        preamble: header.preamble,
        sections,
        decision,
        distribution,
        mentions: Vec::new(),
        warnings,
    };
    let samband = keys
        .iter()
        .position(|k| *k == "samband")
        .map(|i| doc.sections[i].clone());
    resolve_names(&mut doc, samband.as_ref());
    let own = doc.registry_number.as_ref().map(RegistryNumber::case);
    let mut refs: Vec<RegistryNumber> = Vec::new();
    let decision_text: String = decision_lines
        .iter()
        .map(|l| l.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    for r in RegistryNumber::find_all(&format!("{}\n{}", doc.full_text(), decision_text)) {
        if Some(&r) != own.as_ref() && !refs.contains(&r) {
            refs.push(r);
        }
    }
    doc.references = refs;
    doc.normalise_fields();
    Ok(doc)
}

fn section(heading: String, parent: Option<String>, lines: &[Line]) -> Section {
    let mut blocks: Vec<Block> = Vec::new();
    let mut paragraphs = Vec::new();
    let mut items = Vec::new();
    for b in text::blocks(lines) {
        match b {
            RawBlock::Paragraph(t) => {
                paragraphs.push(t.clone());
                blocks.push(Block::Paragraph { text: t });
            }
            RawBlock::Item(t) => {
                items.push(t.clone());
                if let Some(Block::List { items }) = blocks.last_mut() {
                    items.push(t);
                } else {
                    blocks.push(Block::List { items: vec![t] });
                }
            }
        }
    }
    Section {
        heading,
        parent,
        text: paragraphs.join("\n\n"),
        items,
        blocks,
    }
}

fn read_decision(lines: &[Line], warnings: &mut Vec<String>) -> Decision {
    let mut non_blank = lines
        .iter()
        .map(|l| (l.no, l.text.trim()))
        .filter(|(_, t)| !t.is_empty());
    let date = non_blank
        .next()
        .and_then(|(no, l)| first_date(l, Some(no), warnings));
    let mut non_blank = non_blank.map(|(_, t)| t);
    let name = non_blank.next().map(str::to_string);
    let title = non_blank.next().map(str::to_string);
    Decision {
        date,
        decided_by: name.map(|name| NameAndTitle { name, title }),
    }
}

fn read_frequency(text: &str) -> MeetingFrequency {
    let lower = text.to_lowercase();
    let digital_preferred = lower.contains("digital")
        && !lower.contains("ej digital")
        && !lower.contains("inte digital");
    if let Some(c) = FREQUENCY_RANGE.captures(text) {
        return MeetingFrequency {
            min: c[1].parse().ok(),
            max: c[2].parse().ok(),
            digital_preferred,
        };
    }
    if let Some(c) = FREQUENCY_ONE.captures(text) {
        let n = c[2].parse().ok();
        let qualifier = c.get(1).map(|m| m.as_str().trim().to_lowercase());
        return MeetingFrequency {
            min: if qualifier.as_deref() == Some("högst") {
                None
            } else {
                n
            },
            max: if qualifier.as_deref() == Some("minst") {
                None
            } else {
                n
            },
            digital_preferred,
        };
    }
    MeetingFrequency {
        min: None,
        max: None,
        digital_preferred,
    }
}

/// Finds the parent group, the liaison councils and the bodies referred to.
fn resolve_names(doc: &mut ParsedCharter, samband: Option<&Section>) {
    let own_key = names::name_key(&doc.organization.name);
    let mut mentions: Vec<Mention> = Vec::new();
    let is_group = matches!(
        doc.organization.kind,
        OrgKind::Samordningsgrupp | OrgKind::Undergrupp | OrgKind::RegionaltProcessteam
    );
    if is_group {
        let from_commissioner = doc
            .commissioner
            .as_deref()
            .and_then(|c| names::find_council_mentions(c).into_iter().next());
        let from_text = || {
            let all = doc.full_text();
            UNDER_COUNCIL
                .captures(&all)
                .and_then(|c| names::find_council_mentions(&c[1]).into_iter().next())
        };
        if let Some((name, written)) = from_commissioner.or_else(from_text) {
            doc.reports_to = Some(name.clone());
            mentions.push(Mention {
                name,
                written,
                kind: OrgKind::Samordningsrad,
            });
        }
    }
    let parent_key = doc.reports_to.as_deref().map(names::name_key);
    let mut sources: Vec<String> = Vec::new();
    if let Some(s) = samband {
        sources.push(s.text.clone());
        sources.extend(s.items.iter().cloned());
    }
    sources.extend(doc.distribution.iter().cloned());
    for source in &sources {
        for (name, written) in names::find_council_mentions(source) {
            let key = names::name_key(&name);
            if names::same_key(&key, &own_key) {
                continue;
            }
            let is_parent = parent_key
                .as_deref()
                .is_some_and(|p| names::same_key(p, &key));
            if !is_parent
                && !doc
                    .liaisons
                    .iter()
                    .any(|l| names::same_key(&names::name_key(l), &key))
            {
                doc.liaisons.push(name.clone());
            }
            if !mentions.iter().any(|m| m.written == written) {
                mentions.push(Mention {
                    name,
                    written,
                    kind: OrgKind::Samordningsrad,
                });
            }
        }
    }
    let mut all = doc.full_text();
    for extra in [&doc.commissioner, &doc.assignee].into_iter().flatten() {
        all.push('\n');
        all.push_str(extra);
    }
    for (body, written) in names::find_known_bodies(&all) {
        mentions.push(Mention {
            name: body.name.to_string(),
            written,
            kind: body.kind,
        });
    }
    doc.mentions = mentions;
}
