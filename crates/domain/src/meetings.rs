//! Meetings and minutes (mötesanteckningar): the states they pass through, and the
//! calendar text (RFC 5545) that publishes them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingKind {
    Ordinary,
    Extra,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingState {
    Planned,
    Held,
    Cancelled,
}

/// Minutes: drafted by the coordinator, submitted to the chair, approved (justerade)
/// or returned with a comment, then published. Approval freezes the text; a
/// correction is a new version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MinutesStatus {
    Draft,
    Submitted,
    Returned,
    Approved,
    Published,
}

/// What can be done to minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MinutesStep {
    Edit,
    Submit,
    Approve,
    Return,
    Publish,
}

macro_rules! str_enum {
    ($t:ty { $($v:ident => $s:literal),* $(,)? }) => {
        impl $t {
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$v => $s),* }
            }
        }
        impl std::str::FromStr for $t {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s { $($s => Ok(Self::$v),)* other => Err(format!("okänt värde: {other}")) }
            }
        }
    };
}

str_enum!(MeetingKind { Ordinary => "ordinary", Extra => "extra" });
str_enum!(MeetingState { Planned => "planned", Held => "held", Cancelled => "cancelled" });
str_enum!(MinutesStatus { Draft => "draft", Submitted => "submitted", Returned => "returned", Approved => "approved", Published => "published" });

impl MinutesStatus {
    /// The status after a step, or why the step is not possible now.
    /// `publish_separately` is the group's setting: without it approval publishes.
    pub fn after(
        self,
        step: MinutesStep,
        publish_separately: bool,
    ) -> Result<MinutesStatus, &'static str> {
        use MinutesStatus::*;
        use MinutesStep::*;
        match (self, step) {
            (Draft | Returned, Edit) => Ok(self),
            (Draft | Returned, Submit) => Ok(Submitted),
            (Submitted, Approve) if publish_separately => Ok(Approved),
            (Submitted, Approve) => Ok(Published),
            (Submitted, Return) => Ok(Returned),
            (Approved, Publish) => Ok(Published),
            (Approved | Published, Edit) => {
                Err("justerade anteckningar ändras inte; gör en rättelse i stället")
            }
            (Submitted, Edit) => Err("anteckningarna väntar på justering"),
            _ => Err("det steget går inte att ta nu"),
        }
    }

    /// The status in Swedish, for messages outside the portal (CLI, logs).
    pub fn label_sv(self) -> &'static str {
        match self {
            MinutesStatus::Draft => "utkast",
            MinutesStatus::Submitted => "skickade för justering",
            MinutesStatus::Returned => "återförvisade",
            MinutesStatus::Approved => "justerade",
            MinutesStatus::Published => "publicerade",
        }
    }

    /// Approved minutes are frozen and may be read outside the group once published.
    pub fn is_approved(self) -> bool {
        matches!(self, MinutesStatus::Approved | MinutesStatus::Published)
    }
}

/// Whether the number of ordinary meetings in a year is inside the charter's range.
pub fn frequency_outside(count: u32, min: Option<u32>, max: Option<u32>) -> bool {
    min.is_some_and(|m| count < m) || max.is_some_and(|m| count > m)
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

/// A TEXT value (RFC 5545 3.3.11): backslash, `;`, `,` and line breaks escaped;
/// control characters, which a content line may not hold (3.1), become a space.
fn ical_text(s: &str) -> String {
    let s: String = s
        .replace("\r\n", "\n")
        .chars()
        .map(|c| match c {
            '\n' | '\t' => c,
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    s.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

/// Folds a content line at 75 octets (RFC 5545 3.1), never inside a character.
fn fold(line: &str) -> String {
    let mut out = String::new();
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
    out
}

fn ical_time(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// An iCalendar (RFC 5545) text with the events; cancelled events keep their UID
/// and carry `STATUS:CANCELLED`.
pub fn icalendar(name: &str, events: &[CalendarEvent]) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".into(),
        "PRODID:-//Samordna//Samordna//SV".into(),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
        format!("X-WR-CALNAME:{}", ical_text(name)),
    ];
    for e in events {
        lines.push("BEGIN:VEVENT".into());
        lines.push(format!("UID:{}", e.uid));
        lines.push(format!("SEQUENCE:{}", e.sequence));
        lines.push(format!("DTSTAMP:{}", ical_time(e.updated)));
        lines.push(format!("LAST-MODIFIED:{}", ical_time(e.updated)));
        lines.push(format!("DTSTART:{}", ical_time(e.starts)));
        lines.push(format!("DTEND:{}", ical_time(e.ends)));
        lines.push(format!("SUMMARY:{}", ical_text(&e.summary)));
        if !e.description.is_empty() {
            lines.push(format!("DESCRIPTION:{}", ical_text(&e.description)));
        }
        if let Some(l) = &e.location {
            lines.push(format!("LOCATION:{}", ical_text(l)));
        }
        if let Some(u) = &e.url {
            lines.push(format!("URL:{u}"));
        }
        lines.push(format!(
            "STATUS:{}",
            if e.cancelled {
                "CANCELLED"
            } else {
                "CONFIRMED"
            }
        ));
        lines.push("END:VEVENT".into());
    }
    lines.push("END:VCALENDAR".into());
    lines.iter().map(|l| fold(l)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use MinutesStatus::*;
    use MinutesStep::*;

    #[test]
    fn minutes_go_from_draft_to_published() {
        assert_eq!(Draft.after(Submit, false), Ok(Submitted));
        assert_eq!(Submitted.after(Return, false), Ok(Returned));
        assert_eq!(Returned.after(Submit, false), Ok(Submitted));
        assert_eq!(
            Submitted.after(Approve, false),
            Ok(Published),
            "approval publishes by default"
        );
        assert_eq!(Submitted.after(Approve, true), Ok(Approved));
        assert_eq!(Approved.after(Publish, true), Ok(Published));
        assert!(
            Approved.after(Edit, true).is_err(),
            "approved text is frozen"
        );
        assert!(Published.after(Edit, false).is_err());
        assert!(
            Draft.after(Approve, false).is_err(),
            "the chair approves only what was submitted"
        );
        assert!(Published.after(Return, false).is_err());
    }

    #[test]
    fn frequency_range() {
        assert!(frequency_outside(3, Some(4), Some(8)));
        assert!(!frequency_outside(4, Some(4), Some(8)));
        assert!(frequency_outside(9, Some(4), Some(8)));
        assert!(!frequency_outside(0, None, None));
    }

    #[test]
    fn calendar_lines_are_escaped_folded_and_crlf() {
        let t = DateTime::parse_from_rfc3339("2026-03-02T08:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let e = CalendarEvent {
            uid: "meeting-1@samordna".into(),
            sequence: 2,
            summary: "Möte, SOR barn; extra".into(),
            description: "Rad 1\nRad 2 ".repeat(10),
            location: Some("Regionens hus".into()),
            url: None,
            starts: t,
            ends: t,
            cancelled: true,
            updated: t,
        };
        let text = icalendar("SOR barn\u{c}\u{b}", &[e]);
        assert!(text.contains("X-WR-CALNAME:SOR barn  \r\n"), "{text}");
        assert!(text.contains("SUMMARY:Möte\\, SOR barn\\; extra\r\n"));
        assert!(text.contains("STATUS:CANCELLED\r\n"));
        assert!(text.contains("DTSTART:20260302T080000Z\r\n"));
        for line in text.split("\r\n") {
            assert!(line.len() <= 75, "{line}");
        }
        assert!(!text.replace("\r\n", "").contains('\n'));
    }
}
