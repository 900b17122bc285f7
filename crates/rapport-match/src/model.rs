//! The fitted Fellegi–Sunter model: per field and level the probabilities `m` (of the
//! level among matches) and `u` (among non-matches), the match weight `log2(m/u)`, and the
//! prior λ, the share of candidate pairs that are matches, all estimated by [`crate::em`].
//!
//! A pair's weight is the prior log-odds `log2(λ/(1-λ))` plus each field's weight (0 when
//! missing), with agreement on names and contacts adjusted by term frequency; its
//! probability is `1 / (1 + 2^-weight)`.

use rapport_domain::duplicates::{FieldEvidence, MatchThresholds, ScoredPair};
use rapport_domain::guest::GuestId;
use serde::{Deserialize, Serialize};

use crate::compare::describe;
use crate::em::EmFit;
use crate::fields::{Field, Pattern};
use crate::frequencies::{FrequencyCap, TermFrequencies};
use crate::prepare::Prepared;

/// How a run is set up. The defaults suit a guest base from a thousand to millions.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MatchSettings {
    pub thresholds: MatchThresholds,
    /// A block key shared by more persons than this is skipped (see [`crate::blocking`]).
    pub max_block: usize,
    pub em_iterations: usize,
    /// Random pairs compared to seed EM's `u`.
    pub random_pairs: usize,
    pub term_frequency_cap: FrequencyCap,
    /// Two groups are not chained into one when a pair across them scores below this:
    /// the model is sure enough they are different people. At 1e-4 a group chained through
    /// one profile that matched each side while the two sides scored 1e-3 together.
    pub conflict_below: f64,
}

impl Default for MatchSettings {
    fn default() -> Self {
        MatchSettings {
            thresholds: MatchThresholds::default(),
            max_block: 100,
            em_iterations: 200,
            random_pairs: 300_000,
            term_frequency_cap: FrequencyCap::default(),
            conflict_below: 0.01,
        }
    }
}

/// One level of one field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LevelWeight {
    pub label: String,
    pub m: f64,
    pub u: f64,
    /// log2(m/u).
    pub weight: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldWeights {
    pub field: String,
    /// From level 1 (disagreed) up to agreed.
    pub levels: Vec<LevelWeight>,
}

/// A fitted model: what storage keeps to score arriving profiles, and what
/// `docs/dedupe.md` explains.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchModel {
    pub fields: Vec<FieldWeights>,
    pub lambda: f64,
    pub em_iterations: usize,
    pub em_converged: bool,
    /// Fields whose `m` is the reference ([`crate::reference`]) because no training session
    /// found duplicates in the base to learn it from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub from_reference: Vec<String>,
    pub settings: MatchSettings,
}

impl MatchModel {
    pub fn from_fit(fit: &EmFit, settings: MatchSettings) -> Self {
        let fields = Field::ALL
            .iter()
            .map(|&f| FieldWeights {
                field: f.name().to_string(),
                levels: f
                    .level_labels()
                    .iter()
                    .enumerate()
                    .map(|(i, label)| {
                        let (m, u) = (fit.m[f.index()][i + 1], fit.u[f.index()][i + 1]);
                        LevelWeight {
                            label: label.to_string(),
                            m,
                            u,
                            weight: (m / u).log2(),
                        }
                    })
                    .collect(),
            })
            .collect();
        MatchModel {
            fields,
            lambda: fit.lambda,
            em_iterations: fit.iterations,
            em_converged: fit.converged,
            from_reference: Vec::new(),
            settings,
        }
    }

    /// log2 of the prior odds of a match among candidate pairs.
    pub fn prior_weight(&self) -> f64 {
        (self.lambda / (1.0 - self.lambda)).log2()
    }

    fn field_weight(&self, field: Field, pattern: Pattern, a: &Prepared, b: &Prepared, tf: &TermFrequencies) -> f64 {
        let own = self.own_weight(field, pattern, a, b, tf);
        // A household shares its address and its phone or email: agreement on both is one
        // piece of evidence ("reached at the same place"), not two, so the address adds
        // only what it weighs beyond the contact.
        // One family name, two different birth dates, and the same address or phone: a
        // household, whose members share where they live and how they are reached.
        // Strangers rarely share either (+17 bits), so a mother and daughter both `Anna
        // Muller` at one address, or father and son `Thomas Smith` on one landline, scored
        // 0.999 on that alone; it cannot say which member a profile is.
        if matches!(field, Field::Address | Field::Contact)
            && own > 0.0
            && pattern.level(Field::FamilyName) >= 3
            && pattern.level(Field::BirthDate) == 1
        {
            return 0.0;
        }
        if field == Field::Address && own > 0.0 && pattern.level(Field::Contact) >= 3 {
            return (own - self.own_weight(Field::Contact, pattern, a, b, tf)).max(0.0);
        }
        // People who share a name mostly share where the name comes from (two `Giulia Rossi`
        // are both Italian), so a shared country counts only as far as the bearers of the
        // family name are spread over countries (`Smith`, and `Wang` beyond China), never
        // more than among all strangers. A different country counts in full.
        if field == Field::Country && own > 0.0 {
            let level = &self.fields[Field::Country.index()].levels[1];
            return tf
                .country_agreement_surprise(a)
                .map_or(0.0, |surprise| (level.m.log2() + surprise).clamp(0.0, own));
        }
        own
    }

    fn own_weight(&self, field: Field, pattern: Pattern, a: &Prepared, b: &Prepared, tf: &TermFrequencies) -> f64 {
        let level = pattern.level(field) as usize;
        if level == 0 {
            return 0.0;
        }
        let base = self
            .fields
            .get(field.index())
            .and_then(|f| f.levels.get(level - 1))
            .map_or(0.0, |l| l.weight);
        base + tf.adjustment(field, pattern, a, b, self.settings.term_frequency_cap)
    }

    /// The pair's total weight (prior included).
    pub fn weight(&self, pattern: Pattern, a: &Prepared, b: &Prepared, tf: &TermFrequencies) -> f64 {
        self.prior_weight() + Field::ALL.iter().map(|&f| self.field_weight(f, pattern, a, b, tf)).sum::<f64>()
    }

    /// The pair with its per-field evidence.
    pub fn scored_pair(&self, ids: (GuestId, GuestId), pattern: Pattern, a: &Prepared, b: &Prepared, tf: &TermFrequencies) -> ScoredPair {
        let evidence: Vec<FieldEvidence> = Field::ALL
            .iter()
            .map(|&f| {
                let level = pattern.level(f);
                FieldEvidence {
                    field: f.name().to_string(),
                    outcome: f.outcome(level),
                    weight: self.field_weight(f, pattern, a, b, tf),
                    detail: if level == 0 {
                        String::new()
                    } else {
                        describe(f, a, b, pattern.swapped())
                    },
                }
            })
            .collect();
        let weight = self.prior_weight() + evidence.iter().map(|e| e.weight).sum::<f64>();
        ScoredPair {
            left: ids.0,
            right: ids.1,
            weight,
            probability: probability(weight),
            evidence,
        }
        .ordered()
    }
}

/// The probability of a match from a weight in bits.
pub fn probability(weight: f64) -> f64 {
    1.0 / (1.0 + (-weight).exp2())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::compare;
    use crate::em::{initial_m, EmFit};
    use crate::person::{BirthDate, Person};
    use std::collections::HashMap;

    fn at_home(given: &str, birth: &str, phone: &str) -> Prepared {
        Prepared::new(&Person {
            given_name: given.into(),
            family_name: "Muller".into(),
            birth_date: BirthDate::parse(birth),
            phones: vec![phone.into()],
            street: "12 Lindenstraße".into(),
            postcode: "10115".into(),
            city: "Berlin".into(),
            ..Default::default()
        })
    }

    fn evidence(a: &Prepared, b: &Prepared) -> HashMap<String, f64> {
        let mut u = initial_m();
        for levels in &mut u {
            let top = levels.len() - 1;
            (levels[1], levels[top]) = (levels[top], levels[1] / 100.0);
        }
        let fit = EmFit {
            m: initial_m(),
            u,
            lambda: 1e-4,
            iterations: 1,
            converged: true,
        };
        let model = MatchModel::from_fit(&fit, MatchSettings::default());
        let pair = model.scored_pair((1, 2), compare(a, b), a, b, &TermFrequencies::default());
        pair.evidence.into_iter().map(|e| (e.field, e.weight)).collect()
    }

    #[test]
    fn a_household_shares_its_address_and_phone_but_not_its_birth_dates() {
        let mother = at_home("Anna", "1961-02-21", "+49 30 1234567");
        let daughter = at_home("Anna", "1992-12-15", "+49 30 1234567");
        let again = at_home("Anna", "1961-02-21", "+49 30 1234567");
        let household = evidence(&mother, &daughter);
        assert_eq!((household["address"], household["email_phone"]), (0.0, 0.0), "{household:?}");
        let same = evidence(&mother, &again);
        assert!(same["email_phone"] > 5.0, "{same:?}");
    }
}
