//! The Atom feed (RFC 4287) of a group's published minutes, written by the
//! template `feed.xml` through the one XML escaper ([`crate::xml::Xml`]).

use askama::Template;
use chrono::{DateTime, Utc};

/// One entry of a feed.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedEntry {
    /// A URI that never changes for this entry, e.g. `urn:samordna:minutes:12`.
    pub id: String,
    pub title: String,
    /// The entry's page, relative to the site.
    pub link: String,
    pub updated: DateTime<Utc>,
    /// Plain text, at most a few hundred characters.
    pub summary: String,
}

#[derive(Template)]
#[template(path = "feed.xml")]
struct Atom<'a> {
    id: &'a str,
    title: &'a str,
    self_link: &'a str,
    alternate: &'a str,
    updated: String,
    entries: Vec<(&'a FeedEntry, String)>,
}

/// The feed as an XML document; `updated` is the newest entry's time (the epoch
/// for an empty feed).
pub fn atom(
    id: &str,
    title: &str,
    self_link: &str,
    alternate: &str,
    entries: &[FeedEntry],
) -> Result<String, askama::Error> {
    let updated = entries
        .iter()
        .map(|e| e.updated)
        .max()
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
    Atom {
        id,
        title,
        self_link,
        alternate,
        updated: updated.to_rfc3339(),
        entries: entries
            .iter()
            .map(|e| (e, e.updated.to_rfc3339()))
            .collect(),
    }
    .render()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feeds_escape_their_text_and_drop_what_xml_forbids() {
        let t = Utc::now();
        let f = atom(
            "urn:x",
            "A & B",
            "/f",
            "/",
            &[FeedEntry {
                id: "urn:e".into(),
                title: "<b>".into(),
                link: "/m?a=1&b=2".into(),
                updated: t,
                summary: "\"q\"\u{c}sida 2\u{b}".into(),
            }],
        )
        .unwrap();
        assert!(
            f.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>"),
            "{f}"
        );
        assert!(f.contains("<title>A &amp; B</title>"));
        assert!(f.contains("<title>&lt;b&gt;</title>"));
        assert!(f.contains("href=\"/m?a=1&amp;b=2\""));
        assert!(
            f.contains("<summary>&quot;q&quot; sida 2 </summary>"),
            "{f}"
        );
    }
}
