//! Rapport's identity matcher: which guest profiles are the same real person.
//!
//! The pipeline, each step in its own module:
//!
//! 1. [`person`]: the fields matching looks at, fed from a stored profile or a CSV row;
//! 2. [`prepare`]: normalised once per person (accents, Chinese characters to pinyin,
//!    nicknames, digits of phones, OCR-confusable characters of document numbers);
//! 3. [`blocking`]: candidate pairs from shared keys (phone, email, birth date with a name,
//!    name codes, postcode with a name, id document), never all pairs;
//! 4. [`compare`]: each field of a pair compared into a level (agreed, close, …, disagreed,
//!    missing);
//! 5. [`em`] and [`model`]: Fellegi–Sunter m/u probabilities and the prior fitted by EM on
//!    the candidate pairs themselves (no labels), match weights with term-frequency
//!    adjustment from [`frequencies`], and a [`ScoredPair`] with its evidence;
//! 6. [`cluster`]: pairs above the auto-merge threshold grouped into people, refusing to
//!    chain two groups a scored pair says are different people;
//! 7. [`index`]: a fitted model plus block maps, to score one arriving profile against a
//!    million in well under a millisecond; [`batch`]: the whole base in one call.
//!
//! No I/O, no async, no SQL: storage and the CLI feed persons in and keep what comes out.

pub mod batch;
pub mod blocking;
pub mod cluster;
pub mod compare;
pub mod em;
pub mod fields;
pub mod frequencies;
pub mod index;
pub mod keys;
pub mod model;
pub mod nicknames;
mod parallel;
pub mod person;
pub mod phonetic;
pub mod prepare;
pub mod reference;
#[cfg(test)]
mod test_base;
mod training;

pub use batch::{dedupe, fit, Dedupe, DedupeStats, Progress, Stage};
pub use index::MatchIndex;
pub use model::{MatchModel, MatchSettings};
pub use person::{BirthDate, Person};
pub use rapport_domain::duplicates::{FieldEvidence, FieldOutcome, MatchDecision, MatchThresholds, ScoredPair};
