//! Streaming CSV import: a PMS export in, guest profiles and stays out.
//!
//! A [`Mapping`] (TOML, see `docs/import.md`) says which column feeds which field. The file
//! is read as byte records on a blocking thread, each row becomes an
//! [`IncomingBooking`](rapport_domain::ingest::IncomingBooking) and batches go to
//! [`Store::import_batch`](rapport_store::Store::import_batch), which joins rows to
//! profiles on exact identity keys only. Rows that cannot be stored meaningfully go to a
//! rejects CSV; an email or phone that does not normalise is kept as entered and flagged;
//! payment-card data is never stored.

mod card;
mod dates;
mod error;
pub mod format;
mod hotels;
mod mapping;
mod rejects;
mod rows;
mod run;
mod summary;

pub use card::is_card_header;
pub use error::{ImportError, MappingError};
pub use mapping::{
    ArrivalColumns, Columns, DateColumn, GuestColumns, HotelValue, Mapping, NameOrder, RequestsKind, SourceSettings, SpendColumns,
    StayColumns, BUILTIN,
};
pub use rapport_domain::card::looks_like_card;
pub use rejects::RejectsFile;
pub use run::import_file;
pub use summary::{ImportOptions, ImportSummary};
