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
//!
//! Other processes change the base too: the nightly `rapport import`, `rapport dedupe` from
//! cron, another server. [`IdentityWatch::catch_up`], run every few seconds by a server,
//! reads the profiles changed since it last looked (`Store::guests_changed_after`, an index
//! range scan on the database's change stamps, never the whole base) and brings the index
//! in line: new profiles added, edited ones re-indexed, merged-away ones taken out, restored
//! ones put back.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use chrono::{DateTime, Utc};
use rapport_domain::guest::{Guest, GuestId};
use rapport_match::{fit, MatchIndex, MatchSettings, MatchThresholds, Person};
use rapport_store::{CandidateOutcome, GuestChange, Result, Store, StoreError};

use crate::base::{live_people, PAGE};

/// How often a server catches up with changes made elsewhere, unless configured.
pub const CATCH_UP_EVERY: Duration = Duration::from_secs(30);

/// How far back each catch-up looks before the time of the one before. A change is stamped
/// when it is written and becomes visible when its transaction commits, so a transaction
/// that commits after a catch-up carries a stamp that catch-up already passed (PostgreSQL
/// commits concurrent transactions in any order; a SQLite writer stamps before it commits).
/// An import batch or a chunk of the batch dedupe's pairs commits within seconds; a
/// transaction open longer than this would be missed until the profile changes again.
/// Re-reading the window is harmless: a change already applied is recognised and skipped.
const LOOK_BACK: Duration = Duration::from_secs(120);

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
    /// Where the next catch-up starts; one catch-up at a time.
    follow: tokio::sync::Mutex<Follow>,
}

#[derive(Default)]
struct Follow {
    /// Changes stamped after this (the database's clock) are read next; `None` until the
    /// index is built.
    since: Option<DateTime<Utc>>,
    /// The changes applied within the look-back window, by profile: read again, they are
    /// skipped (the index appends a re-inserted person and leaves the old slot empty).
    applied: HashMap<GuestId, Applied>,
}

/// One applied change: its stamp, and the profile's version (`None`: merged away). Two
/// changes stamped in the same millisecond (SQLite's resolution) still differ by one of them.
type Applied = (DateTime<Utc>, Option<i64>);

/// What one catch-up did to the index.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CaughtUp {
    /// Profiles created elsewhere (or restored by an undone merge), now indexed.
    pub added: usize,
    /// Indexed profiles changed elsewhere, indexed again as they are now.
    pub updated: usize,
    /// Profiles merged away elsewhere, taken out.
    pub removed: usize,
}

impl IdentityWatch {
    /// Builds the index before returning (tests, small bases, the import command).
    pub async fn build(store: Arc<dyn Store>, settings: MatchSettings) -> Result<Arc<Self>> {
        let watch = Self::building(store, settings);
        watch.clone().load(settings).await?;
        Ok(watch)
    }

    /// Returns at once and builds the index in the background (a million profiles take
    /// about a minute to read and fit); the server answers meanwhile. Once it is built, the
    /// index catches up with changes made by other processes every `catch_up_every`, for as
    /// long as the watch lives.
    pub fn start(store: Arc<dyn Store>, settings: MatchSettings, catch_up_every: Duration) -> Arc<Self> {
        let watch = Self::building(store, settings);
        let loading = Arc::downgrade(&watch);
        let first = watch.clone();
        tokio::spawn(async move {
            if let Err(e) = first.clone().load(settings).await {
                tracing::error!(error = %e, "duplicate check of arriving profiles is off: the match index could not be built");
                *first.lock() = State::Off;
                return;
            }
            drop(first);
            let mut tick = tokio::time::interval(catch_up_every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            tick.tick().await; // the first tick is now: the base was just read
            loop {
                tick.tick().await;
                let Some(watch) = loading.upgrade() else { break };
                match watch.catch_up().await {
                    Ok(c) if c != CaughtUp::default() => tracing::info!(
                        added = c.added,
                        updated = c.updated,
                        removed = c.removed,
                        "match index caught up with profiles changed elsewhere"
                    ),
                    Ok(_) => {}
                    // The next tick reads the same changes again: nothing is lost.
                    Err(e) => tracing::warn!(error = %e, "match index could not catch up with profiles changed elsewhere"),
                }
            }
        });
        watch
    }

    fn building(store: Arc<dyn Store>, settings: MatchSettings) -> Arc<Self> {
        Arc::new(IdentityWatch {
            store,
            thresholds: settings.thresholds,
            state: Mutex::new(State::Building { arrived: Vec::new() }),
            follow: tokio::sync::Mutex::new(Follow::default()),
        })
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Reads the base, fits the model on it and builds the index; then checks the profiles
    /// that arrived meanwhile (they are in the base read, so they are scored, not re-added).
    async fn load(self: Arc<Self>, settings: MatchSettings) -> Result<()> {
        let started = std::time::Instant::now();
        // Before the read: what changes while the base is read is caught up afterwards.
        let read_from = self.store.clock().await?;
        let people = live_people(&self.store, &indicatif::ProgressBar::hidden()).await?;
        let count = people.len();
        let index = tokio::task::spawn_blocking(move || {
            let model = fit(&people, &settings, &|_| {});
            crate::base::log_reference_fields(&model.from_reference);
            MatchIndex::build(model, &people)
        })
        .await
        .map_err(|e| StoreError::Task(e.to_string()))?;
        let arrived = match std::mem::replace(&mut *self.lock(), State::Ready(Box::new(index))) {
            State::Building { arrived } => arrived,
            _ => Vec::new(),
        };
        self.follow.lock().await.since = Some(read_from - LOOK_BACK);
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

impl IdentityWatch {
    /// Brings the index in line with the profiles changed since the last catch-up, by any
    /// process: created ones added, edited ones re-indexed, merged-away ones taken out, a
    /// profile restored by an undone merge put back. Nothing before the index is built.
    ///
    /// The profiles read here are not scored or filed: whoever made the change checked it
    /// (`rapport import` checks the profiles it creates against the base, `rapport dedupe`
    /// is itself the check, another server checks its arrivals), and an import run with
    /// `--no-duplicate-check` leaves them to the next batch, as it says. Filing them again
    /// here would only repeat that work; catching up is about the *next* arrival meeting
    /// them.
    pub async fn catch_up(self: &Arc<Self>) -> Result<CaughtUp> {
        let mut follow = self.follow.lock().await;
        let Some(since) = follow.since else {
            return Ok(CaughtUp::default());
        };
        let now = self.store.clock().await?;
        let mut caught = CaughtUp::default();
        let (mut at, mut after) = (since, 0);
        loop {
            let page = self.store.guests_changed_after(at, after, PAGE).await?;
            let full = page.len() as i64 == PAGE;
            if let Some(last) = page.last() {
                (at, after) = (last.changed_at, last.id);
            }
            let fresh: Vec<GuestChange> = page
                .into_iter()
                .filter(|c| {
                    let applied = (c.changed_at, c.guest.as_ref().map(|g| g.version));
                    follow.applied.insert(c.id, applied) != Some(applied)
                })
                .collect();
            if !fresh.is_empty() {
                // Preparing thousands of persons is CPU work: off the async threads.
                let watch = self.clone();
                let done = tokio::task::spawn_blocking(move || watch.apply(&fresh))
                    .await
                    .map_err(|e| StoreError::Task(e.to_string()))?;
                caught.added += done.added;
                caught.updated += done.updated;
                caught.removed += done.removed;
            }
            if !full {
                break;
            }
        }
        let next = (now - LOOK_BACK).max(since);
        follow.applied.retain(|_, (stamp, _)| *stamp > next);
        follow.since = Some(next);
        Ok(caught)
    }

    /// Changed profiles into the index, each under the lock on its own so an arrival waits
    /// for one person at most. A change that raced an edit made here is made good by the
    /// next catch-up: that edit's own stamp is inside the window it reads.
    fn apply(&self, changes: &[GuestChange]) -> CaughtUp {
        let mut caught = CaughtUp::default();
        for change in changes {
            let person = change.guest.as_ref().map(Person::from);
            let mut state = self.lock();
            let State::Ready(index) = &mut *state else {
                return caught;
            };
            let was_there = index.remove(change.id);
            match (&person, was_there) {
                (Some(p), was_there) => {
                    index.insert(p);
                    if was_there {
                        caught.updated += 1;
                    } else {
                        caught.added += 1;
                    }
                }
                (None, true) => caught.removed += 1,
                (None, false) => {}
            }
        }
        caught
    }
}
