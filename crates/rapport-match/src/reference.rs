//! The reference `m`: how a guest's duplicate agrees with them, for a base that cannot
//! teach it.
//!
//! EM learns `m` from the pairs it takes for matches. A base with no duplicates (a new
//! group's, or the demo group, where every guest is a different person) gives it none, and
//! it then fits whatever else is common among its training pairs: on the 1,000,000-guest demo
//! group, namesakes born a digit apart in one city, and it learnt that a match has the
//! same given name one time in nine and a birth date one digit off six times in seven.
//! Scored with that, 8,623 pairs of different people were merged. Such a fit is refused
//! (`training::found_duplicates`), and the fields it should have taught take these values.
//!
//! For names, birth dates, contacts and document numbers they are what EM measures on the
//! generator's hard setting (100,000 profiles, seed 7: `rapport dedupe generate --setting
//! hard`, then `rapport dedupe evaluate --json` prints the model), where every repeat of a
//! guest carries the mistakes a hotel's data has: typos, initials, nicknames, swapped names,
//! married names, transposed birth dates, changed or masked contacts, OCR'd document
//! numbers. The generator's repeats never move, change employer or country, so it measures
//! that a duplicate's address is the same 99.8 % of the time and a shared city without the
//! street is evidence *against* a match (−6.8 bits): an artefact, which lost a rare name
//! met twice in one city. Address, company and country take EM's starting point instead
//! (`em::initial_m`: agreement 0.8, partial levels 0.18 between them, a disagreement 0.02).
//! A base with duplicates of its own measures its own `m`. `rapport-demo`'s `reference`
//! test checks the measured values against a fresh fit.

use crate::em::{initial_m, LevelProbabilities};
use crate::fields::Field;

/// `m` of each level from "different" up to "equal" (the missing level has none), of the
/// fields the hard setting measures.
fn measured(field: Field) -> Option<&'static [f64]> {
    Some(match field {
        // different, similar or initial, typo/nickname/part, equal
        Field::GivenName => &[0.0243, 0.0691, 0.1377, 0.7689],
        // different, sounds alike, typo or part, equal
        Field::FamilyName => &[0.0181, 0.0192, 0.1261, 0.8366],
        // different, swapped or one digit, equal
        Field::BirthDate => &[0.0228, 0.0959, 0.8812],
        // different, near, one equal, equal
        Field::Contact => &[0.1325, 0.0195, 0.1355, 0.7124],
        // different, one character or OCR, equal
        Field::IdDocument => &[0.0001, 0.1208, 0.8791],
        Field::Address | Field::Company | Field::Country => return None,
    })
}

/// The reference `m` of one field, indexed by level (0, missing, unused).
pub fn reference_m(field: Field) -> Vec<f64> {
    match measured(field) {
        Some(levels) => std::iter::once(0.0).chain(levels.iter().copied()).collect(),
        None => initial_m()[field.index()].clone(),
    }
}

/// The reference `m` of every field.
pub fn reference() -> LevelProbabilities {
    Field::ALL.map(reference_m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_has_its_levels_and_they_sum_to_one() {
        for f in Field::ALL {
            let m = reference_m(f);
            assert_eq!(m.len(), f.level_count(), "{}", f.name());
            assert!((m.iter().sum::<f64>() - 1.0).abs() < 1e-3, "{}: {m:?}", f.name());
        }
    }
}
