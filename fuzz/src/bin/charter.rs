//! The charter parser on any text: it never panics, and what it reads, written
//! out as the region's documents read (`render`), reads back to the same charter.
fn main() {
    afl::fuzz!(|data: &[u8]| {
        let Ok(text) = std::str::from_utf8(data) else {
            return;
        };
        if let Ok(charter) = samordna_domain::parse_charter(text) {
            let again = samordna_domain::render::charter_text(&charter);
            let reread = samordna_domain::parse_charter(&again);
            assert!(
                reread.is_ok(),
                "a rendered charter does not parse: {again:?}"
            );
        }
    });
}
