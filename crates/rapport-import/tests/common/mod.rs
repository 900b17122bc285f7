//! Helpers shared by the import tests: the real sample file, reading everything back
//! through the `Store` trait (so both backends are checked the same way), small CSVs.

#![allow(dead_code)] // each test binary uses its own subset

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;
use rapport_domain::access::Scope;
use rapport_domain::guest::Guest;
use rapport_domain::stay::{SpendLine, Stay};
use rapport_import::{import_file, ImportOptions, ImportSummary, Mapping};
use rapport_store::Store;

pub fn sample_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/hotel_booking_10k.csv")
}

pub async fn import(store: &Arc<dyn Store>, path: &Path, mapping: &str) -> ImportSummary {
    import_with(store, path, mapping, ImportOptions::default()).await
}

pub async fn import_with(store: &Arc<dyn Store>, path: &Path, mapping: &str, options: ImportOptions) -> ImportSummary {
    let mapping = Mapping::resolve(mapping).expect("mapping loads");
    import_file(store.clone(), path, &mapping, options).await.expect("import runs")
}

pub async fn all_guests(store: &dyn Store) -> Vec<Guest> {
    let mut out = Vec::new();
    loop {
        let page = store.list_guests(out.len() as i64, 1000).await.unwrap();
        let done = page.items.len() < 1000;
        out.extend(page.items);
        if done {
            return out;
        }
    }
}

pub async fn all_stays(store: &dyn Store) -> Vec<Stay> {
    let from = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap();
    let to = NaiveDate::from_ymd_opt(2200, 1, 1).unwrap();
    let mut out = Vec::new();
    for hotel in store.hotels().await.unwrap() {
        let mut offset = 0;
        loop {
            let page = store.hotel_stays(hotel.id, from, to, offset, 5000).await.unwrap();
            offset += page.items.len() as i64;
            let done = page.items.len() < 5000;
            out.extend(page.items);
            if done {
                break;
            }
        }
    }
    out
}

pub async fn all_spend(store: &dyn Store, guests: &[Guest]) -> Vec<SpendLine> {
    let mut out = Vec::new();
    for g in guests {
        out.extend(store.guest_spend(g.id, &Scope::Group).await.unwrap());
    }
    out
}

/// Every piece of text the store gives back, as JSON: what a card-number scan searches.
pub async fn everything_as_text(store: &dyn Store) -> String {
    let guests = all_guests(store).await;
    let stays = all_stays(store).await;
    let spend = all_spend(store, &guests).await;
    let hotels = store.hotels().await.unwrap();
    let mut notes = Vec::new();
    for g in &guests {
        notes.extend(store.guest_notes(g.id, &Scope::Group).await.unwrap());
    }
    serde_json::json!({ "hotels": hotels, "guests": guests, "stays": stays, "spend": spend, "notes": notes }).to_string()
}

/// The bytes of an SQLite database and its WAL, when the test runs on SQLite.
pub fn sqlite_bytes(url: &str) -> Option<Vec<u8>> {
    let path = url.strip_prefix("sqlite://")?;
    let mut bytes = std::fs::read(path).unwrap();
    if let Ok(wal) = std::fs::read(format!("{path}-wal")) {
        bytes.extend(wal);
    }
    Some(bytes)
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Writes `content` to a file in `dir`.
pub fn write_file(dir: &Path, name: &str, content: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

/// Reads a rejects file into `(line, column, reason, record)` rows.
pub fn read_rejects(path: &Path) -> Vec<(u64, String, String, String)> {
    let mut r = csv::Reader::from_path(path).unwrap();
    assert_eq!(r.headers().unwrap(), vec!["line", "column", "reason", "record"]);
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            (rec[0].parse().unwrap(), rec[1].to_string(), rec[2].to_string(), rec[3].to_string())
        })
        .collect()
}
