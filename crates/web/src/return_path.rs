//! Where to go back to after signing in or switching language: a path on this
//! site, parsed once into [`ReturnPath`]; anything else becomes `/`.

use std::fmt;

/// A same-site path (with its query), safe for a `Location` header and a form
/// field. Built only by [`ReturnPath::parse`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnPath(String);

impl ReturnPath {
    /// The start page.
    pub fn home() -> ReturnPath {
        ReturnPath("/".into())
    }

    /// `raw` if it is a path on this site, else `/`.
    ///
    /// Refused: anything not starting with one `/` (`//host` and `/\host` are
    /// other hosts to a browser), any white space or control character (browsers
    /// drop tab and newline from URLs, so `/<TAB>/evil.example` becomes
    /// `//evil.example`), any backslash. What is left is resolved against a
    /// placeholder origin (WHATWG URL) and kept only if it stays there; the result
    /// is that URL's path and query, percent-encoded as the URL standard has it.
    pub fn parse(raw: Option<&str>) -> ReturnPath {
        raw.and_then(Self::checked).unwrap_or_else(Self::home)
    }

    fn checked(raw: &str) -> Option<ReturnPath> {
        let rest = raw.strip_prefix('/')?;
        if rest.starts_with(['/', '\\'])
            || raw
                .chars()
                .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
        {
            return None;
        }
        let base = url::Url::parse("http://samordna.invalid/").ok()?;
        let joined = base.join(raw).ok()?;
        if joined.origin() != base.origin() {
            return None;
        }
        let mut path = joined.path().to_string();
        if let Some(q) = joined.query() {
            path.push('?');
            path.push_str(q);
        }
        Some(ReturnPath(path))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ReturnPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_on_this_site() {
        for bad in [
            "/\t/evil.example/",
            "//evil.example/",
            "/\\evil.example",
            "/\\/evil.example",
            "https://evil.example/",
            "javascript:alert(1)",
            "evil.example",
            " /x",
            "/x\r\nSet-Cookie: a=b",
            "/\u{0}",
            "/ok\u{a0}",
            "",
        ] {
            assert_eq!(ReturnPath::parse(Some(bad)).as_str(), "/", "{bad:?}");
        }
        assert_eq!(ReturnPath::parse(None).as_str(), "/");
        assert_eq!(
            ReturnPath::parse(Some("/regelefterlevnad?typ=samordningsrad&ordning=allvar")).as_str(),
            "/regelefterlevnad?typ=samordningsrad&ordning=allvar"
        );
        assert_eq!(
            ReturnPath::parse(Some("/grupper/a/../b")).as_str(),
            "/grupper/b"
        );
        assert_eq!(
            ReturnPath::parse(Some("/sök/å")).as_str(),
            "/s%C3%B6k/%C3%A5"
        );
    }
}
