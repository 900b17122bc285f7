//! Column mappings: how another PMS's CSV export maps onto Rapport's guests and stays,
//! written in TOML so a hotel can add a PMS without code. The schema is documented in
//! `docs/import.md`; the built-in mappings under `mappings/` double as examples.

use std::collections::BTreeMap;
use std::path::Path;

use rapport_domain::contact::Region;
use rapport_domain::money::Currency;
use rapport_domain::stay::StayStatus;
use serde::Deserialize;

use crate::card::is_card_header;
use crate::dates::DateFormat;
use crate::error::MappingError;

/// Built-in mappings by name, shipped as TOML beside the code.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "rapport-stays",
        include_str!("../mappings/rapport-stays.toml"),
    ),
    (
        "rapport-guests",
        include_str!("../mappings/rapport-guests.toml"),
    ),
    (
        "hotel-booking-demand",
        include_str!("../mappings/hotel-booking-demand.toml"),
    ),
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
    Formatted {
        column: String,
        formats: Vec<String>,
    },
}

/// The arrival date: one column (like [`DateColumn`]) or split over three.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged, deny_unknown_fields)]
pub enum ArrivalColumns {
    Column(String),
    Formatted {
        column: String,
        formats: Vec<String>,
    },
    Split {
        year: String,
        month: String,
        day: String,
    },
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NameOrder {
    /// `Ann Lee`: the last word is the family name.
    #[default]
    GivenFamily,
    /// `Zhang Wei`: the first word is the family name.
    FamilyGiven,
}

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
        let (_, text) = BUILTIN.iter().find(|(n, _)| *n == name).ok_or_else(|| {
            MappingError::UnknownBuiltin {
                name: name.to_string(),
                known: BUILTIN
                    .iter()
                    .map(|(n, _)| *n)
                    .collect::<Vec<_>>()
                    .join(", "),
            }
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

    /// Every file column the mapping reads, with the field it feeds.
    pub fn columns(&self) -> Vec<(&'static str, &str)> {
        let g = &self.guest;
        let sp = &self.spend;
        let mut single: Vec<(&'static str, Option<&String>)> = vec![
            ("guest.external_id", g.external_id.as_ref()),
            ("guest.title", g.title.as_ref()),
            ("guest.given_name", g.given_name.as_ref()),
            ("guest.family_name", g.family_name.as_ref()),
            ("guest.full_name", g.full_name.as_ref()),
            ("guest.native_name", g.native_name.as_ref()),
            ("guest.nationality", g.nationality.as_ref()),
            ("guest.language", g.language.as_ref()),
            ("guest.company", g.company.as_ref()),
            ("guest.vip", g.vip.as_ref()),
            ("guest.street", g.street.as_ref()),
            ("guest.city", g.city.as_ref()),
            ("guest.postcode", g.postcode.as_ref()),
            ("guest.region", g.region.as_ref()),
            ("guest.country", g.country.as_ref()),
            (
                "guest.birthday",
                g.birthday.as_ref().map(DateColumn::column_name),
            ),
            (
                "guest.anniversary",
                g.anniversary.as_ref().map(DateColumn::column_name),
            ),
            ("spend.room", sp.room.as_ref()),
            ("spend.food_beverage", sp.food_beverage.as_ref()),
            ("spend.spa", sp.spa.as_ref()),
            ("spend.laundry", sp.laundry.as_ref()),
            ("spend.minibar", sp.minibar.as_ref()),
            ("spend.other", sp.other.as_ref()),
        ];
        let mut multi: Vec<(&'static str, Option<&Columns>)> = vec![
            ("guest.email", g.email.as_ref()),
            ("guest.phone", g.phone.as_ref()),
        ];
        if let Some(st) = &self.stay {
            single.extend([
                ("stay.reservation_id", Some(&st.reservation_id)),
                ("stay.hotel", st.hotel.as_ref()),
                (
                    "stay.departure",
                    st.departure.as_ref().map(DateColumn::column_name),
                ),
                ("stay.status", st.status.as_ref()),
                ("stay.cancelled_flag", st.cancelled_flag.as_ref()),
                ("stay.room_type", st.room_type.as_ref()),
                ("stay.rate", st.rate.as_ref()),
                ("stay.currency", st.currency.as_ref()),
                ("stay.channel", st.channel.as_ref()),
                ("stay.market_segment", st.market_segment.as_ref()),
                ("stay.adults", st.adults.as_ref()),
                ("stay.special_requests", st.special_requests.as_ref()),
                (
                    "stay.booked_at",
                    st.booked_at.as_ref().map(DateColumn::column_name),
                ),
                ("stay.lead_time_days", st.lead_time_days.as_ref()),
            ]);
            match &st.arrival {
                ArrivalColumns::Column(c) | ArrivalColumns::Formatted { column: c, .. } => {
                    single.push(("stay.arrival", Some(c)))
                }
                ArrivalColumns::Split { year, month, day } => single.extend([
                    ("stay.arrival.year", Some(year)),
                    ("stay.arrival.month", Some(month)),
                    ("stay.arrival.day", Some(day)),
                ]),
            }
            multi.extend([
                ("stay.nights", st.nights.as_ref()),
                ("stay.children", st.children.as_ref()),
            ]);
        }
        let mut out: Vec<(&'static str, &str)> = single
            .into_iter()
            .filter_map(|(f, c)| c.map(|c| (f, c.as_str())))
            .collect();
        for (field, cols) in multi {
            out.extend(
                cols.iter()
                    .flat_map(|c| c.names())
                    .map(|c| (field, c.as_str())),
            );
        }
        out
    }

    fn validate(&self) -> Result<(), MappingError> {
        let bad = |m: String| {
            Err(MappingError::Invalid {
                label: self.label.clone(),
                message: m,
            })
        };
        if self.source.name.trim().is_empty() {
            return bad("source.name must name the source system".into());
        }
        if let Err(e) = Region::parse(&self.source.phone_region) {
            return bad(format!("source.phone_region: {e}"));
        }
        if let Some(c) = &self.source.currency {
            if let Err(e) = Currency::parse(c) {
                return bad(format!("source.currency: {e}"));
            }
        }
        if !self.source.delimiter.is_ascii() {
            return bad("source.delimiter must be one ASCII character".into());
        }
        for f in self.all_date_formats() {
            if let Err(e) = DateFormat::new(f) {
                return bad(e);
            }
        }
        for (field, column) in self.columns() {
            if is_card_header(column) {
                return Err(MappingError::CardColumn {
                    label: self.label.clone(),
                    field: field.to_string(),
                    column: column.to_string(),
                });
            }
        }
        if let Some(st) = &self.stay {
            if st.hotel.is_none() && st.hotel_code.is_none() {
                return bad(
                    "stay needs `hotel` (a column) or `hotel_code` (one hotel for every row)"
                        .into(),
                );
            }
            if st.departure.is_none() && st.nights.is_none() {
                return bad("stay needs `departure` or `nights`".into());
            }
            let amounts = st.rate.is_some() || self.spend.columns().next().is_some();
            if amounts && st.currency.is_none() && self.source.currency.is_none() {
                return bad("amounts are mapped: set source.currency or stay.currency".into());
            }
            if self.spend.room_from_rate && (st.rate.is_none() || self.spend.room.is_some()) {
                return bad("spend.room_from_rate needs stay.rate and no spend.room column".into());
            }
        } else if self.spend.columns().next().is_some() || self.spend.room_from_rate {
            return bad("spend columns need a [stay] section: spend belongs to a stay".into());
        }
        for (value, h) in &self.hotels {
            if h.code.trim().is_empty() {
                return bad(format!("hotels.\"{value}\".code is empty"));
            }
        }
        Ok(())
    }

    fn all_date_formats(&self) -> impl Iterator<Item = &str> {
        let g = &self.guest;
        let st = self.stay.as_ref();
        let own = [
            g.birthday.as_ref(),
            g.anniversary.as_ref(),
            st.and_then(|s| s.departure.as_ref()),
            st.and_then(|s| s.booked_at.as_ref()),
        ]
        .into_iter()
        .flatten()
        .flat_map(|d| d.formats().iter());
        let arrival = st.into_iter().flat_map(|s| match &s.arrival {
            ArrivalColumns::Formatted { formats, .. } => formats.iter(),
            _ => [].iter(),
        });
        self.source
            .date_formats
            .iter()
            .chain(own)
            .chain(arrival)
            .map(String::as_str)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_mapping_loads() {
        for (name, _) in BUILTIN {
            let m = Mapping::builtin(name).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(m.label, *name);
        }
        assert!(Mapping::builtin("rapport-guests").unwrap().stay.is_none());
    }

    #[test]
    fn the_example_mapping_in_the_docs_loads() {
        let doc = include_str!("../../../docs/import.md");
        let section = &doc[doc
            .find("### Example: another PMS")
            .expect("the docs have the example")..];
        let start = section.find("```toml\n").expect("a toml block") + "```toml\n".len();
        let toml = &section[start..start + section[start..].find("```").expect("closed block")];
        let m = Mapping::from_toml(toml, "docs example").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(m.source.delimiter, ';');
        assert_eq!(m.guest.email.unwrap().names().len(), 2);
    }

    #[test]
    fn an_unknown_name_lists_the_builtins() {
        let e = Mapping::resolve("opera").unwrap_err().to_string();
        assert!(e.contains("hotel-booking-demand"), "{e}");
    }

    #[test]
    fn a_mapped_card_column_is_refused() {
        let toml = r#"
            [source]
            name = "pms"
            [guest]
            full_name = "name"
            company = "Credit Card"
        "#;
        let e = Mapping::from_toml(toml, "test").unwrap_err();
        assert!(
            matches!(e, MappingError::CardColumn { ref column, .. } if column == "Credit Card"),
            "{e}"
        );
    }

    #[test]
    fn a_stay_needs_a_hotel_and_an_end() {
        let toml = r#"
            [source]
            name = "pms"
            [stay]
            reservation_id = "id"
            arrival = "arr"
            hotel_code = "H1"
        "#;
        let e = Mapping::from_toml(toml, "test").unwrap_err().to_string();
        assert!(e.contains("departure"), "{e}");
    }

    #[test]
    fn misspelt_fields_are_refused() {
        let toml = r#"
            [source]
            name = "pms"
            [guest]
            emial = "email"
        "#;
        let e = Mapping::from_toml(toml, "test").unwrap_err().to_string();
        assert!(e.contains("emial"), "{e}");
    }

    #[test]
    fn amounts_need_a_currency_and_formats_must_parse() {
        let base = r#"
            [source]
            name = "pms"
            date_formats = ["%d/%m/%Y"]
            [stay]
            reservation_id = "id"
            hotel_code = "H1"
            arrival = { year = "y", month = "m", day = "d" }
            nights = ["wk", "we"]
            rate = "adr"
        "#;
        assert!(Mapping::from_toml(base, "t")
            .unwrap_err()
            .to_string()
            .contains("currency"));
        let ok = base.replace("name = \"pms\"", "name = \"pms\"\ncurrency = \"EUR\"");
        let m = Mapping::from_toml(&ok, "t").unwrap();
        assert!(matches!(
            m.stay.unwrap().arrival,
            ArrivalColumns::Split { .. }
        ));
        let broken = ok.replace("%d/%m/%Y", "%Q");
        assert!(Mapping::from_toml(&broken, "t").is_err());
    }
}
