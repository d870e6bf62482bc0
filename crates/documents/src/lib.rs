//! A charter as a document file, and a document file as charter text.
//!
//! - [`pdf::charter_pdf`]: PDF/A-2a and PDF/UA-1 (tagged, with the document's
//!   language), laid out like the region's originals (issue 13, item 6).
//! - [`docx::charter_docx`]: the same content as Word (Office Open XML, ECMA-376).
//! - [`extract::charter_text_of`]: the text of an uploaded or imported file — PDF
//!   through poppler's `pdftotext`, DOCX through `docx-rs` — for the charter
//!   parser (item 7).
//!
//! Both renderings are laid out from [`outline::outline`], the one order of a
//! charter's parts; round trip: each seed rendered to PDF and to DOCX and
//! extracted again parses to the same charter as its text (tested).
//!
//! Architecture: beside the store, above the domain; it knows nothing of HTTP or
//! SQL. It runs one external program, `pdftotext` (Debian's poppler-utils).

pub mod docx;
pub mod extract;
pub mod outline;
pub mod pdf;

/// Why a document could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// The PDF library refused the document; for PDF/A and PDF/UA this lists the
    /// rules of the standard that the content would break.
    #[error("PDF kunde inte skapas: {0}")]
    Pdf(String),
    /// The Word library refused the document.
    #[error("Word-filen kunde inte skapas: {0}")]
    Docx(String),
    /// The file is of a kind we do not read (an image, an archive, …).
    #[error("filen är varken PDF, Word (DOCX) eller text")]
    UnknownKind,
    /// The file is empty.
    #[error("filen är tom")]
    Empty,
    /// The file is larger than we read.
    #[error("filen är större än {} MiB, den största fil som läses", limit / (1024 * 1024))]
    TooLarge { size: usize, limit: usize },
    /// A PDF or DOCX that could not be read as one, with the reader's reason.
    #[error("filen kunde inte läsas som {kind}: {reason}")]
    Unreadable { kind: &'static str, reason: String },
    /// A PDF without a text layer (a scanned page, say).
    #[error("PDF-filen har ingen text (är den inskannad?); spara den som text-PDF eller Word")]
    NoText,
    /// Reading the file would go past one of the bounds of [`extract::Limit`]
    /// (a DOCX whose parts inflate to gigabytes, a PDF that takes minutes, …):
    /// the file is refused before the memory or the time is spent.
    #[error("{0}")]
    OverLimit(extract::Limit),
    /// A file on disk could not be read.
    #[error("kunde inte läsa filen: {0}")]
    Io(#[from] std::io::Error),
    /// `pdftotext` is not installed on the server.
    #[error(
        "servern kan inte läsa PDF: programmet pdftotext (Debian-paketet poppler-utils) saknas"
    )]
    NoExtractor,
}
