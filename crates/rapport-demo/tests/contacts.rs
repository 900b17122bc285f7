//! Every contact the generator means to be valid passes Rapport's own validation; the
//! deliberately malformed ones are flagged; and no two guests share an identity key.

mod common;

use std::collections::BTreeMap;

use rapport_domain::contact::{Email, Phone, Region};
use rapport_domain::identity::identity_keys;

#[test]
fn valid_contacts_validate_and_malformed_ones_are_few_and_flagged() {
    let rows = common::generate(3_000, 5);
    let (mut valid, mut flagged) = (0, 0);
    for b in &rows {
        for e in &b.profile.emails {
            if e.is_valid() {
                assert_eq!(Email::parse(&e.value).unwrap().as_str(), e.value);
                valid += 1;
            } else {
                assert!(Email::parse(&e.value).is_err(), "{e:?}");
                flagged += 1;
            }
        }
        for p in &b.profile.phones {
            if p.is_valid() {
                assert_eq!(Phone::parse(&p.value, Region::default()).unwrap().as_str(), p.value);
                valid += 1;
            } else {
                assert!(Phone::parse(&p.value, Region::default()).is_err(), "{p:?}");
                flagged += 1;
            }
        }
    }
    assert!(flagged > 0, "a few malformed contacts, like any PMS export");
    assert!((flagged as f64) < 0.02 * valid as f64, "{flagged} flagged of {valid}");
}

#[test]
fn no_two_guests_share_an_identity_key() {
    let rows = common::generate(20_000, 6);
    let mut owner: BTreeMap<String, &str> = BTreeMap::new();
    for b in &rows {
        let id = b.profile.external_ids[0].id.as_str();
        for key in identity_keys(&b.profile) {
            let first = owner.entry(key.clone()).or_insert(id);
            assert_eq!(*first, id, "{key} belongs to two guests");
        }
    }
}
