//! Scoring one arriving profile against the whole base.
//!
//! The index holds every person prepared, their block keys mapped to positions, and the
//! term frequencies of the base; with a fitted [`MatchModel`] a new profile is scored
//! against just the persons sharing one of its keys — a handful, whatever the size of the
//! base — so an import checks each row as it arrives.

use std::collections::HashMap;

use rapport_domain::guest::GuestId;

use crate::blocking::block_keys;
use crate::compare::compare;
use crate::frequencies::TermFrequencies;
use crate::keys::KeyMap;
use crate::model::MatchModel;
use crate::person::Person;
use crate::prepare::Prepared;
use crate::ScoredPair;

/// Positions under one block key; most keys have one person.
#[derive(Debug, Clone)]
enum Positions {
    One(u32),
    Many(Vec<u32>),
}

#[derive(Debug, Clone)]
pub struct MatchIndex {
    model: MatchModel,
    ids: Vec<Option<GuestId>>,
    prepared: Vec<Prepared>,
    keys: Vec<Vec<u64>>,
    position: HashMap<GuestId, u32>,
    blocks: KeyMap<Positions>,
    tf: TermFrequencies,
}

impl MatchIndex {
    pub fn new(model: MatchModel) -> Self {
        MatchIndex {
            model,
            ids: Vec::new(),
            prepared: Vec::new(),
            keys: Vec::new(),
            position: HashMap::new(),
            blocks: KeyMap::default(),
            tf: TermFrequencies::default(),
        }
    }

    /// An index over `people` (e.g. the whole base at start-up).
    pub fn build(model: MatchModel, people: &[Person]) -> Self {
        let mut index = MatchIndex::new(model);
        people.iter().for_each(|p| index.insert(p));
        index
    }

    pub fn model(&self) -> &MatchModel {
        &self.model
    }

    pub fn len(&self) -> usize {
        self.position.len()
    }

    pub fn is_empty(&self) -> bool {
        self.position.is_empty()
    }

    /// Adds a person, replacing an earlier version with the same id.
    pub fn insert(&mut self, person: &Person) {
        self.remove(person.id);
        let prepared = Prepared::new(person);
        let keys = block_keys(&prepared);
        let pos = self.prepared.len() as u32;
        for k in &keys {
            match self.blocks.get_mut(k) {
                None => {
                    self.blocks.insert(*k, Positions::One(pos));
                }
                Some(Positions::One(other)) => {
                    let other = *other;
                    self.blocks.insert(*k, Positions::Many(vec![other, pos]));
                }
                Some(Positions::Many(v)) => v.push(pos),
            }
        }
        self.tf.add(&prepared);
        self.prepared.push(prepared);
        self.keys.push(keys);
        self.ids.push(Some(person.id));
        self.position.insert(person.id, pos);
    }

    /// Takes a person out (merged away or erased). Its slot stays empty.
    pub fn remove(&mut self, id: GuestId) -> bool {
        let Some(pos) = self.position.remove(&id) else {
            return false;
        };
        for k in std::mem::take(&mut self.keys[pos as usize]) {
            if let Some(Positions::Many(v)) = self.blocks.get_mut(&k) {
                v.retain(|&p| p != pos);
            } else {
                self.blocks.remove(&k);
            }
        }
        self.tf.remove(&self.prepared[pos as usize]);
        self.prepared[pos as usize] = Prepared::default();
        self.ids[pos as usize] = None;
        true
    }

    /// Every indexed person sharing a block key with `person` (not itself), scored with
    /// evidence, most probable first.
    pub fn score(&self, person: &Person) -> Vec<ScoredPair> {
        let prepared = Prepared::new(person);
        let mut candidates: Vec<u32> = Vec::new();
        for k in block_keys(&prepared) {
            match self.blocks.get(&k) {
                Some(Positions::One(p)) => candidates.push(*p),
                Some(Positions::Many(v)) if v.len() <= self.model.settings.max_block => candidates.extend_from_slice(v),
                _ => {}
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        let mut pairs: Vec<ScoredPair> = candidates
            .into_iter()
            .filter_map(|c| {
                let id = self.ids[c as usize].filter(|id| *id != person.id)?;
                let other = &self.prepared[c as usize];
                let pattern = compare(&prepared, other);
                Some(self.model.scored_pair((person.id, id), pattern, &prepared, other, &self.tf))
            })
            .collect();
        pairs.sort_by(|x, y| y.probability.total_cmp(&x.probability));
        pairs
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_base::{base, person};
    use crate::{fit, MatchDecision, MatchSettings};

    /// One model for all tests here: fitting is the slow part.
    fn model() -> MatchModel {
        static MODEL: std::sync::OnceLock<MatchModel> = std::sync::OnceLock::new();
        MODEL.get_or_init(|| fit(&base(3_000), &MatchSettings::default(), &|_| {})).clone()
    }

    fn index() -> MatchIndex {
        let people = base(3_000);
        let model = model();
        let mut index = MatchIndex::build(model, &people);
        index.insert(&person(1, "Wei", "Zhang", "1980-02-03", "zw1980@qq.example", "+86 138 0013 8000"));
        index.insert(&person(
            2,
            "Wei",
            "Wang",
            "1975-06-07",
            "wangwei75@163.example",
            "+86 139 0000 1111",
        ));
        index.insert(&person(3, "Ade", "Oyelaran", "1966-01-02", "", ""));
        index.insert(&person(4, "Mary", "Wang", "1966-01-02", "", ""));
        index
    }

    fn best(index: &MatchIndex, p: &Person, other: GuestId) -> Option<ScoredPair> {
        index.score(p).into_iter().find(|s| s.left == other || s.right == other)
    }

    fn decision(index: &MatchIndex, p: &Person, other: GuestId) -> MatchDecision {
        let prob = best(index, p, other).map_or(0.0, |s| s.probability);
        index.model().settings.thresholds.decide(prob)
    }

    #[test]
    fn swapped_names_with_the_same_phone_and_birthday_match() {
        let index = index();
        let p = person(10, "Zhang", "Wei", "1980-02-03", "", "+8613800138000");
        assert_eq!(decision(&index, &p, 1), MatchDecision::Merge);
    }

    #[test]
    fn chinese_characters_match_their_pinyin() {
        let index = index();
        let p = person(11, "伟", "张", "1980-02-03", "zw1980@qq.example", "");
        let pair = best(&index, &p, 1).expect("张伟 is a candidate for Zhang Wei");
        assert_eq!(index.model().settings.thresholds.decide(pair.probability), MatchDecision::Merge);
        let name = pair.evidence.iter().find(|e| e.field == "given_name").unwrap();
        assert_eq!(name.outcome, crate::FieldOutcome::Agreed);
    }

    #[test]
    fn two_wang_weis_with_other_birthdays_and_phones_stay_apart() {
        let index = index();
        let p = person(12, "Wei", "Wang", "1988-11-30", "ww88@gmail.example", "+86 137 5555 6666");
        assert_eq!(decision(&index, &p, 2), MatchDecision::Distinct);
    }

    #[test]
    fn an_impossible_birth_date_is_compared_as_text() {
        let mut index = index();
        index.insert(&person(20, "Hanna", "Berg", "19560431", "hb@mail.example", ""));
        let p = person(21, "Hannah", "Berg", "1956-04-31", "hb@mail.example", "");
        let pair = best(&index, &p, 20).expect("a candidate");
        let birth = pair.evidence.iter().find(|e| e.field == "birth_date").unwrap();
        assert_eq!(birth.outcome, crate::FieldOutcome::Agreed);
    }

    #[test]
    fn agreeing_on_a_rare_family_name_weighs_more_than_on_wang() {
        let index = index();
        let family_weight = |p: &Person, other| {
            let pair = best(&index, p, other).expect("a candidate");
            pair.evidence.iter().find(|e| e.field == "family_name").unwrap().weight
        };
        let rare = family_weight(&person(30, "Ade", "Oyelaran", "1966-01-02", "", ""), 3);
        let common = family_weight(&person(31, "Mary", "Wang", "1966-01-02", "", ""), 4);
        assert!(rare > common + 2.0, "Oyelaran {rare:.2} bits, Wang {common:.2} bits");
    }

    #[test]
    fn a_removed_person_is_no_longer_a_candidate() {
        let mut index = index();
        assert!(index.remove(1));
        let p = person(10, "Wei", "Zhang", "1980-02-03", "zw1980@qq.example", "");
        assert!(best(&index, &p, 1).is_none());
    }
}
