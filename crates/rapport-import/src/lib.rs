//! Streaming CSV import: a PMS export in, guest profiles and stays out.

pub mod format;
