//! Column mappings: how another PMS's CSV export maps onto Rapport's guests and stays,
//! written in TOML so a hotel can add a PMS without code. The schema is documented in
//! `docs/import.md`; the built-in mappings under `mappings/` double as examples.

use std::collections::BTreeMap;
use std::path::Path;

use rapport_domain::stay::StayStatus;
use serde::Deserialize;

use crate::error::MappingError;

/// Built-in mappings by name, shipped as TOML beside the code.
pub const BUILTIN: &[(&str, &str)] = &[
    ("rapport-stays", include_str!("../../mappings/rapport-stays.toml")),
    ("rapport-guests", include_str!("../../mappings/rapport-guests.toml")),
    ("hotel-booking-demand", include_str!("../../mappings/hotel-booking-demand.toml")),
];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// Where the mapping came from (a built-in name or a file path), for the summary.
    #[serde(skip)]
    pub label: String,
    pub source: SourceSettings,
    /// Value of the stay's hotel column → the hotel it names. Without entries, the column
    /// holds hotel codes that must already exist.
    #[serde(default)]
    pub hotels: BTreeMap<String, HotelValue>,
    #[serde(default)]
    pub guest: GuestColumns,
    /// Absent for a profiles-only file.
    #[serde(default)]
    pub stay: Option<StayColumns>,
    #[serde(default)]
    pub spend: SpendColumns,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceSettings {
    /// Source system name: the `source` of guest external ids and the prefix of
    /// reservation references (`source:reservation_id`).
    pub name: String,
    /// ISO 3166-1 alpha-2 region for phone numbers written without `+country`.
    #[serde(default = "default_region")]
    pub phone_region: String,
    /// ISO 4217 currency of amounts when the file has no currency column.
    #[serde(default)]
    pub currency: Option<String>,
    /// chrono formats tried in order for every date column without its own.
    #[serde(default = "default_date_formats")]
    pub date_formats: Vec<String>,
    #[serde(default = "default_delimiter")]
    pub delimiter: char,
}

fn default_region() -> String {
    "US".into()
}
fn default_date_formats() -> Vec<String> {
    vec!["%Y-%m-%d".into()]
}
fn default_delimiter() -> char {
    ','
}

/// A hotel named by a value of the hotel column; created at import start when missing.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HotelValue {
    pub code: String,
    pub name: Option<String>,
    pub country: Option<String>,
    pub timezone: Option<String>,
    pub currency: Option<String>,
}

/// One column, or several whose values are used together (summed, or all kept).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Columns {
    One(String),
    Many(Vec<String>),
}

impl Columns {
    pub fn names(&self) -> &[String] {
        match self {
            Columns::One(c) => std::slice::from_ref(c),
            Columns::Many(cs) => cs,
        }
    }
}

/// A date column, optionally with its own formats.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged, deny_unknown_fields)]
pub enum DateColumn {
    Column(String),
    Formatted { column: String, formats: Vec<String> },
}

/// The arrival date: one column (like [`DateColumn`]) or split over three.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged, deny_unknown_fields)]
pub enum ArrivalColumns {
    Column(String),
    Formatted { column: String, formats: Vec<String> },
    Split { year: String, month: String, day: String },
}

/// The order of a whole name column; the splitting itself is the domain's.
pub use rapport_domain::full_name::NameOrder;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuestColumns {
    pub external_id: Option<String>,
    pub title: Option<String>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    /// A whole name in one column, split by `full_name_order` when given/family are empty.
    pub full_name: Option<String>,
    #[serde(default)]
    pub full_name_order: NameOrder,
    pub native_name: Option<String>,
    pub email: Option<Columns>,
    pub phone: Option<Columns>,
    pub birthday: Option<DateColumn>,
    pub anniversary: Option<DateColumn>,
    pub nationality: Option<String>,
    pub language: Option<String>,
    pub company: Option<String>,
    pub vip: Option<String>,
    pub street: Option<String>,
    pub city: Option<String>,
    pub postcode: Option<String>,
    pub region: Option<String>,
    pub country: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestsKind {
    /// The column holds the requests as text.
    #[default]
    Text,
    /// The column holds how many requests were made (stored as that number, 0 = none).
    Count,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StayColumns {
    /// The reservation number; with the source name it makes re-imports idempotent.
    pub reservation_id: String,
    /// Column naming the hotel (a key of `[hotels]`, or a hotel code).
    pub hotel: Option<String>,
    /// The hotel of every row, for a single-property export without a hotel column.
    pub hotel_code: Option<String>,
    pub arrival: ArrivalColumns,
    pub departure: Option<DateColumn>,
    /// Columns summed into the number of nights (when there is no departure column).
    pub nights: Option<Columns>,
    pub status: Option<String>,
    /// File value → Rapport status; Rapport's own names are always understood.
    #[serde(default)]
    pub status_values: BTreeMap<String, StayStatus>,
    /// Status when the status column is absent or empty.
    #[serde(default = "default_status")]
    pub default_status: StayStatus,
    /// A yes/no column (`1`/`0`, `true`/`false`): yes makes the stay cancelled unless the
    /// status says no-show.
    pub cancelled_flag: Option<String>,
    pub room_type: Option<String>,
    /// Average nightly rate.
    pub rate: Option<String>,
    /// Per-row ISO 4217 currency of the rate and spend; `source.currency` otherwise.
    pub currency: Option<String>,
    pub channel: Option<String>,
    pub market_segment: Option<String>,
    pub adults: Option<String>,
    /// Columns summed into the number of children (e.g. children + babies).
    pub children: Option<Columns>,
    pub special_requests: Option<String>,
    #[serde(default)]
    pub special_requests_kind: RequestsKind,
    pub booked_at: Option<DateColumn>,
    /// Days between booking and arrival, when there is no booking date.
    pub lead_time_days: Option<String>,
}

fn default_status() -> StayStatus {
    StayStatus::CheckedOut
}

/// Folio columns per category, amounts in the row's currency.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpendColumns {
    pub room: Option<String>,
    pub food_beverage: Option<String>,
    pub spa: Option<String>,
    pub laundry: Option<String>,
    pub minibar: Option<String>,
    pub other: Option<String>,
    /// Room revenue is the rate × nights (for exports that carry only a nightly rate).
    /// Booked only for stays the guest actually had (checked out or in house).
    #[serde(default)]
    pub room_from_rate: bool,
}

impl Mapping {
    /// A built-in mapping (`rapport-stays`, `rapport-guests`, `hotel-booking-demand`).
    pub fn builtin(name: &str) -> Result<Mapping, MappingError> {
        let (_, text) = BUILTIN
            .iter()
            .find(|(n, _)| *n == name)
            .ok_or_else(|| MappingError::UnknownBuiltin {
                name: name.to_string(),
                known: BUILTIN.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", "),
            })?;
        Self::from_toml(text, name)
    }

    /// A mapping file in the documented TOML schema.
    pub fn from_path(path: &Path) -> Result<Mapping, MappingError> {
        let text = std::fs::read_to_string(path).map_err(|e| MappingError::Read {
            path: path.to_path_buf(),
            source: e,
        })?;
        Self::from_toml(&text, &path.display().to_string())
    }

    /// What the CLI's `--mapping` names: a built-in by name, else a TOML file path.
    pub fn resolve(name_or_path: &str) -> Result<Mapping, MappingError> {
        if BUILTIN.iter().any(|(n, _)| *n == name_or_path) {
            return Self::builtin(name_or_path);
        }
        let path = Path::new(name_or_path);
        if path.exists() || name_or_path.ends_with(".toml") {
            Self::from_path(path)
        } else {
            Self::builtin(name_or_path)
        }
    }

    pub fn from_toml(text: &str, label: &str) -> Result<Mapping, MappingError> {
        let mut mapping: Mapping = toml::from_str(text).map_err(|e| MappingError::Parse {
            label: label.to_string(),
            message: e.to_string(),
        })?;
        mapping.label = label.to_string();
        mapping.validate()?;
        Ok(mapping)
    }
}

impl DateColumn {
    pub fn column(&self) -> &str {
        self.column_name()
    }

    fn column_name(&self) -> &String {
        match self {
            DateColumn::Column(c) | DateColumn::Formatted { column: c, .. } => c,
        }
    }

    /// The column's own formats; empty means the source's.
    pub fn formats(&self) -> &[String] {
        match self {
            DateColumn::Column(_) => &[],
            DateColumn::Formatted { formats, .. } => formats,
        }
    }
}

impl SpendColumns {
    /// Mapped folio columns with their category.
    pub fn columns(&self) -> impl Iterator<Item = (rapport_domain::stay::SpendCategory, &str)> {
        use rapport_domain::stay::SpendCategory::*;
        [
            (Room, &self.room),
            (FoodBeverage, &self.food_beverage),
            (Spa, &self.spa),
            (Laundry, &self.laundry),
            (Minibar, &self.minibar),
            (Other, &self.other),
        ]
        .into_iter()
        .filter_map(|(cat, c)| c.as_deref().map(|c| (cat, c)))
    }
}

mod check;
#[cfg(test)]
mod tests;
