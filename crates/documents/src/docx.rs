//! A charter as a Word document (Office Open XML, ECMA-376), laid out from
//! [`crate::outline`]: headings in Word's heading styles (so that Word's
//! navigation and screen readers see the structure), lists as real bulleted
//! lists, Swedish as the document's language and the charter's title in its
//! properties.
//!
//! `docx-rs` writes the package; it has no setter for the language or the title,
//! so [`charter_docx`] adds `w:lang` to the style defaults and `dc:title` and
//! `dc:language` to the core properties of the package it wrote.

use std::io::{Cursor, Read, Write};

use docx_rs::{
    AbstractNumbering, BreakType, Docx, IndentLevel, Level, LevelJc, LevelText, NumberFormat,
    Numbering, NumberingId, Paragraph, Run as DocxRun, RunFonts, SpecialIndentType, Start, Style,
    StyleType,
};
use samordna_domain::ParsedCharter;

use crate::outline::{outline, Part, Run};
use crate::DocumentError;

const BULLETS: usize = 1;

fn runs(p: Paragraph, line: &[Run]) -> Paragraph {
    line.iter().fold(p, |p, r| {
        let run = DocxRun::new().add_text(r.text.clone());
        p.add_run(if r.bold { run.bold() } else { run })
    })
}

/// Escapes text for an XML element.
fn xml_text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The charter as a `.docx` file.
///
/// Errors: [`DocumentError::Docx`] if the package cannot be written.
pub fn charter_docx(doc: &ParsedCharter) -> Result<Vec<u8>, DocumentError> {
    // Dated as the document is: its decision, else its own date.
    let dated = doc
        .decision
        .date
        .or(doc.date)
        .map(|d| format!("{d}T00:00:00Z"));
    let mut d = Docx::new()
        .default_fonts(RunFonts::new().ascii("Arial").hi_ansi("Arial").cs("Arial"))
        .default_size(21)
        .add_abstract_numbering(
            AbstractNumbering::new(BULLETS).add_level(
                Level::new(
                    0,
                    Start::new(1),
                    NumberFormat::new("bullet"),
                    LevelText::new("•"),
                    LevelJc::new("left"),
                )
                .indent(
                    Some(720),
                    Some(SpecialIndentType::Hanging(360)),
                    None,
                    None,
                ),
            ),
        )
        .add_numbering(Numbering::new(BULLETS, BULLETS));
    for (level, size) in [(1, 30), (2, 25), (3, 22)] {
        d = d.add_style(
            Style::new(format!("Heading{level}"), StyleType::Paragraph)
                .name(format!("heading {level}"))
                .bold()
                .size(size)
                .outline_lvl(level - 1),
        );
    }
    for part in outline(doc) {
        match part {
            Part::Heading { level, text } => {
                d = d.add_paragraph(
                    Paragraph::new()
                        .style(&format!("Heading{level}"))
                        .add_run(DocxRun::new().add_text(text)),
                );
            }
            Part::Paragraph {
                lines,
                keep_with_next,
            } => {
                let mut p = Paragraph::new().keep_next(keep_with_next);
                for (i, line) in lines.iter().enumerate() {
                    if i > 0 {
                        p = p.add_run(DocxRun::new().add_break(BreakType::TextWrapping));
                    }
                    p = runs(p, line);
                }
                d = d.add_paragraph(p);
            }
            Part::List { items } => {
                for item in items {
                    d = d.add_paragraph(
                        Paragraph::new()
                            .numbering(NumberingId::new(BULLETS), IndentLevel::new(0))
                            .add_run(DocxRun::new().add_text(item)),
                    );
                }
            }
        }
    }
    if let Some(at) = &dated {
        d = d.created_at(at).updated_at(at);
    }
    let mut packed = Cursor::new(Vec::new());
    d.build()
        .pack(&mut packed)
        .map_err(|e| DocumentError::Docx(e.to_string()))?;
    add_language_and_title(&packed.into_inner(), &doc.title.clone())
}

/// Rewrites the package with Swedish as the default language of every run and
/// the title and language in the core properties.
fn add_language_and_title(package: &[u8], title: &str) -> Result<Vec<u8>, DocumentError> {
    let err = |e: &dyn std::fmt::Display| DocumentError::Docx(e.to_string());
    let mut zip = zip::ZipArchive::new(Cursor::new(package)).map_err(|e| err(&e))?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).map_err(|e| err(&e))?;
        let name = file.name().to_string();
        let mut body = String::new();
        let mut bytes = Vec::new();
        let is_text = name.ends_with(".xml") || name.ends_with(".rels");
        if is_text {
            file.read_to_string(&mut body).map_err(|e| err(&e))?;
        } else {
            file.read_to_end(&mut bytes).map_err(|e| err(&e))?;
        }
        match name.as_str() {
            "docProps/core.xml" => {
                let props = format!(
                    "<dc:title>{}</dc:title><dc:language>sv-SE</dc:language></cp:coreProperties>",
                    xml_text(title)
                );
                body = body
                    .replace("</cp:coreProperties>", &props)
                    .replace(
                        "<dc:creator>unknown</dc:creator>",
                        "<dc:creator>Samordna</dc:creator>",
                    )
                    .replace(
                        "<cp:lastModifiedBy>unknown</cp:lastModifiedBy>",
                        "<cp:lastModifiedBy>Samordna</cp:lastModifiedBy>",
                    );
            }
            "word/styles.xml" => {
                // The run defaults get a language; docx-rs writes them as
                // `<w:rPrDefault><w:rPr>…</w:rPr>`.
                body = body.replacen(
                    "<w:rPrDefault><w:rPr>",
                    "<w:rPrDefault><w:rPr><w:lang w:val=\"sv-SE\" w:eastAsia=\"sv-SE\" w:bidi=\"ar-SA\" />",
                    1,
                );
            }
            _ => {}
        }
        out.start_file(name, options).map_err(|e| err(&e))?;
        if is_text {
            out.write_all(body.as_bytes()).map_err(|e| err(&e))?;
        } else {
            out.write_all(&bytes).map_err(|e| err(&e))?;
        }
    }
    Ok(out.finish().map_err(|e| err(&e))?.into_inner())
}
