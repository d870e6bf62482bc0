//! Rules on meetings and minutes: `meeting-frequency`, `minutes-missing`,
//! `minutes-unapproved`, `minutes-unpublished`.

use chrono::NaiveDate;

use super::{Checker, MeetingFacts, RuleId, Severity, Source};
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
/// The ordinary meetings held before today, not cancelled.
fn held<'a>(c: &Checker<'a>) -> Vec<&'a MeetingFacts> {
    let today = c.today;
    c.g.meetings
        .iter()
        .filter(|m| m.kind == MeetingKind::Ordinary && !m.cancelled && m.date < today)
        .collect()
}

/// The charter's sentence on minutes, and how serious a finding on them is: an
/// error where the group's own charter requires minutes (the neonatal group's
/// does), elsewhere the region's practice, a warning.
fn minutes_rule(c: &Checker) -> (Option<Source>, Severity) {
    let src = c
        .source(&["mötesanteckningar"])
        .or_else(|| c.source(&["anteckningar"]));
    let severity = if src.is_some() {
        Severity::Error
    } else {
        Severity::Warning
    };
    (src, severity)
}

/// `minutes-missing`: every held ordinary meeting has minutes.
pub(super) fn minutes_missing(c: &mut Checker) {
    let (src, severity) = minutes_rule(c);
    let missing: Vec<Text> = held(c)
        .iter()
        .filter(|m| m.minutes.is_none())
        .map(|m| m.label.clone())
        .collect();
    c.finding_unless_none(
        RuleId::MinutesMissing,
        severity,
        text!("rule-minutes-missing", "count" => missing.len()),
        missing,
        src,
    );
}

/// `minutes-unapproved`: minutes are approved within the group's days.
pub(super) fn minutes_unapproved(c: &mut Checker) {
    let (src, severity) = minutes_rule(c);
    let (today, days) = (c.today, c.g.approve_days);
    let late: Vec<Text> = held(c)
        .iter()
        .filter(|m| {
            m.minutes.is_some_and(|s| !s.is_approved()) && (today - m.date).num_days() > days
        })
        .map(|m| m.label.clone())
        .collect();
    c.finding_unless_none(
        RuleId::MinutesUnapproved,
        severity,
        text!("rule-minutes-unapproved", "days" => days),
        late,
        src,
    );
}

/// `minutes-unpublished`: approved minutes are published on the intranet.
pub(super) fn minutes_unpublished(c: &mut Checker) {
    let unpublished: Vec<Text> = held(c)
        .iter()
        .filter(|m| m.minutes == Some(MinutesStatus::Approved))
        .map(|m| m.label.clone())
        .collect();
    let src = c.source(&["publiceras"]);
    c.finding_unless_none(
        RuleId::MinutesUnpublished,
        Severity::Warning,
        text!("rule-minutes-unpublished"),
        unpublished,
        src,
    );
}
