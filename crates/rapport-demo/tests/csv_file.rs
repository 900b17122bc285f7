//! The `rapport-stays` CSV: the documented header, one row per stay, values the importer
//! reads.

mod common;

use rapport_demo::{demo_hotels, write_stays_csv, DemoConfig};
use rapport_domain::money::Currency;
use rapport_domain::stay::StayStatus;
use rapport_import::format::STAY_COLUMNS;

#[test]
fn the_csv_has_the_documented_header_and_one_row_per_stay() {
    let codes: Vec<String> = demo_hotels().into_iter().map(|h| h.code).collect();
    let config = DemoConfig {
        stays: Some(2_345),
        ..common::config(700, 21)
    };
    let mut out = Vec::new();
    let written = write_stays_csv(&config, &codes, &mut out).unwrap();
    assert_eq!(written, 2_345);

    let mut reader = csv::Reader::from_reader(out.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(header, STAY_COLUMNS);
    let col = |name: &str| STAY_COLUMNS.iter().position(|c| *c == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2_345);
    let guests: std::collections::BTreeSet<_> = rows.iter().map(|r| r[col("guest_id")].to_string()).collect();
    assert_eq!(guests.len(), 700);
    for r in &rows {
        assert!(codes.iter().any(|c| c == &r[col("hotel")]));
        StayStatus::parse(&r[col("status")]).unwrap();
        let currency = Currency::parse(&r[col("currency")]).unwrap();
        for c in [
            "rate",
            "spend_room",
            "spend_food_beverage",
            "spend_spa",
            "spend_laundry",
            "spend_minibar",
            "spend_other",
        ] {
            currency.parse_amount(&r[col(c)]).unwrap_or_else(|e| panic!("{c}: {e}"));
        }
        for c in ["arrival", "departure", "booked_at"] {
            chrono::NaiveDate::parse_from_str(&r[col(c)], "%Y-%m-%d").unwrap();
        }
        assert!(r[col("reservation_id")].starts_with("DEMO-"));
    }
}

#[test]
fn the_csv_holds_the_same_stays_as_the_bookings() {
    let codes: Vec<String> = demo_hotels().into_iter().map(|h| h.code).collect();
    let config = common::config(300, 9);
    let mut out = Vec::new();
    write_stays_csv(&config, &codes, &mut out).unwrap();
    let mut reader = csv::Reader::from_reader(out.as_slice());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let bookings = common::generate(300, 9);
    assert_eq!(rows.len(), bookings.len());
    for (r, b) in rows.iter().zip(&bookings) {
        let s = b.stay.as_ref().unwrap();
        assert_eq!(&r[0], s.external_ref.as_deref().unwrap());
        assert_eq!(&r[14], b.profile.external_ids[0].id);
        assert_eq!(&r[2], s.arrival.to_string());
        assert_eq!(&r[4], s.status.as_str());
    }
}
