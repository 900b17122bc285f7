//! A guest's stays: how many, when, where, at what rate, booked how far ahead, and
//! whether they happened.

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use rand::Rng;
use rapport_domain::stay::StayStatus;

use crate::calendar::{arrival, Window};
use crate::guest::{DemoGuest, FREQUENT_Z};
use crate::hotels::Site;
use crate::notes::{notes, special_requests};
use crate::random::{lognormal, normal, weighted, DemoRng};
use crate::segments::{channel, lead_days, nights, segment};
pub use crate::segments::{Channel, Segment};
use crate::spend::folio;

/// Mean of [`base_count`] over all guests (5 % frequent returners averaging ~20 stays,
/// 10 % with 3–9, 25 % with 2, the rest once): counts are scaled from it to the target.
pub const BASE_MEAN_STAYS: f64 = 0.05 * 19.83 + 0.10 * 6.0 + 0.25 * 2.0 + 0.60 * 1.0;

/// The most stays [`base_count`] gives.
pub const MAX_BASE_STAYS: f64 = 40.0;

/// How many stays a guest with this return propensity makes before scaling.
pub fn base_count(rng: &mut DemoRng, visits_z: f64) -> f64 {
    if visits_z > FREQUENT_Z {
        10.0 + (31.0 * rng.gen::<f64>().powi(2)).floor()
    } else if visits_z > 1.036 {
        3.0 + (7.0 * rng.gen::<f64>()).floor()
    } else if visits_z > 0.253 {
        2.0
    } else {
        1.0
    }
}

#[derive(Debug, Clone)]
pub struct DemoNote {
    pub body: String,
    pub author: &'static str,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct DemoStay {
    /// Running number over the whole data set: the stay's `DEMO-<n>` reference and line.
    pub number: u64,
    /// Index of the hotel in the generator's sites.
    pub site: usize,
    pub arrival: NaiveDate,
    pub departure: NaiveDate,
    pub booked_at: NaiveDate,
    pub room_type: &'static str,
    /// Nightly rate in minor units of the hotel's currency.
    pub rate: i64,
    pub channel: Channel,
    pub segment: Segment,
    pub adults: i32,
    pub children: i32,
    pub special_requests: Option<String>,
    pub status: StayStatus,
    /// Folio by category, in the order of `SpendCategory::ALL`; zero means no line.
    pub spend: [i64; 6],
    /// When the folio was posted: departure, or today for a guest still in house.
    pub posted_on: NaiveDate,
    pub notes: Vec<DemoNote>,
}

impl DemoStay {
    pub fn external_ref(&self) -> String {
        format!("DEMO-{}", self.number)
    }

    pub fn nights(&self) -> i64 {
        (self.departure - self.arrival).num_days()
    }
}

const ROOM_TYPES: [(&str, f64); 7] = [
    ("Superior King", 1.0),
    ("Superior Twin", 1.0),
    ("Deluxe King", 1.25),
    ("Deluxe Twin", 1.25),
    ("Executive Club", 1.6),
    ("Junior Suite", 2.1),
    ("Suite", 3.4),
];
const FAMILY_ROOM: (&str, f64) = ("Family Room", 1.4);

fn room_type(rng: &mut DemoRng, value: f64, family: bool) -> (&'static str, f64) {
    if family && rng.gen_bool(0.5) {
        return FAMILY_ROOM;
    }
    let score = 0.8 * value.ln() + 0.6 * normal(rng);
    let tier = match score {
        s if s < 0.1 => 0,
        s if s < 0.7 => 2,
        s if s < 1.1 => 4,
        s if s < 1.5 => 5,
        _ => 6,
    };
    // King or twin for the first two tiers.
    let i = if tier < 4 && rng.gen_bool(0.3) { tier + 1 } else { tier };
    ROOM_TYPES[i]
}

fn status(rng: &mut DemoRng, channel: Channel, arrival: NaiveDate, departure: NaiveDate, today: NaiveDate) -> StayStatus {
    let (cancel, no_show) = match channel {
        Channel::Ota => (0.17, 0.02),
        Channel::Direct => (0.08, 0.012),
        Channel::Gds => (0.09, 0.03),
        Channel::Corporate => (0.07, 0.03),
        Channel::WalkIn => (0.0, 0.0),
    };
    if arrival > today {
        // Some of the bookings on the books are already cancelled.
        return if rng.gen_bool(cancel * 0.5) {
            StayStatus::Cancelled
        } else {
            StayStatus::Booked
        };
    }
    let u: f64 = rng.gen();
    if u < cancel {
        StayStatus::Cancelled
    } else if u < cancel + no_show && arrival < today {
        StayStatus::NoShow
    } else if departure > today || arrival == today {
        StayStatus::InHouse
    } else {
        StayStatus::CheckedOut
    }
}

/// Plans a guest's `count` stays; numbers them from `next_number`.
pub fn plan(rng: &mut DemoRng, guest: &DemoGuest, count: u64, sites: &[Site], window: &Window, next_number: &mut u64) -> Vec<DemoStay> {
    let total_days = window.days();
    // Returners' stays spread over their active years; one-off guests anywhere.
    let span = if count <= 1 {
        total_days
    } else {
        let wanted = (count * 25).max((rng.gen_range(0.25..1.0) * total_days as f64) as u64);
        wanted.min(total_days)
    };
    let first = window.start + Days::new(rng.gen_range(0..=total_days - span));
    let last = first + Days::new(span);
    let away = if guest.frequent() { 0.25 } else { 0.12 };

    let mut stays: Vec<DemoStay> = Vec::with_capacity(count as usize);
    for _ in 0..count {
        let segment = segment(rng, guest.business);
        let site = if sites.len() > 1 && rng.gen_bool(away) {
            (guest.home + rng.gen_range(1..sites.len())) % sites.len()
        } else {
            guest.home
        };
        let channel = channel(rng, segment);
        let profile = sites[site].profile;
        let business = matches!(segment, Segment::Business | Segment::Mice);
        // Stays after today exist only if they were booked by today.
        let (mut arrive, mut lead) = (window.today, 0);
        for attempt in 0..8 {
            arrive = arrival(rng, first, last, &profile.season, business);
            lead = lead_days(rng, segment, channel);
            if arrive <= window.today || arrive - Days::new(lead) <= window.today {
                break;
            }
            if attempt == 7 {
                lead = (arrive - window.today).num_days() as u64;
            }
        }
        let nights = nights(rng, segment);
        stays.push(draft(rng, guest, site, sites, window, arrive, nights, lead, segment, channel));
    }
    stays.sort_by_key(|s| s.arrival);
    // The same person is not in two rooms at once: a stay that overlaps the previous one
    // starts when that one ends, unless that would push it past today.
    for i in 1..stays.len() {
        let prev_departure = stays[i - 1].departure;
        let s = &mut stays[i];
        if s.arrival < prev_departure && prev_departure <= window.today {
            let shift = Days::new((prev_departure - s.arrival).num_days() as u64);
            s.arrival = s.arrival + shift;
            s.departure = s.departure + shift;
            s.booked_at = s.booked_at + shift;
        }
    }
    for s in &mut stays {
        s.number = *next_number;
        *next_number += 1;
        s.status = status(rng, s.channel, s.arrival, s.departure, window.today);
        finish(rng, guest, s, sites, window);
    }
    stays
}

#[allow(clippy::too_many_arguments)]
fn draft(
    rng: &mut DemoRng,
    guest: &DemoGuest,
    site: usize,
    sites: &[Site],
    window: &Window,
    arrival: NaiveDate,
    nights: u64,
    lead: u64,
    segment: Segment,
    channel: Channel,
) -> DemoStay {
    let profile = sites[site].profile;
    let leisure = matches!(segment, Segment::Leisure);
    let children = if leisure && guest.young_children > 0 && rng.gen_bool(0.7) {
        i32::from(guest.young_children)
    } else {
        0
    };
    let adults = match segment {
        Segment::Business => {
            if rng.gen_bool(0.88) {
                1
            } else {
                2
            }
        }
        Segment::Leisure => *weighted(rng, &[(2, 0.7), (1, 0.2), (3, 0.06), (4, 0.04)]),
        Segment::Mice | Segment::Group => *weighted(rng, &[(1, 0.6), (2, 0.4)]),
    };
    let (room_type, multiplier) = room_type(rng, guest.value, children > 0);
    let season = 0.6 + 0.4 * profile.season[arrival.month0() as usize];
    let channel_factor = match channel {
        Channel::Ota => 0.95,
        Channel::Corporate => 0.85,
        Channel::Direct => 0.97,
        Channel::Gds => 1.0,
        Channel::WalkIn => 1.1,
    };
    let group_factor = if matches!(segment, Segment::Group | Segment::Mice) {
        0.8
    } else {
        1.0
    };
    // Prices rise about 4 % a year over the window.
    let years_in = (arrival - window.start).num_days() as f64 / 365.0;
    let rate_major =
        profile.base_rate * multiplier * season * channel_factor * group_factor * 1.04f64.powf(years_in) * lognormal(rng, 1.0, 0.05);
    let minor_unit = 10i64.pow(sites[site].currency.exponent());
    DemoStay {
        number: 0,
        site,
        arrival,
        departure: arrival + Days::new(nights),
        booked_at: arrival - Days::new(lead),
        room_type,
        rate: rate_major.round() as i64 * minor_unit,
        channel,
        segment,
        adults,
        children,
        special_requests: None,
        status: StayStatus::Booked,
        spend: [0; 6],
        posted_on: arrival,
        notes: Vec::new(),
    }
}

/// Requests, folio and notes, once the status is known.
fn finish(rng: &mut DemoRng, guest: &DemoGuest, stay: &mut DemoStay, sites: &[Site], window: &Window) {
    stay.special_requests = special_requests(rng, guest, stay);
    let posted = if stay.status == StayStatus::InHouse {
        window.today
    } else {
        stay.departure
    };
    stay.posted_on = posted;
    if stay.status.is_realised() {
        stay.spend = folio(rng, guest, stay, &sites[stay.site], window.today);
        stay.notes = notes(rng, guest, stay, sites[stay.site].profile);
    }
}
