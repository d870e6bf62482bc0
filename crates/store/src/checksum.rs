//! SHA-256 in lower-case hex: the identity of an imported text (so that the same
//! text again changes nothing) and the checksum of every stored file.

use sha2::{Digest, Sha256};

/// SHA-256 of `text`'s UTF-8 bytes.
pub fn sha256_hex(text: &str) -> String {
    sha256_hex_bytes(text.as_bytes())
}

/// SHA-256 of `bytes`.
pub(crate) fn sha256_hex_bytes(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The repeat key of a record (ARCHITECTURE.md, "A form sent twice"): SHA-256
/// of the parts of its identity, each trimmed, with runs of white space as one
/// space and in lower case (a title typed "Vårdplatsläget " and
/// "vårdplatsläget" is the same item), separated by U+001F. Stored in the
/// table's `repeat_key` under a unique index, so that the database keeps one
/// record per identity whatever arrives at once.
pub(crate) fn repeat_key(parts: &[&str]) -> String {
    let joined = parts
        .iter()
        .map(|p| {
            p.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        })
        .collect::<Vec<_>>()
        .join("\u{1f}");
    sha256_hex(&joined)
}
