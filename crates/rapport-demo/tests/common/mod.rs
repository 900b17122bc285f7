//! Shared helpers: the demo hotels with ids, a generated data set, and its statistics.

#![allow(dead_code)]

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rapport_demo::{bookings, demo_hotels, DemoConfig};
use rapport_domain::hotel::Hotel;
use rapport_domain::ingest::IncomingBooking;

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 6, 15).unwrap()
}

pub fn config(guests: u64, seed: u64) -> DemoConfig {
    DemoConfig {
        guests,
        seed,
        end: today(),
        ..DemoConfig::default()
    }
}

/// The demo hotels as a store would return them.
pub fn hotels() -> Vec<Hotel> {
    demo_hotels()
        .into_iter()
        .enumerate()
        .map(|(i, h)| Hotel {
            id: i as i64 + 1,
            code: h.code,
            name: h.name,
            country: h.country,
            timezone: h.timezone,
            currency: h.currency,
        })
        .collect()
}

pub fn generate(guests: u64, seed: u64) -> Vec<IncomingBooking> {
    bookings(&config(guests, seed), &hotels()).collect()
}

/// Rough conversion to euros so revenue can be compared across the group's currencies.
pub fn to_eur(minor: i64, currency: &str) -> f64 {
    let rate = match currency {
        "CNY" => 0.13,
        "GBP" => 1.17,
        "SGD" => 0.69,
        _ => 1.0,
    };
    minor as f64 / 100.0 * rate
}

/// Realised revenue per guest (by external id), in euros.
pub fn revenue_by_guest(rows: &[IncomingBooking]) -> BTreeMap<String, f64> {
    let mut revenue: BTreeMap<String, f64> = BTreeMap::new();
    for b in rows {
        let entry = revenue.entry(b.profile.external_ids[0].id.clone()).or_default();
        if let Some(stay) = &b.stay {
            *entry += stay
                .spend
                .iter()
                .map(|l| to_eur(l.amount.minor, l.amount.currency.code()))
                .sum::<f64>();
        }
    }
    revenue
}

/// Share of revenue brought by the top `fraction` of guests.
pub fn top_share(revenue: &BTreeMap<String, f64>, fraction: f64) -> f64 {
    let mut values: Vec<f64> = revenue.values().copied().collect();
    values.sort_by(|a, b| b.partial_cmp(a).unwrap());
    let total: f64 = values.iter().sum();
    let top = (values.len() as f64 * fraction).round() as usize;
    values[..top].iter().sum::<f64>() / total
}
