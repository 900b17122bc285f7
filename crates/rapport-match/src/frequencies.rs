//! Term frequencies: how common each name, email, phone and country is in the base, so that two
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
        (self.average_agreement() / self.share(k)).log2().clamp(-cap, cap)
    }

    fn count(&self, k: u64) -> u32 {
        self.by_value.get(&k).copied().unwrap_or(0)
    }

    /// The share of values equal to the one keyed `k` (counted at least once).
    fn share(&self, k: u64) -> f64 {
        f64::from(self.count(k).max(1)) / self.values as f64
    }

    /// The chance that two random values agree: Σ share².
    fn average_agreement(&self) -> f64 {
        let n = self.values as f64;
        self.sum_sq as f64 / (n * n)
    }
}

/// Term frequencies of given names, family names, contacts and countries over a base.
#[derive(Debug, Clone, Default)]
pub struct TermFrequencies {
    given: Counts,
    family: Counts,
    /// Whole names, given and family in either order.
    full: Counts,
    contact: Counts,
    countries: CountriesOfNames,
}

/// Where the bearers of each family name live: how often two of them share a country.
#[derive(Debug, Clone, Default)]
struct CountriesOfNames {
    /// Persons per (family name, country).
    by_pair: KeyMap<u32>,
    /// Per family name: persons with a country, and Σ over countries of their count².
    by_name: KeyMap<(u32, u64)>,
}

/// Bearers with a country a family name needs before where they live says anything.
const MIN_BEARERS: u32 = 20;

/// Bearers a whole name needs before its own frequency weighs it (see `adjustment`).
const MIN_NAME_BEARERS: u32 = 3;

impl CountriesOfNames {
    fn update(&mut self, family: &str, country: &str, add: bool) {
        let pair = self.by_pair.entry(key(b'y', &[family, country])).or_insert(0);
        let name = self.by_name.entry(name_key(family)).or_insert((0, 0));
        if add {
            name.1 += 2 * u64::from(*pair) + 1;
            *pair += 1;
            name.0 += 1;
        } else if *pair > 0 {
            *pair -= 1;
            name.1 -= 2 * u64::from(*pair) + 1;
            name.0 -= 1;
        }
    }

    /// The chance that two different bearers of `family` live in the same country, when
    /// enough of them are known.
    fn shared_country(&self, family: &str) -> Option<f64> {
        let &(n, sum_sq) = self.by_name.get(&name_key(family))?;
        (n >= MIN_BEARERS).then(|| (sum_sq - u64::from(n)) as f64 / (f64::from(n) * f64::from(n - 1)))
    }
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

/// The whole name, the same key whichever part was recorded as given.
fn full_name_key(p: &Prepared) -> u64 {
    let (x, y) = (&p.given.compact, &p.family.compact);
    if x <= y {
        key(b'w', &[x, y])
    } else {
        key(b'w', &[y, x])
    }
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
        if !p.given.is_empty() && !p.family.is_empty() {
            apply(&mut self.full, full_name_key(p));
        }
        for v in p.emails.iter().chain(p.phones.iter()) {
            apply(&mut self.contact, contact_key(v));
        }
        if !p.country.is_empty() && !p.family.is_empty() {
            self.countries.update(&p.family.compact, &p.country, add);
        }
    }

    /// The adjustment in bits for an agreement on `field` between `a` and `b` (0 for
    /// fields without term frequencies or levels below agreement).
    pub fn adjustment(&self, field: Field, pattern: Pattern, a: &Prepared, b: &Prepared, cap: FrequencyCap) -> f64 {
        if !field.has_term_frequency() || pattern.level(field) != field.top_level() {
            return 0.0;
        }
        let both_names = [Field::GivenName, Field::FamilyName].map(|f| pattern.level(f) == f.top_level());
        if matches!(field, Field::GivenName | Field::FamilyName)
            && both_names == [true, true]
            && self.full.count(full_name_key(a)) >= MIN_NAME_BEARERS
        {
            // The whole name agrees: how rare the *name* is, not each part. Parts of a name
            // are not independent (`Syed Imran` goes with `bin Hassan`, `Wei` with `Wang`):
            // two strangers share the whole name as often as its own share, against the
            // product of two average agreements the parts' weights assume. Split over the
            // two parts for the evidence. A name too few bear says nothing this way (in a base
            // of 2,000 no name can be rarer than 2 in 2,000, far above the product), so the
            // parts' own frequencies weigh it.
            let whole = (self.given.average_agreement() * self.family.average_agreement() / self.full.share(full_name_key(a))).log2();
            return whole.clamp(-2.0 * cap.0, 2.0 * cap.0) / 2.0;
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

    /// log2 of 1 / P(two people named `a`'s family name share a country): what a shared
    /// country says about two profiles of that name. `None` when too few bear it to say.
    pub fn country_agreement_surprise(&self, a: &Prepared) -> Option<f64> {
        let shared = self.countries.shared_country(&a.family.compact)?;
        Some(-shared.max(1e-6).log2())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::person::Person;

    fn named(family: &str, country: &str) -> Prepared {
        Prepared::new(&Person {
            given_name: "Anna".into(),
            family_name: family.into(),
            country: country.into(),
            ..Default::default()
        })
    }

    #[test]
    fn a_shared_country_says_more_of_a_name_spread_over_many() {
        let mut tf = TermFrequencies::default();
        // Forty Rossis, all in Italy; forty Smiths over four countries; three Okafors.
        for i in 0..40 {
            tf.add(&named("Rossi", "IT"));
            tf.add(&named("Smith", ["GB", "US", "AU", "IE"][i % 4]));
        }
        for _ in 0..3 {
            tf.add(&named("Okafor", "NG"));
        }
        assert_eq!(tf.country_agreement_surprise(&named("Rossi", "IT")), Some(0.0));
        let smith = tf.country_agreement_surprise(&named("Smith", "GB")).unwrap();
        // Two different Smiths share a country 9 × 10 × 4 / (40 × 39) of the time.
        assert!((smith - -(360.0f64 / 1560.0).log2()).abs() < 1e-9, "{smith}");
        assert_eq!(tf.country_agreement_surprise(&named("Okafor", "NG")), None, "too few to say");
        for i in 0..40 {
            tf.remove(&named("Smith", ["GB", "US", "AU", "IE"][i % 4]));
        }
        assert_eq!(tf.country_agreement_surprise(&named("Smith", "GB")), None);
    }

    fn person(given: &str, family: &str) -> Prepared {
        Prepared::new(&Person {
            given_name: given.into(),
            family_name: family.into(),
            ..Default::default()
        })
    }

    #[test]
    fn a_whole_name_is_weighed_by_how_common_the_whole_name_is() {
        // Ten given and ten family names, but the first given name always with the first
        // family name (as `Syed Imran` goes with `bin Hassan`): each part is twice as common
        // as the others, the whole name twenty times as common as any other whole name.
        let mut tf = TermFrequencies::default();
        for g in 0..10 {
            for f in 0..10 {
                let (g, f) = if g == 0 || f == 0 { (0, 0) } else { (g, f) };
                tf.add(&person(&format!("given{g}"), &format!("family{f}")));
            }
        }
        let both = Pattern::new([4, 4, 0, 0, 0, 0, 0, 0], false);
        let name = |g: &str, f: &str| {
            let p = person(g, f);
            tf.adjustment(Field::GivenName, both, &p, &p, FrequencyCap::default())
                + tf.adjustment(Field::FamilyName, both, &p, &p, FrequencyCap::default())
        };
        assert!(name("given0", "family0") < name("given3", "family4") - 3.0);
        // Swapped, the same name.
        assert_eq!(name("family0", "given0"), name("given0", "family0"));
        // One part agreeing alone keeps its own frequency.
        let given_only = Pattern::new([4, 1, 0, 0, 0, 0, 0, 0], false);
        let p = person("given3", "family4");
        assert!(tf.adjustment(Field::GivenName, given_only, &p, &p, FrequencyCap::default()) > 0.0);
    }
}
