//! Candidate pairs: only persons sharing a block key are compared.
//!
//! A duplicate usually keeps at least one of: a phone, an email, its birth date with one of
//! its names, its name's sound (with or without its birth year), its postcode with a name,
//! or its document number. Each is a key; two persons are a candidate pair when they share
//! any. Birth dates key with day and month sorted, so a transposed date still meets; names
//! key by Soundex of both parts sorted, so swapped and mistyped names meet; a birth date
//! also keys with each name's first letter, so `M. Johnson` meets `Michael Smith`.
//!
//! A key shared by more than `max_block` persons (a hotel's switchboard number, every
//! `John Smith`) says too little to be worth its quadratic pairs and is skipped; the other
//! keys of a real duplicate still bring it in. Work is thus linear in the base.

use crate::keys::key;
use crate::prepare::Prepared;

/// The block keys of a person.
pub fn block_keys(p: &Prepared) -> Vec<u64> {
    let mut keys = Vec::with_capacity(12);
    for phone in &p.phones {
        keys.push(key(b'p', &[phone]));
    }
    for email in &p.emails {
        keys.push(key(b'e', &[email]));
        // The same personal mailbox name at another provider (`wei.zhang80@…`).
        if let Some((local, _)) = email.split_once('@') {
            if local.len() >= 6 && local.bytes().any(|c| c.is_ascii_digit()) {
                keys.push(key(b'l', &[local]));
            }
        }
    }
    let names: Vec<String> = [&p.given, &p.family]
        .into_iter()
        .filter(|n| !n.is_empty())
        .map(|n| n.sound.clone())
        .collect();
    let birth = sorted_birth(&p.birth);
    if !birth.is_empty() {
        for n in &names {
            keys.push(key(b'b', &[&birth, n]));
        }
        // With an initial only, a typo in each name or a married name, no name sounds
        // alike: the birth date with either name's first letter still meets.
        for part in [&p.given, &p.family] {
            if let Some(first) = part.compact.get(..1) {
                keys.push(key(b'f', &[&birth, first]));
            }
        }
    }
    if names.len() == 2 {
        let (x, y) = if names[0] <= names[1] {
            (&names[0], &names[1])
        } else {
            (&names[1], &names[0])
        };
        keys.push(key(b'n', &[x, y]));
        if p.birth.len() >= 4 {
            keys.push(key(b'y', &[x, y, &p.birth[..4]]));
        }
    }
    if !p.postcode.is_empty() {
        for n in &names {
            keys.push(key(b'a', &[&p.postcode, n]));
        }
    }
    if p.id_document_ocr.len() >= 5 {
        keys.push(key(b'i', &[&p.id_document_ocr]));
    }
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// `yyyymmdd` with month and day in ascending order, so `19560403` and `19560304` agree.
fn sorted_birth(birth: &str) -> String {
    if birth.len() == 8 && birth.is_ascii() {
        let (md, dd) = (&birth[4..6], &birth[6..8]);
        let (lo, hi) = if md <= dd { (md, dd) } else { (dd, md) };
        format!("{}{lo}{hi}", &birth[..4])
    } else {
        birth.to_string()
    }
}

/// Every candidate pair `(i, j)`, `i < j`, of the persons' positions, sorted and unique,
/// and the number of keys skipped as too common.
pub fn candidate_pairs(keys_per_person: &[Vec<u64>], max_block: usize) -> (Vec<(u32, u32)>, usize) {
    let mut entries: Vec<(u64, u32)> = keys_per_person
        .iter()
        .enumerate()
        .flat_map(|(i, keys)| keys.iter().map(move |k| (*k, i as u32)))
        .collect();
    entries.sort_unstable();
    let mut pairs: Vec<u64> = Vec::new();
    let mut skipped = 0;
    for block in entries.chunk_by(|x, y| x.0 == y.0) {
        if block.len() > max_block {
            skipped += 1;
            continue;
        }
        for (n, &(_, i)) in block.iter().enumerate() {
            for &(_, j) in &block[n + 1..] {
                if i != j {
                    pairs.push((u64::from(i.min(j)) << 32) | u64::from(i.max(j)));
                }
            }
        }
    }
    drop(entries);
    pairs.sort_unstable();
    pairs.dedup();
    (pairs.into_iter().map(|p| ((p >> 32) as u32, p as u32)).collect(), skipped)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::person::{BirthDate, Person};

    fn prepared(given: &str, family: &str, birth: &str, phone: &str) -> Prepared {
        Prepared::new(&Person {
            given_name: given.into(),
            family_name: family.into(),
            birth_date: BirthDate::parse(birth),
            phones: vec![phone.into()],
            ..Default::default()
        })
    }

    #[test]
    fn duplicates_share_a_key_and_strangers_do_not() {
        let people = [
            prepared("Wei", "Zhang", "1980-02-03", "+86 138 1234 5678"),
            prepared("Zhang", "Wei", "1980-03-02", ""),
            prepared("Anna", "Berg", "1970-05-06", "+49 170 1234567"),
        ];
        let keys: Vec<Vec<u64>> = people.iter().map(block_keys).collect();
        let (pairs, _) = candidate_pairs(&keys, 100);
        assert_eq!(pairs, vec![(0, 1)]);
    }

    #[test]
    fn an_initial_or_a_married_name_meets_by_birth_date_and_first_letter() {
        let people = [
            prepared("M.", "Johnson", "1975-07-05", ""),
            prepared("Michael", "Smith", "1975-07-05", ""),
            prepared("Nora", "Smith", "1975-07-05", ""),
        ];
        let keys: Vec<Vec<u64>> = people.iter().map(block_keys).collect();
        let (pairs, _) = candidate_pairs(&keys, 100);
        assert!(pairs.contains(&(0, 1)), "{pairs:?}");
        assert!(!pairs.contains(&(0, 2)), "{pairs:?}");
    }

    #[test]
    fn oversized_blocks_are_skipped() {
        let people: Vec<Vec<u64>> = (0..50).map(|_| vec![7u64]).collect();
        let (pairs, skipped) = candidate_pairs(&people, 10);
        assert!(pairs.is_empty());
        assert_eq!(skipped, 1);
        assert_eq!(candidate_pairs(&people, 50).0.len(), 50 * 49 / 2);
    }
}
