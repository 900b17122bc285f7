//! The whole base in one call: prepare, block, compare, fit by EM, score, cluster.
//!
//! [`dedupe`] is what `rapport dedupe` runs over the database or a CSV; [`fit`] alone gives
//! the model that [`crate::MatchIndex`] scores arriving profiles with. Preparing and
//! comparing, the costly steps, run on every core with scoped threads.

use std::collections::HashMap;
use std::time::Instant;

use rapport_domain::guest::GuestId;
use serde::Serialize;

use crate::blocking::{block_keys, candidate_pairs};
use crate::cluster::clusters;
use crate::compare::compare;
use crate::fields::Pattern;
use crate::frequencies::TermFrequencies;
use crate::model::{probability, MatchModel, MatchSettings};
use crate::parallel::parallel_map;
use crate::person::Person;
use crate::prepare::Prepared;
use crate::training::train;
use crate::ScoredPair;

/// Steps of a batch run, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Prepare,
    Block,
    Compare,
    Fit,
    Score,
    Cluster,
}

/// How far a stage is: `done` of `total` items.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    pub stage: Stage,
    pub done: u64,
    pub total: u64,
}

/// Counts and timings of a run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DedupeStats {
    pub persons: usize,
    pub candidate_pairs: usize,
    /// Block keys shared by more than `max_block` persons, skipped.
    pub skipped_blocks: usize,
    pub distinct_patterns: usize,
    pub review_pairs: usize,
    pub merge_pairs: usize,
    /// Seconds per stage.
    pub seconds: Vec<(Stage, f64)>,
}

/// What a batch run found.
#[derive(Debug, Clone)]
pub struct Dedupe {
    pub model: MatchModel,
    /// Pairs at or above the review threshold, strongest first, with their evidence.
    pub pairs: Vec<ScoredPair>,
    /// Groups joined by pairs at or above the auto-merge threshold.
    pub clusters: Vec<Vec<GuestId>>,
    /// Pairs the model is sure are different people, among persons in `pairs`: groups are
    /// never chained across them.
    pub conflicts: Vec<(GuestId, GuestId)>,
    pub stats: DedupeStats,
}

impl Dedupe {
    /// Groups joined by pairs at or above `threshold` (at least the review threshold,
    /// since weaker pairs are not kept).
    pub fn clusters_at(&self, threshold: f64) -> Vec<Vec<GuestId>> {
        let mut ids: Vec<GuestId> = self.pairs.iter().flat_map(|p| [p.left, p.right]).collect();
        ids.sort_unstable();
        ids.dedup();
        let pos: HashMap<GuestId, u32> = ids.iter().enumerate().map(|(i, id)| (*id, i as u32)).collect();
        let links: Vec<(u32, u32, f64)> = self
            .pairs
            .iter()
            .filter(|p| p.probability >= threshold)
            .map(|p| (pos[&p.left], pos[&p.right], p.probability))
            .collect();
        let conflicts: Vec<(u32, u32)> = self
            .conflicts
            .iter()
            .filter_map(|(a, b)| Some((*pos.get(a)?, *pos.get(b)?)))
            .collect();
        clusters(ids.len(), &links, &conflicts)
            .into_iter()
            .map(|g| g.into_iter().map(|i| ids[i as usize]).collect())
            .collect()
    }
}

/// The base prepared, blocked and compared.
struct Compared {
    prepared: Vec<Prepared>,
    tf: TermFrequencies,
    pairs: Vec<(u32, u32)>,
    patterns: Vec<Pattern>,
}

fn timed<T>(stats: &mut DedupeStats, stage: Stage, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    stats.seconds.push((stage, start.elapsed().as_secs_f64()));
    out
}

/// Fits a model on a base: the model [`crate::MatchIndex`] then scores arrivals with.
pub fn fit(people: &[Person], settings: &MatchSettings, progress: &(dyn Fn(Progress) + Sync)) -> MatchModel {
    let prepared = parallel_map(people, Stage::Prepare, progress, Prepared::new);
    train(&prepared, settings, progress)
}

/// Finds the duplicates in a base: fits the model on it, scores every candidate pair and
/// groups the surest. `progress` is called from worker threads as stages advance.
pub fn dedupe(people: &[Person], settings: &MatchSettings, progress: &(dyn Fn(Progress) + Sync)) -> Dedupe {
    let mut stats = DedupeStats::default();
    let prepared = timed(&mut stats, Stage::Prepare, || {
        parallel_map(people, Stage::Prepare, progress, Prepared::new)
    });
    let mut tf = TermFrequencies::default();
    prepared.iter().for_each(|p| tf.add(p));
    let model = timed(&mut stats, Stage::Fit, || train(&prepared, settings, progress));
    let (pairs, skipped) = timed(&mut stats, Stage::Block, || {
        let keys = parallel_map(&prepared, Stage::Block, progress, block_keys);
        candidate_pairs(&keys, settings.max_block)
    });
    let patterns = timed(&mut stats, Stage::Compare, || {
        parallel_map(&pairs, Stage::Compare, progress, |&(i, j)| {
            compare(&prepared[i as usize], &prepared[j as usize])
        })
    });
    stats.persons = people.len();
    stats.candidate_pairs = pairs.len();
    stats.skipped_blocks = skipped;
    let c = Compared {
        prepared,
        tf,
        pairs,
        patterns,
    };
    let thresholds = settings.thresholds;
    let (pairs, conflicts) = timed(&mut stats, Stage::Score, || {
        let indices: Vec<u32> = (0..c.pairs.len() as u32).collect();
        let probabilities = parallel_map(&indices, Stage::Score, progress, |&k| {
            let (i, j) = c.pairs[k as usize];
            let w = model.weight(c.patterns[k as usize], &c.prepared[i as usize], &c.prepared[j as usize], &c.tf);
            probability(w) as f32
        });
        let mut linked = vec![false; people.len()];
        let mut pairs: Vec<ScoredPair> = Vec::new();
        for (k, &p) in probabilities.iter().enumerate() {
            if f64::from(p) >= thresholds.review {
                let (i, j) = c.pairs[k];
                linked[i as usize] = true;
                linked[j as usize] = true;
                let ids = (people[i as usize].id, people[j as usize].id);
                pairs.push(model.scored_pair(ids, c.patterns[k], &c.prepared[i as usize], &c.prepared[j as usize], &c.tf));
            }
        }
        let conflicts: Vec<(GuestId, GuestId)> = probabilities
            .iter()
            .enumerate()
            .filter(|(k, &p)| {
                let (i, j) = c.pairs[*k];
                f64::from(p) < settings.conflict_below && linked[i as usize] && linked[j as usize]
            })
            .map(|(k, _)| (people[c.pairs[k].0 as usize].id, people[c.pairs[k].1 as usize].id))
            .collect();
        pairs.sort_by(ScoredPair::strongest_first);
        (pairs, conflicts)
    });
    stats.review_pairs = pairs.len();
    stats.merge_pairs = pairs.iter().filter(|p| p.probability >= thresholds.auto_merge).count();
    let mut result = Dedupe {
        model,
        pairs,
        clusters: Vec::new(),
        conflicts,
        stats: DedupeStats::default(),
    };
    result.clusters = timed(&mut stats, Stage::Cluster, || result.clusters_at(thresholds.auto_merge));
    result.stats = stats;
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_base::{base, person};

    #[test]
    fn the_duplicates_of_a_base_are_found_and_strangers_left_alone() {
        let mut people = base(3_000);
        people.push(person(9_999_999, "Ole", "Hansen", "19560431", "", ""));
        let result = dedupe(&people, &MatchSettings::default(), &|_| {});
        assert!(result.model.em_converged);
        let originals = people.iter().filter(|p| p.id >= 1_000_000 && p.id < 9_999_999).count();
        let mut found = 0;
        for group in &result.clusters {
            assert_eq!(group.len(), 2, "{group:?}");
            assert_eq!(group[1], group[0] + 1_000_000, "{group:?} joins different people");
            found += 1;
        }
        assert!(found as f64 >= 0.95 * originals as f64, "{found} of {originals} duplicates found");
    }
}
