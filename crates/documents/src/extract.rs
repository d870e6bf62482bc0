//! The text of a charter file as the parser reads it: PDF through poppler's
//! `pdftotext` (reading order, UTF-8), DOCX through `docx-rs` (paragraphs,
//! table cells and list items; a list item written as "- …"), plain text as it
//! is. What the file is, is read from its first bytes, not from its name.

use std::io::Write;
use std::process::Command;

use docx_rs::{
    DocumentChild, InsertChild, Paragraph, ParagraphChild, RunChild, TableCellContent, TableChild,
    TableRowChild,
};

use crate::DocumentError;

/// The largest file read: 7 MiB. A charter is a few pages (the seeds are under
/// 200 kB as PDF); a larger file is something else. It leaves room for the file
/// to travel back base64-encoded (4/3 of its size) in the portal's confirmation
/// form within the server's 10 MB body limit.
pub const MAX_BYTES: usize = 7 * 1024 * 1024;

/// What a file is, by its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Pdf,
    Docx,
    Text,
}

impl Kind {
    /// The file's kind as the UI names it.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Pdf => "PDF",
            Kind::Docx => "Word (DOCX)",
            Kind::Text => "text",
        }
    }

    /// The media type the file is served as.
    pub fn media_type(self) -> &'static str {
        match self {
            Kind::Pdf => "application/pdf",
            Kind::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Kind::Text => "text/plain; charset=utf-8",
        }
    }
}

/// What `bytes` is: PDF (`%PDF-` within the first kilobyte, as readers accept
/// it), DOCX (a ZIP package), or UTF-8 text without NUL.
///
/// Errors: [`DocumentError::Empty`], [`DocumentError::TooLarge`],
/// [`DocumentError::UnknownKind`] (an image, say).
pub fn kind_of(bytes: &[u8]) -> Result<Kind, DocumentError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(DocumentError::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(DocumentError::TooLarge {
            size: bytes.len(),
            limit: MAX_BYTES,
        });
    }
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Ok(Kind::Pdf);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Ok(Kind::Docx);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) if !s.contains('\0') => Ok(Kind::Text),
        _ => Err(DocumentError::UnknownKind),
    }
}

/// The text of a file for the charter parser, and what the file was.
///
/// Errors: those of [`kind_of`]; [`DocumentError::Unreadable`] for a damaged
/// PDF or a ZIP that is not a Word document; [`DocumentError::NoText`] for a PDF
/// without text; [`DocumentError::NoExtractor`] if `pdftotext` is missing.
pub fn charter_text_of(bytes: &[u8]) -> Result<(Kind, String), DocumentError> {
    let kind = kind_of(bytes)?;
    let text = match kind {
        Kind::Pdf => pdf_text(bytes)?,
        Kind::Docx => docx_text(bytes)?,
        Kind::Text => String::from_utf8_lossy(bytes).into_owned(),
    };
    Ok((kind, text))
}

fn pdf_text(bytes: &[u8]) -> Result<String, DocumentError> {
    let unreadable = |reason: String| DocumentError::Unreadable {
        kind: "PDF",
        reason,
    };
    let mut file = tempfile::NamedTempFile::new().map_err(|e| unreadable(e.to_string()))?;
    file.write_all(bytes)
        .map_err(|e| unreadable(e.to_string()))?;
    let out = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8", "-eol", "unix", "-q"])
        .arg(file.path())
        .arg("-")
        .output()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => DocumentError::NoExtractor,
            _ => unreadable(e.to_string()),
        })?;
    if !out.status.success() {
        let reason = String::from_utf8_lossy(&out.stderr).trim().to_string();
        return Err(unreadable(if reason.is_empty() {
            "filen är skadad eller krypterad".into()
        } else {
            reason
        }));
    }
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    if text
        .trim_matches(|c: char| c.is_whitespace() || c == '\u{c}')
        .is_empty()
    {
        return Err(DocumentError::NoText);
    }
    Ok(text)
}

fn docx_text(bytes: &[u8]) -> Result<String, DocumentError> {
    // docx-rs 0.4 panics on a damaged member of the zip archive (an unwrap of its
    // decompression; found by scripts/fuzz): a damaged file is refused as such.
    let read = std::panic::catch_unwind(|| docx_rs::read_docx(bytes)).map_err(|_| {
        DocumentError::Unreadable {
            kind: "Word (DOCX)",
            reason: "filen är skadad (en del av zip-arkivet går inte att packa upp)".into(),
        }
    })?;
    let docx = read.map_err(|e| DocumentError::Unreadable {
        kind: "Word (DOCX)",
        reason: e.to_string(),
    })?;
    let mut out = String::new();
    for child in &docx.document.children {
        match child {
            DocumentChild::Paragraph(p) => paragraph(p, &mut out),
            DocumentChild::Table(t) => table(t, &mut out),
            _ => {}
        }
    }
    Ok(out)
}

fn table(t: &docx_rs::Table, out: &mut String) {
    for TableChild::TableRow(row) in &t.rows {
        for TableRowChild::TableCell(cell) in &row.cells {
            for c in &cell.children {
                match c {
                    TableCellContent::Paragraph(p) => paragraph(p, out),
                    TableCellContent::Table(t) => table(t, out),
                    _ => {}
                }
            }
        }
    }
}

fn run_text(run: &docx_rs::Run, out: &mut String) {
    for c in &run.children {
        match c {
            RunChild::Text(t) => out.push_str(&t.text),
            RunChild::Tab(_) => out.push(' '),
            RunChild::Break(_) | RunChild::CarriageReturn(_) => out.push('\n'),
            _ => {}
        }
    }
}

fn children_text(children: &[ParagraphChild], out: &mut String) {
    for c in children {
        match c {
            ParagraphChild::Run(r) => run_text(r, out),
            ParagraphChild::Hyperlink(h) => children_text(&h.children, out),
            ParagraphChild::Insert(i) => {
                for c in &i.children {
                    if let InsertChild::Run(r) = c {
                        run_text(r, out);
                    }
                }
            }
            _ => {}
        }
    }
}

fn paragraph(p: &Paragraph, out: &mut String) {
    let mut text = String::new();
    children_text(&p.children, &mut text);
    if text.trim().is_empty() {
        return;
    }
    if p.property.numbering_property.is_some() {
        out.push_str("- ");
    }
    out.push_str(text.trim());
    out.push_str("\n\n");
}
