//! Phone numbers seen earlier in the file, normalised once.
//!
//! Validating a number against libphonenumber's metadata is the dearest part of reading a
//! contact, and exports repeat numbers: a returning guest's phone is on each of their
//! bookings, usually close together. The memo is bounded, so memory stays flat however
//! large the file.

use std::cell::RefCell;
use std::collections::HashMap;

use rapport_domain::contact::{ContactPoint, Region};

/// Numbers remembered before the memo starts over.
const CAPACITY: usize = 1 << 16;

#[derive(Default)]
pub(crate) struct PhoneMemo {
    // One reader thread owns the memo; `RefCell` keeps `RowReader::read` taking `&self`.
    seen: RefCell<HashMap<String, ContactPoint>>,
}

impl PhoneMemo {
    /// `raw` normalised for `region`, as [`ContactPoint::phone_lenient`] would; the region is
    /// the same for every row of a reader.
    pub fn get(&self, raw: &str, region: Region) -> ContactPoint {
        let mut seen = self.seen.borrow_mut();
        if let Some(point) = seen.get(raw) {
            return point.clone();
        }
        let point = ContactPoint::phone_lenient(raw, region);
        if seen.len() >= CAPACITY {
            seen.clear();
        }
        seen.insert(raw.to_string(), point.clone());
        point
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_remembered_number_normalises_as_a_fresh_parse_would() {
        let memo = PhoneMemo::default();
        for raw in ["+86 138 0013 8000", "(669) 792-1661", "n/a", "+86 138 0013 8000", "n/a"] {
            assert_eq!(
                memo.get(raw, Region::default()),
                ContactPoint::phone_lenient(raw, Region::default())
            );
        }
    }
}
