//! Rapport's domain core.
//!
//! Everything a hotel's guest database *means* lives here: what a valid email or phone
//! number is, how a guest profile is shaped, which stays count, which identity keys join
//! an imported booking to an existing profile, and who may see what. No I/O, no async,
//! no SQL: storage, HTTP and the CLI are adapters around these types.

pub mod access;
pub mod arrival;
pub mod card;
pub mod contact;
pub mod country;
pub mod duplicates;
pub mod error;
pub mod full_name;
pub mod guest;
pub mod guest_input;
pub mod hotel;
pub mod identity;
pub mod ingest;
pub mod limits;
pub mod merge;
pub mod money;
pub mod names;
pub mod occasions;
pub mod search;
pub mod stay;

pub use error::{FieldError, ValidationErrors};
