//! Figures for the dashboard and the arrivals brief, as storage aggregates them.

use chrono::{DateTime, Utc};
use rapport_domain::hotel::HotelId;
use rapport_domain::stay::StayId;

/// Visits at one hotel (or the whole group): only stays that happened count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Visits {
    /// Distinct guests with at least one stay.
    pub guests: i64,
    pub stays: i64,
    /// Guests with two stays or more.
    pub returning_guests: i64,
}

impl Visits {
    /// Share of guests who came back, 0.0 when nobody came.
    pub fn returning_rate(&self) -> f64 {
        if self.guests == 0 {
            0.0
        } else {
            self.returning_guests as f64 / self.guests as f64
        }
    }
}

/// Posted spend of one hotel in one month and currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthRevenue {
    pub hotel_id: HotelId,
    /// `YYYY-MM`.
    pub month: String,
    pub currency: String,
    pub minor: i64,
}

/// Everything the dashboard shows, computed in one pass over stays and spend.
#[derive(Debug, Clone, Default)]
pub struct GroupFigures {
    pub hotels: Vec<(HotelId, Visits)>,
    pub group: Visits,
    pub revenue: Vec<MonthRevenue>,
}

/// One thing prepared for an arrival, ticked by a member of staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TouchMark {
    pub stay_id: StayId,
    pub touch: String,
    pub done_by: String,
    pub done_at: DateTime<Utc>,
}
