//! Checking each arriving profile against the base, as it arrives.
//!
//! A server keeps one [`IdentityWatch`]: the matcher's [`MatchIndex`] over every live profile,
//! fitted on the base when the server starts. A profile created through the API is scored in
//! memory against the few profiles sharing a block key with it (microseconds at a million
//! profiles), added to the index, and its pairs at or above the review threshold are filed
//! with `Store::record_candidates` — one short transaction, and only when there is a
//! candidate at all, so the request waits for it and a client (or a test) that reads the
//! review queue or merge history afterwards sees the outcome. Edits and merges re-read the
//! profiles they touched so the index follows the stored documents.

use std::sync::{Arc, Mutex, MutexGuard};

use rapport_domain::guest::{Guest, GuestId};
use rapport_match::{fit, MatchIndex, MatchSettings, MatchThresholds, Person};
use rapport_store::{CandidateOutcome, Result, Store, StoreError};

use crate::base::live_people;

enum State {
    /// The index is being built; profiles that arrive meanwhile are checked once it is ready.
    Building {
        arrived: Vec<GuestId>,
    },
    Ready(Box<MatchIndex>),
    /// Building failed (logged); arrivals are left to the next batch run.
    Off,
}

pub struct IdentityWatch {
    store: Arc<dyn Store>,
    thresholds: MatchThresholds,
    state: Mutex<State>,
}

impl IdentityWatch {
    /// Builds the index before returning (tests, small bases, the import command).
    pub async fn build(store: Arc<dyn Store>, settings: MatchSettings) -> Result<Arc<Self>> {
        let watch = Self::building(store, settings);
        watch.clone().load(settings).await?;
        Ok(watch)
    }

    /// Returns at once and builds the index in the background (a million profiles take
    /// about a minute to read and fit); the server answers meanwhile.
    pub fn start(store: Arc<dyn Store>, settings: MatchSettings) -> Arc<Self> {
        let watch = Self::building(store, settings);
        let loading = watch.clone();
        tokio::spawn(async move {
            if let Err(e) = loading.clone().load(settings).await {
                tracing::error!(error = %e, "duplicate check of arriving profiles is off: the match index could not be built");
                *loading.lock() = State::Off;
            }
        });
        watch
    }

    fn building(store: Arc<dyn Store>, settings: MatchSettings) -> Arc<Self> {
        Arc::new(IdentityWatch {
            store,
            thresholds: settings.thresholds,
            state: Mutex::new(State::Building { arrived: Vec::new() }),
        })
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Reads the base, fits the model on it and builds the index; then checks the profiles
    /// that arrived meanwhile (they are in the base read, so they are scored, not re-added).
    async fn load(self: Arc<Self>, settings: MatchSettings) -> Result<()> {
        let started = std::time::Instant::now();
        let people = live_people(&self.store, &indicatif::ProgressBar::hidden()).await?;
        let count = people.len();
        let index = tokio::task::spawn_blocking(move || {
            let model = fit(&people, &settings, &|_| {});
            if !model.from_reference.is_empty() {
                tracing::info!(fields = ?model.from_reference, "no duplicates in the base to learn from: these fields are scored with the reference model");
            }
            MatchIndex::build(model, &people)
        })
        .await
        .map_err(|e| StoreError::Task(e.to_string()))?;
        let arrived = match std::mem::replace(&mut *self.lock(), State::Ready(Box::new(index))) {
            State::Building { arrived } => arrived,
            _ => Vec::new(),
        };
        tracing::info!(profiles = count, seconds = started.elapsed().as_secs_f64(), "match index ready");
        for id in arrived {
            match self.store.guest(id).await {
                Ok(guest) => {
                    self.arrived(&guest).await?;
                }
                Err(StoreError::NotFound(_) | StoreError::Merged { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Whether arriving profiles are being checked (the index is built).
    pub fn is_ready(&self) -> bool {
        matches!(*self.lock(), State::Ready(_))
    }

    /// Checks a newly stored profile against the base: scores it, adds it to the index, and
    /// files its pairs (a sure duplicate merged by `auto`, a likely one queued for review).
    pub async fn arrived(&self, guest: &Guest) -> Result<CandidateOutcome> {
        let person = Person::from(guest);
        let pairs = match &mut *self.lock() {
            State::Building { arrived } => {
                arrived.push(guest.id);
                return Ok(CandidateOutcome::default());
            }
            State::Off => return Ok(CandidateOutcome::default()),
            State::Ready(index) => {
                let pairs = index.score(&person);
                index.insert(&person);
                pairs
            }
        };
        let pairs: Vec<_> = pairs.into_iter().filter(|p| p.probability >= self.thresholds.review).collect();
        if pairs.is_empty() {
            return Ok(CandidateOutcome::default());
        }
        let mut touched: Vec<GuestId> = pairs.iter().flat_map(|p| [p.left, p.right]).collect();
        touched.sort_unstable();
        touched.dedup();
        let outcome = self.store.record_candidates(pairs, self.thresholds).await?;
        if outcome.merged > 0 {
            self.changed(&touched).await?;
        }
        Ok(outcome)
    }

    /// Profiles that changed (edited, merged, a merge undone): the index follows their stored
    /// documents, and drops a profile merged away.
    pub async fn changed(&self, ids: &[GuestId]) -> Result<()> {
        for &id in ids {
            let person = match self.store.guest(id).await {
                Ok(guest) => Some(Person::from(&guest)),
                Err(StoreError::NotFound(_) | StoreError::Merged { .. }) => None,
                Err(e) => return Err(e),
            };
            if let State::Ready(index) = &mut *self.lock() {
                match &person {
                    Some(p) => index.insert(p),
                    None => {
                        index.remove(id);
                    }
                }
            }
        }
        Ok(())
    }
}
