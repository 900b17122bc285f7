//! Reservations and stays at one hotel of the group, and what the guest spent.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::card::{contains_card_number, refuse_card_number, CARD_REFUSAL};
use crate::guest::GuestId;
use crate::hotel::HotelId;
use crate::money::Money;

pub type StayId = i64;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StayStatus {
    Booked,
    InHouse,
    CheckedOut,
    Cancelled,
    NoShow,
}

impl StayStatus {
    pub const ALL: [StayStatus; 5] = [Self::Booked, Self::InHouse, Self::CheckedOut, Self::Cancelled, Self::NoShow];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Booked => "booked",
            Self::InHouse => "in_house",
            Self::CheckedOut => "checked_out",
            Self::Cancelled => "cancelled",
            Self::NoShow => "no_show",
        }
    }

    pub fn parse(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| format!("unknown stay status '{s}'"))
    }

    /// Whether the guest actually came: only such stays count as visits and revenue.
    pub fn is_realised(self) -> bool {
        matches!(self, Self::InHouse | Self::CheckedOut)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SpendCategory {
    Room,
    FoodBeverage,
    Spa,
    Laundry,
    Minibar,
    Other,
}

impl SpendCategory {
    pub const ALL: [SpendCategory; 6] = [Self::Room, Self::FoodBeverage, Self::Spa, Self::Laundry, Self::Minibar, Self::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Room => "room",
            Self::FoodBeverage => "food_beverage",
            Self::Spa => "spa",
            Self::Laundry => "laundry",
            Self::Minibar => "minibar",
            Self::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim().to_ascii_lowercase();
        let alias = match s.as_str() {
            "f&b" | "fb" | "food" | "food_and_beverage" | "restaurant" => "food_beverage",
            other => other,
        };
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == alias)
            .ok_or_else(|| format!("unknown spend category '{s}'"))
    }
}

/// A reservation or stay of one guest at one hotel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Stay {
    pub id: StayId,
    pub guest_id: GuestId,
    pub hotel_id: HotelId,
    /// Reservation reference in the source system (`source:ref`), what makes imports idempotent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_ref: Option<String>,
    pub arrival: NaiveDate,
    pub departure: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room_type: Option<String>,
    /// Average nightly rate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub market_segment: Option<String>,
    pub adults: i32,
    pub children: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub special_requests: Option<String>,
    pub status: StayStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booked_at: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
}

impl Stay {
    pub fn nights(&self) -> i64 {
        (self.departure - self.arrival).num_days()
    }
}

/// A stay as it arrives from an import or the API, before it has an id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NewStay {
    pub hotel_id: HotelId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_ref: Option<String>,
    pub arrival: NaiveDate,
    pub departure: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub market_segment: Option<String>,
    pub adults: i32,
    pub children: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub special_requests: Option<String>,
    pub status: StayStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booked_at: Option<NaiveDate>,
    #[serde(default)]
    pub spend: Vec<NewSpendLine>,
}

impl NewStay {
    /// Checks what storage cannot: a stay ends on or after its arrival, with people in it.
    pub fn validate(&self) -> Result<(), crate::ValidationErrors> {
        let mut errors = crate::ValidationErrors::default();
        if self.departure < self.arrival {
            errors.push("departure", "departure is before arrival");
        }
        // Each count named on its own, so a caller fixes both at once.
        if self.adults < 0 {
            errors.push("adults", "cannot be negative");
        }
        if self.children < 0 {
            errors.push("children", "cannot be negative");
        }
        for (i, s) in self.spend.iter().enumerate() {
            if s.posted_on < self.arrival - chrono::Days::new(365) {
                errors.push(format!("spend[{i}].posted_on"), "posted more than a year before arrival");
            }
            if let Some(d) = &s.description {
                refuse_card_number(&mut errors, format!("spend[{i}].description"), d);
            }
        }
        // No payment-card data is stored (SPEC 12), in notes to the stay or its reference.
        for (field, text) in [
            ("external_ref", &self.external_ref),
            ("room_type", &self.room_type),
            ("channel", &self.channel),
            ("market_segment", &self.market_segment),
            ("special_requests", &self.special_requests),
        ] {
            if let Some(text) = text {
                refuse_card_number(&mut errors, field, text);
            }
        }
        errors.into_result(())
    }
}

/// The longest stay a hotel records as one: a year. Longer is a typo in a date.
pub const MAX_NIGHTS: i64 = 365;

/// Whether a stay's dates are ones a hotel could have: both within 1900–2100 and no
/// longer than [`MAX_NIGHTS`]. `0015-07-01` (a year typed short) and a two-year stay pass
/// every other check but ruin visit counts and value figures. The API refuses such a stay;
/// an import can call this for each row.
pub fn check_stay_dates(arrival: NaiveDate, departure: NaiveDate) -> Result<(), crate::ValidationErrors> {
    let mut errors = crate::ValidationErrors::default();
    let plausible = |d: NaiveDate| (1900..=2100).contains(&chrono::Datelike::year(&d));
    for (field, date) in [("arrival", arrival), ("departure", departure)] {
        if !plausible(date) {
            errors.push(field, format!("{date} is not a plausible date (1900 to 2100)"));
        }
    }
    let nights = (departure - arrival).num_days();
    if errors.is_empty() && nights > MAX_NIGHTS {
        errors.push("departure", format!("a stay of {nights} nights is longer than {MAX_NIGHTS}"));
    }
    errors.into_result(())
}

/// A folio line: what was spent, in which category, on which day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NewSpendLine {
    pub category: SpendCategory,
    pub amount: Money,
    pub posted_on: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SpendLine {
    pub id: i64,
    pub stay_id: StayId,
    pub guest_id: GuestId,
    pub hotel_id: HotelId,
    pub category: SpendCategory,
    pub amount: Money,
    pub posted_on: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A staff note on a guest, optionally about one stay.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Note {
    pub id: i64,
    pub guest_id: GuestId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stay_id: Option<StayId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hotel_id: Option<HotelId>,
    pub body: String,
    pub author: String,
    pub created_at: DateTime<Utc>,
}

/// A note's text as staff typed it, trimmed; 1 to 4,000 characters, no NUL and no card number (the
/// console's form reaches here without the API's check of every body).
pub fn note_body(raw: &str) -> Result<&str, crate::FieldError> {
    let body = raw.trim();
    if body.is_empty() || body.chars().count() > 4000 {
        Err(crate::FieldError::new("body", "a note has 1 to 4000 characters"))
    } else if body.contains('\0') {
        Err(crate::FieldError::new("body", crate::limits::NUL_REFUSAL))
    } else if contains_card_number(body) {
        Err(crate::FieldError::new("body", CARD_REFUSAL))
    } else {
        Ok(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn implausible_stay_dates_are_named() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert!(check_stay_dates(d("2026-03-01"), d("2026-03-04")).is_ok());
        assert!(check_stay_dates(d("2026-03-01"), d("2027-03-01")).is_ok(), "365 nights");
        let fields = |a, b| {
            check_stay_dates(d(a), d(b))
                .unwrap_err()
                .0
                .into_iter()
                .map(|e| e.field)
                .collect::<Vec<_>>()
        };
        assert_eq!(fields("0015-07-01", "0015-07-05"), vec!["arrival", "departure"]);
        assert_eq!(fields("2026-03-01", "2101-01-01"), vec!["departure"]);
        assert_eq!(fields("2026-01-01", "2028-01-01"), vec!["departure"]);
    }

    #[test]
    fn a_note_is_trimmed_text_without_nul() {
        assert_eq!(note_body("  tea  ").unwrap(), "tea");
        assert!(note_body(" ").is_err());
        assert_eq!(note_body("x\0y").unwrap_err().message, "must not contain a NUL character");
    }
}
