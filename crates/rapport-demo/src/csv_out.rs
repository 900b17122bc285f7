//! The generated stays as a `rapport-stays` CSV file (Rapport's own import format), for
//! the import benchmark and for anyone who wants to try the importer on realistic data.
//!
//! Rows are written field by field from reused buffers: a million rows take a few
//! seconds, so the benchmark measures the importer, not this.

use std::fmt::Write as _;
use std::io::Write;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use rapport_domain::guest::GuestProfile;

use crate::config::DemoConfig;
use crate::error::DemoError;
use crate::hotels::Site;
use crate::stays::DemoStay;
use crate::stream::GuestStream;

/// Writes the data set `config` describes, hotels named by `hotel_codes` (each code is
/// given the demo profile with that code, else the one at its position). Returns the
/// number of rows written, which is `config.total_stays()`.
pub fn write_stays_csv<S: AsRef<str>>(config: &DemoConfig, hotel_codes: &[S], writer: impl Write) -> Result<u64, DemoError> {
    let sites: Arc<[Site]> = Site::from_codes(hotel_codes).into();
    let mut out = csv::WriterBuilder::new().buffer_capacity(1 << 16).from_writer(writer);
    out.write_record(rapport_import::format::STAY_COLUMNS)?;
    let mut buf = String::with_capacity(64);
    let mut rows = 0;
    for generated in GuestStream::new(config, sites.clone()) {
        for stay in &generated.stays {
            write_row(&mut out, &mut buf, &sites[stay.site], stay, &generated.guest.profile)?;
            rows += 1;
        }
    }
    out.flush()?;
    Ok(rows)
}

/// One field per entry of `STAY_COLUMNS`, in that order (checked by a test).
fn write_row<W: Write>(
    out: &mut csv::Writer<W>,
    buf: &mut String,
    site: &Site,
    stay: &DemoStay,
    guest: &GuestProfile,
) -> Result<(), DemoError> {
    let exponent = site.currency.exponent();
    macro_rules! field {
        ($value:expr) => {
            out.write_field($value)?
        };
    }
    macro_rules! formatted {
        ($($arg:tt)*) => {{
            buf.clear();
            write!(buf, $($arg)*).expect("writing to a String");
            out.write_field(buf.as_bytes())?
        }};
    }
    formatted!("DEMO-{}", stay.number); // reservation_id
    field!(&site.code); // hotel
    formatted!("{}", Ymd(stay.arrival));
    formatted!("{}", Ymd(stay.departure));
    field!(stay.status.as_str());
    field!(stay.room_type);
    formatted!("{}", Amount(stay.rate, exponent));
    field!(site.currency.code());
    field!(stay.channel.as_str());
    field!(stay.segment.as_str());
    formatted!("{}", stay.adults);
    formatted!("{}", stay.children);
    field!(stay.special_requests.as_deref().unwrap_or(""));
    formatted!("{}", Ymd(stay.booked_at));
    field!(guest.external_ids.first().map_or("", |x| x.id.as_str())); // guest_id
    field!(guest.name.title.as_deref().unwrap_or(""));
    field!(&guest.name.given);
    field!(&guest.name.family);
    field!(guest.name.native.as_deref().unwrap_or(""));
    field!(guest.emails.first().map_or("", |e| e.value.as_str()));
    field!(guest.phones.first().map_or("", |p| p.value.as_str()));
    match guest.birthday {
        Some(d) => formatted!("{}", Ymd(d)),
        None => field!(""),
    }
    match guest.anniversary {
        Some(d) => formatted!("{}", Ymd(d)),
        None => field!(""),
    }
    field!(opt(&guest.nationality));
    field!(opt(&guest.language));
    field!(opt(&guest.company));
    field!(opt(&guest.vip_code));
    for amount in stay.spend {
        if amount == 0 {
            field!("0");
        } else {
            formatted!("{}", Amount(amount, exponent));
        }
    }
    out.write_record(None::<&[u8]>)?;
    Ok(())
}

fn opt(value: &Option<String>) -> &str {
    value.as_deref().unwrap_or("")
}

/// `YYYY-MM-DD` without chrono's format-string machinery.
struct Ymd(NaiveDate);

impl std::fmt::Display for Ymd {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.0.year(), self.0.month(), self.0.day())
    }
}

/// Minor units as a decimal in the currency's precision: `12345`, 2 → `123.45`.
struct Amount(i64, u32);

impl std::fmt::Display for Amount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Amount(minor, exponent) = *self;
        if exponent == 0 {
            return write!(f, "{minor}");
        }
        let scale = 10i64.pow(exponent);
        let sign = if minor < 0 { "-" } else { "" };
        let abs = minor.unsigned_abs();
        write!(
            f,
            "{sign}{}.{:0width$}",
            abs / scale as u64,
            abs % scale as u64,
            width = exponent as usize
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_decimals_in_the_currency_precision() {
        assert_eq!(Amount(12345, 2).to_string(), "123.45");
        assert_eq!(Amount(5, 2).to_string(), "0.05");
        assert_eq!(Amount(-250, 2).to_string(), "-2.50");
        assert_eq!(Amount(1200, 0).to_string(), "1200");
        assert_eq!(Ymd(NaiveDate::from_ymd_opt(2024, 2, 9).unwrap()).to_string(), "2024-02-09");
    }
}
