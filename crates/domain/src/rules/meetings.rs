//! Rules on meetings and minutes: `meeting-frequency`, `minutes-missing`,
//! `minutes-unapproved`, `minutes-unpublished`.

use chrono::NaiveDate;

use super::{Checker, MeetingFacts, RuleId, Severity};
use crate::meetings::{MeetingKind, MinutesStatus};
use crate::message::Text;
use crate::text;

/// `meeting-frequency`: ordinary meetings in the last full calendar year under the
/// charter in force; before a full year has passed under it, only too many
/// meetings this year can be told.
pub(super) fn meeting_frequency(c: &mut Checker) {
    use chrono::Datelike;
    let g = c.g;
    let Some((_, doc)) = &g.charter_in_force else {
        c.cannot(
            RuleId::MeetingFrequency,
            text!("cannot-no-charter-in-force"),
        );
        return;
    };
    let Some(f) = doc.meeting_frequency.clone() else {
        c.cannot(RuleId::MeetingFrequency, text!("cannot-no-frequency"));
        return;
    };
    let count = |year: i32| {
        g.meetings
            .iter()
            .filter(|m| m.kind == MeetingKind::Ordinary && !m.cancelled && m.date.year() == year)
            .count() as u32
    };
    let range = format!(
        "{}–{}",
        f.min.unwrap_or(0),
        f.max.map(|m| m.to_string()).unwrap_or_else(|| "∞".into())
    );
    let year = c.today.year() - 1;
    let whole_year = doc
        .decision
        .date
        .is_none_or(|d| NaiveDate::from_ymd_opt(year, 1, 1).is_some_and(|jan1| d <= jan1));
    let src = c.source(&["mötesfrekvens"]);
    if whole_year {
        let n = count(year);
        if crate::meetings::frequency_outside(n, f.min, f.max) {
            c.finding(
                RuleId::MeetingFrequency,
                Severity::Error,
                text!("rule-meeting-frequency", "count" => n, "year" => year, "range" => range),
                vec![text!("evidence-meetings-in-year", "year" => year, "count" => n)],
                src,
            );
        } else {
            c.ok(RuleId::MeetingFrequency);
        }
        return;
    }
    let this_year = c.today.year();
    let n = count(this_year);
    if f.max.is_some_and(|max| n > max) {
        c.finding(
            RuleId::MeetingFrequency,
            Severity::Error,
            text!("rule-meeting-frequency-this-year", "count" => n, "year" => this_year, "range" => range),
            vec![text!("evidence-meetings-in-year", "year" => this_year, "count" => n)],
            src,
        );
    } else {
        let why = match doc.decision.date {
            Some(d) => text!("cannot-frequency-not-a-year-since", "date" => d.to_string()),
            None => text!("cannot-frequency-not-a-year"),
        };
        c.cannot(RuleId::MeetingFrequency, why);
    }
}
/// `minutes-missing`, `minutes-unapproved`, `minutes-unpublished`: every held
/// ordinary meeting has minutes, approved within the group's days and published.
pub(super) fn minutes(c: &mut Checker) {
    let g = c.g;
    let today = c.today;
    // minutes-missing, minutes-unapproved, minutes-unpublished
    let held: Vec<&MeetingFacts> = g
        .meetings
        .iter()
        .filter(|m| m.kind == MeetingKind::Ordinary && !m.cancelled && m.date < today)
        .collect();
    let src = c
        .source(&["mötesanteckningar"])
        .or_else(|| c.source(&["anteckningar"]));
    // An error where the group's own charter requires minutes (the neonatal group's
    // does); elsewhere the region's practice, a warning.
    let minutes_severity = if src.is_some() {
        Severity::Error
    } else {
        Severity::Warning
    };
    let missing: Vec<Text> = held
        .iter()
        .filter(|m| m.minutes.is_none())
        .map(|m| m.label.clone())
        .collect();
    c.finding_unless_none(
        RuleId::MinutesMissing,
        minutes_severity,
        text!("rule-minutes-missing", "count" => missing.len()),
        missing,
        src.clone(),
    );
    let late: Vec<Text> = held
        .iter()
        .filter(|m| {
            m.minutes.is_some_and(|s| !s.is_approved())
                && (today - m.date).num_days() > g.approve_days
        })
        .map(|m| m.label.clone())
        .collect();
    c.finding_unless_none(
        RuleId::MinutesUnapproved,
        minutes_severity,
        text!("rule-minutes-unapproved", "days" => g.approve_days),
        late,
        src.clone(),
    );
    let unpublished: Vec<Text> = held
        .iter()
        .filter(|m| m.minutes == Some(MinutesStatus::Approved))
        .map(|m| m.label.clone())
        .collect();
    c.finding_unless_none(
        RuleId::MinutesUnpublished,
        Severity::Warning,
        text!("rule-minutes-unpublished"),
        unpublished,
        c.source(&["publiceras"]),
    );
}
