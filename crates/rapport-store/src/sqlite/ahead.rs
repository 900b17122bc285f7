//! What lets an import look its next batch up on a reader's connection while the writer
//! is still writing the batch before it.
//!
//! A reader sees what was committed when its read began. The writer then knows what it has
//! written since: the import's batches staged in its open transaction or committed after
//! the read began. Anything else that may have changed the database since (another write
//! in this process, a commit by another process, a batch rolled back) moves the
//! generation on, and a look-up made in an earlier generation is done again by the writer.
//! Within a generation, the writer probes again only the keys and references its own
//! recent batches wrote, and reads again only the profiles they rewrote.

use std::hash::BuildHasher;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use rapport_domain::guest::GuestId;
use rapport_domain::hotel::HotelId;
use rustc_hash::{FxBuildHasher, FxHashSet};

/// Where the writer stands, readable without its lock: the generation (see the module
/// docs) and how many commits of import batches it has made.
#[derive(Debug, Default)]
pub(super) struct Marks {
    generation: AtomicU64,
    commits: AtomicU64,
}

impl Marks {
    /// Read before a look-ahead begins its read transaction, so its snapshot holds at
    /// least every commit counted here.
    pub(super) fn now(&self) -> (u64, u64) {
        (self.generation.load(Ordering::SeqCst), self.commits.load(Ordering::SeqCst))
    }
}

/// What the writer's import batches wrote since the last two commits, as hashes: enough
/// to tell which of a batch's keys, references and profiles a look-ahead may have read
/// before they were written. A hash shared by chance only costs a probe.
#[derive(Debug, Default)]
pub(crate) struct Written {
    marks: Arc<Marks>,
    /// Batches committed by the last commit.
    previous: WrittenKeys,
    /// Batches staged since.
    current: WrittenKeys,
}

/// What one or more batches wrote (see [`Written`]).
#[derive(Debug, Default)]
pub(crate) struct WrittenKeys {
    keys: FxHashSet<u64>,
    refs: FxHashSet<u64>,
    guests: FxHashSet<GuestId>,
}

impl WrittenKeys {
    pub(super) fn key(&mut self, key: &str) {
        self.keys.insert(key_hash(key));
    }

    pub(super) fn stay_ref(&mut self, hotel: HotelId, reference: &str) {
        self.refs.insert(ref_hash(hotel, reference));
    }

    pub(super) fn guest(&mut self, id: GuestId) {
        self.guests.insert(id);
    }
}

pub(super) fn key_hash(key: &str) -> u64 {
    FxBuildHasher.hash_one(key)
}

pub(super) fn ref_hash(hotel: HotelId, reference: &str) -> u64 {
    FxBuildHasher.hash_one((hotel, reference))
}

impl Written {
    pub(super) fn marks(&self) -> Arc<Marks> {
        self.marks.clone()
    }

    /// Something the look-aheads cannot account for changed the database.
    pub(super) fn new_generation(&mut self) {
        self.marks.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// The staged batches were committed.
    pub(super) fn committed(&mut self) {
        self.previous = std::mem::take(&mut self.current);
        self.marks.commits.fetch_add(1, Ordering::SeqCst);
    }

    /// A staged batch wrote `keys`.
    pub(super) fn add(&mut self, keys: WrittenKeys) {
        self.current.keys.extend(keys.keys);
        self.current.refs.extend(keys.refs);
        self.current.guests.extend(keys.guests);
    }

    /// What was written after a look-ahead that began at `marks` read the database, or
    /// `None` if that look-up no longer holds.
    pub(super) fn since(&self, (generation, commits): (u64, u64)) -> Option<Since<'_>> {
        let (now, committed) = self.marks.now();
        if generation != now {
            return None;
        }
        match committed.checked_sub(commits)? {
            0 => Some(Since([&self.current, &self.current])),
            1 => Some(Since([&self.previous, &self.current])),
            _ => None,
        }
    }
}

/// What was written since a look-ahead began (see [`Written::since`]).
pub(super) struct Since<'w>([&'w WrittenKeys; 2]);

impl Since<'_> {
    pub(super) fn key(&self, key: &str) -> bool {
        let h = key_hash(key);
        self.0.iter().any(|w| w.keys.contains(&h))
    }

    pub(super) fn stay_ref(&self, hotel: HotelId, reference: &str) -> bool {
        let h = ref_hash(hotel, reference);
        self.0.iter().any(|w| w.refs.contains(&h))
    }

    pub(super) fn guest(&self, id: GuestId) -> bool {
        self.0.iter().any(|w| w.guests.contains(&id))
    }
}
