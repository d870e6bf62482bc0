//! Calendar dates are Swedish dates (issue 27, item 2).
//!
//! A moment is stored in UTC; the date a person or a client reads, filters on or
//! receives is the date in Europe/Stockholm — on pages, in exports, OParl, the
//! API, iCalendar, feeds, the audit log's filter, the rules' "today", search
//! facets, archive and document metadata, mail. [`swedish_date`] is the one
//! function that turns a moment into that date; nothing else does (clippy's
//! `disallowed-methods` refuses `DateTime::date_naive` and `Local::now`
//! everywhere else, `clippy.toml`). A date a person enters is turned back into
//! moments by [`day_start`] and [`days`] — Stockholm midnights, not UTC ones.
//!
//! Sweden changes to summer time at 02:00 (to 03:00) on the last Sunday of March
//! and back at 03:00 (to 02:00) on the last Sunday of October, so midnight exists
//! once on every day of the year; the functions are tested on both sides of both
//! switches and at 23:59 and 00:30 local time.

use std::ops::Range;

use chrono::{DateTime, Days, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// The day Västra Götalandsregionen began (1 January 1999): no charter,
/// decision or meeting of the region is older.
pub const REGION_BEGAN: NaiveDate = match NaiveDate::from_ymd_opt(1999, 1, 1) {
    Some(d) => d,
    None => panic!("a date"),
};

/// Whether a date is one the register's records can have: on or after
/// [`REGION_BEGAN`] and before 2100. A year such as 0226 or 2206 is a typo; a
/// form refuses it, the parser warns and reads no date, and every writer
/// copes with what an older version stored anyway.
pub fn plausible(d: NaiveDate) -> bool {
    use chrono::Datelike;
    d >= REGION_BEGAN && d.year() < 2100
}

/// The region's time zone: Europe/Stockholm (CET, CEST in summer).
pub const ZONE: Tz = chrono_tz::Europe::Stockholm;

/// A moment in Swedish time (for showing the hour: "2026-06-16 00:30").
#[allow(clippy::disallowed_methods)] // the one place that may
pub fn swedish_time(at: DateTime<Utc>) -> DateTime<Tz> {
    at.with_timezone(&ZONE)
}

/// The calendar date of a moment in Sweden: 2026-06-15 22:30 UTC is
/// 2026-06-16 (00:30 in Stockholm).
#[allow(clippy::disallowed_methods)] // the one place that may
pub fn swedish_date(at: DateTime<Utc>) -> NaiveDate {
    swedish_time(at).date_naive()
}

/// The moment a Swedish calendar day begins (00:00 in Stockholm), in UTC.
pub fn day_start(day: NaiveDate) -> DateTime<Utc> {
    local_moment(day, NaiveTime::MIN)
        .expect("midnight exists on every Swedish day (the clocks change at 02:00 and 03:00)")
}

/// The moments of the Swedish days `from` to `to`, both included: from the
/// start of `from` up to (not including) the start of the day after `to`.
/// Saturates at the calendar's ends.
pub fn days(from: NaiveDate, to: NaiveDate) -> Range<DateTime<Utc>> {
    let end = to
        .checked_add_days(Days::new(1))
        .map_or(DateTime::<Utc>::MAX_UTC, day_start);
    day_start(from)..end
}

/// The moment of a Swedish wall-clock time on a day: the earlier of two when
/// the clocks go back (02:30 on the last Sunday of October happens twice);
/// `None` when the time does not exist (02:30 on the last Sunday of March).
pub fn local_moment(day: NaiveDate, time: NaiveTime) -> Option<DateTime<Utc>> {
    #[allow(clippy::disallowed_methods)] // back to UTC, not into a zone
    ZONE.from_local_datetime(&day.and_time(time))
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// As a clock would see it: 23:59 and 00:30 local time, in winter (UTC+1),
    /// in summer (UTC+2), and on both sides of both switches.
    #[test]
    fn the_swedish_date_of_a_moment() {
        for (moment, day) in [
            // Winter: 23:59 local is 22:59 UTC; 00:30 local is 23:30 UTC the day before.
            ("2026-01-14T22:59:00Z", "2026-01-14"),
            ("2026-01-14T23:30:00Z", "2026-01-15"),
            // Summer: 23:59 local is 21:59 UTC; 00:30 local is 22:30 UTC.
            ("2026-06-15T21:59:00Z", "2026-06-15"),
            ("2026-06-15T22:30:00Z", "2026-06-16"),
            // The night before summer time (Sunday 29 March 2026): still UTC+1.
            ("2026-03-28T22:59:00Z", "2026-03-28"),
            ("2026-03-28T23:30:00Z", "2026-03-29"),
            // The night after: UTC+2.
            ("2026-03-29T21:59:00Z", "2026-03-29"),
            ("2026-03-29T22:30:00Z", "2026-03-30"),
            // The night before winter time (Sunday 25 October 2026): UTC+2.
            ("2026-10-24T21:59:00Z", "2026-10-24"),
            ("2026-10-24T22:30:00Z", "2026-10-25"),
            // The night after: UTC+1.
            ("2026-10-25T22:59:00Z", "2026-10-25"),
            ("2026-10-25T23:30:00Z", "2026-10-26"),
            // New Year: the year changes in Sweden first.
            ("2026-12-31T23:30:00Z", "2027-01-01"),
        ] {
            assert_eq!(swedish_date(utc(moment)), date(day), "{moment}");
        }
    }

    #[test]
    fn a_swedish_day_is_from_one_stockholm_midnight_to_the_next() {
        assert_eq!(day_start(date("2026-06-16")), utc("2026-06-15T22:00:00Z"));
        assert_eq!(day_start(date("2026-01-15")), utc("2026-01-14T23:00:00Z"));
        // The day summer time begins has 23 hours, the day it ends 25.
        let spring = days(date("2026-03-29"), date("2026-03-29"));
        assert_eq!(spring.end - spring.start, chrono::Duration::hours(23));
        let autumn = days(date("2026-10-25"), date("2026-10-25"));
        assert_eq!(autumn.end - autumn.start, chrono::Duration::hours(25));
        // 00:30 local on 16 June is inside the 16th, not the 15th.
        let at = utc("2026-06-15T22:30:00Z");
        assert!(days(date("2026-06-16"), date("2026-06-16")).contains(&at));
        assert!(!days(date("2026-06-15"), date("2026-06-15")).contains(&at));
        // Every moment of a range of days has one of its dates.
        let r = days(date("2026-10-24"), date("2026-10-26"));
        let mut t = r.start;
        while t < r.end {
            let d = swedish_date(t);
            assert!(d >= date("2026-10-24") && d <= date("2026-10-26"), "{t}");
            t += chrono::Duration::minutes(29);
        }
        assert_eq!(swedish_date(r.end), date("2026-10-27"));
    }

    #[test]
    fn wall_clock_times_that_do_not_exist_or_happen_twice() {
        let t = |s: &str| NaiveTime::parse_from_str(s, "%H:%M").unwrap();
        assert_eq!(local_moment(date("2026-03-29"), t("02:30")), None);
        assert_eq!(
            local_moment(date("2026-10-25"), t("02:30")),
            Some(utc("2026-10-25T00:30:00Z")),
            "the first of the two"
        );
        assert_eq!(
            local_moment(date("2026-06-16"), t("09:00")),
            Some(utc("2026-06-16T07:00:00Z"))
        );
    }
}
