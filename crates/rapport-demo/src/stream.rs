//! The generator proper: guests one after another, each with their stays, in constant
//! memory whatever the size of the data set.

use std::sync::Arc;

use rapport_domain::guest::ConsentRecord;

use crate::calendar::Window;
use crate::config::DemoConfig;
use crate::consent::consents;
use crate::guest::{generate, DemoGuest};
use crate::hotels::Site;
use crate::random::{stochastic_round, stream, DemoRng};
use crate::stays::{base_count, plan, DemoStay, BASE_MEAN_STAYS, MAX_BASE_STAYS};

/// Salt of the guests' random streams (other salts would give independent streams).
const GUEST_STREAM: u64 = 0x0067_7565_7374; // "guest"

/// A guest with everything that happened to them.
#[derive(Debug, Clone)]
pub struct GeneratedGuest {
    pub guest: DemoGuest,
    pub consents: Vec<ConsentRecord>,
    /// At least one, sorted by arrival.
    pub stays: Vec<DemoStay>,
}

/// Iterator over the guests of a data set.
///
/// Each guest's profile and stays come from its own random stream, so guest *n* is the
/// same whatever the data set's size. The one thing carried from guest to guest is how
/// many stays are still to be handed out: each guest's natural count is scaled by
/// (stays left ÷ guests left), which makes the total exact without a second pass.
pub struct GuestStream {
    seed: u64,
    guests: u64,
    next: u64,
    stays_left: u64,
    next_number: u64,
    /// Stays per guest asked for, relative to the natural mean.
    scale: f64,
    sites: Arc<[Site]>,
    window: Window,
}

impl GuestStream {
    pub fn new(config: &DemoConfig, sites: Arc<[Site]>) -> GuestStream {
        let guests = if sites.is_empty() { 0 } else { config.guests };
        let stays = config.total_stays().max(guests);
        GuestStream {
            scale: stays as f64 / guests.max(1) as f64 / BASE_MEAN_STAYS,
            seed: config.seed,
            guests,
            next: 0,
            stays_left: stays,
            next_number: 1,
            sites,
            window: Window::new(config.end, config.years),
        }
    }

    fn stay_count(&mut self, rng: &mut DemoRng, visits_z: f64) -> u64 {
        let guests_left = self.guests - self.next;
        if guests_left == 0 {
            return self.stays_left;
        }
        // Leave at least one stay for every guest still to come.
        let most = self.stays_left - guests_left;
        let mean = self.stays_left as f64 / (guests_left + 1) as f64;
        // The correction grows as the guests left get fewer; a cap keeps the most frequent
        // returners within their 10–40 stays (scaled) while the others absorb it.
        let cap = (MAX_BASE_STAYS * self.scale).ceil() as u64;
        let natural = base_count(rng, visits_z);
        stochastic_round(rng, natural * mean / BASE_MEAN_STAYS).clamp(1, most.clamp(1, cap))
    }
}

impl Iterator for GuestStream {
    type Item = GeneratedGuest;

    fn next(&mut self) -> Option<GeneratedGuest> {
        if self.next >= self.guests {
            return None;
        }
        let index = self.next;
        self.next += 1;
        let mut rng = stream(self.seed, GUEST_STREAM, index);
        let guest = generate(&mut rng, index, self.seed, &self.sites, self.window.today);
        let count = self.stay_count(&mut rng, guest.visits_z);
        self.stays_left -= count;
        let stays = plan(&mut rng, &guest, count, &self.sites, &self.window, &mut self.next_number);
        let consents = consents(&mut rng, &guest, &stays[0], &self.sites);
        Some(GeneratedGuest { guest, consents, stays })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = (self.guests - self.next) as usize;
        (left, Some(left))
    }
}
