//! Swedish public holidays (allmänna helgdagar, lag 1989:253) and the days the
//! region treats as such (midsommarafton, julafton, nyårsafton), computed for any
//! year — Easter by the Gregorian computus — so that meetings are not planned on
//! them.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// Easter Sunday of a year (the anonymous Gregorian algorithm, Meeus/Jones/Butcher).
pub fn easter(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).expect("the computus gives a date")
}

/// The first `weekday` on or after `from`.
fn first_on_or_after(from: NaiveDate, weekday: Weekday) -> NaiveDate {
    let ahead = (7 + weekday.num_days_from_monday() - from.weekday().num_days_from_monday()) % 7;
    from + Duration::days(i64::from(ahead))
}

/// The holidays of a year with their Swedish names, in date order.
pub fn holidays(year: i32) -> Vec<(NaiveDate, &'static str)> {
    let d = |m: u32, day: u32| NaiveDate::from_ymd_opt(year, m, day).expect("a fixed date");
    let e = easter(year);
    let midsommardagen = first_on_or_after(d(6, 20), Weekday::Sat);
    let alla_helgon = first_on_or_after(d(10, 31), Weekday::Sat);
    let mut out = vec![
        (d(1, 1), "Nyårsdagen"),
        (d(1, 6), "Trettondedag jul"),
        (e - Duration::days(2), "Långfredagen"),
        (e, "Påskdagen"),
        (e + Duration::days(1), "Annandag påsk"),
        (d(5, 1), "Första maj"),
        (e + Duration::days(39), "Kristi himmelsfärdsdag"),
        (e + Duration::days(49), "Pingstdagen"),
        (d(6, 6), "Sveriges nationaldag"),
        (midsommardagen - Duration::days(1), "Midsommarafton"),
        (midsommardagen, "Midsommardagen"),
        (alla_helgon, "Alla helgons dag"),
        (d(12, 24), "Julafton"),
        (d(12, 25), "Juldagen"),
        (d(12, 26), "Annandag jul"),
        (d(12, 31), "Nyårsafton"),
    ];
    out.sort();
    out
}

/// Whether a day is a Swedish public holiday (or a de facto one, above).
pub fn is_holiday(day: NaiveDate) -> bool {
    holidays(day.year()).iter().any(|(d, _)| *d == day)
}

/// Whether a meeting can be held that day: Monday to Friday and not a holiday.
pub fn is_working_day(day: NaiveDate) -> bool {
    !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && !is_holiday(day)
}

/// The first working day on or after `day`.
pub fn working_day_from(day: NaiveDate) -> NaiveDate {
    let mut d = day;
    while !is_working_day(d) {
        d += Duration::days(1);
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn easter_is_computed() {
        assert_eq!(easter(2024), d("2024-03-31"));
        assert_eq!(easter(2025), d("2025-04-20"));
        assert_eq!(easter(2026), d("2026-04-05"));
        assert_eq!(easter(2027), d("2027-03-28"));
        assert_eq!(easter(2038), d("2038-04-25"));
    }

    #[test]
    fn the_holidays_of_2026() {
        for h in [
            "2026-01-01",
            "2026-01-06",
            "2026-04-03",
            "2026-04-06",
            "2026-05-01",
            "2026-05-14",
            "2026-06-06",
            "2026-06-19",
            "2026-06-20",
            "2026-10-31",
            "2026-12-24",
            "2026-12-25",
            "2026-12-26",
            "2026-12-31",
        ] {
            assert!(is_holiday(d(h)), "{h}");
        }
        assert!(!is_holiday(d("2026-06-18")));
        assert_eq!(
            holidays(2027)
                .iter()
                .find(|h| h.1 == "Midsommarafton")
                .unwrap()
                .0,
            d("2027-06-25")
        );
    }

    #[test]
    fn meetings_move_to_the_next_working_day() {
        assert_eq!(
            working_day_from(d("2026-02-07")),
            d("2026-02-09"),
            "Saturday → Monday"
        );
        assert_eq!(working_day_from(d("2026-04-03")), d("2026-04-07"), "Easter");
        assert_eq!(
            working_day_from(d("2026-12-24")),
            d("2026-12-28"),
            "Christmas"
        );
        assert_eq!(working_day_from(d("2026-03-10")), d("2026-03-10"));
    }
}
