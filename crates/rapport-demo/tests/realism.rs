//! The generated group looks like a real one: the proportions later analyses rely on.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{generate, revenue_by_guest, top_share};
use rapport_domain::guest::TabooKind;
use rapport_domain::ingest::IncomingBooking;
use rapport_domain::names::has_non_latin;
use rapport_domain::stay::StayStatus;

struct Stats {
    guests: usize,
    stays: usize,
    stays_per_guest: BTreeMap<String, usize>,
    status: BTreeMap<&'static str, usize>,
}

fn stats(rows: &[IncomingBooking]) -> Stats {
    let mut stays_per_guest = BTreeMap::new();
    let mut status = BTreeMap::new();
    for b in rows {
        *stays_per_guest
            .entry(b.profile.external_ids[0].id.clone())
            .or_insert(0) += 1;
        *status
            .entry(b.stay.as_ref().unwrap().status.as_str())
            .or_insert(0) += 1;
    }
    Stats {
        guests: stays_per_guest.len(),
        stays: rows.len(),
        stays_per_guest,
        status,
    }
}

/// Each guest's profile once (from their first row).
fn profiles(rows: &[IncomingBooking]) -> Vec<&IncomingBooking> {
    let mut seen = BTreeSet::new();
    rows.iter()
        .filter(|b| seen.insert(b.profile.external_ids[0].id.clone()))
        .collect()
}

fn share(part: usize, whole: usize) -> f64 {
    part as f64 / whole as f64
}

#[test]
fn print_the_shape_of_the_data() {
    let rows = generate(5_000, 11);
    let s = stats(&rows);
    let revenue = revenue_by_guest(&rows);
    let firsts = profiles(&rows);
    let frequent = s.stays_per_guest.values().filter(|n| **n >= 10).count();
    let once = s.stays_per_guest.values().filter(|n| **n <= 2).count();
    println!(
        "guests {} stays {} top20 {:.3} frequent {:.3} 1-2 stays {:.3}",
        s.guests,
        s.stays,
        top_share(&revenue, 0.2),
        share(frequent, s.guests),
        share(once, s.guests)
    );
    for (k, v) in &s.status {
        println!("status {k}: {:.4}", share(*v, s.stays));
    }
    let n = firsts.len();
    let count =
        |f: &dyn Fn(&IncomingBooking) -> bool| share(firsts.iter().filter(|b| f(b)).count(), n);
    println!("birthday {:.3}", count(&|b| b.profile.birthday.is_some()));
    println!(
        "anniversary {:.3}",
        count(&|b| b.profile.anniversary.is_some())
    );
    println!("family {:.3}", count(&|b| !b.profile.family.is_empty()));
    println!(
        "child {:.3}",
        count(&|b| b.profile.family.iter().any(|m| m.relation == "child"))
    );
    println!(
        "preferences {:.3}",
        count(&|b| !b.profile.preferences.is_empty())
    );
    println!(
        "allergy {:.3}",
        count(&|b| b
            .profile
            .taboos
            .iter()
            .any(|t| t.kind == TabooKind::Allergy))
    );
    println!("consent {:.3}", count(&|b| !b.consents.is_empty()));
    println!("vip {:.4}", count(&|b| b.profile.vip_code.is_some()));
    println!("no email {:.3}", count(&|b| b.profile.emails.is_empty()));
    println!(
        "bad email {:.4}",
        count(&|b| b.profile.emails.iter().any(|e| !e.is_valid()))
    );
    println!(
        "bad phone {:.4}",
        count(&|b| b.profile.phones.iter().any(|e| !e.is_valid()))
    );
    println!(
        "native {:.3}",
        count(&|b| b.profile.name.native.as_deref().is_some_and(has_non_latin))
    );
    let stays_with = |f: &dyn Fn(&IncomingBooking) -> bool| {
        share(rows.iter().filter(|b| f(b)).count(), rows.len())
    };
    println!("notes {:.3}", stays_with(&|b| !b.notes.is_empty()));
    println!(
        "requests {:.3}",
        stays_with(&|b| b.stay.as_ref().unwrap().special_requests.is_some())
    );
    let mut by_hotel = BTreeMap::new();
    for b in &rows {
        *by_hotel
            .entry(b.stay.as_ref().unwrap().hotel_id)
            .or_insert(0) += 1;
    }
    println!("by hotel {by_hotel:?}");
    let mut by_channel = BTreeMap::new();
    for b in &rows {
        *by_channel
            .entry(b.stay.as_ref().unwrap().channel.clone().unwrap())
            .or_insert(0) += 1;
    }
    println!("by channel {by_channel:?}");
    let max = s.stays_per_guest.values().max().unwrap();
    println!("max stays {max}");
    let sha: Vec<_> = rows
        .iter()
        .filter(|b| b.stay.as_ref().unwrap().hotel_id == 1)
        .collect();
    let chinese = sha
        .iter()
        .filter(|b| b.profile.nationality.as_deref() == Some("CN"))
        .count();
    println!("SHA chinese share {:.3}", share(chinese, sha.len()));
    for b in rows.iter().take(3) {
        println!("{:#?}", b.profile);
        println!("{:#?}", b.stay);
    }
    let _ = StayStatus::Booked;
}
