//! Cohort retention: guests grouped by the quarter of their first stay, and the share of each
//! cohort that stayed again in each later quarter. Read along a row to see how fast a
//! quarter's new guests fade; down a column to see whether retention is getting better.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// A calendar quarter, e.g. 2025 Q3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Quarter {
    pub year: i32,
    /// 1–4.
    pub quarter: u8,
}

impl Quarter {
    pub fn of(day: NaiveDate) -> Quarter {
        Quarter {
            year: day.year(),
            quarter: (day.month0() / 3) as u8 + 1,
        }
    }

    fn ordinal(self) -> i64 {
        i64::from(self.year) * 4 + i64::from(self.quarter) - 1
    }
}

impl std::fmt::Display for Quarter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} Q{}", self.year, self.quarter)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cohort {
    pub first_stay: Quarter,
    pub guests: usize,
    /// `retained[k]`: share of the cohort with a stay `k` quarters after their first
    /// (`retained[0]` is 1). Only quarters that have begun by the analysis date.
    pub retained: Vec<f64>,
}

/// Quarters after the first that a guest's stays can be told apart in (a 16-year history).
const MAX_QUARTERS: i64 = 64;

/// The cohort table from each guest's stays (guest index, arrival), up to `as_of`.
pub fn cohort_retention(stays: impl Iterator<Item = (u32, NaiveDate)> + Clone, guests: usize, as_of: NaiveDate) -> Vec<Cohort> {
    let mut first = vec![i64::MAX; guests];
    for (g, day) in stays.clone() {
        let q = Quarter::of(day).ordinal();
        first[g as usize] = first[g as usize].min(q);
    }
    // Per guest, a bit per quarter since the first in which they stayed.
    let mut seen = vec![0u64; guests];
    for (g, day) in stays {
        let k = Quarter::of(day).ordinal() - first[g as usize];
        if (0..MAX_QUARTERS).contains(&k) {
            seen[g as usize] |= 1 << k;
        }
    }
    let now = Quarter::of(as_of).ordinal();
    let mut by_cohort: std::collections::BTreeMap<i64, (usize, Vec<usize>)> = std::collections::BTreeMap::new();
    for (f, bits) in first.iter().zip(&seen) {
        if *f == i64::MAX {
            continue;
        }
        let span = (now - f + 1).clamp(1, MAX_QUARTERS) as usize;
        let (n, counts) = by_cohort.entry(*f).or_insert_with(|| (0, vec![0; span]));
        *n += 1;
        for (k, c) in counts.iter_mut().enumerate() {
            *c += usize::from(bits & (1 << k) != 0);
        }
    }
    by_cohort
        .into_iter()
        .map(|(q, (n, counts))| Cohort {
            first_stay: Quarter {
                year: q.div_euclid(4) as i32,
                quarter: (q.rem_euclid(4) + 1) as u8,
            },
            guests: n,
            retained: counts.into_iter().map(|c| c as f64 / n as f64).collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn each_cohort_counts_its_guests_back_in_later_quarters() {
        let stays = [
            (0, d(2025, 1, 10)), // first in 2025 Q1, back in Q2 and Q4
            (0, d(2025, 5, 1)),
            (0, d(2025, 11, 1)),
            (1, d(2025, 2, 1)), // first in 2025 Q1, never back
            (2, d(2025, 8, 1)), // first in 2025 Q3, back the next quarter
            (2, d(2025, 10, 2)),
            (2, d(2025, 10, 9)), // twice in one quarter counts once
        ];
        let c = cohort_retention(stays.iter().copied(), 3, d(2025, 12, 31));
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].first_stay, Quarter { year: 2025, quarter: 1 });
        assert_eq!(c[0].guests, 2);
        assert_eq!(c[0].retained, vec![1.0, 0.5, 0.0, 0.5]);
        assert_eq!(c[1].first_stay.to_string(), "2025 Q3");
        assert_eq!(c[1].retained, vec![1.0, 1.0]);
    }
}
