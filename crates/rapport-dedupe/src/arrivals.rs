//! The profiles an import created, checked against the base they arrived in.
//!
//! `rapport import` runs in its own process, so it cannot use a server's live
//! [`IdentityWatch`](crate::IdentityWatch); it does what the watch does, in one pass after the
//! rows are stored: the model is fitted on the base as it now is, an index is built over the
//! profiles that were there before, and each new profile is scored in the order it was
//! created, then added — so two new profiles of one person in the same file meet each other
//! too. Pairs at or above the review threshold are filed like the batch's, strongest first.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Instant;

use rapport_domain::guest::GuestId;
use rapport_match::{fit, MatchIndex, MatchSettings, Person, ScoredPair};
use rapport_store::{CandidateOutcome, Result, Store, StoreError};
use serde::Serialize;

use crate::base::{bar, live_people};
use crate::batch::file_pairs;

/// What checking the new profiles did, as `rapport import --json` prints it under
/// `duplicates`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ArrivalReport {
    /// New profiles scored against the base.
    pub checked: usize,
    /// Pairs at or above the review threshold.
    pub candidate_pairs: usize,
    /// What filing them did: merged, queued, skipped (never-merge marks, decided pairs, a
    /// profile merged away by a stronger pair).
    #[serde(flatten)]
    pub filed: CandidateOutcome,
    pub seconds: f64,
}

/// Checks the profiles `new` (ids the import created) against every other live profile and
/// each other; does nothing, not even reading the base, when there are none.
pub async fn check_arrivals(store: Arc<dyn Store>, settings: MatchSettings, new: &[GuestId], progress: bool) -> Result<ArrivalReport> {
    let mut report = ArrivalReport::default();
    if new.is_empty() {
        return Ok(report);
    }
    let start = Instant::now();
    let total = store.counts().await?.guests.max(0) as u64;
    let reading = bar(progress, total, "profiles read for the duplicate check");
    let people = live_people(&store, &reading).await?;
    reading.finish_and_clear();

    let scoring = bar(progress, new.len() as u64, "new profiles checked");
    let (checked, mut pairs) = {
        let scoring = scoring.clone();
        let new: HashSet<GuestId> = new.iter().copied().collect();
        tokio::task::spawn_blocking(move || {
            let model = fit(&people, &settings, &|_| {});
            let (arrived, before): (Vec<Person>, Vec<Person>) = people.into_iter().partition(|p| new.contains(&p.id));
            let mut index = MatchIndex::build(model, &before);
            drop(before);
            let mut pairs = Vec::new();
            // `live_people` reads by id, so this is the order the import created them in.
            for person in &arrived {
                pairs.extend(
                    index
                        .score(person)
                        .into_iter()
                        .filter(|p| p.probability >= settings.thresholds.review),
                );
                index.insert(person);
                scoring.inc(1);
            }
            (arrived.len(), pairs)
        })
        .await
        .map_err(|e| StoreError::Task(e.to_string()))?
    };
    scoring.finish_and_clear();
    report.checked = checked;
    report.candidate_pairs = pairs.len();
    pairs.sort_by(ScoredPair::strongest_first);
    let filing = bar(progress, pairs.len() as u64, "pairs filed");
    report.filed = file_pairs(store.as_ref(), pairs, settings.thresholds, &filing).await?;
    filing.finish_and_clear();
    report.seconds = start.elapsed().as_secs_f64();
    Ok(report)
}
