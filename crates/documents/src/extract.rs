//! The text of a charter file as the parser reads it: PDF through poppler's
//! `pdftotext` (reading order, UTF-8), DOCX through `docx-rs` (paragraphs,
//! table cells and list items; a list item written as "- …"), plain text as it
//! is. What the file is, is read from its first bytes, not from its name.
//!
//! **Every read is bounded** (issue 27): a file the server did not write is
//! read within the limits below, each checked before the memory or the time it
//! guards is spent, and a file over one is refused with [`DocumentError::OverLimit`]
//! naming the limit. A DOCX is a zip archive: its parts are inflated through a
//! reader that stops one byte past the part's bound (never trusting the sizes
//! the archive declares), only the XML parts are kept, and docx-rs reads that
//! copy with image previews off. A PDF is read by `pdftotext` in a child process
//! with a time limit, an address-space limit and a cap on the text it writes.

use std::io::{Cursor, Read, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

use docx_rs::{
    DocumentChild, InsertChild, Paragraph, ParagraphChild, RunChild, TableCellContent, TableChild,
    TableRowChild,
};
use process_control::{ChildExt, Control};
use samordna_domain::message::Text;

use crate::DocumentError;

/// The largest file read: 7 MiB. A charter is a few pages (the seeds are under
/// 200 kB as PDF); a larger file is something else. It leaves room for the file
/// to travel back base64-encoded (4/3 of its size) in the portal's confirmation
/// form within the server's 10 MB body limit.
pub const MAX_BYTES: usize = 7 * 1024 * 1024;

/// The most entries a DOCX's zip archive may list (a Word document has 10–40).
pub const MAX_ZIP_ENTRIES: usize = 1_000;

/// The most one XML part of a DOCX may inflate to: 4 MiB (a 30-page charter's
/// `word/document.xml` is about 300 kB).
pub const MAX_PART_BYTES: u64 = 4 * 1024 * 1024;

/// The most all the XML parts read from one DOCX may inflate to together: 16 MiB.
pub const MAX_PACKAGE_BYTES: u64 = 16 * 1024 * 1024;

/// The most a part may inflate relative to its compressed size, once it is past
/// [`RATIO_FLOOR`]: XML compresses 5–20 times; a part that inflates more than
/// a hundred times is a zip bomb.
pub const MAX_RATIO: u64 = 100;

/// Parts up to this size (1 MiB) are not held to [`MAX_RATIO`]: a small part of
/// repeated text may compress very well and costs nothing.
pub const RATIO_FLOOR: u64 = 1024 * 1024;

/// The most pages of a PDF read: 200 (a charter has 3–15).
pub const MAX_PDF_PAGES: usize = 200;

/// The longest `pdftotext` may run on one file, wall clock: 20 s (the seeds
/// take about 50 ms).
pub const PDF_TIME: Duration = Duration::from_secs(20);

/// The address space `pdftotext` may take: 512 MiB.
pub const PDF_MEMORY: usize = 512 * 1024 * 1024;

/// The most text read out of a PDF: 8 MiB (`-layout` pads lines with spaces);
/// the parser's own bound on the text then applies
/// ([`samordna_domain::parse::MAX_TEXT_BYTES`]).
pub const MAX_PDF_TEXT: usize = 8 * 1024 * 1024;

/// Which bound a file went past, with its number: what the refusal names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Limit {
    /// The zip archive lists more than [`MAX_ZIP_ENTRIES`] entries.
    ZipEntries { limit: usize },
    /// One part inflates past [`MAX_PART_BYTES`].
    PartSize { part: String, limit: u64 },
    /// The parts together inflate past [`MAX_PACKAGE_BYTES`].
    PackageSize { limit: u64 },
    /// One part inflates more than [`MAX_RATIO`] times its compressed size.
    Ratio { part: String, limit: u64 },
    /// The PDF has more than [`MAX_PDF_PAGES`] pages.
    PdfPages { limit: usize },
    /// `pdftotext` ran past [`PDF_TIME`] (or past its share of the processor).
    PdfTime { seconds: u64 },
    /// `pdftotext` wrote more than [`MAX_PDF_TEXT`] bytes of text.
    PdfText { limit: usize },
    /// The text read (from any kind of file) is longer than the parser reads
    /// ([`samordna_domain::parse::MAX_TEXT_BYTES`]).
    Text { limit: usize },
}

fn mib(bytes: u64) -> i64 {
    (bytes / (1024 * 1024)) as i64
}

impl Limit {
    /// The refusal as the UI's message files say it (`upload-limit-*`).
    pub fn text(&self) -> Text {
        match self {
            Limit::ZipEntries { limit } => {
                Text::msg("upload-limit-entries", vec![("limit", (*limit).into())])
            }
            Limit::PartSize { part, limit } => Text::msg(
                "upload-limit-part",
                vec![("part", part.into()), ("limit", mib(*limit).into())],
            ),
            Limit::PackageSize { limit } => {
                Text::msg("upload-limit-package", vec![("limit", mib(*limit).into())])
            }
            Limit::Ratio { part, limit } => Text::msg(
                "upload-limit-ratio",
                vec![("part", part.into()), ("limit", (*limit as i64).into())],
            ),
            Limit::PdfPages { limit } => {
                Text::msg("upload-limit-pages", vec![("limit", (*limit).into())])
            }
            Limit::PdfTime { seconds } => Text::msg(
                "upload-limit-time",
                vec![("limit", (*seconds as i64).into())],
            ),
            Limit::PdfText { limit } => Text::msg(
                "upload-limit-pdf-text",
                vec![("limit", mib(*limit as u64).into())],
            ),
            Limit::Text { limit } => Text::msg(
                "upload-limit-text",
                vec![("limit", mib(*limit as u64).into())],
            ),
        }
    }
}

/// In Swedish, for the CLI and the logs (the portal says [`Limit::text`]).
impl std::fmt::Display for Limit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Limit::ZipEntries { limit } => write!(
                f,
                "Word-filens zip-arkiv har fler än {limit} delar (gränsen är {limit})"
            ),
            Limit::PartSize { part, limit } => write!(
                f,
                "delen {part} i Word-filen blir större än {} MiB uppackad (gränsen är {} MiB per del)",
                mib(*limit),
                mib(*limit)
            ),
            Limit::PackageSize { limit } => write!(
                f,
                "Word-filens delar blir större än {} MiB uppackade (gränsen är {} MiB sammanlagt)",
                mib(*limit),
                mib(*limit)
            ),
            Limit::Ratio { part, limit } => write!(
                f,
                "delen {part} i Word-filen packas upp till mer än {limit} gånger sin storlek (gränsen är {limit} gånger); filen liknar en zip-bomb"
            ),
            Limit::PdfPages { limit } => {
                write!(f, "PDF-filen har fler än {limit} sidor (gränsen är {limit} sidor)")
            }
            Limit::PdfTime { seconds } => write!(
                f,
                "PDF-filen tog längre tid än {seconds} sekunder att läsa (gränsen är {seconds} sekunder)"
            ),
            Limit::PdfText { limit } => write!(
                f,
                "PDF-filen har mer än {} MiB text (gränsen är {} MiB)",
                mib(*limit as u64),
                mib(*limit as u64)
            ),
            Limit::Text { limit } => write!(
                f,
                "filens text är längre än {} MiB (gränsen är {} MiB; en uppdragshandling är några tiotal KiB)",
                mib(*limit as u64),
                mib(*limit as u64)
            ),
        }
    }
}

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

/// A file from disk, read within [`MAX_BYTES`]: its size is looked at before it
/// is read, and the read stops one byte past the bound whatever the size said
/// (a device such as `/dev/zero`, or a file that grows while it is read).
///
/// Errors: [`DocumentError::TooLarge`]; [`DocumentError::Io`].
pub fn read_file(path: &std::path::Path) -> Result<Vec<u8>, DocumentError> {
    let file = std::fs::File::open(path)?;
    let declared = file.metadata()?.len();
    let too_large = |size: usize| DocumentError::TooLarge {
        size,
        limit: MAX_BYTES,
    };
    if declared > MAX_BYTES as u64 {
        return Err(too_large(usize::try_from(declared).unwrap_or(usize::MAX)));
    }
    let mut bytes = Vec::with_capacity(declared as usize);
    file.take(MAX_BYTES as u64 + 1).read_to_end(&mut bytes)?;
    if bytes.len() > MAX_BYTES {
        return Err(too_large(bytes.len()));
    }
    Ok(bytes)
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
    // More text than a charter can be is refused as what it is, a bound, before
    // the parser is asked (which would say the file is not a charter).
    let limit = samordna_domain::parse::MAX_TEXT_BYTES;
    if text.len() > limit {
        return Err(DocumentError::OverLimit(Limit::Text { limit }));
    }
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
    // One page past the bound is read, so that a longer file is known as such
    // (pdftotext ends each page with a form feed).
    let mut child = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8", "-eol", "unix", "-q", "-l"])
        .arg((MAX_PDF_PAGES + 1).to_string())
        .arg(file.path())
        .arg("-")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => DocumentError::NoExtractor,
            _ => unreadable(e.to_string()),
        })?;
    // The text is read as it comes, never past the cap: at the cap the pipe is
    // closed and pdftotext ends on it.
    let stdout = child.stdout.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        let read = stdout.take(MAX_PDF_TEXT as u64 + 1).read_to_end(&mut out);
        read.map(|_| out)
    });
    let mut stderr = child.stderr.take().expect("piped");
    let errors = std::thread::spawn(move || {
        let mut out = Vec::new();
        let _ = (&mut stderr).take(4096).read_to_end(&mut out);
        out
    });
    let status = child
        .controlled()
        .time_limit(PDF_TIME)
        .memory_limit(PDF_MEMORY)
        .terminate_for_timeout()
        .wait()
        .map_err(|e| unreadable(e.to_string()))?;
    let out = reader
        .join()
        .map_err(|_| unreadable("läsningen avbröts".into()))?
        .map_err(|e| unreadable(e.to_string()))?;
    let stderr = errors.join().unwrap_or_default();
    if out.len() > MAX_PDF_TEXT {
        return Err(DocumentError::OverLimit(Limit::PdfText {
            limit: MAX_PDF_TEXT,
        }));
    }
    let Some(status) = status else {
        return Err(DocumentError::OverLimit(Limit::PdfTime {
            seconds: PDF_TIME.as_secs(),
        }));
    };
    if !status.success() {
        // Killed by its processor-time limit (SIGXCPU) or memory it could not
        // have: the file asks for more than a charter needs.
        if status.signal().is_some() {
            return Err(DocumentError::OverLimit(Limit::PdfTime {
                seconds: PDF_TIME.as_secs(),
            }));
        }
        let reason = String::from_utf8_lossy(&stderr).trim().to_string();
        return Err(unreadable(if reason.is_empty() {
            "filen är skadad eller krypterad".into()
        } else {
            reason
        }));
    }
    let text = String::from_utf8_lossy(&out).into_owned();
    if text.matches('\u{c}').count() > MAX_PDF_PAGES {
        return Err(DocumentError::OverLimit(Limit::PdfPages {
            limit: MAX_PDF_PAGES,
        }));
    }
    if text
        .trim_matches(|c: char| c.is_whitespace() || c == '\u{c}')
        .is_empty()
    {
        return Err(DocumentError::NoText);
    }
    Ok(text)
}

/// A DOCX's XML parts, each inflated through a reader that stops one byte past
/// its bound, written into a new archive (stored, not compressed) that holds
/// nothing else: what docx-rs reads. Media (images) are left out; the text
/// needs none of them, and an image is a decompression bomb of its own.
///
/// Errors: [`DocumentError::OverLimit`] naming the bound;
/// [`DocumentError::Unreadable`] for an archive that cannot be read.
fn bounded_package(bytes: &[u8]) -> Result<Vec<u8>, DocumentError> {
    let unreadable = |reason: String| DocumentError::Unreadable {
        kind: "Word (DOCX)",
        reason,
    };
    let damaged =
        || unreadable("filen är skadad (en del av zip-arkivet går inte att packa upp)".into());
    // The zip library's own words are English: what the reader is told is ours.
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| {
        unreadable(
            "filen är skadad eller inte ett Word-dokument (zip-arkivet går inte att läsa)".into(),
        )
    })?;
    if archive.len() > MAX_ZIP_ENTRIES {
        return Err(DocumentError::OverLimit(Limit::ZipEntries {
            limit: MAX_ZIP_ENTRIES,
        }));
    }
    let mut copy = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut total: u64 = 0;
    let mut part = Vec::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(|_| damaged())?;
        let name = entry.name().to_string();
        let lower = name.to_ascii_lowercase();
        if entry.is_dir() || !(lower.ends_with(".xml") || lower.ends_with(".rels")) {
            continue;
        }
        // What this part may inflate to: its own bound, what is left of the
        // package's, and — past the floor — a hundred times its compressed size.
        let by_ratio = entry
            .compressed_size()
            .saturating_mul(MAX_RATIO)
            .max(RATIO_FLOOR);
        let allowed = MAX_PART_BYTES.min(MAX_PACKAGE_BYTES - total).min(by_ratio);
        part.clear();
        (&mut entry)
            .take(allowed + 1)
            .read_to_end(&mut part)
            .map_err(|_| damaged())?;
        let size = part.len() as u64;
        if size > allowed {
            let limit = if allowed == by_ratio {
                Limit::Ratio {
                    part: name,
                    limit: MAX_RATIO,
                }
            } else if allowed == MAX_PART_BYTES {
                Limit::PartSize {
                    part: name,
                    limit: MAX_PART_BYTES,
                }
            } else {
                Limit::PackageSize {
                    limit: MAX_PACKAGE_BYTES,
                }
            };
            return Err(DocumentError::OverLimit(limit));
        }
        total += size;
        copy.start_file(name, stored)
            .and_then(|()| copy.write_all(&part).map_err(Into::into))
            .map_err(|e| unreadable(e.to_string()))?;
    }
    copy.finish()
        .map(Cursor::into_inner)
        .map_err(|e| unreadable(e.to_string()))
}

fn docx_text(bytes: &[u8]) -> Result<String, DocumentError> {
    let package = bounded_package(bytes)?;
    // docx-rs 0.4 panics on a damaged member of the zip archive (an unwrap of its
    // decompression; found by scripts/fuzz): a damaged file is refused as such.
    // (The copy it reads is stored, not compressed, and its parts were read
    // whole above; the guard stays for what docx-rs does with their XML.)
    let options = docx_rs::ReadDocxOptions::default().with_image_previews(false);
    let read = std::panic::catch_unwind(|| docx_rs::read_docx_with_options(&package, options))
        .map_err(|_| DocumentError::Unreadable {
            kind: "Word (DOCX)",
            reason: "filen är skadad (en del av zip-arkivet går inte att packa upp)".into(),
        })?;
    let docx = read.map_err(|_| DocumentError::Unreadable {
        kind: "Word (DOCX)",
        reason: "filen är inte ett Word-dokument som går att läsa (dokumentdelen saknas eller är skadad)"
            .into(),
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
