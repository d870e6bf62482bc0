//! What publishes meetings and minutes: the Atom feed (RFC 4287, template
//! `feed.xml`, escaped by [`crate::xml::Xml`]) and iCalendar (RFC 5545, template
//! `calendar.ics`, escaped by [`Ical`] and folded by [`icalendar`]).

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

/// One event of a calendar feed.
#[derive(Debug, Clone, PartialEq)]
pub struct CalendarEvent {
    /// Stable across changes: the same meeting keeps its UID.
    pub uid: String,
    /// Increases with every change, so that calendars take the update.
    pub sequence: i64,
    pub summary: String,
    pub description: String,
    pub location: Option<String>,
    pub url: Option<String>,
    pub starts: DateTime<Utc>,
    pub ends: DateTime<Utc>,
    pub cancelled: bool,
    pub updated: DateTime<Utc>,
}

/// The askama escaper of `.ics` templates: a TEXT value (RFC 5545 3.3.11) with
/// backslash, `;`, `,` and line breaks escaped; control characters, which a content
/// line may not hold (3.1), become a space.
#[derive(Debug, Clone, Copy, Default)]
pub struct Ical;

impl askama::filters::Escaper for Ical {
    fn write_escaped_str<W: std::fmt::Write>(&self, mut dest: W, string: &str) -> std::fmt::Result {
        let string = string.replace("\r\n", "\n");
        for c in string.chars() {
            match c {
                '\\' => dest.write_str("\\\\")?,
                ';' => dest.write_str("\\;")?,
                ',' => dest.write_str("\\,")?,
                '\n' => dest.write_str("\\n")?,
                '\t' => dest.write_char('\t')?,
                c if c.is_control() => dest.write_char(' ')?,
                c => dest.write_char(c)?,
            }
        }
        Ok(())
    }
}

/// A moment as iCalendar writes it (RFC 5545 3.3.5, UTC); `None` for a year
/// outside 0001–9999, which the format cannot hold.
fn ical_time(t: DateTime<Utc>) -> Option<String> {
    use chrono::Datelike;
    (1..=9999)
        .contains(&t.year())
        .then(|| t.format("%Y%m%dT%H%M%SZ").to_string())
}

/// Folds a content line at 75 octets (RFC 5545 3.1), never inside a character.
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for ch in line.chars() {
        let len = ch.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(ch);
        width += len;
    }
    out.push_str("\r\n");
}

#[derive(Template)]
#[template(path = "calendar.ics")]
struct Calendar<'a> {
    name: &'a str,
    events: Vec<(&'a CalendarEvent, [String; 3])>,
}

/// An iCalendar text with the events; cancelled events keep their UID and carry
/// `STATUS:CANCELLED`. Lines end in CRLF and are folded at 75 octets. An event
/// whose time the format cannot hold (a year past 9999, stored by mistake) is
/// left out, not the calendar (issue 27, item 5).
pub fn icalendar(name: &str, events: &[CalendarEvent]) -> Result<String, askama::Error> {
    let text = Calendar {
        name,
        events: events
            .iter()
            .filter_map(|e| {
                Some((
                    e,
                    [
                        ical_time(e.updated)?,
                        ical_time(e.starts)?,
                        ical_time(e.ends)?,
                    ],
                ))
            })
            .collect(),
    }
    .render()?;
    let mut out = String::with_capacity(text.len() + text.len() / 30);
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        fold(line, &mut out);
    }
    Ok(out)
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

    #[test]
    fn calendar_lines_are_escaped_folded_and_crlf() {
        let t = DateTime::parse_from_rfc3339("2026-03-02T08:00:00Z")
            .unwrap()
            .to_utc();
        let e = CalendarEvent {
            uid: "meeting-1@samordna".into(),
            sequence: 2,
            summary: "Möte, SOR barn; extra".into(),
            description: "Rad 1\nRad 2 ".repeat(10),
            location: Some("Regionens hus".into()),
            url: Some("https://samordna.example/moten/1".into()),
            starts: t,
            ends: t,
            cancelled: true,
            updated: t,
        };
        // An event of a year the format cannot hold is left out, not the
        // calendar (issue 27, item 5).
        let far = CalendarEvent {
            uid: "meeting-2@samordna".into(),
            starts: DateTime::parse_from_rfc3339("+12026-03-02T08:00:00Z")
                .map(|x| x.to_utc())
                .unwrap_or(DateTime::<Utc>::MAX_UTC),
            ..e.clone()
        };
        let text = icalendar("SOR barn\u{c}\u{b}", &[e, far]).unwrap();
        assert_eq!(text.matches("BEGIN:VEVENT").count(), 1, "{text}");
        assert!(
            text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"),
            "{text}"
        );
        assert!(text.contains("X-WR-CALNAME:SOR barn  \r\n"), "{text}");
        assert!(
            text.contains("SUMMARY:Möte\\, SOR barn\\; extra\r\n"),
            "{text}"
        );
        assert!(text.contains("STATUS:CANCELLED\r\n"));
        assert!(text.contains("DTSTART:20260302T080000Z\r\n"));
        assert!(text.contains("URL:https://samordna.example/moten/1\r\n"));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        for line in text.split("\r\n") {
            assert!(line.len() <= 75, "{line}");
        }
        assert!(!text.replace("\r\n", "").contains('\n'));
    }
}
