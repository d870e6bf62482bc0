//! Any file as it is read on every path that reads one (issue 27, item 1): the
//! charter upload, `samordna parse` and `samordna import` (what it is by its
//! content, its text, the parse of that text), and a meeting's attachment as the
//! upload checks it and search reads it again later (by its content type). The
//! first byte picks the path, the rest is the file. Every reading is bounded:
//! a panic is a crash, a reading over AFL's time limit (`-t`) a hang, and one
//! over its memory limit (`-m`, set by scripts/fuzz) a crash — an unbounded
//! decompression or extraction shows as one of the three.
use samordna_domain::search::{Audience, DocKind, Document};

const TYPES: [&str; 3] = [
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "text/plain; charset=utf-8",
];

fn main() {
    afl::fuzz_nohook!(|data: &[u8]| {
        let Some((&path, file)) = data.split_first() else {
            return;
        };
        match path % 4 {
            // The charter upload and the CLI: the text, then the parse.
            0 => {
                if let Ok((_, text)) = samordna_documents::extract::charter_text_of(file) {
                    let _ = samordna_domain::parse_charter(&text);
                }
            }
            // An attachment of each kind search reads, as the upload checks it
            // and the search sync reads it from the database.
            n => {
                let doc = Document {
                    key: "attachment:1".into(),
                    kind: DocKind::Attachment,
                    doc_type: None,
                    org_id: Some(1),
                    org_name: None,
                    audience: Audience::Internal,
                    title: "bilaga".into(),
                    body: String::new(),
                    codes: vec![],
                    url: "/moten/1".into(),
                    date: None,
                    file: Some((TYPES[usize::from(n - 1)].to_string(), file.to_vec())),
                };
                let _ = samordna_web::search_sync::with_file_text(vec![doc]);
            }
        }
    });
}
