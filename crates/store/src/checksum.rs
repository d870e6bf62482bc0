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
