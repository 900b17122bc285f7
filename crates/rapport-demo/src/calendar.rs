//! When guests arrive: the generator's time window, seasons and weekdays.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use rand::Rng;

use crate::random::DemoRng;

/// How far ahead of "today" reservations are already on the books.
pub const BOOKING_HORIZON_DAYS: u64 = 120;

/// The span stays are drawn from: `years` of history up to `today`, and the reservations
/// already made for the next [`BOOKING_HORIZON_DAYS`].
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub start: NaiveDate,
    /// The demo's "today": stays before it are history, stays after it are bookings.
    pub today: NaiveDate,
    pub horizon: NaiveDate,
}

impl Window {
    pub fn new(today: NaiveDate, years: u32) -> Window {
        let start = today
            .checked_sub_months(Months::new(12 * years.max(1)))
            .expect("a date within chrono's range");
        Window {
            start,
            today,
            horizon: today + Days::new(BOOKING_HORIZON_DAYS),
        }
    }

    pub fn days(&self) -> u64 {
        (self.horizon - self.start).num_days() as u64
    }
}

/// Relative arrivals by weekday (Monday first): business travellers arrive early in the
/// week, leisure guests towards the weekend.
pub fn weekday_weight(business: bool, day: Weekday) -> f64 {
    const BUSINESS: [f64; 7] = [1.3, 1.3, 1.1, 0.8, 0.6, 0.5, 1.2];
    const LEISURE: [f64; 7] = [0.8, 0.7, 0.8, 1.1, 1.4, 1.2, 0.8];
    let i = day.num_days_from_monday() as usize;
    if business {
        BUSINESS[i]
    } else {
        LEISURE[i]
    }
}

/// An arrival date in `[lo, hi]` following the hotel's season and the weekday pattern
/// (rejection sampling: cheap, and exact for any weights).
pub fn arrival(rng: &mut DemoRng, lo: NaiveDate, hi: NaiveDate, season: &[f64; 12], business: bool) -> NaiveDate {
    let span = (hi - lo).num_days().max(0) as u64;
    let max = season.iter().cloned().fold(0.0, f64::max) * 1.4;
    let mut d = lo;
    for _ in 0..24 {
        d = lo + Days::new(rng.gen_range(0..=span));
        let w = season[d.month0() as usize] * weekday_weight(business, d.weekday());
        if rng.gen::<f64>() * max < w {
            break;
        }
    }
    d
}

/// Whether the month and day of `date` (a birthday, an anniversary) fall within the stay.
pub fn occasion_during(date: NaiveDate, arrival: NaiveDate, departure: NaiveDate) -> bool {
    [arrival.year(), departure.year()].into_iter().any(|y| {
        let day = NaiveDate::from_ymd_opt(y, date.month(), date.day()).or_else(|| NaiveDate::from_ymd_opt(y, 2, 28));
        day.is_some_and(|d| d >= arrival && d <= departure)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::stream;

    #[test]
    fn arrivals_follow_the_season() {
        let lo = NaiveDate::from_ymd_opt(2022, 1, 1).unwrap();
        let hi = NaiveDate::from_ymd_opt(2024, 12, 31).unwrap();
        let mut season = [1.0; 12];
        season[7] = 2.0; // August twice as busy
        let mut rng = stream(1, 0, 0);
        let mut by_month = [0u32; 12];
        for _ in 0..24_000 {
            let d = arrival(&mut rng, lo, hi, &season, false);
            assert!(d >= lo && d <= hi);
            by_month[d.month0() as usize] += 1;
        }
        let ratio = by_month[7] as f64 / by_month[2] as f64;
        assert!((1.7..2.3).contains(&ratio), "August/March = {ratio}");
    }

    #[test]
    fn a_birthday_during_the_stay_is_found_across_new_year() {
        let birthday = NaiveDate::from_ymd_opt(1980, 1, 2).unwrap();
        let a = NaiveDate::from_ymd_opt(2023, 12, 30).unwrap();
        assert!(occasion_during(birthday, a, a + Days::new(4)));
        assert!(!occasion_during(birthday, a, a + Days::new(1)));
    }
}
