//! Birthdays and anniversaries: when a yearly date next falls, and whether it falls in a
//! stay. A 29 February is kept on 28 February in common years, so nobody's birthday
//! silently disappears three years out of four.

use chrono::{Datelike, NaiveDate};

/// The yearly date `date` in `year`.
pub fn in_year(date: NaiveDate, year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, date.month(), date.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, 2, 28))
        .expect("28 February exists every year")
}

/// The first occurrence of the yearly date on or after `from`.
pub fn next_occurrence(date: NaiveDate, from: NaiveDate) -> NaiveDate {
    let this_year = in_year(date, from.year());
    if this_year >= from {
        this_year
    } else {
        in_year(date, from.year() + 1)
    }
}

/// The occurrence of the yearly date within `from..=to`, if any (a stay's first and last day).
pub fn occurrence_within(date: NaiveDate, from: NaiveDate, to: NaiveDate) -> Option<NaiveDate> {
    let next = next_occurrence(date, from);
    (next <= to).then_some(next)
}

/// Whole years from `date` to its occurrence `on` (an age, or years married).
pub fn years_at(date: NaiveDate, on: NaiveDate) -> i32 {
    on.year() - date.year()
}

/// Completed years on `day` (an age).
pub fn age_on(born: NaiveDate, day: NaiveDate) -> i32 {
    let years = day.year() - born.year();
    if in_year(born, day.year()) > day {
        years - 1
    } else {
        years
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_birthday_during_the_stay_is_found_on_arrival_and_departure_days_too() {
        let born = d(1980, 11, 24);
        assert_eq!(occurrence_within(born, d(2026, 11, 23), d(2026, 11, 25)), Some(d(2026, 11, 24)));
        assert_eq!(occurrence_within(born, d(2026, 11, 24), d(2026, 11, 24)), Some(d(2026, 11, 24)));
        assert_eq!(occurrence_within(born, d(2026, 11, 20), d(2026, 11, 24)), Some(d(2026, 11, 24)));
        assert_eq!(occurrence_within(born, d(2026, 11, 25), d(2026, 11, 30)), None);
    }

    #[test]
    fn a_stay_over_new_year_finds_a_january_birthday() {
        assert_eq!(
            occurrence_within(d(1990, 1, 2), d(2026, 12, 30), d(2027, 1, 3)),
            Some(d(2027, 1, 2))
        );
    }

    #[test]
    fn a_leap_day_birthday_is_celebrated_on_28_february_in_common_years() {
        let born = d(2000, 2, 29);
        assert_eq!(next_occurrence(born, d(2026, 2, 1)), d(2026, 2, 28));
        assert_eq!(next_occurrence(born, d(2028, 2, 1)), d(2028, 2, 29));
        assert_eq!(years_at(born, d(2026, 2, 28)), 26);
    }

    #[test]
    fn an_age_counts_completed_years() {
        assert_eq!(age_on(d(1980, 11, 24), d(2026, 11, 23)), 45);
        assert_eq!(age_on(d(1980, 11, 24), d(2026, 11, 24)), 46);
        assert_eq!(age_on(d(2000, 2, 29), d(2026, 2, 28)), 26);
    }
}
