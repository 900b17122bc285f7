//! What to generate.

use chrono::{Months, NaiveDate};

/// Average stays per guest when the stay count is not given.
pub const DEFAULT_STAYS_PER_GUEST: f64 = 2.6;

/// Size, seed and time span of a generated data set. The same config always gives the
/// same data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoConfig {
    pub guests: u64,
    /// Total stays (at least one per guest); default ≈ 2.6 × guests.
    pub stays: Option<u64>,
    pub seed: u64,
    /// The demo's "today": the last day of history. Stays arriving later are the
    /// reservations already on the books for the next 120 days.
    pub end: NaiveDate,
    /// Years of history before `end`.
    pub years: u32,
}

impl Default for DemoConfig {
    fn default() -> Self {
        DemoConfig {
            guests: 20_000,
            stays: None,
            seed: 42,
            end: chrono::Utc::now().date_naive(),
            years: 3,
        }
    }
}

impl DemoConfig {
    /// The number of stays the data set holds: exactly this many are generated.
    pub fn total_stays(&self) -> u64 {
        self.stays
            .unwrap_or((self.guests as f64 * DEFAULT_STAYS_PER_GUEST).round() as u64)
            .max(self.guests)
    }

    /// First day of the history.
    pub fn start(&self) -> NaiveDate {
        self.end.checked_sub_months(Months::new(12 * self.years.max(1))).unwrap_or(self.end)
    }
}
