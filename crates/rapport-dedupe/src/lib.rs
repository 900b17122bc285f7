//! Duplicate profiles in the stored base: where the pure matcher (`rapport-match`) meets
//! storage (`Store::record_candidates`).
//!
//! - [`base`]: every live profile read from the store as a matcher [`Person`](rapport_match::Person);
//! - [`batch`]: `rapport dedupe` — the whole base matched in one run, its pairs filed in
//!   chunked transactions;
//! - [`arrivals`]: the profiles an import created, checked against the base once its rows
//!   are stored;
//! - [`watch`]: the live [`MatchIndex`](rapport_match::MatchIndex) a server keeps, so a profile
//!   created through the API is checked against the base as it arrives, and which catches
//!   up with the profiles other processes (imports, batch runs) change.
//!
//! Both paths file pairs the same way: at or above the auto-merge threshold merged (decided by
//! `auto`), between the thresholds queued for review, never-merge marks respected.

pub mod arrivals;
pub mod base;
pub mod batch;
pub mod watch;

pub use arrivals::{check_arrivals, ArrivalReport};
pub use batch::{dedupe_base, BatchReport};
pub use watch::{CaughtUp, IdentityWatch, CATCH_UP_EVERY};
