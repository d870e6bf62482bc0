//! Links whose address users typed (a meeting's digital link, links in Markdown
//! minutes): only `https`, `http`, `mailto` and `tel`, or a path on this site.
//! Everything else (`javascript:`, `data:`, `vbscript:` …) is never a link.

/// The schemes a typed link may have.
const ALLOWED: [&str; 4] = ["https", "http", "mailto", "tel"];

/// `url` if it is safe as the `href` of a link, else `None`.
///
/// The address is read as a browser reads it (WHATWG URL): leading and trailing
/// control characters and spaces, and tabs and line breaks anywhere, are ignored,
/// so `" java\tscript:…"` is `javascript:` and refused. An address without a
/// scheme (a relative reference such as `/moten/3` or `#punkt-2`) stays on this
/// site and is allowed, unless it starts with `//` or `\` (another host).
pub fn safe_href(url: &str) -> Option<&str> {
    let seen: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    if seen.is_empty() || seen.starts_with("//") || seen.starts_with('\\') {
        return None;
    }
    let scheme_end = seen.find([':', '/', '?', '#']);
    match scheme_end.map(|i| (i, &seen[i..=i])) {
        Some((i, ":")) => {
            let scheme = seen[..i].to_ascii_lowercase();
            ALLOWED.contains(&scheme.as_str()).then_some(url)
        }
        _ => Some(url),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_safe_schemes_are_links() {
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "\u{1}javascript:alert(1)",
            "data:text/html,<script>x</script>",
            "vbscript:x",
            "//evil.example/",
            "file:///etc/passwd",
            "",
        ] {
            assert_eq!(safe_href(bad), None, "{bad:?}");
        }
        for good in [
            "https://möte.example/neo",
            "HTTP://x.example",
            "mailto:kim@region.example",
            "tel:+46104410000",
            "/moten/3",
            "#punkt-2",
            "bilaga.pdf",
        ] {
            assert_eq!(safe_href(good), Some(good), "{good:?}");
        }
    }
}
