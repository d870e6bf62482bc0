//! The one XML writer: every template whose name ends in `.xml` or `.svg` (the
//! Atom feed, the org chart) is escaped by [`Xml`] (see `askama.toml`), so what
//! the server writes as XML is well-formed whatever text users typed.
//!
//! XML 1.0 (§2.2, production `Char`) allows only tab, line feed, carriage return
//! and the characters from U+0020 on, less U+FFFE and U+FFFF. Other control
//! characters (form feeds and vertical tabs from Word, say) become a space; U+FFFE
//! and U+FFFF become U+FFFD. `&`, `<`, `>`, `"` and `'` become entities.

use std::fmt::{self, Write};

/// The askama escaper for XML; also usable as a function through [`text`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Xml;

impl askama::filters::Escaper for Xml {
    fn write_escaped_str<W: Write>(&self, mut dest: W, string: &str) -> fmt::Result {
        let mut last = 0;
        for (i, c) in string.char_indices() {
            let replacement = match c {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                '\t' | '\n' | '\r' => continue,
                '\u{fffe}' | '\u{ffff}' => "\u{fffd}",
                c if (c as u32) < 0x20 => " ",
                _ => continue,
            };
            dest.write_str(&string[last..i])?;
            dest.write_str(replacement)?;
            last = i + c.len_utf8();
        }
        dest.write_str(&string[last..])
    }
}

/// `s` as XML character data or an attribute value.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    askama::filters::Escaper::write_escaped_str(&Xml, &mut out, s)
        .expect("writing to a String cannot fail");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_characters_never_reach_the_output() {
        assert_eq!(text("a\u{c}b\u{b}c\u{0}d"), "a b c d");
        assert_eq!(text("<&>\"'"), "&lt;&amp;&gt;&quot;&#39;");
        assert_eq!(text("rad 1\nrad\t2"), "rad 1\nrad\t2");
        assert_eq!(text("x\u{ffff}"), "x\u{fffd}");
        assert_eq!(text("Åsa Öberg"), "Åsa Öberg");
    }
}
