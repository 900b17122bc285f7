//! `rapport dedupe`: the whole base as one batch.

use std::sync::Arc;
use std::time::Instant;

use indicatif::ProgressBar;
use rapport_match::{dedupe, Dedupe, MatchSettings, MatchThresholds, Progress, ScoredPair};
use rapport_store::{CandidateOutcome, Result, Store, StoreError};
use serde::Serialize;

use crate::base::{bar, live_people};

/// Pairs filed per transaction. One transaction per pair is slow on both backends, one for
/// the whole run holds SQLite's writer (and PostgreSQL's row locks) for minutes; a few
/// thousand keeps each commit short and its cost spread thin.
pub const PAIRS_PER_TRANSACTION: usize = 2_000;

/// What a batch run did, as `rapport dedupe --json` prints it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct BatchReport {
    /// Live profiles matched.
    pub profiles: usize,
    /// Pairs compared (sharing a block key).
    pub compared_pairs: usize,
    /// Pairs at or above the review threshold: the candidates filed.
    pub candidate_pairs: usize,
    /// Merged automatically (decided by `auto`).
    pub merged: usize,
    /// Put in (or refreshed in) the review queue.
    pub queued: usize,
    /// Left alone: marked never to merge, already decided, or a profile merged away meanwhile.
    pub skipped: usize,
    /// Of the skipped, pairs marked never to merge.
    pub never_merge: usize,
    /// Fields scored with the reference `m` because the base showed no duplicates to learn
    /// them from (a new group's base, or one without repeat guests): see `docs/dedupe.md`.
    pub learnt_nothing_for: Vec<String>,
    pub seconds_reading: f64,
    pub seconds_matching: f64,
    pub seconds_filing: f64,
}

/// Reads every live profile, matches the base and files the pairs: at or above
/// `settings.thresholds.auto_merge` merged (the newer profile into the older), between the
/// thresholds queued.
pub async fn dedupe_base(store: Arc<dyn Store>, settings: MatchSettings, progress: bool) -> Result<BatchReport> {
    let mut report = BatchReport::default();

    let start = Instant::now();
    let total = store.counts().await?.guests.max(0) as u64;
    let reading = bar(progress, total, "profiles read");
    let people = live_people(&store, &reading).await?;
    reading.finish_and_clear();
    report.profiles = people.len();
    report.seconds_reading = start.elapsed().as_secs_f64();
    tracing::info!(profiles = people.len(), seconds = report.seconds_reading, "base read");

    let start = Instant::now();
    let matching = bar(progress, people.len() as u64, "prepare");
    let found = {
        let matching = matching.clone();
        tokio::task::spawn_blocking(move || dedupe(&people, &settings, &|p: Progress| show(&matching, p)))
            .await
            .map_err(|e| StoreError::Task(e.to_string()))?
    };
    matching.finish_and_clear();
    report.compared_pairs = found.stats.candidate_pairs;
    report.candidate_pairs = found.pairs.len();
    report.seconds_matching = start.elapsed().as_secs_f64();
    report.learnt_nothing_for = found.model.from_reference.clone();
    tracing::info!(pairs = found.pairs.len(), seconds = report.seconds_matching, "base matched");
    crate::base::log_reference_fields(&report.learnt_nothing_for);

    let start = Instant::now();
    let Dedupe { pairs, .. } = found;
    let filing = bar(progress, pairs.len() as u64, "pairs filed");
    let outcome = file_pairs(store.as_ref(), pairs, settings.thresholds, &filing).await?;
    filing.finish_and_clear();
    report.merged = outcome.merged;
    report.queued = outcome.queued;
    report.skipped = outcome.skipped;
    report.never_merge = outcome.never_merge;
    report.seconds_filing = start.elapsed().as_secs_f64();
    Ok(report)
}

/// Files `pairs` (strongest first) in transactions of [`PAIRS_PER_TRANSACTION`]: at or above
/// the auto-merge threshold merged (the newer profile into the older), between the
/// thresholds queued, pairs with a profile merged away by a stronger pair skipped.
pub async fn file_pairs(
    store: &dyn Store,
    pairs: Vec<ScoredPair>,
    thresholds: MatchThresholds,
    bar: &ProgressBar,
) -> Result<CandidateOutcome> {
    let mut outcome = CandidateOutcome::default();
    let mut pairs = pairs.into_iter().peekable();
    while pairs.peek().is_some() {
        let chunk: Vec<_> = pairs.by_ref().take(PAIRS_PER_TRANSACTION).collect();
        let n = chunk.len() as u64;
        outcome += store.record_candidates(chunk, thresholds).await?;
        bar.inc(n);
    }
    Ok(outcome)
}

fn show(bar: &ProgressBar, p: Progress) {
    let stage = format!("{:?}", p.stage).to_lowercase();
    if bar.message() != stage {
        bar.set_message(stage);
        bar.set_length(p.total);
    }
    bar.set_position(p.done);
}
