//! Each seed rendered to PDF and to DOCX and read back parses to the same
//! charter as its text (issue 13, items 6 and 7).

use samordna_documents::{docx, extract, pdf};
use samordna_domain::{parse_charter, ParsedCharter};

/// What a rendering must keep: everything but the warnings of extraction.
fn content(mut d: ParsedCharter) -> ParsedCharter {
    d.warnings.clear();
    d
}

fn seeds() -> Vec<(String, ParsedCharter)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/seeds");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "txt") {
            let text = std::fs::read_to_string(&path).unwrap();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            out.push((name, parse_charter(&text).unwrap()));
        }
    }
    assert_eq!(out.len(), 5, "every seed");
    out
}

fn same(name: &str, format: &str, text: &str, original: &ParsedCharter) {
    if std::env::var("DUMP").is_ok() {
        std::fs::write(format!("/tmp/{name}.{format}.txt"), text).unwrap();
    }
    let again = parse_charter(text).unwrap_or_else(|e| panic!("{name} via {format}: {e}\n{text}"));
    let (a, b) = (content(again), content(original.clone()));
    if a != b {
        let (a, b) = (format!("{a:#?}"), format!("{b:#?}"));
        let first = a
            .lines()
            .zip(b.lines())
            .find(|(x, y)| x != y)
            .map(|(x, y)| format!("read back: {x}\noriginal:  {y}"));
        panic!(
            "{name} via {format} reads back otherwise\n{}\n---\n{text}",
            first.unwrap_or_default()
        );
    }
}

#[test]
fn every_seed_as_pdf_reads_back_as_the_same_charter() {
    for (name, doc) in seeds() {
        let bytes = pdf::charter_pdf(&doc).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(bytes.starts_with(b"%PDF-"), "{name}");
        if std::env::var("DUMP").is_ok() {
            std::fs::write(format!("/tmp/{name}.pdf"), &bytes).unwrap();
        }
        let (kind, text) = extract::charter_text_of(&bytes).unwrap();
        assert_eq!(kind, extract::Kind::Pdf);
        same(&name, "PDF", &text, &doc);
    }
}

#[test]
fn every_seed_as_docx_reads_back_as_the_same_charter() {
    for (name, doc) in seeds() {
        let bytes = docx::charter_docx(&doc).unwrap_or_else(|e| panic!("{name}: {e}"));
        let (kind, text) = extract::charter_text_of(&bytes).unwrap();
        assert_eq!(kind, extract::Kind::Docx);
        same(&name, "DOCX", &text, &doc);
    }
}

#[test]
fn what_is_not_a_charter_file_is_named() {
    use samordna_documents::DocumentError as E;
    assert!(matches!(extract::charter_text_of(b""), Err(E::Empty)));
    assert!(matches!(extract::charter_text_of(b"  \n"), Err(E::Empty)));
    // A PNG's signature and header.
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01";
    assert!(matches!(extract::charter_text_of(png), Err(E::UnknownKind)));
    let big = vec![b'a'; extract::MAX_BYTES + 1];
    assert!(matches!(
        extract::charter_text_of(&big),
        Err(E::TooLarge { .. })
    ));
    // A ZIP that is not a Word document.
    assert!(matches!(
        extract::charter_text_of(b"PK\x03\x04garbage"),
        Err(E::Unreadable { .. })
    ));
    assert!(matches!(
        extract::charter_text_of(b"%PDF-1.7\nnot really"),
        Err(E::Unreadable { .. } | E::NoText)
    ));
}

/// Every seed's PDF passes `scripts/pdfa-check` (qpdf through pikepdf: the
/// PDF/A-2a and PDF/UA-1 markers, structure tree, language, embedded fonts).
#[test]
fn every_seed_as_pdf_passes_the_pdfa_check() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (name, doc) in seeds() {
        let path = dir.path().join(name.replace(".txt", ".pdf"));
        std::fs::write(&path, pdf::charter_pdf(&doc).unwrap()).unwrap();
        files.push(path);
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/pdfa-check");
    let out = std::process::Command::new("python3")
        .arg(script)
        .arg("--with-lists")
        .args(&files)
        .output()
        .expect("python3 runs (scripts/test installs pikepdf)");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{report}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        report.lines().filter(|l| l.starts_with("ok")).count(),
        5,
        "{report}"
    );
}

/// The decision block — date, decision maker, title — is never split over two
/// pages (the rättspsykiatri PDF once had the name on page 3, the title on 4).
#[test]
fn the_decision_block_stays_on_one_page() {
    for (name, doc) in seeds() {
        let bytes = pdf::charter_pdf(&doc).unwrap();
        let (_, text) = extract::charter_text_of(&bytes).unwrap();
        let pages: Vec<&str> = text.split('\u{c}').collect();
        // The last page that has it: the name is also the commissioner's, at the top.
        let page_of = |needle: &str| pages.iter().rposition(|p| p.contains(needle));
        let date = page_of("Datum för beslut").unwrap_or_else(|| panic!("{name}"));
        if let Some(by) = &doc.decision.decided_by {
            assert_eq!(page_of(&by.name), Some(date), "{name}: the name");
            if let Some(t) = &by.title {
                assert_eq!(page_of(t), Some(date), "{name}: the title");
            }
        }
    }
}

/// The Word file names its language, title, creator and date.
#[test]
fn the_docx_has_its_language_title_and_date() {
    use std::io::Read;
    let (_, doc) = seeds()
        .into_iter()
        .find(|(n, _)| n.starts_with("sor-ortopedi"))
        .unwrap();
    let bytes = docx::charter_docx(&doc).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut core = String::new();
    zip.by_name("docProps/core.xml")
        .unwrap()
        .read_to_string(&mut core)
        .unwrap();
    assert!(core.contains("<dc:language>sv-SE</dc:language>"), "{core}");
    assert!(
        core.contains(&format!("<dc:title>{}</dc:title>", doc.title)),
        "{core}"
    );
    assert!(core.contains("<dc:creator>Samordna</dc:creator>"), "{core}");
    assert!(
        core.contains("2026-06-17T00:00:00Z"),
        "dated by the decision: {core}"
    );
    let mut styles = String::new();
    zip.by_name("word/styles.xml")
        .unwrap()
        .read_to_string(&mut styles)
        .unwrap();
    assert!(styles.contains("w:lang w:val=\"sv-SE\""), "{styles}");
}
