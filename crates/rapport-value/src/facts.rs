//! What the value analysis reads about each stay: who, where, when, how long, how it was
//! booked and what was spent, by category. Strings that repeat on millions of stays (channel,
//! market segment, room type) are interned once, so ten million stays fit in memory.

use chrono::NaiveDate;

/// Spend categories, in this order in [`StayFact::spend`]: room, food & beverage, spa,
/// laundry, minibar, other (the order of `rapport_domain::stay::SpendCategory::ALL`).
pub const SPEND_CATEGORIES: usize = 6;

/// A stay that happened (in house or checked out), with everything posted to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StayFact {
    pub guest: i64,
    pub hotel: i64,
    pub arrival: NaiveDate,
    pub nights: u16,
    /// Days from booking to arrival, where the booking date is known.
    pub lead_days: Option<u16>,
    /// Indices into [`StayFacts::labels`]; 0 is "not recorded".
    pub channel: u32,
    pub market: u32,
    pub room_type: u32,
    pub special_requests: bool,
    /// In the hotel's currency, minor units, per category (see [`SPEND_CATEGORIES`]).
    pub spend: [i64; SPEND_CATEGORIES],
}

impl StayFact {
    /// A stay with nothing but its revenue, all of it room revenue (for tests and logs).
    pub fn simple(guest: i64, hotel: i64, arrival: NaiveDate, revenue: i64) -> Self {
        let mut spend = [0; SPEND_CATEGORIES];
        spend[0] = revenue;
        Self {
            guest,
            hotel,
            arrival,
            nights: 1,
            lead_days: None,
            channel: 0,
            market: 0,
            room_type: 0,
            special_requests: false,
            spend,
        }
    }

    pub fn revenue(&self) -> i64 {
        self.spend.iter().sum()
    }
}

/// The stays and the strings their interned fields point to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StayFacts {
    pub stays: Vec<StayFact>,
    /// `labels[0]` is the empty string (not recorded).
    pub labels: Vec<String>,
}

impl Default for StayFacts {
    fn default() -> Self {
        Self {
            stays: Vec::new(),
            labels: vec![String::new()],
        }
    }
}

impl StayFacts {
    pub fn from_stays(stays: Vec<StayFact>) -> Self {
        Self { stays, ..Self::default() }
    }
}

/// Interns labels while stays are read.
#[derive(Debug, Default)]
pub struct Interner {
    index: std::collections::HashMap<String, u32>,
    labels: Vec<String>,
}

impl Interner {
    pub fn new() -> Self {
        Self {
            index: std::collections::HashMap::new(),
            labels: vec![String::new()],
        }
    }

    /// The label's index; 0 for none or blank.
    pub fn intern(&mut self, label: Option<&str>) -> u32 {
        let Some(label) = label.map(str::trim).filter(|l| !l.is_empty()) else {
            return 0;
        };
        if let Some(&i) = self.index.get(label) {
            return i;
        }
        let i = self.labels.len() as u32;
        self.labels.push(label.to_string());
        self.index.insert(label.to_string(), i);
        i
    }

    /// Every label so far, by index (`labels()[0]` is the empty string).
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    pub fn finish(self, stays: Vec<StayFact>) -> StayFacts {
        StayFacts {
            stays,
            labels: self.labels,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_interned_once_and_blank_is_not_recorded() {
        let mut i = Interner::new();
        assert_eq!(i.intern(Some("OTA")), 1);
        assert_eq!(i.intern(Some("Direct")), 2);
        assert_eq!(i.intern(Some(" OTA ")), 1);
        assert_eq!(i.intern(Some("  ")), 0);
        assert_eq!(i.intern(None), 0);
        assert_eq!(i.finish(vec![]).labels, vec!["", "OTA", "Direct"]);
    }
}
