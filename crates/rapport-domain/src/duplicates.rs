//! Duplicate profiles: what the matcher says about a pair of guests, and what Rapport does
//! with it.
//!
//! The matcher (crate `rapport-match`) scores a pair of profiles with Fellegi–Sunter match
//! weights; the storage layer keeps the pairs worth a person's look in a review queue and
//! the merges it or a person made, so they can be explained and undone. These types are the
//! contract between the two: plain data, serialisable, so the evidence a reviewer sees is
//! exactly the evidence the decision was taken on.

use serde::{Deserialize, Serialize};

use crate::guest::GuestId;

/// How one field of the two profiles compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FieldOutcome {
    /// Equal after normalisation.
    Agreed,
    /// Close but not equal (a typo, a transposed day and month, initials, a nickname).
    Partial,
    Disagreed,
    /// Missing on one side or both: no evidence either way (weight 0).
    Missing,
}

/// The evidence one field contributed to a pair's score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FieldEvidence {
    /// `name`, `birth_date`, `email`, `phone`, `address`, `company`, `id_document`, …
    pub field: String,
    pub outcome: FieldOutcome,
    /// log2(m/u) for this outcome, after term-frequency adjustment: positive for evidence of
    /// a match, negative against.
    pub weight: f64,
    /// What was compared, as shown to a reviewer (e.g. `"张伟" ~ "Zhang Wei"`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
}

/// A candidate pair with its score and the per-field evidence behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ScoredPair {
    /// The lower id first, so a pair has one spelling.
    pub left: GuestId,
    pub right: GuestId,
    /// Sum of the field weights plus the prior log2 odds of a match.
    pub weight: f64,
    /// The posterior probability that the two are the same person.
    pub probability: f64,
    pub evidence: Vec<FieldEvidence>,
}

impl ScoredPair {
    /// The pair with its ids in canonical order (lower first).
    pub fn ordered(mut self) -> Self {
        if self.left > self.right {
            std::mem::swap(&mut self.left, &mut self.right);
        }
        self
    }

    /// The order pairs are filed in: most probable first (a sure merge happens before a
    /// weaker pair of the same profiles is looked at), then by ids, so a run is repeatable.
    pub fn strongest_first(&self, other: &Self) -> std::cmp::Ordering {
        other
            .probability
            .total_cmp(&self.probability)
            .then((self.left, self.right).cmp(&(other.left, other.right)))
    }
}

/// Where a pair's probability puts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MatchDecision {
    /// Above the auto-merge threshold: merged without asking.
    Merge,
    /// Between the thresholds: a person decides.
    Review,
    /// Below: nothing happens.
    Distinct,
}

/// The two thresholds on the match probability. The defaults make a wrong merge rarer than a
/// missed one: an unmerged duplicate costs a reviewer a click later, a wrong merge shows one
/// guest another's allergies. On the generator's hard setting at 0.98, 0.4 % of merged
/// pairs are wrong and 3.5 % of duplicate pairs are missed (`docs/benchmarks.md`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MatchThresholds {
    pub auto_merge: f64,
    pub review: f64,
}

impl Default for MatchThresholds {
    fn default() -> Self {
        Self {
            auto_merge: 0.98,
            review: 0.80,
        }
    }
}

impl MatchThresholds {
    pub fn decide(&self, probability: f64) -> MatchDecision {
        if probability >= self.auto_merge {
            MatchDecision::Merge
        } else if probability >= self.review {
            MatchDecision::Review
        } else {
            MatchDecision::Distinct
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_sort_pairs_into_merge_review_and_distinct() {
        let t = MatchThresholds::default();
        assert_eq!(t.decide(0.9999), MatchDecision::Merge);
        assert_eq!(t.decide(0.95), MatchDecision::Review);
        assert_eq!(t.decide(0.2), MatchDecision::Distinct);
    }

    #[test]
    fn a_pair_has_one_spelling() {
        let p = ScoredPair {
            left: 9,
            right: 3,
            weight: 1.0,
            probability: 0.5,
            evidence: vec![],
        }
        .ordered();
        assert_eq!((p.left, p.right), (3, 9));
    }
}
