//! Import throughput on both backends, and that a large import stays correct: returning
//! guests join their profile across batches and every booking becomes one stay.
//!
//! The default size keeps `cargo test` quick; for a figure run, in release:
//! `RAPPORT_IMPORT_RATE_ROWS=200000 cargo test --release -p rapport-store --test import_rate -- --nocapture`

use std::time::Instant;

use chrono::{Days, NaiveDate, TimeZone, Utc};
use rapport_domain::contact::{ContactPoint, Region};
use rapport_domain::guest::{ConsentChannel, ConsentRecord, GuestProfile};
use rapport_domain::hotel::{Hotel, NewHotel};
use rapport_domain::ingest::{IncomingBooking, IncomingNote};
use rapport_domain::money::{Currency, Money};
use rapport_domain::names::GuestName;
use rapport_domain::stay::{NewSpendLine, NewStay, SpendCategory, StayStatus};
use rapport_store::backend_tests;

const BATCH: usize = 5_000;
const GIVEN: &[&str] = &["Wei", "Michael", "Anna", "Li", "Sofia", "James", "Mei", "Lukas", "Chloé", "Hiroshi"];
const FAMILY: &[&str] = &[
    "Zhang", "Smith", "Müller", "Wang", "García", "Brown", "Chen", "Rossi", "Martin", "Tanaka",
];

/// Who made booking `i`: every fourth booking is a returning guest (person `i / 4`).
fn person_of(i: usize) -> usize {
    if i % 4 == 3 {
        i / 4
    } else {
        i
    }
}

fn booking(i: usize, hotels: &[Hotel]) -> IncomingBooking {
    let person = person_of(i);
    let hotel = &hotels[i % hotels.len()];
    let arrival = NaiveDate::from_ymd_opt(2022, 1, 1).unwrap() + Days::new((i % 1000) as u64);
    let money = |minor| Money {
        minor,
        currency: hotel.currency,
    };
    IncomingBooking {
        line: i as u64 + 2,
        profile: GuestProfile {
            name: GuestName {
                given: GIVEN[person % 10].into(),
                family: FAMILY[(person / 10) % 10].into(),
                ..Default::default()
            },
            emails: vec![ContactPoint::email_lenient(&format!("guest{person}@example.com"))],
            phones: vec![ContactPoint::phone_lenient(&format!("+86 138 {:08}", person), Region::default())],
            ..Default::default()
        },
        consents: vec![ConsentRecord {
            channel: ConsentChannel::Email,
            granted: !person.is_multiple_of(3),
            recorded_at: Utc.timestamp_opt(1_650_000_000, 0).unwrap(),
            source: "import".into(),
            recorded_by: "import".into(),
        }],
        stay: Some(NewStay {
            hotel_id: hotel.id,
            external_ref: Some(format!("R{i}")),
            arrival,
            departure: arrival + Days::new(1 + (i % 5) as u64),
            room_type: Some("Deluxe".into()),
            rate: Some(money(80_000)),
            channel: Some("OTA".into()),
            market_segment: Some("Leisure".into()),
            adults: 2,
            children: 0,
            special_requests: None,
            status: if i.is_multiple_of(10) {
                StayStatus::Cancelled
            } else {
                StayStatus::CheckedOut
            },
            booked_at: Some(arrival - Days::new(20)),
            spend: vec![
                NewSpendLine {
                    category: SpendCategory::Room,
                    amount: money(160_000),
                    posted_on: arrival,
                    description: None,
                },
                NewSpendLine {
                    category: SpendCategory::FoodBeverage,
                    amount: money(12_000),
                    posted_on: arrival,
                    description: None,
                },
            ],
        }),
        notes: if i.is_multiple_of(20) {
            vec![IncomingNote {
                body: "asked for a quiet room".into(),
                author: "import".into(),
                created_at: Utc::now(),
            }]
        } else {
            vec![]
        },
    }
}

backend_tests! {
    fn large_imports_keep_returning_guests_on_one_profile(db) {
        let rows: usize = std::env::var("RAPPORT_IMPORT_RATE_ROWS").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
        let mut hotels = Vec::new();
        for (code, currency) in [("SHA", "CNY"), ("BJS", "CNY"), ("LON", "GBP")] {
            let h = NewHotel { code: code.into(), name: code.into(), country: "CN".into(), timezone: "Asia/Shanghai".into(), currency: Currency::parse(currency).unwrap() };
            hotels.push(db.store.create_hotel(h).await.unwrap());
        }
        let all: Vec<IncomingBooking> = (0..rows).map(|i| booking(i, &hotels)).collect();
        let batches: Vec<Vec<IncomingBooking>> = all.chunks(BATCH).map(<[_]>::to_vec).collect();

        let started = Instant::now();
        let mut created = 0;
        for batch in batches {
            created += db.store.import_batch(batch).await.unwrap().new_guest_ids.len();
        }
        let elapsed = started.elapsed();
        eprintln!(
            "{}: imported {rows} booking rows in {:.2} s = {:.0} rows/s (batches of {BATCH})",
            db.store.backend(),
            elapsed.as_secs_f64(),
            rows as f64 / elapsed.as_secs_f64()
        );

        let people = (0..rows).map(person_of).collect::<std::collections::HashSet<_>>().len();
        let counts = db.store.counts().await.unwrap();
        assert_eq!(created, people);
        assert_eq!((counts.guests, counts.stays, counts.spend_lines), (people as i64, rows as i64, 2 * rows as i64));
        let again = db.store.import_batch(all[..BATCH.min(rows)].to_vec()).await.unwrap();
        assert!(again.rows.iter().all(|r| r.unchanged));
        assert_eq!(db.store.counts().await.unwrap(), counts);
    }
}
