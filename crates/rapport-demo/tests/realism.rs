//! The generated group looks like a real one: the proportions that value analysis,
//! arrival briefs and campaigns will rely on.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use common::{generate, revenue_by_guest, top_share};
use rapport_domain::guest::{PreferenceKind, TabooKind};
use rapport_domain::ingest::IncomingBooking;
use rapport_domain::names::has_non_latin;
use rapport_domain::stay::StayStatus;

const GUESTS: u64 = 5_000;

fn rows() -> &'static [IncomingBooking] {
    static ROWS: OnceLock<Vec<IncomingBooking>> = OnceLock::new();
    ROWS.get_or_init(|| generate(GUESTS, 11))
}

/// Each guest's first row, which carries the profile and the consents.
fn guests() -> Vec<&'static IncomingBooking> {
    let mut seen = BTreeSet::new();
    rows()
        .iter()
        .filter(|b| seen.insert(b.profile.external_ids[0].id.as_str()))
        .collect()
}

fn share_of_guests(f: impl Fn(&IncomingBooking) -> bool) -> f64 {
    let g = guests();
    g.iter().filter(|b| f(b)).count() as f64 / g.len() as f64
}

fn share_of_stays(f: impl Fn(&IncomingBooking) -> bool) -> f64 {
    rows().iter().filter(|b| f(b)).count() as f64 / rows().len() as f64
}

fn assert_between(what: &str, value: f64, low: f64, high: f64) {
    assert!((low..=high).contains(&value), "{what}: {value:.4} is outside {low}..{high}");
}

fn stays_per_guest() -> BTreeMap<&'static str, usize> {
    let mut n = BTreeMap::new();
    for b in rows() {
        *n.entry(b.profile.external_ids[0].id.as_str()).or_insert(0) += 1;
    }
    n
}

#[test]
fn the_data_set_has_exactly_the_configured_size() {
    assert_eq!(guests().len() as u64, GUESTS);
    assert_eq!(rows().len() as u64, (GUESTS as f64 * 2.6).round() as u64);
}

#[test]
fn the_top_fifth_of_guests_brings_most_revenue() {
    let share = top_share(&revenue_by_guest(rows()), 0.2);
    assert_between("revenue share of the top 20 % of guests", share, 0.6, 0.8);
}

#[test]
fn most_guests_come_once_or_twice_and_a_few_return_often() {
    let n = stays_per_guest();
    let total = n.len() as f64;
    let returners = n.values().filter(|c| **c >= 10).count() as f64 / total;
    let occasional = n.values().filter(|c| **c <= 2).count() as f64 / total;
    assert_between("guests with 10+ stays", returners, 0.02, 0.08);
    assert_between("guests with 1–2 stays", occasional, 0.7, 0.9);
    // Only the very last guest may take the rounding remainder of the stay count.
    let over = n.values().filter(|c| **c > 40).count();
    assert!(over <= 1, "{over} guests with more than 40 stays");
}

#[test]
fn statuses_have_realistic_shares() {
    let status = |s: StayStatus| move |b: &IncomingBooking| b.stay.as_ref().unwrap().status == s;
    assert_between("cancelled", share_of_stays(status(StayStatus::Cancelled)), 0.08, 0.12);
    assert_between("no-show", share_of_stays(status(StayStatus::NoShow)), 0.01, 0.03);
    assert_between("checked out", share_of_stays(status(StayStatus::CheckedOut)), 0.8, 0.9);
    assert_between("booked ahead", share_of_stays(status(StayStatus::Booked)), 0.005, 0.05);
    assert!(share_of_stays(status(StayStatus::InHouse)) > 0.0, "someone is in house today");
}

#[test]
fn stays_are_consistent_with_their_status_and_today() {
    let today = common::today();
    for b in rows() {
        let s = b.stay.as_ref().unwrap();
        s.validate().unwrap();
        assert!(s.booked_at.unwrap() <= s.arrival && s.booked_at.unwrap() <= today, "{s:?}");
        assert!(s.arrival >= today - chrono::Days::new(3 * 366) && s.arrival <= today + chrono::Days::new(120));
        match s.status {
            StayStatus::Booked => assert!(s.arrival > today && s.spend.is_empty()),
            StayStatus::InHouse => assert!(s.arrival <= today && s.departure >= today),
            StayStatus::CheckedOut => {
                assert!(s.departure <= today && s.spend.iter().any(|l| l.amount.minor > 0))
            }
            StayStatus::NoShow | StayStatus::Cancelled => assert!(s.spend.is_empty()),
        }
        let room: i64 = s
            .spend
            .iter()
            .filter(|l| l.category == rapport_domain::stay::SpendCategory::Room)
            .map(|l| l.amount.minor)
            .sum();
        if s.status == StayStatus::CheckedOut {
            assert_eq!(
                room,
                s.rate.unwrap().minor * (s.departure - s.arrival).num_days(),
                "room revenue is rate × nights"
            );
        }
        assert!(s
            .spend
            .iter()
            .all(|l| l.amount.minor > 0 && l.amount.currency == s.rate.unwrap().currency));
    }
}

#[test]
fn china_hotel_guests_are_mostly_chinese_with_characters_and_pinyin() {
    let sha: Vec<_> = rows().iter().filter(|b| b.stay.as_ref().unwrap().hotel_id == 1).collect();
    let chinese: Vec<_> = sha.iter().filter(|b| b.profile.nationality.as_deref() == Some("CN")).collect();
    assert_between(
        "Chinese share of Shanghai stays",
        chinese.len() as f64 / sha.len() as f64,
        0.6,
        0.85,
    );
    for b in &chinese {
        let n = &b.profile.name;
        assert!(n.native.as_deref().is_some_and(has_non_latin), "{n:?}");
        assert!(n.family.is_ascii() && !n.family.is_empty() && n.given.is_ascii(), "{n:?}");
    }
    // Common names are shared by many different people, as at any real front desk.
    let mut by_name: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for b in &chinese {
        by_name
            .entry(b.profile.name.native.as_deref().unwrap())
            .or_default()
            .insert(&b.profile.external_ids[0].id);
    }
    let most = by_name.values().map(|ids| ids.len()).max().unwrap();
    assert!(most >= 5, "the most common Chinese name is shared by only {most} guests");
}

#[test]
fn other_guests_have_accented_names_from_many_countries() {
    let nationalities: BTreeSet<_> = guests().iter().filter_map(|b| b.profile.nationality.clone()).collect();
    assert!(nationalities.len() >= 12, "{nationalities:?}");
    assert!(share_of_guests(|b| !b.profile.name.given.is_ascii() || !b.profile.name.family.is_ascii()) > 0.05);
    assert!(guests()
        .iter()
        .any(|b| b.profile.nationality.as_deref() == Some("JP") && b.profile.name.native.is_some()));
}

#[test]
fn profiles_carry_family_occasions_tastes_and_consents_for_a_sensible_share() {
    assert_between("birthday known", share_of_guests(|b| b.profile.birthday.is_some()), 0.6, 0.9);
    assert_between("anniversary known", share_of_guests(|b| b.profile.anniversary.is_some()), 0.1, 0.35);
    assert_between(
        "children recorded",
        share_of_guests(|b| b.profile.family.iter().any(|m| m.relation == "child")),
        0.1,
        0.3,
    );
    assert!(share_of_guests(|b| b.profile.family.iter().any(|m| m.relation == "child" && m.birthday.is_some())) > 0.08);
    assert_between("preferences", share_of_guests(|b| !b.profile.preferences.is_empty()), 0.25, 0.55);
    for kind in [PreferenceKind::Room, PreferenceKind::Food, PreferenceKind::Service] {
        assert!(
            share_of_guests(|b| b.profile.preferences.iter().any(|p| p.kind == kind)) > 0.03,
            "{kind:?}"
        );
    }
    assert_between(
        "allergies",
        share_of_guests(|b| b.profile.taboos.iter().any(|t| t.kind == TabooKind::Allergy)),
        0.04,
        0.1,
    );
    assert_between("consent on file", share_of_guests(|b| !b.consents.is_empty()), 0.5, 0.95);
    assert!(
        share_of_guests(|b| b.consents.iter().any(|c| !c.granted)) > 0.1,
        "some guests said no"
    );
    assert_between("VIP code", share_of_guests(|b| b.profile.vip_code.is_some()), 0.005, 0.05);
    assert_between("tagged", share_of_guests(|b| !b.profile.tags.is_empty()), 0.3, 0.8);
    assert_between("no email", share_of_guests(|b| b.profile.emails.is_empty()), 0.05, 0.2);
    assert_between("staff notes on stays", share_of_stays(|b| !b.notes.is_empty()), 0.03, 0.15);
    assert_between(
        "special requests",
        share_of_stays(|b| b.stay.as_ref().unwrap().special_requests.is_some()),
        0.1,
        0.4,
    );
    assert!(rows()
        .iter()
        .flat_map(|b| &b.notes)
        .all(|n| !n.author.is_empty() && !n.body.is_empty()));
}

#[test]
fn consents_are_per_channel_with_source_and_who() {
    for b in guests() {
        let channels: BTreeSet<_> = b.consents.iter().map(|c| c.channel).collect();
        assert_eq!(channels.len(), b.consents.len(), "one decision per channel");
        for c in &b.consents {
            assert!(!c.source.is_empty() && !c.recorded_by.is_empty());
        }
    }
    assert!(
        rows().iter().filter(|b| !b.consents.is_empty()).count() == guests().iter().filter(|b| !b.consents.is_empty()).count(),
        "consents travel on the first row only"
    );
}

#[test]
fn channels_segments_and_hotels_are_all_used() {
    let channels: BTreeSet<_> = rows().iter().filter_map(|b| b.stay.as_ref().unwrap().channel.clone()).collect();
    assert_eq!(
        channels.into_iter().collect::<Vec<_>>(),
        ["corporate", "direct", "gds", "ota", "walk_in"]
    );
    let segments: BTreeSet<_> = rows()
        .iter()
        .filter_map(|b| b.stay.as_ref().unwrap().market_segment.clone())
        .collect();
    assert_eq!(segments.len(), 4);
    let hotels: BTreeSet<_> = rows().iter().map(|b| b.stay.as_ref().unwrap().hotel_id).collect();
    assert_eq!(hotels.len(), 5);
}

#[test]
fn references_are_unique() {
    let refs: BTreeSet<_> = rows()
        .iter()
        .map(|b| b.stay.as_ref().unwrap().external_ref.clone().unwrap())
        .collect();
    assert_eq!(refs.len(), rows().len());
}
