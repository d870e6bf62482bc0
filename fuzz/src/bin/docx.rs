//! An uploaded file read as a charter (what it is by content; a DOCX's text):
//! never a panic, only a refusal naming what is wrong. PDF goes to pdftotext, a
//! program of its own, and is not fuzzed here.
fn main() {
    afl::fuzz!(|data: &[u8]| {
        if data.starts_with(b"%PDF") {
            return;
        }
        let _ = samordna_documents::extract::charter_text_of(data);
    });
}
