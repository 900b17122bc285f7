//! Duplicate profiles in storage: the review queue, never-merge marks, merges and undo.
//!
//! The steps are written once, as async code over [`MergeSql`], a handful of primitives
//! each backend provides (run a statement, read rows, read a profile locked for the
//! transaction, write a profile with its index keys). SQLite's primitives never wait, so
//! its adapter drives the same futures to completion on the writer thread with
//! [`ready`]; PostgreSQL awaits them inside one transaction.
//!
//! What a merge does, and how undo sends things back, is documented on [`Store::merge_guests`]
//! and [`Store::undo_merge`](crate::Store::undo_merge).

mod flow;
mod queue;

pub(crate) use flow::{merge_guests, undo_merge};
pub(crate) use queue::{decide_pair, guest_merges, never_merge, record_candidates, review_queue};

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use chrono::{DateTime, Utc};
use rapport_domain::duplicates::FieldEvidence;
use rapport_domain::guest::{Guest, GuestId};
use serde::{Deserialize, Serialize};

use crate::rows::Cols;
use crate::{Result, StoreError};

/// Where a candidate pair stands in the review queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PairStatus {
    /// Waiting for a person.
    Pending,
    /// A person looked and postponed it; it stays in the queue after the pending ones.
    Later,
    Merged,
    /// Not the same person (a reviewer said so, or a merge of the two was undone).
    Distinct,
}

impl PairStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Later => "later",
            Self::Merged => "merged",
            Self::Distinct => "distinct",
        }
    }

    fn parse(s: &str) -> Result<Self> {
        [Self::Pending, Self::Later, Self::Merged, Self::Distinct]
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| StoreError::Corrupt(format!("pair status '{s}'")))
    }

    pub fn is_decided(self) -> bool {
        matches!(self, Self::Merged | Self::Distinct)
    }
}

/// What a reviewer decides about a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PairDecision {
    /// The same person: merge the right profile into the left (older) one.
    Merge,
    /// Not the same person: the pair leaves the queue and is marked never to merge.
    Distinct,
    /// Decide later: the pair stays in the queue, after the pending ones.
    Later,
}

/// A candidate pair in the review queue, with the matcher's evidence.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ReviewPair {
    pub left: GuestId,
    pub right: GuestId,
    pub weight: f64,
    pub probability: f64,
    pub evidence: Vec<FieldEvidence>,
    pub status: PairStatus,
    pub found_at: DateTime<Utc>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
}

/// What `record_candidates` did with a batch of scored pairs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CandidateOutcome {
    /// Pairs put in (or refreshed in) the review queue.
    pub queued: usize,
    /// Pairs above the auto-merge threshold that were merged.
    pub merged: usize,
    /// Pairs left alone: below the review threshold, marked never to merge, already
    /// decided, or involving a profile already merged away.
    pub skipped: usize,
    /// Of the skipped, pairs marked never to merge.
    pub never_merge: usize,
}

impl std::ops::AddAssign for CandidateOutcome {
    fn add_assign(&mut self, other: Self) {
        self.queued += other.queued;
        self.merged += other.merged;
        self.skipped += other.skipped;
        self.never_merge += other.never_merge;
    }
}

/// Who merges, why, and the evidence the decision rests on.
#[derive(Debug, Clone, PartialEq)]
pub struct MergeRequest {
    /// A staff login, a token name, or `auto`.
    pub decided_by: String,
    pub reason: String,
    /// The matcher's probability, when the merge came from a scored pair.
    pub probability: Option<f64>,
    pub evidence: Vec<FieldEvidence>,
}

/// One merge, as the guest page and the API show it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct MergeRecord {
    pub id: i64,
    /// The profile that lives on.
    pub survivor: GuestId,
    /// The profile merged into it (kept as a tombstone until the merge is undone).
    pub absorbed: GuestId,
    pub probability: Option<f64>,
    pub evidence: Vec<FieldEvidence>,
    /// A staff login, a token name, or `auto`.
    pub decided_by: String,
    pub reason: String,
    pub at: DateTime<Utc>,
    pub undone_at: Option<DateTime<Utc>>,
    pub undone_by: Option<String>,
}

/// "Never merge these two", respected forever.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct NeverMergeMark {
    pub left: GuestId,
    pub right: GuestId,
    pub marked_by: String,
    pub marked_at: DateTime<Utc>,
    pub reason: String,
}

/// A statement parameter both backends bind.
#[derive(Debug, Clone)]
pub(crate) enum Val {
    Int(i64),
    OptInt(Option<i64>),
    Real(f64),
    OptReal(Option<f64>),
    Text(String),
    OptText(Option<String>),
    At(DateTime<Utc>),
}

impl From<i64> for Val {
    fn from(v: i64) -> Self {
        Self::Int(v)
    }
}
impl From<Option<i64>> for Val {
    fn from(v: Option<i64>) -> Self {
        Self::OptInt(v)
    }
}
impl From<f64> for Val {
    fn from(v: f64) -> Self {
        Self::Real(v)
    }
}
impl From<Option<f64>> for Val {
    fn from(v: Option<f64>) -> Self {
        Self::OptReal(v)
    }
}
impl From<&str> for Val {
    fn from(v: &str) -> Self {
        Self::Text(v.to_string())
    }
}
impl From<String> for Val {
    fn from(v: String) -> Self {
        Self::Text(v)
    }
}
impl From<Option<&str>> for Val {
    fn from(v: Option<&str>) -> Self {
        Self::OptText(v.map(str::to_string))
    }
}
impl From<DateTime<Utc>> for Val {
    fn from(v: DateTime<Utc>) -> Self {
        Self::At(v)
    }
}

/// `vals![a, b, c]`: statement parameters.
macro_rules! vals {
    ($($v:expr),* $(,)?) => { &[$($crate::merges::Val::from($v)),*] };
}
pub(crate) use vals;

/// The primitives the merge steps need from a backend, inside one transaction.
pub(crate) trait MergeSql {
    type Row: Cols;
    /// Appended to [`crate::sql::GUEST_STATE`] to lock the row (`FOR UPDATE` on PostgreSQL).
    const LOCK: &'static str;

    /// Runs a statement of [`crate::sql`]; returns the rows changed.
    async fn run(&mut self, sql: &str, params: &[Val]) -> Result<u64>;
    async fn rows(&mut self, sql: &str, params: &[Val]) -> Result<Vec<Self::Row>>;
    /// Writes a stored profile's document and rewrites its identity and search keys.
    async fn put_guest(&mut self, guest: &Guest) -> Result<()>;
    /// Deletes the identity and search keys a profile holds and empties the lists of them
    /// on its row: a tombstone holds none.
    async fn drop_keys(&mut self, id: GuestId) -> Result<()>;

    /// A stored profile (live or tombstone), locked, and what it was merged into.
    async fn guest_state(&mut self, id: GuestId) -> Result<(Guest, Option<GuestId>)> {
        let sql = format!("{}{}", crate::sql::GUEST_STATE, Self::LOCK);
        let row = self.rows(&sql, vals![id]).await?.into_iter().next();
        let row = row.ok_or_else(|| StoreError::not_found(format!("guest {id}")))?;
        Ok((crate::GuestDoc(row.col(0)?).decode()?, row.col(1)?))
    }
}

/// Drives a future that never waits (SQLite's primitives run synchronously).
pub(crate) fn ready<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    match future.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(out) => out,
        Poll::Pending => unreachable!("SQLite merge steps never wait"),
    }
}

/// The pair's two ids, lower first; the same id twice is refused.
pub(crate) fn ordered(a: GuestId, b: GuestId) -> Result<(GuestId, GuestId)> {
    match a.cmp(&b) {
        std::cmp::Ordering::Less => Ok((a, b)),
        std::cmp::Ordering::Greater => Ok((b, a)),
        std::cmp::Ordering::Equal => Err(StoreError::Invalid(format!("guest {a} cannot be merged with itself"))),
    }
}

fn evidence_json(evidence: &[FieldEvidence]) -> String {
    serde_json::to_string(evidence).expect("evidence serialises")
}

fn evidence_of(text: &str) -> Result<Vec<FieldEvidence>> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("pair evidence: {e}")))
}

/// Columns: see [`crate::sql::PAIR_COLUMNS`].
pub(crate) fn review_pair(r: &impl Cols) -> Result<ReviewPair> {
    Ok(ReviewPair {
        left: r.col(0)?,
        right: r.col(1)?,
        weight: r.col(2)?,
        probability: r.col(3)?,
        evidence: evidence_of(&r.col::<String>(4)?)?,
        status: PairStatus::parse(&r.col::<String>(5)?)?,
        found_at: r.col(6)?,
        decided_by: r.col(7)?,
        decided_at: r.col(8)?,
    })
}

/// Columns: see [`crate::sql::MERGE_COLUMNS`].
pub(crate) fn merge_record(r: &impl Cols) -> Result<MergeRecord> {
    Ok(MergeRecord {
        id: r.col(0)?,
        survivor: r.col(1)?,
        absorbed: r.col(2)?,
        probability: r.col(3)?,
        evidence: evidence_of(&r.col::<String>(4)?)?,
        decided_by: r.col(5)?,
        reason: r.col(6)?,
        at: r.col(7)?,
        undone_at: r.col(8)?,
        undone_by: r.col(9)?,
    })
}
