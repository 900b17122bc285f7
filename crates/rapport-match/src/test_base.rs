//! A small base for the matcher's own tests: a few thousand distinct people with common
//! Western and Chinese names, every tenth entered a second time with a typo, a dropped
//! email or swapped names. (The realistic generator with known truth lives in
//! `rapport-demo`; this one keeps unit tests independent of it.)

use crate::person::{BirthDate, Person};

const GIVEN: [&str; 12] = [
    "John", "Mary", "Wei", "Fang", "Anna", "Peter", "Li", "Na", "James", "Sofia", "Jun", "Lucas",
];
const FAMILY: [&str; 10] = ["Smith", "Wang", "Li", "Zhang", "Müller", "Garcia", "Chen", "Brown", "Liu", "Rossi"];

/// Deterministic pseudo-random numbers (a 64-bit LCG).
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

pub fn person(id: i64, given: &str, family: &str, birth: &str, email: &str, phone: &str) -> Person {
    Person {
        id,
        given_name: given.into(),
        family_name: family.into(),
        birth_date: BirthDate::parse(birth),
        emails: if email.is_empty() { vec![] } else { vec![email.into()] },
        phones: if phone.is_empty() { vec![] } else { vec![phone.into()] },
        ..Default::default()
    }
}

/// `n` distinct people and a duplicate of every tenth; ids of a duplicate are
/// `original + 1_000_000`.
pub fn base(n: i64) -> Vec<Person> {
    let mut rng = Lcg(42);
    let mut people = Vec::new();
    for id in 0..n {
        let g = GIVEN[rng.next(GIVEN.len() as u64) as usize];
        let f = FAMILY[rng.next(FAMILY.len() as u64) as usize];
        let birth = format!("{}-{:02}-{:02}", 1940 + rng.next(60), 1 + rng.next(12), 1 + rng.next(28));
        let email = format!("{}.{}{id}@mail.example", g.to_lowercase(), f.to_lowercase());
        let phone = format!("+44 7700 {:06}", 100_000 + id);
        people.push(person(id, g, f, &birth, &email, &phone));
        if id % 10 == 0 {
            let dup = match rng.next(3) {
                0 => person(id + 1_000_000, &format!("{g}e"), f, &birth, "", &phone),
                1 => person(id + 1_000_000, f, g, &birth, &email, ""),
                _ => person(id + 1_000_000, g, f, &birth, &format!("new{id}@other.example"), &phone),
            };
            people.push(dup);
        }
    }
    people
}
