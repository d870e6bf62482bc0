//! Normalisation of text where it enters the domain: what PDF and Word extraction,
//! and copying from them into a form, leave in text.
//!
//! One place for the whole kind, used by the charter parser (so names, areas,
//! titles, registry numbers and section text alike), by name matching, and by the
//! web layer for every form field and API string:
//!
//! - soft hyphens (U+00AD), zero-width spaces and joiners (U+200B–U+200D, U+2060)
//!   and byte-order marks (U+FEFF) are removed;
//! - no-break and other fixed-width spaces (U+00A0, U+2000–U+200A, U+202F,
//!   U+205F, U+3000), tabs, vertical tabs, form feeds and the Unicode line and
//!   paragraph separators become an ordinary space, so that line numbers stay
//!   those of the file;
//! - the Latin ligatures of U+FB00–U+FB06 (ﬀ, ﬁ, ﬂ, ﬃ, ﬄ, ﬅ, ﬆ) are spelled out;
//! - the hyphen characters U+2010 and U+2011 become `-`;
//! - in one-line fields ([`line()`]: names, areas, titles, registry numbers)
//!   typographic quotes (‘ ’ ‚ ‛ “ ” „ ‟ « ») become `'` and `"`. Running text
//!   ([`text()`]) keeps them: ”…” is correct Swedish typography in a decided
//!   charter, which reads as it was decided;
//! - bidirectional embeddings, overrides and isolates (U+202A–U+202E,
//!   U+2066–U+2069), which make text read otherwise than it is stored, are removed;
//! - other control characters (C0 but the line feed, C1) are removed, a carriage
//!   return before a line feed is dropped;
//! - the result is in Unicode Normalization Form C (UAX #15), so that an "å"
//!   extracted as "a" + U+030A is the same letter as a typed one.

use unicode_normalization::UnicodeNormalization;

/// What one character becomes.
enum Map {
    Keep,
    Drop,
    Space,
    To(&'static str),
}

fn map(c: char) -> Map {
    match c {
        '\n' => Map::Keep,
        '\u{ad}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' => Map::Drop,
        // Bidirectional embeddings, overrides and isolates: they make text read
        // otherwise than it is stored ("Trojan Source", CVE-2021-42574).
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => Map::Drop,
        '\t'
        | '\u{b}'
        | '\u{c}'
        | '\u{a0}'
        | '\u{2000}'..='\u{200a}'
        | '\u{202f}'
        | '\u{205f}'
        | '\u{3000}'
        | '\u{2028}'
        | '\u{2029}' => Map::Space,
        '\u{fb00}' => Map::To("ff"),
        '\u{fb01}' => Map::To("fi"),
        '\u{fb02}' => Map::To("fl"),
        '\u{fb03}' => Map::To("ffi"),
        '\u{fb04}' => Map::To("ffl"),
        '\u{fb05}' | '\u{fb06}' => Map::To("st"),
        '\u{2010}' | '\u{2011}' => Map::To("-"),
        c if c.is_control() => Map::Drop,
        _ => Map::Keep,
    }
}

/// Multi-line text (a document, minutes, a comment): line feeds stay, `\r\n`
/// becomes `\n`, everything else as the module says. Idempotent.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            // CRLF is one line end; a lone CR is white space.
            if chars.peek() != Some(&'\n') {
                out.push(' ');
            }
            continue;
        }
        match map(c) {
            Map::Keep => out.push(c),
            Map::Drop => {}
            Map::Space => out.push(' '),
            Map::To(t) => out.push_str(t),
        }
    }
    if out.is_ascii() {
        out
    } else {
        out.nfc().collect()
    }
}

/// One line (a name, an area, a title, a registry number): [`text()`], then every
/// run of white space (line feeds included) becomes one space, trimmed.
pub fn line(s: &str) -> String {
    text(s)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' => '\'',
            '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{ab}' | '\u{bb}' => '"',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extraction_artefacts_go() {
        assert_eq!(
            line("samordnings\u{ad}råd neuro\u{ad}logi"),
            "samordningsråd neurologi"
        );
        assert_eq!(line("\u{feff}SOR\u{a0}barn\u{200b}"), "SOR barn");
        assert_eq!(line("ar\u{200d}bets\u{2060}sätt"), "arbetssätt");
        assert_eq!(
            line("\u{fb01}nns \u{fb02}era e\u{fb00}ekt"),
            "finns flera effekt"
        );
        assert_eq!(
            line("”Regional rutin” ‘x’ «y» „z“"),
            "\"Regional rutin\" 'x' \"y\" \"z\""
        );
        assert_eq!(
            text("beskrivs i ”Beslutsmandat”"),
            "beskrivs i ”Beslutsmandat”"
        );
        assert_eq!(line("a\tb\u{b}c\u{c}d\u{2028}e"), "a b c d e");
        assert_eq!(line("a\u{1}b\u{85}c"), "abc");
        assert_eq!(line("\u{202e}fdp.exe\u{2066}"), "fdp.exe", "bidi controls");
        assert_eq!(line("Ha\u{30a}kan"), "Håkan", "NFC");
        assert_eq!(line("RS\u{a0}2024\u{2011}00784"), "RS 2024-00784");
    }

    #[test]
    fn lines_stay_where_they_are() {
        let t = text("ett\r\ntvå\u{c}sida två\u{c}\ntre\rfyra\n");
        assert_eq!(t, "ett\ntvå sida två \ntre fyra\n");
        assert_eq!(t.lines().count(), 3);
    }

    #[test]
    fn idempotent_and_ascii_untouched() {
        for s in [
            "Uppdragshandling för SOR barn",
            "a\u{ad}b ﬁ ”q” \u{c}",
            "Ha\u{30a}kan",
        ] {
            assert_eq!(text(&text(s)), text(s));
            assert_eq!(line(&line(s)), line(s));
        }
        assert_eq!(text("plain ascii\n"), "plain ascii\n");
    }
}
