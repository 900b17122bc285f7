//! The compared fields and their levels, and how a pair's levels pack into one number.
//!
//! Every field compares into a level: `0` is missing (one side or both has nothing: no
//! evidence, weight 0), `1` is disagreed, the highest is agreed, and those between are
//! degrees of "close" (a typo, a nickname, a transposed day and month). A pair's levels
//! pack into a [`Pattern`], so EM runs over the few thousand distinct patterns rather than
//! millions of pairs.

use rapport_domain::duplicates::FieldOutcome;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    GivenName,
    FamilyName,
    BirthDate,
    /// Emails and phones together: a household shares both, so counting them as two
    /// independent pieces of evidence would double the weight of living together.
    Contact,
    Address,
    Company,
    IdDocument,
    /// Country of residence, or nationality where no address was given: two guests named
    /// `Wang Wei` from Shanghai and from Frankfurt are two people.
    Country,
}

pub const FIELD_COUNT: usize = 8;

impl Field {
    pub const ALL: [Field; FIELD_COUNT] = [
        Field::GivenName,
        Field::FamilyName,
        Field::BirthDate,
        Field::Contact,
        Field::Address,
        Field::Company,
        Field::IdDocument,
        Field::Country,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    /// The name in evidence and documentation.
    pub fn name(self) -> &'static str {
        match self {
            Field::GivenName => "given_name",
            Field::FamilyName => "family_name",
            Field::BirthDate => "birth_date",
            Field::Contact => "email_phone",
            Field::Address => "address",
            Field::Company => "company",
            Field::IdDocument => "id_document",
            Field::Country => "country",
        }
    }

    /// What each level means, from level 1 (disagreed) up; level 0 is always "missing".
    pub fn level_labels(self) -> &'static [&'static str] {
        match self {
            Field::GivenName => &["different", "similar or initial", "typo, nickname or part of", "equal"],
            Field::FamilyName => &["different", "sounds alike", "typo or part of", "equal"],
            Field::BirthDate => &["different", "day and month swapped or one digit", "equal"],
            Field::Contact => &["different", "near (typo, same mailbox name)", "one equal, other different", "equal"],
            Field::Address => &["different", "same city or postcode", "street similar", "equal"],
            Field::Company => &["different", "similar", "equal"],
            Field::IdDocument => &["different", "one character or OCR confusion", "equal"],
            Field::Country => &["different", "equal"],
        }
    }

    /// Levels including missing (0).
    pub fn level_count(self) -> usize {
        self.level_labels().len() + 1
    }

    pub fn top_level(self) -> u8 {
        self.level_labels().len() as u8
    }

    /// Whether agreement on a value of this field is weighed by how rare the value is.
    pub fn has_term_frequency(self) -> bool {
        matches!(self, Field::GivenName | Field::FamilyName | Field::Contact)
    }

    pub fn outcome(self, level: u8) -> FieldOutcome {
        match level {
            0 => FieldOutcome::Missing,
            1 => FieldOutcome::Disagreed,
            l if l == self.top_level() => FieldOutcome::Agreed,
            _ => FieldOutcome::Partial,
        }
    }
}

/// The levels of all fields of one pair, three bits each, plus one bit for "the names
/// were compared swapped" (given against family).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pattern(pub u32);

const SWAPPED_BIT: u32 = 1 << 31;

impl Pattern {
    pub fn new(levels: [u8; FIELD_COUNT], swapped: bool) -> Self {
        let mut bits = if swapped { SWAPPED_BIT } else { 0 };
        for (i, l) in levels.iter().enumerate() {
            bits |= u32::from(*l & 7) << (3 * i);
        }
        Pattern(bits)
    }

    pub fn level(self, field: Field) -> u8 {
        ((self.0 >> (3 * field.index())) & 7) as u8
    }

    pub fn swapped(self) -> bool {
        self.0 & SWAPPED_BIT != 0
    }

    /// The pattern with `fields` set to missing: a training session leaves out the fields
    /// its pairs were chosen by.
    pub fn without(self, fields: &[Field]) -> Pattern {
        let mut bits = self.0;
        for f in fields {
            bits &= !(7 << (3 * f.index()));
        }
        Pattern(bits)
    }

    /// The same levels without the swapped flag: what EM counts.
    pub fn levels_only(self) -> Pattern {
        Pattern(self.0 & !SWAPPED_BIT)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_round_trip_their_levels() {
        let p = Pattern::new([4, 3, 2, 1, 0, 3, 2, 2], true);
        assert_eq!(p.level(Field::GivenName), 4);
        assert_eq!(p.level(Field::Contact), 1);
        assert_eq!(p.level(Field::IdDocument), 2);
        assert_eq!(p.level(Field::Country), 2);
        assert!(p.swapped());
        assert!(!p.levels_only().swapped());
        assert_eq!(Field::BirthDate.outcome(3), FieldOutcome::Agreed);
        assert_eq!(Field::BirthDate.outcome(2), FieldOutcome::Partial);
    }
}
