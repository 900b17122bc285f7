//! Exact identity keys: when an incoming booking is *certainly* a guest we already know.
//!
//! A row joins an existing profile only on the same external id, the same normalised
//! email, or the same normalised phone together with the same name. Never on a name alone:
//! a group's base holds hundreds of different Michael Smiths. Values that did not normalise
//! are never keys. Fuzzier matching (typos, transliterations) is the duplicate detector's
//! job, with a score and a person's review.

use crate::guest::GuestProfile;
use crate::names::GuestName;

/// Identity keys of a profile, strongest first. The strings are what storage indexes.
pub fn identity_keys(profile: &GuestProfile) -> Vec<String> {
    let mut keys = Vec::new();
    for x in &profile.external_ids {
        keys.push(external_key(&x.source, &x.id));
    }
    for e in profile.emails.iter().filter(|e| e.is_valid()) {
        keys.push(email_key(&e.value));
    }
    // A merged profile keeps answering to the phone with each name it was known by.
    for name in std::iter::once(&profile.name).chain(&profile.aliases) {
        if !name.identity_form().is_empty() {
            for p in profile.phones.iter().filter(|p| p.is_valid()) {
                keys.push(phone_name_key(&p.value, name));
            }
        }
    }
    keys.sort();
    keys.dedup();
    keys
}

pub fn external_key(source: &str, id: &str) -> String {
    format!("x:{}:{}", source.trim().to_lowercase(), id.trim())
}

pub fn email_key(normalised_email: &str) -> String {
    format!("e:{normalised_email}")
}

pub fn phone_name_key(e164: &str, name: &GuestName) -> String {
    format!("p:{e164}:{}", name.identity_form())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contact::{ContactPoint, Region};

    fn guest(given: &str, family: &str, email: &str, phone: &str) -> GuestProfile {
        GuestProfile {
            name: GuestName {
                given: given.into(),
                family: family.into(),
                ..Default::default()
            },
            emails: vec![ContactPoint::email_lenient(email)],
            phones: vec![ContactPoint::phone_lenient(phone, Region::default())],
            ..Default::default()
        }
    }

    #[test]
    fn same_name_alone_gives_no_shared_key() {
        let a = identity_keys(&guest("Michael", "Smith", "ms1@example.com", "669-792-1661"));
        let b = identity_keys(&guest("Michael", "Smith", "ms2@example.com", "858-637-6955"));
        assert!(a.iter().all(|k| !b.contains(k)));
    }

    #[test]
    fn phone_counts_only_with_the_same_name() {
        let a = identity_keys(&guest("Michael", "Smith", "x", "669-792-1661"));
        let b = identity_keys(&guest("Anna", "Smith", "y", "(669) 792-1661"));
        let c = identity_keys(&guest("MICHAEL", "SMITH", "z", "+1 669 792 1661"));
        assert!(a.iter().all(|k| !b.contains(k)));
        assert_eq!(a, c);
    }

    #[test]
    fn invalid_contacts_are_not_keys() {
        let a = identity_keys(&guest("A", "B", "not-an-email", "12"));
        assert!(a.is_empty());
    }
}
