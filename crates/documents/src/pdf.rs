//! A charter as PDF/A-2a and PDF/UA-1: every line of text tagged in a structure
//! tree (H1–H3, P, L/LI/Lbl/LBody), the document's language Swedish, its title in
//! the metadata, fonts embedded (DejaVu Sans), page numbers marked as artifacts.
//! `krilla` checks the rules of both standards it can check when the file is
//! written and refuses to write a file that breaks one; the test suite checks
//! the result again with qpdf and pikepdf (`tests/pdfa.py`).
//!
//! Layout: A4 (595 × 842 pt), margins 72 pt, body 10.5 pt, greedy line breaking
//! on spaces with widths from the font's advances.

use samordna_domain::calendar::swedish_date;
use std::collections::HashMap;
use std::num::NonZeroU16;

use krilla::configure::{Accessibility, Archival, ConfigurationBuilder};
use krilla::destination::XyzDestination;
use krilla::geom::Point;
use krilla::metadata::{DateTime, Metadata};
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::tagging::{
    ArtifactType, ContentTag, Identifier, ListNumbering, Node, SpanTag, Tag, TagGroup, TagTree,
};
use krilla::text::{Font, TextDirection};
use krilla::{Document, SerializeSettings};
use samordna_domain::ParsedCharter;
use skrifa::instance::{LocationRef, Size};
use skrifa::MetadataProvider;

use crate::outline::{outline, Part, Run};
use crate::DocumentError;

const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const MARGIN: f32 = 72.0;
const BODY: f32 = 10.5;
const LEADING: f32 = 1.4;
const INDENT: f32 = 18.0;

/// One face of the embedded font: what krilla draws with, and its tables read
/// once for measuring (line breaking measures every word).
struct Face {
    font: Font,
    charmap: skrifa::charmap::Charmap<'static>,
    metrics: skrifa::metrics::GlyphMetrics<'static>,
    units_per_em: f32,
}

impl Face {
    fn new(data: &'static [u8]) -> Result<Face, DocumentError> {
        let unreadable = || DocumentError::Pdf("typsnittet kunde inte läsas".into());
        let font = Font::new(data.into(), 0).ok_or_else(unreadable)?;
        let f = skrifa::FontRef::new(data).map_err(|_| unreadable())?;
        Ok(Face {
            font,
            charmap: f.charmap(),
            metrics: f.glyph_metrics(Size::unscaled(), LocationRef::default()),
            units_per_em: f32::from(
                f.metrics(Size::unscaled(), LocationRef::default())
                    .units_per_em,
            ),
        })
    }

    /// Width of `text` at `size` points, from the font's advance widths.
    fn width(&self, text: &str, size: f32) -> f32 {
        let units: f32 = text
            .chars()
            .map(|c| {
                self.metrics
                    .advance_width(self.charmap.map(c).unwrap_or_default())
                    .unwrap_or(0.0)
            })
            .sum();
        units / self.units_per_em * size
    }
}

struct Faces {
    regular: Face,
    bold: Face,
}

impl Faces {
    fn of(&self, bold: bool) -> &Face {
        if bold {
            &self.bold
        } else {
            &self.regular
        }
    }
}

/// Which tag group a line of text belongs to: the part, the list item, and
/// whether it is the item's bullet (`Lbl`) rather than its text (`LBody`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Owner {
    part: usize,
    item: Option<usize>,
    label: bool,
}

/// A line placed on a page.
struct Placed {
    page: usize,
    x: f32,
    baseline: f32,
    size: f32,
    runs: Vec<Run>,
    owner: Owner,
}

/// Breaks `runs` into lines no wider than `width`.
fn wrap(faces: &Faces, runs: &[Run], size: f32, width: f32) -> Vec<Vec<Run>> {
    // Words with their weight; a word keeps the space that follows it.
    let mut words: Vec<(String, bool)> = Vec::new();
    for r in runs {
        let mut first = true;
        for w in r.text.split(' ') {
            if !first {
                if let Some(last) = words.last_mut() {
                    last.0.push(' ');
                }
            }
            first = false;
            if !w.is_empty() {
                words.push((w.to_string(), r.bold));
            }
        }
    }
    let mut lines: Vec<Vec<Run>> = Vec::new();
    let mut line: Vec<Run> = Vec::new();
    let mut used = 0.0;
    for (word, bold) in words {
        let trimmed = word.trim_end();
        let w_trim = faces.of(bold).width(trimmed, size);
        if used + w_trim > width && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            used = 0.0;
        }
        // A word longer than the line is cut where it must be.
        let mut word = word;
        while faces.of(bold).width(word.trim_end(), size) > width && word.chars().count() > 1 {
            let mut cut = String::new();
            for c in word.chars() {
                if faces.of(bold).width(&format!("{cut}{c}"), size) > width {
                    break;
                }
                cut.push(c);
            }
            let rest = word[cut.len()..].to_string();
            lines.push(vec![Run { text: cut, bold }]);
            word = rest;
        }
        used += faces.of(bold).width(&word, size);
        match line.last_mut() {
            Some(r) if r.bold == bold => r.text.push_str(&word),
            _ => line.push(Run { text: word, bold }),
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    for l in &mut lines {
        if let Some(r) = l.last_mut() {
            let t = r.text.trim_end().to_string();
            r.text = t;
        }
    }
    lines
}

/// Lays the parts out on pages.
fn layout(faces: &Faces, parts: &[Part]) -> (Vec<Placed>, usize) {
    let width = PAGE_W - 2.0 * MARGIN;
    let mut placed = Vec::new();
    let mut page = 0;
    let mut y = MARGIN;
    let bottom = PAGE_H - MARGIN;
    let mut put = |lines: Vec<Vec<Run>>,
                   size: f32,
                   x: f32,
                   owner: Owner,
                   keep: usize,
                   y: &mut f32,
                   page: &mut usize,
                   label: Option<Run>| {
        let step = size * LEADING;
        // What must stand together: `keep` lines (a heading and the start of
        // its text, a decision block), never more than a page holds.
        let together = keep.max(1).min(((bottom - MARGIN) / step) as usize);
        if *y + step * together as f32 > bottom {
            *page += 1;
            *y = MARGIN;
        }
        for (i, line) in lines.into_iter().enumerate() {
            if *y + step > bottom {
                *page += 1;
                *y = MARGIN;
            }
            *y += step;
            if i == 0 {
                if let Some(l) = &label {
                    placed.push(Placed {
                        page: *page,
                        x: x - INDENT * 0.8,
                        baseline: *y,
                        size,
                        runs: vec![l.clone()],
                        owner: Owner {
                            label: true,
                            ..owner
                        },
                    });
                }
            }
            placed.push(Placed {
                page: *page,
                x,
                baseline: *y,
                size,
                runs: line,
                owner,
            });
        }
    };
    for (i, part) in parts.iter().enumerate() {
        let owner = Owner {
            part: i,
            item: None,
            label: false,
        };
        match part {
            Part::Heading { level, text } => {
                let size: f32 = match level {
                    1 => 15.0,
                    2 => 12.5,
                    _ => 11.0,
                };
                // A section heading stays on one line (a reader of the text,
                // and the parser, take a heading to be a line): it shrinks to
                // fit, down to the body size.
                let size = if *level >= 2 {
                    let w = faces.bold.width(text, size);
                    if w > width {
                        (size * width / w).max(BODY).floor()
                    } else {
                        size
                    }
                } else {
                    size
                };
                y += size * 0.8;
                let runs = [Run {
                    text: text.clone(),
                    bold: true,
                }];
                // A heading keeps two lines of what follows on its page.
                let lines = wrap(faces, &runs, size, width);
                let keep = lines.len() + 2;
                put(lines, size, MARGIN, owner, keep, &mut y, &mut page, None);
            }
            Part::Paragraph {
                lines,
                keep_with_next,
            } => {
                let wrapped: Vec<Vec<Run>> = lines
                    .iter()
                    .flat_map(|l| wrap(faces, l, BODY, width))
                    .collect();
                // Kept with what follows: this and the next parts' lines
                // together (the decision block is a few short lines).
                let keep = if *keep_with_next {
                    wrapped.len()
                        + parts[i + 1..]
                            .iter()
                            .take_while(|p| !matches!(p, Part::Heading { .. }))
                            .take(2)
                            .map(|p| match p {
                                Part::Paragraph { lines, .. } => lines.len() + 1,
                                _ => 1,
                            })
                            .sum::<usize>()
                } else {
                    2
                };
                put(wrapped, BODY, MARGIN, owner, keep, &mut y, &mut page, None);
                y += BODY * 1.1;
            }
            Part::List { items } => {
                for (j, item) in items.iter().enumerate() {
                    let runs = [Run {
                        text: item.clone(),
                        bold: false,
                    }];
                    let lines = wrap(faces, &runs, BODY, width - INDENT);
                    let owner = Owner {
                        item: Some(j),
                        ..owner
                    };
                    let bullet = Run {
                        text: "•".into(),
                        bold: false,
                    };
                    put(
                        lines,
                        BODY,
                        MARGIN + INDENT,
                        owner,
                        2,
                        &mut y,
                        &mut page,
                        Some(bullet),
                    );
                    y += BODY * 0.25;
                }
                y += BODY * 0.4;
            }
        }
    }
    (placed, page + 1)
}

/// The charter as a PDF/A-2a and PDF/UA-1 file.
///
/// Errors: [`DocumentError::Pdf`] with krilla's list of broken rules, should the
/// content break one (say, a character the embedded font lacks).
pub fn charter_pdf(doc: &ParsedCharter) -> Result<Vec<u8>, DocumentError> {
    let date = doc
        .decision
        .date
        .or(doc.date)
        .unwrap_or_else(|| swedish_date(chrono::Utc::now()));
    parts_pdf(&doc.title, date, &outline(doc))
}

/// Minutes as a PDF/A-2a and PDF/UA-1 file, laid out like a charter: `title` as
/// the heading, each line of `meta` ("Möte: …", "Justerade: …") a paragraph,
/// then the body (Markdown as the minutes form writes it: `## ` headings,
/// `- ` list items, other lines paragraphs). `date` is the document's date in the
/// metadata (the approval).
///
/// Errors: as [`charter_pdf`].
pub fn minutes_pdf(
    title: &str,
    meta: &[String],
    body: &str,
    date: chrono::NaiveDate,
) -> Result<Vec<u8>, DocumentError> {
    let mut parts = vec![Part::Heading {
        level: 1,
        text: title.to_string(),
    }];
    let para = |text: &str| Part::Paragraph {
        lines: vec![vec![Run {
            text: text.to_string(),
            bold: false,
        }]],
        keep_with_next: false,
    };
    parts.extend(meta.iter().map(|m| para(m)));
    let mut items: Vec<String> = Vec::new();
    for line in body.lines().map(str::trim_end) {
        let item = line
            .strip_prefix("- ")
            .or_else(|| line.strip_prefix("* "))
            .map(str::trim);
        if let Some(item) = item {
            items.push(item.to_string());
            continue;
        }
        if !items.is_empty() {
            parts.push(Part::List {
                items: std::mem::take(&mut items),
            });
        }
        if let Some(h) = line.strip_prefix("### ") {
            parts.push(Part::Heading {
                level: 3,
                text: h.trim().to_string(),
            });
        } else if let Some(h) = line.strip_prefix("## ").or_else(|| line.strip_prefix("# ")) {
            parts.push(Part::Heading {
                level: 2,
                text: h.trim().to_string(),
            });
        } else if !line.trim().is_empty() {
            parts.push(para(line.trim()));
        }
    }
    if !items.is_empty() {
        parts.push(Part::List { items });
    }
    parts_pdf(title, date, &parts)
}

/// Lays out and writes the parts as a tagged PDF/A-2a, PDF/UA-1 file.
fn parts_pdf(
    title: &str,
    date: chrono::NaiveDate,
    parts: &[Part],
) -> Result<Vec<u8>, DocumentError> {
    let faces = Faces {
        regular: Face::new(dejavu::sans::regular())?,
        bold: Face::new(dejavu::sans::bold())?,
    };
    let (placed, pages) = layout(&faces, parts);

    let settings = SerializeSettings {
        configuration: ConfigurationBuilder::new()
            .with_archival_validator(Archival::A2_A)
            .with_accessibility_validator(Accessibility::UA1)
            .finish()
            .map_err(|e| DocumentError::Pdf(format!("{e:?}")))?,
        enable_tagging: true,
        ..SerializeSettings::default()
    };
    let mut document = Document::new_with(settings);
    let mut ids: HashMap<Owner, Vec<Identifier>> = HashMap::new();
    for p in 0..pages {
        let mut page = document.start_page_with(
            PageSettings::from_wh(PAGE_W, PAGE_H)
                .ok_or_else(|| DocumentError::Pdf("sidstorleken".into()))?,
        );
        let mut surface = page.surface();
        for line in placed.iter().filter(|l| l.page == p) {
            let id = surface.start_tagged(ContentTag::Span(SpanTag::empty()));
            let mut x = line.x;
            for run in &line.runs {
                let face = faces.of(run.bold);
                surface.draw_text(
                    Point::from_xy(x, line.baseline),
                    face.font.clone(),
                    line.size,
                    &run.text,
                    false,
                    TextDirection::Auto,
                );
                x += face.width(&run.text, line.size);
            }
            surface.end_tagged();
            ids.entry(line.owner).or_default().push(id);
        }
        // The page number: pagination, not content.
        let footer = format!("Sida {} av {}", p + 1, pages);
        let w = faces.regular.width(&footer, 9.0);
        surface.start_tagged(ContentTag::Artifact(krilla::tagging::Artifact::new(
            ArtifactType::PaginationOther,
            None,
        )));
        surface.draw_text(
            Point::from_xy(PAGE_W - MARGIN - w, PAGE_H - MARGIN / 2.0),
            faces.regular.font.clone(),
            9.0,
            &footer,
            false,
            TextDirection::Auto,
        );
        surface.end_tagged();
        surface.finish();
        page.finish();
    }

    let mut take = |owner: Owner| -> Vec<Node> {
        ids.remove(&owner)
            .unwrap_or_default()
            .into_iter()
            .map(Node::from)
            .collect()
    };
    let mut tree = TagTree::new().with_lang(Some("sv-SE".into()));
    for (i, part) in parts.iter().enumerate() {
        let owner = Owner {
            part: i,
            item: None,
            label: false,
        };
        match part {
            Part::Heading { level, text } => {
                let level = NonZeroU16::new(u16::from(*level)).unwrap_or(NonZeroU16::MIN);
                tree.push(TagGroup::with_children(
                    Tag::Hn(level, Some(text.clone())),
                    take(owner),
                ));
            }
            Part::Paragraph { .. } => {
                tree.push(TagGroup::with_children(Tag::P, take(owner)));
            }
            Part::List { items } => {
                let mut list = TagGroup::new(Tag::L(ListNumbering::Disc));
                for j in 0..items.len() {
                    let item = Owner {
                        item: Some(j),
                        ..owner
                    };
                    let label = Owner {
                        label: true,
                        ..item
                    };
                    list.push(TagGroup::with_children(
                        Tag::LI,
                        vec![
                            TagGroup::with_children(Tag::Lbl, take(label)).into(),
                            TagGroup::with_children(Tag::LBody, take(item)).into(),
                        ],
                    ));
                }
                tree.push(list);
            }
        }
    }
    document.set_tag_tree(tree);
    document.set_outline(bookmarks(parts, &placed));
    document.set_metadata(
        Metadata::new()
            .title(title.to_string())
            .language("sv-SE".into())
            .creator("Samordna".into())
            .producer("Samordna (krilla)".into())
            .creation_date(pdf_date(date)),
    );
    document
        .finish()
        .map_err(|e| DocumentError::Pdf(format!("{e:?}")))
}

/// The document's date as PDF metadata has it.
fn pdf_date(d: chrono::NaiveDate) -> DateTime {
    use chrono::Datelike;
    DateTime::new(d.year().clamp(0, 9999) as u16)
        .month(d.month() as u8)
        .day(d.day() as u8)
}

/// The bookmarks a reader navigates by (PDF/UA-1 7.17): the title and the
/// sections, subsections under their section.
fn bookmarks(parts: &[Part], placed: &[Placed]) -> Outline {
    let mut top: Vec<OutlineNode> = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        let Part::Heading { level, text } = part else {
            continue;
        };
        let Some(first) = placed.iter().find(|l| l.owner.part == i) else {
            continue;
        };
        let node = OutlineNode::new(
            text.clone(),
            XyzDestination::new(
                first.page,
                Point::from_xy(MARGIN, first.baseline - first.size),
            ),
        );
        match top.last_mut() {
            Some(parent) if *level >= 3 => parent.push_child(node),
            _ => top.push(node),
        }
    }
    let mut outline = Outline::new();
    for node in top {
        outline.push_child(node);
    }
    outline
}
