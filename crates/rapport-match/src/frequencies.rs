//! Term frequencies: how common each name, email and phone is in the base, so that two
//! profiles agreeing on `Wang` or `Smith` count for less than two agreeing on `Oyelaran`,
//! and a household or company email shared by many profiles counts for less than a
//! personal one.
//!
//! The adjustment to an agreement's weight is `log2(u_avg / tf(v))`: `tf(v)` is the share
//! of values equal to `v`, `u_avg` the chance two random values agree (Σ tf²). A value as
//! common as the average agreement changes nothing; rarer ones add weight, commoner ones
//! take it away. It is capped, so one rare value cannot carry a pair alone.

use serde::{Deserialize, Serialize};

use crate::compare::shared_contact;
use crate::fields::{Field, Pattern};
use crate::keys::{key, KeyMap};
use crate::prepare::Prepared;

/// Counts for one field.
#[derive(Debug, Clone, Default)]
struct Counts {
    by_value: KeyMap<u32>,
    values: u64,
    /// Σ count², kept as counts change: u_avg = sum_sq / values².
    sum_sq: u64,
}

impl Counts {
    fn add(&mut self, k: u64) {
        let c = self.by_value.entry(k).or_insert(0);
        self.sum_sq += 2 * u64::from(*c) + 1;
        *c += 1;
        self.values += 1;
    }

    fn remove(&mut self, k: u64) {
        if let Some(c) = self.by_value.get_mut(&k) {
            if *c > 0 {
                *c -= 1;
                self.sum_sq -= 2 * u64::from(*c) + 1;
                self.values -= 1;
            }
        }
    }

    fn adjustment(&self, k: u64, cap: f64) -> f64 {
        if self.values == 0 {
            return 0.0;
        }
        let n = self.values as f64;
        let tf = f64::from(self.by_value.get(&k).copied().unwrap_or(1).max(1)) / n;
        let u_avg = self.sum_sq as f64 / (n * n);
        (u_avg / tf).log2().clamp(-cap, cap)
    }
}

/// Term frequencies of given names, family names and contacts over a base.
#[derive(Debug, Clone, Default)]
pub struct TermFrequencies {
    given: Counts,
    family: Counts,
    contact: Counts,
}

/// Bounds of the adjustment in bits, either way.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FrequencyCap(pub f64);

impl Default for FrequencyCap {
    fn default() -> Self {
        FrequencyCap(6.0)
    }
}

fn name_key(v: &str) -> u64 {
    key(b'n', &[v])
}

fn contact_key(v: &str) -> u64 {
    key(b'c', &[v])
}

impl TermFrequencies {
    pub fn add(&mut self, p: &Prepared) {
        self.update(p, true);
    }

    pub fn remove(&mut self, p: &Prepared) {
        self.update(p, false);
    }

    fn update(&mut self, p: &Prepared, add: bool) {
        let apply = |c: &mut Counts, k: u64| if add { c.add(k) } else { c.remove(k) };
        if !p.given.is_empty() {
            apply(&mut self.given, name_key(&p.given.compact));
        }
        if !p.family.is_empty() {
            apply(&mut self.family, name_key(&p.family.compact));
        }
        for v in p.emails.iter().chain(p.phones.iter()) {
            apply(&mut self.contact, contact_key(v));
        }
    }

    /// The adjustment in bits for an agreement on `field` between `a` and `b` (0 for
    /// fields without term frequencies or levels below agreement).
    pub fn adjustment(&self, field: Field, pattern: Pattern, a: &Prepared, b: &Prepared, cap: FrequencyCap) -> f64 {
        if !field.has_term_frequency() || pattern.level(field) != field.top_level() {
            return 0.0;
        }
        // With swapped names one of the two records holds the value in the other part, and
        // which one is unknown: the commoner reading counts.
        let name = |v: &str, own: &Counts| {
            let adj = own.adjustment(name_key(v), cap.0);
            if pattern.swapped() {
                adj.min(self.given.adjustment(name_key(v), cap.0))
                    .min(self.family.adjustment(name_key(v), cap.0))
            } else {
                adj
            }
        };
        match field {
            Field::GivenName => name(&a.given.compact, &self.given),
            Field::FamilyName => name(&a.family.compact, &self.family),
            Field::Contact => shared_contact(a, b).map_or(0.0, |v| self.contact.adjustment(contact_key(v), cap.0)),
            _ => 0.0,
        }
    }
}
