//! An uploaded file read as a charter (what it is by content; a DOCX's text):
//! never a panic, only a refusal naming what is wrong. PDF goes to pdftotext, a
//! program of its own, and is not fuzzed here. Without afl's panic hook: docx-rs
//! panics on some damaged archives and the reader catches it (a refusal); a panic
//! that escapes is still a crash.
fn main() {
    afl::fuzz_nohook!(|data: &[u8]| {
        if data.starts_with(b"%PDF") {
            return;
        }
        let _ = samordna_documents::extract::charter_text_of(data);
    });
}
