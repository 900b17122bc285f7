//! One CSV record → one [`IncomingBooking`], or the reason it cannot be stored.
//!
//! A [`RowReader`] is a mapping resolved against the file's header: column names become
//! indices once, so a row costs field look-ups by position and the allocations of the
//! values it stores, nothing more.

mod phones;
mod profile;
mod stay;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use csv::ByteRecord;
use rapport_domain::contact::Region;
use rapport_domain::hotel::HotelId;
use rapport_domain::ingest::IncomingBooking;
use rapport_domain::money::Currency;

use std::borrow::Cow;

use crate::card::is_card_header;
use crate::mapping::Mapping;
use crate::summary::ParseStats;
use rapport_domain::card::{looks_like_card, mask_card_numbers};

pub(crate) use profile::ProfileColumns;
pub(crate) use stay::StayColumns;

/// Why a row was skipped, for the rejects file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reject {
    /// The file's name of the offending column; empty when the row as a whole is wrong.
    pub column: String,
    pub reason: String,
}

/// Hotels as the file names them, resolved to ids before the first row.
#[derive(Debug, Clone, Default)]
pub struct HotelLookup {
    /// File value (a key of the mapping's `[hotels]`) or upper-case hotel code → id.
    pub ids: HashMap<String, HotelId>,
    /// Values are hotel codes, matched case-insensitively.
    pub by_code: bool,
    /// The hotel of every row (`stay.hotel_code`).
    pub fixed: Option<HotelId>,
}

impl HotelLookup {
    pub fn get(&self, value: &str) -> Option<HotelId> {
        if let Some(id) = self.ids.get(value) {
            return Some(*id);
        }
        if self.by_code {
            return self.ids.get(&value.to_ascii_uppercase()).copied();
        }
        None
    }
}

pub struct RowReader {
    headers: Vec<String>,
    source: String,
    region: Region,
    default_currency: Option<Currency>,
    profile: ProfileColumns,
    stay: Option<StayColumns>,
    /// Columns whose values never reach the rejects file verbatim.
    card_columns: Vec<bool>,
    phones: phones::PhoneMemo,
}

impl RowReader {
    /// Resolves the mapping's columns against the header; a mapped column missing from the
    /// file is an error naming it and the field it feeds.
    pub fn new(mapping: &Mapping, headers: Vec<String>, hotels: HotelLookup) -> Result<Self, String> {
        let mut missing = Vec::new();
        for (field, column) in mapping.columns() {
            if !headers.iter().any(|h| h == column) {
                missing.push(format!("'{column}' ({field})"));
            }
        }
        if !missing.is_empty() {
            return Err(format!(
                "the header has no column {}; it has: {}",
                missing.join(", "),
                headers.join(", ")
            ));
        }
        let index = |name: &str| headers.iter().position(|h| h == name).expect("checked above");
        let region = Region::parse(&mapping.source.phone_region).map_err(|e| e.to_string())?;
        let default_currency = mapping.source.currency.as_deref().map(Currency::parse).transpose()?;
        let profile = ProfileColumns::new(mapping, &index)?;
        let stay = match &mapping.stay {
            Some(s) => Some(StayColumns::new(mapping, s, &index, hotels)?),
            None => None,
        };
        let card_columns = headers.iter().map(|h| is_card_header(h)).collect();
        Ok(Self {
            headers,
            source: mapping.source.name.trim().to_string(),
            region,
            default_currency,
            profile,
            stay,
            card_columns,
            phones: phones::PhoneMemo::default(),
        })
    }

    pub fn width(&self) -> usize {
        self.headers.len()
    }

    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    pub fn is_card_column(&self, i: usize) -> bool {
        self.card_columns.get(i).copied().unwrap_or(false)
    }

    /// Converts one record (of the right width) into a booking.
    pub fn read(&self, rec: &ByteRecord, line: u64, stats: &mut ParseStats) -> Result<IncomingBooking, Reject> {
        let row = Row { rec, reader: self, line };
        let mut profile = self.profile.read(&row, line, stats)?;
        let stay = match &self.stay {
            Some(s) => Some(s.read(&row, &mut profile, stats)?),
            None => {
                if rapport_domain::identity::identity_keys(&profile).is_empty() {
                    return Err(Reject {
                        column: self.profile.identity_column(self),
                        reason: "no identity: a profile needs an external id, a valid email, or a valid phone with a name, so a later import finds it again".into(),
                    });
                }
                None
            }
        };
        Ok(IncomingBooking {
            line,
            profile,
            consents: Vec::new(),
            stay,
            notes: Vec::new(),
        })
    }
}

/// A record with its reader: typed access to fields by index.
pub(crate) struct Row<'a> {
    rec: &'a ByteRecord,
    reader: &'a RowReader,
    pub line: u64,
}

impl<'a> Row<'a> {
    pub fn column(&self, i: usize) -> String {
        self.column_name(i).to_string()
    }

    pub fn column_name(&self, i: usize) -> &'a str {
        &self.reader.headers[i]
    }

    /// A phone as entered, normalised (or flagged) through the reader's memo.
    pub fn phone(&self, raw: &str) -> rapport_domain::contact::ContactPoint {
        self.reader.phones.get(raw, self.reader.region)
    }

    pub fn reject(&self, i: usize, reason: impl Into<String>) -> Reject {
        Reject {
            column: self.column(i),
            reason: reason.into(),
        }
    }

    /// The trimmed field, `None` when empty; invalid UTF-8 rejects the row, and so does a NUL
    /// character: PostgreSQL cannot store one in text, and it failed the whole batch there.
    pub fn get(&self, i: usize) -> Result<Option<&'a str>, Reject> {
        let bytes = self.rec.get(i).unwrap_or_default();
        let text = std::str::from_utf8(bytes)
            .map_err(|e| self.reject(i, format!("not valid UTF-8 (byte {} of the field)", e.valid_up_to() + 1)))?;
        if let Some(at) = bytes.iter().position(|&b| b == 0) {
            return Err(self.reject(i, format!("holds a NUL character (byte {} of the field)", at + 1)));
        }
        let t = text.trim();
        Ok((!t.is_empty()).then_some(t))
    }

    pub fn opt(&self, i: Option<usize>) -> Result<Option<&'a str>, Reject> {
        match i {
            Some(i) => self.get(i),
            None => Ok(None),
        }
    }

    /// A value that will be stored as text, without card numbers (see [`ParseStats::keep_without_cards`]).
    pub fn text(&self, i: Option<usize>, stats: &mut ParseStats) -> Result<Option<String>, Reject> {
        Ok(self.opt(i)?.and_then(|v| stats.keep_without_cards(v).map(Cow::into_owned)))
    }

    /// A non-negative whole number; empty is `None`.
    pub fn count(&self, i: usize) -> Result<Option<i64>, Reject> {
        match self.get(i)? {
            None => Ok(None),
            Some(v) => match v.parse::<i64>() {
                Ok(n) if n >= 0 => Ok(Some(n)),
                Ok(_) => Err(self.reject(i, format!("negative number {v}"))),
                // Exports sometimes write counts as `2.0`.
                Err(_) => match v.strip_suffix(".0").and_then(|w| w.parse::<i64>().ok()) {
                    Some(n) if n >= 0 => Ok(Some(n)),
                    _ => Err(self.reject(i, format!("'{v}' is not a whole number"))),
                },
            },
        }
    }

    /// The sum of several count columns; `None` when all are empty.
    pub fn sum(&self, cols: &[usize]) -> Result<Option<i64>, Reject> {
        let mut total: Option<i64> = None;
        for &c in cols {
            if let Some(n) = self.count(c)? {
                total = Some(total.unwrap_or(0) + n);
            }
        }
        Ok(total)
    }

    pub fn source(&self) -> &'a str {
        &self.reader.source
    }

    pub fn default_currency(&self) -> Option<Currency> {
        self.reader.default_currency
    }
}

impl ParseStats {
    /// The value to store: `None` when the whole value looks like card data, else the value
    /// with any card number inside it masked to its last four digits (`pay by [card ending
    /// 1111]`), so the rest of a guest's request is kept. Each card is counted.
    pub fn keep_without_cards<'v>(&mut self, value: &'v str) -> Option<Cow<'v, str>> {
        if looks_like_card(value) {
            self.card_values_dropped += 1;
            return None;
        }
        let (kept, cards) = mask_card_numbers(value);
        self.card_values_dropped += cards as u64;
        Some(kept)
    }
}
