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
