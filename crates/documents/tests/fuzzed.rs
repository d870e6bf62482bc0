//! What `scripts/fuzz` found, kept as regression tests (RELIABILITY.md): each
//! input is refused with a reason, never a panic.

use samordna_documents::{extract, DocumentError};

/// DOCX files whose zip members are damaged (a corrupt or incomplete deflate
/// stream, a wrong CRC): docx-rs 0.4 unwraps the decompression and panicked.
#[test]
fn damaged_docx_archives_are_refused_as_damaged() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/fuzz");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "docx") {
            continue;
        }
        seen += 1;
        let bytes = std::fs::read(&path).unwrap();
        match extract::charter_text_of(&bytes) {
            Err(DocumentError::Unreadable { kind, reason }) => {
                assert_eq!(kind, "Word (DOCX)", "{}", path.display());
                assert!(reason.contains("skadad"), "{}: {reason}", path.display());
            }
            other => panic!("{}: {other:?}", path.display()),
        }
    }
    assert_eq!(seen, 3, "the three kinds of damage found");
}

// ---------------------------------------------------------------------------
// The bounds of reading (issue 27, item 1): a file the server did not write is
// refused, naming the bound, before the memory or the time is spent.

use std::io::Write;

use samordna_documents::extract::{
    Limit, MAX_PACKAGE_BYTES, MAX_PART_BYTES, MAX_PDF_PAGES, MAX_PDF_TEXT, MAX_RATIO,
    MAX_ZIP_ENTRIES,
};

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

/// `word/document.xml` with `paragraphs` paragraphs of `words(i)`.
fn document_xml(text: &str) -> Vec<u8> {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{text}</w:body></w:document>"#
    )
    .into_bytes()
}

/// A DOCX whose parts are the three a Word document needs plus `extra`, deflated.
fn docx(document: Vec<u8>, extra: Vec<(String, Vec<u8>)>) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    let mut parts = vec![
        ("[Content_Types].xml".to_string(), CONTENT_TYPES.as_bytes().to_vec()),
        ("_rels/.rels".to_string(), RELS.as_bytes().to_vec()),
        ("word/document.xml".to_string(), document),
        (
            "word/_rels/document.xml.rels".to_string(),
            br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>"#.to_vec(),
        ),
    ];
    parts.extend(extra);
    for (name, bytes) in parts {
        z.start_file(name, deflated).unwrap();
        z.write_all(&bytes).unwrap();
    }
    z.finish().unwrap().into_inner()
}

/// Words that compress about five times, as prose does: a fixed sequence over
/// a vocabulary of 256 made-up words.
fn prose(bytes: usize) -> String {
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let words: Vec<String> = (0..256)
        .map(|_| {
            let r = next();
            (0..3 + (r % 8) as usize)
                .map(|k| (b'a' + ((r >> (k * 5 + 3)) % 26) as u8) as char)
                .collect()
        })
        .collect();
    let mut out = String::with_capacity(bytes + 16);
    while out.len() < bytes {
        out.push_str(&words[(next() % 256) as usize]);
        out.push(' ');
    }
    out
}

fn refused(bytes: &[u8]) -> Limit {
    match extract::charter_text_of(bytes) {
        Err(DocumentError::OverLimit(limit)) => limit,
        other => panic!("expected a refusal naming a bound, got {other:?}"),
    }
}

#[test]
fn a_docx_within_the_bounds_is_read() {
    let text = "<w:p><w:r><w:t>Syfte med uppdraget</w:t></w:r></w:p>";
    let (_, read) = extract::charter_text_of(&docx(document_xml(text), vec![])).unwrap();
    assert_eq!(read.trim(), "Syfte med uppdraget");
}

#[test]
fn a_docx_part_inflating_past_its_bound_is_refused_naming_the_part() {
    let body = format!(
        "<w:p><w:r><w:t>{}</w:t></w:r></w:p>",
        prose(MAX_PART_BYTES as usize + 1)
    );
    let file = docx(document_xml(&body), vec![]);
    assert!(file.len() < extract::MAX_BYTES, "under the upload limit");
    assert_eq!(
        refused(&file),
        Limit::PartSize {
            part: "word/document.xml".into(),
            limit: MAX_PART_BYTES
        }
    );
    let said = DocumentError::OverLimit(refused(&file)).to_string();
    assert!(
        said.contains("word/document.xml") && said.contains("4 MiB"),
        "{said}"
    );
}

#[test]
fn a_docx_part_inflating_a_thousand_times_is_refused_as_a_bomb() {
    // 2 MiB of one repeated paragraph deflates to a few kilobytes.
    let body = "<w:p><w:r><w:t>Syfte med uppdraget</w:t></w:r></w:p>".repeat(40_000);
    let file = docx(document_xml(&body), vec![]);
    assert!(file.len() < 64 * 1024, "{} bytes", file.len());
    assert_eq!(
        refused(&file),
        Limit::Ratio {
            part: "word/document.xml".into(),
            limit: MAX_RATIO
        }
    );
}

#[test]
fn docx_parts_inflating_past_the_package_bound_together_are_refused() {
    let part = (MAX_PART_BYTES - 1024) as usize;
    let n = (MAX_PACKAGE_BYTES as usize / part) + 1;
    let extra = (0..n)
        .map(|i| (format!("customXml/item{i}.xml"), prose(part).into_bytes()))
        .collect();
    let file = docx(document_xml(""), extra);
    assert!(file.len() < extract::MAX_BYTES, "under the upload limit");
    assert_eq!(
        refused(&file),
        Limit::PackageSize {
            limit: MAX_PACKAGE_BYTES
        }
    );
}

#[test]
fn a_docx_listing_too_many_entries_is_refused() {
    let extra = (0..MAX_ZIP_ENTRIES)
        .map(|i| (format!("word/part{i}.xml"), b"<a/>".to_vec()))
        .collect();
    assert_eq!(
        refused(&docx(document_xml(""), extra)),
        Limit::ZipEntries {
            limit: MAX_ZIP_ENTRIES
        }
    );
}

/// A PDF with one page per text, Helvetica 12 pt, each stream deflated.
fn pdf(pages: &[Vec<u8>]) -> Vec<u8> {
    let pages: Vec<Vec<Vec<u8>>> = pages.iter().map(|p| vec![p.clone()]).collect();
    pdf_lines(&pages, "12")
}

/// A PDF whose pages hold these lines in Helvetica of `size` points, each
/// content stream deflated.
fn pdf_lines(pages: &[Vec<Vec<u8>>], size: &str) -> Vec<u8> {
    let mut objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            (0..pages.len())
                .map(|i| format!("{} 0 R", 4 + 2 * i))
                .collect::<Vec<_>>()
                .join(" "),
            pages.len()
        )
        .into_bytes(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
    ];
    for (i, lines) in pages.iter().enumerate() {
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
                5 + 2 * i
            )
            .into_bytes(),
        );
        let mut content = format!("BT /F1 {size} Tf 14 TL 72 720 Td ").into_bytes();
        for line in lines {
            content.push(b'(');
            content.extend_from_slice(line);
            content.extend_from_slice(b") Tj T* ");
        }
        content.extend_from_slice(b"ET");
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        z.write_all(&content).unwrap();
        let data = z.finish().unwrap();
        let mut stream = format!(
            "<< /Length {} /Filter /FlateDecode >>\nstream\n",
            data.len()
        )
        .into_bytes();
        stream.extend_from_slice(&data);
        stream.extend_from_slice(b"\nendstream");
        objects.push(stream);
    }
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (n, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", n + 1).as_bytes());
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

#[test]
fn a_pdf_within_the_bounds_is_read() {
    let (_, text) = extract::charter_text_of(&pdf(&[b"Syfte med uppdraget".to_vec()])).unwrap();
    assert_eq!(text.trim(), "Syfte med uppdraget");
}

#[test]
fn a_pdf_of_more_pages_than_the_bound_is_refused() {
    let pages: Vec<Vec<u8>> = (0..=MAX_PDF_PAGES)
        .map(|i| format!("Sida {}", i + 1).into_bytes())
        .collect();
    assert_eq!(
        refused(&pdf(&pages)),
        Limit::PdfPages {
            limit: MAX_PDF_PAGES
        }
    );
    // At the bound it is read.
    extract::charter_text_of(&pdf(&pages[..MAX_PDF_PAGES])).unwrap();
}

#[test]
fn a_pdf_whose_text_inflates_past_the_bound_is_refused() {
    // Each page's stream deflates a thousand times; in a hundredth of a point
    // its line fits the page (pdftotext writes up to 50,000 characters of a
    // page), and together the pages hold more text than the bound.
    let per_page = 50_000;
    let pages: Vec<Vec<Vec<u8>>> = (0..MAX_PDF_TEXT / per_page + 2)
        .map(|_| vec![vec![b'a'; per_page]])
        .collect();
    assert!(pages.len() <= MAX_PDF_PAGES);
    let file = pdf_lines(&pages, "0.01");
    assert!(file.len() < 512 * 1024, "{} bytes", file.len());
    assert_eq!(
        refused(&file),
        Limit::PdfText {
            limit: MAX_PDF_TEXT
        }
    );
}

#[test]
fn a_file_on_disk_is_read_within_the_bound_whatever_its_size_says() {
    // A device that never ends: the read stops one byte past the bound.
    match extract::read_file(std::path::Path::new("/dev/zero")) {
        Err(DocumentError::TooLarge { limit, .. }) => assert_eq!(limit, extract::MAX_BYTES),
        other => panic!("{other:?}"),
    }
}
