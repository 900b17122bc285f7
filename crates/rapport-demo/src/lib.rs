//! The demo hotel group generator.
//!
//! One deterministic generator serves three uses: `rapport demo` loads a realistic group
//! into a fresh database ([`load`]), benchmarks load up to a million guests the same way,
//! and the import benchmark writes the same data as Rapport's own stay CSV
//! ([`write_stays_csv`]).
//!
//! The data is shaped to be worth analysing: five hotels (one in Shanghai, with mostly
//! Chinese guests named in characters and pinyin), three years of stays with seasons and
//! weekday patterns, heavy-tailed guest value (the top fifth of guests bring roughly 70 %
//! of revenue), a few frequent returners among mostly one-off guests, families with
//! birthdays, preferences and allergies, consents, notes, cancellations and no-shows.
//!
//! Guests are generated one by one from a random stream seeded with `(seed, guest index)`:
//! the same config gives the same data, and nothing is held for more than one guest.

mod booking;
mod calendar;
mod config;
mod consent;
mod contacts;
mod csv_out;
pub mod duplicates;
mod error;
mod guest;
mod hotels;
mod household;
mod load;
mod locale;
mod names;
mod notes;
mod random;
mod segments;
mod spend;
mod stays;
mod stream;
mod tastes;

use std::sync::Arc;

use rapport_domain::hotel::Hotel;
use rapport_domain::ingest::IncomingBooking;

pub use calendar::BOOKING_HORIZON_DAYS;
pub use config::{DemoConfig, DEFAULT_STAYS_PER_GUEST};
pub use csv_out::write_stays_csv;
pub use error::DemoError;
pub use guest::EXTERNAL_SOURCE;
pub use hotels::demo_hotels;
pub use load::{ensure_hotels, load, LoadSummary, BATCH_ROWS};

/// The data set as import rows, one per stay, guest after guest (a guest's stays in
/// arrival order; the data set as a whole is not sorted by date). `hotels` are the stored
/// hotels to spread stays over, normally those of [`demo_hotels`].
pub fn bookings(config: &DemoConfig, hotels: &[Hotel]) -> impl Iterator<Item = IncomingBooking> + Send + 'static {
    let sites: Arc<[hotels::Site]> = hotels::Site::from_hotels(hotels).into();
    stream::GuestStream::new(config, sites.clone()).flat_map(move |g| g.into_bookings(&sites))
}
