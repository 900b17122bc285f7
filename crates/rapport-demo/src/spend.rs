//! The folio of a stay: room revenue plus what else the guest spent, by category.
//!
//! Extras scale with the guest's latent value, so the same guests who come back often
//! also spend more per stay: that is what makes revenue as concentrated as hotels see it.

use chrono::NaiveDate;
use rand::Rng;
use rapport_domain::stay::StayStatus;

use crate::guest::DemoGuest;
use crate::hotels::Site;
use crate::random::{lognormal, DemoRng};
use crate::stays::{DemoStay, Segment};

/// Spend in minor units in the order of `SpendCategory::ALL`: room, food & beverage,
/// spa, laundry, minibar, other. A guest still in house has been charged so far only.
pub fn folio(rng: &mut DemoRng, guest: &DemoGuest, stay: &DemoStay, site: &Site, today: NaiveDate) -> [i64; 6] {
    let nights = stay.nights().max(1) as f64;
    let charged = if stay.status == StayStatus::InHouse {
        (today - stay.arrival).num_days().clamp(0, stay.nights())
    } else {
        stay.nights()
    };
    let so_far = charged as f64 / nights;
    let base = site.profile.base_rate;
    let minor = 10f64.powi(site.currency.exponent() as i32);
    let value = guest.value;
    let people = f64::from(stay.adults) + 0.5 * f64::from(stay.children);
    let leisure = stay.segment == Segment::Leisure;
    let business = stay.segment == Segment::Business;

    let mut extra = |p: f64, major: &dyn Fn(&mut crate::random::DemoRng) -> f64| -> i64 {
        if rng.gen_bool(p.clamp(0.0, 1.0)) {
            (major(rng) * so_far * minor).round() as i64
        } else {
            0
        }
    };
    let food = extra(0.65, &|r| {
        base * 0.22 * value.sqrt() * lognormal(r, 1.0, 0.6) * nights * people / 1.5
    });
    let spa = extra((0.05 + 0.1 * (value / 3.0).min(1.0)) * if leisure { 1.5 } else { 1.0 }, &|r| {
        base * 0.7 * value.powf(0.4) * lognormal(r, 1.0, 0.5)
    });
    let laundry = extra(if business && nights >= 2.0 { 0.25 } else { 0.05 }, &|r| {
        base * 0.08 * nights.powf(0.7) * lognormal(r, 1.0, 0.4)
    });
    let minibar = extra(0.3, &|r| base * 0.05 * nights * lognormal(r, 1.0, 0.6));
    let other = extra(0.12, &|r| base * 0.25 * lognormal(r, 1.0, 0.7));
    [stay.rate * charged, food, spa, laundry, minibar, other]
}
