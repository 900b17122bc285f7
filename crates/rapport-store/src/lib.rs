//! Rapport's storage adapter.
//!
//! One [`Store`] trait, two implementations: SQLite through rusqlite (the embedded default)
//! and PostgreSQL through tokio-postgres (production). SQL that both dialects accept is
//! written once in [`sql`] and rows are decoded once through [`rows::Cols`]; each backend
//! keeps its own code only where it buys something measured: SQLite's single writer
//! connection, PostgreSQL's array-parameter writes and its binary `COPY` for import batches.

pub mod auth;
mod error;
pub mod figures;
mod guests;
mod merges;
mod open;
pub mod postgres;
pub mod priority;
mod rows;
pub mod segments;
mod sql;
pub mod sqlite;
pub mod staging;
#[cfg(feature = "testing")]
pub mod testing;
pub mod value;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use rapport_domain::access::Scope;
use rapport_domain::duplicates::{MatchThresholds, ScoredPair};
use rapport_domain::guest::{ConsentRecord, Guest, GuestId, GuestProfile};
use rapport_domain::hotel::{Hotel, HotelId, NewHotel};
use rapport_domain::ingest::{KeyedBatch, RowOutcome};
use rapport_domain::stay::{NewStay, Note, SpendLine, Stay, StayId};

pub use auth::{NewSession, NewToken, NewUser, Session, StaffUser, TokenInfo};
pub use error::StoreError;
pub use figures::{GroupFigures, MonthRevenue, TouchMark, Visits};
pub(crate) use guests::{
    added_external_ids, external_id_taken, guest_change, guest_json, live_doc, new_guest, rank_search_hits, search_total,
    total_if_complete, KeyLists, ProfileKeys, SEARCH_COUNT_ROWS, SEARCH_KEYS_PER_PROFILE,
};
pub use guests::{check_version, GuestChange, SearchTotal, SEARCH_COUNT_CAP};
pub use merges::{CandidateOutcome, MergeRecord, MergeRequest, NeverMergeMark, PairDecision, PairStatus, ReviewPair};
pub use open::open;
pub use value::{StoredReport, StoredValue, TierChange};

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A page of a list, with the total so a client can page through it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub offset: i64,
    pub limit: i64,
    /// True when `total` is a lower bound rather than the exact count: a search counts at
    /// most 200 profiles (`SEARCH_COUNT_CAP`).
    pub total_capped: bool,
}

/// Counts shown on start-up and used by the demo loader to know the base is empty.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub hotels: i64,
    pub guests: i64,
    pub stays: i64,
    pub spend_lines: i64,
}

/// The outcome of one import batch, row by row.
#[derive(Debug, Clone, Default)]
pub struct BatchOutcome {
    pub rows: Vec<RowOutcome>,
    /// Ids given to the batch's new profiles, indexed like `GuestRef::New`.
    pub new_guest_ids: Vec<GuestId>,
}

/// An import batch, looked up ahead of its turn where the backend can (see
/// [`Store::look_ahead`]).
pub struct ImportBatch {
    batch: KeyedBatch,
    ahead: Option<sqlite::LookedAhead>,
}

impl From<KeyedBatch> for ImportBatch {
    fn from(batch: KeyedBatch) -> Self {
        Self { batch, ahead: None }
    }
}

/// A guest document as stored: the JSON of [`Guest`], served as is on reads.
#[derive(Debug, Clone)]
pub struct GuestDoc(pub String);

impl GuestDoc {
    pub fn decode(&self) -> Result<Guest> {
        serde_json::from_str(&self.0).map_err(|e| StoreError::Corrupt(format!("guest document: {e}")))
    }
}

/// Everything Rapport stores. Errors: [`StoreError::NotFound`] for a missing row,
/// [`StoreError::Conflict`] for a unique or version clash, never a silent `None`.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;

    async fn counts(&self) -> Result<Counts>;

    // Hotels
    async fn create_hotel(&self, hotel: NewHotel) -> Result<Hotel>;
    async fn hotels(&self) -> Result<Vec<Hotel>>;
    async fn hotel_by_code(&self, code: &str) -> Result<Hotel>;

    // Guest profiles (group-wide)
    async fn create_guest(&self, profile: GuestProfile, consents: Vec<ConsentRecord>) -> Result<Guest>;
    /// The stored JSON document, for reads that only pass it on.
    async fn guest_doc(&self, id: GuestId) -> Result<GuestDoc>;
    async fn guest(&self, id: GuestId) -> Result<Guest> {
        self.guest_doc(id).await?.decode()
    }
    /// Replaces the profile; `expected_version` guards against overwriting a colleague's edit.
    async fn update_guest(&self, id: GuestId, profile: GuestProfile, expected_version: Option<i64>) -> Result<Guest>;
    async fn record_consent(&self, id: GuestId, record: ConsentRecord) -> Result<Guest>;
    async fn consent_history(&self, id: GuestId) -> Result<Vec<ConsentRecord>>;
    async fn list_guests(&self, offset: i64, limit: i64) -> Result<Page<Guest>>;
    /// At most `limit` live profiles (not merged away) with an id above `after`, lowest id
    /// first: pages through the whole base for matching (`after` = the last id seen, 0 to start).
    async fn live_guests_after(&self, after: GuestId, limit: i64) -> Result<Vec<Guest>>;
    /// Recomputes the identity and search keys of the next `limit` live profiles after
    /// `after` (in id order), in one transaction, from their documents as stored: what
    /// `rapport reindex` runs once an upgrade changed how keys are made (Han characters
    /// read as in names), since a stored profile otherwise keeps its keys until it is next
    /// written. Returns the last id done and how many profiles, `None` when there was none.
    async fn rebuild_keys(&self, after: GuestId, limit: i64) -> Result<Option<(GuestId, usize)>>;
    /// The database's clock: the one that stamps [`GuestChange::changed_at`], whichever
    /// process made the change.
    async fn clock(&self) -> Result<DateTime<Utc>>;
    /// At most `limit` profiles changed after the point (`at`, `id`) — created, edited, merged
    /// away or restored, by this process or any other — in order of (change time, id): a
    /// reader asks from a time (`id` 0), then from the last row's pair for the next page. A
    /// change is stamped when written and seen when committed, so a transaction committing
    /// late carries an earlier stamp: a reader looks back over a window. Profiles not changed
    /// since migration 10 are not listed.
    async fn guests_changed_after(&self, at: DateTime<Utc>, id: GuestId, limit: i64) -> Result<Vec<GuestChange>>;
    /// Profiles whose search keys start with any of `prefixes`, best (exact) first.
    async fn search_guests(&self, prefixes: &[String], limit: i64) -> Result<Vec<Guest>>;
    /// [`Store::search_guests`], with how many profiles it would find without a limit,
    /// counted up to [`SEARCH_COUNT_CAP`]: from the keys the search read when they were all
    /// the matching ones (a selective search costs nothing more), else from the key index
    /// alone, on the same connection.
    async fn search_guests_counted(&self, prefixes: &[String], limit: i64) -> Result<(Vec<Guest>, SearchTotal)>;

    // Stays and spend (per hotel, filtered by scope)
    async fn add_stay(&self, guest: GuestId, stay: NewStay) -> Result<Stay>;
    async fn stay(&self, id: StayId) -> Result<Stay>;
    async fn guest_stays(&self, guest: GuestId, scope: &Scope) -> Result<Vec<Stay>>;
    async fn guest_spend(&self, guest: GuestId, scope: &Scope) -> Result<Vec<SpendLine>>;
    async fn hotel_stays(&self, hotel: HotelId, from: NaiveDate, to: NaiveDate, offset: i64, limit: i64) -> Result<Page<Stay>>;

    // Notes
    async fn add_note(&self, guest: GuestId, stay: Option<StayId>, hotel: Option<HotelId>, body: &str, author: &str) -> Result<Note>;
    async fn guest_notes(&self, guest: GuestId, scope: &Scope) -> Result<Vec<Note>>;

    // Staff and tokens
    async fn create_user(&self, user: NewUser) -> Result<StaffUser>;
    /// The user and their password hash.
    async fn user_by_login(&self, login: &str) -> Result<(StaffUser, String)>;
    /// Disabling also ends every console session of the user.
    async fn set_user_disabled(&self, login: &str, disabled: bool) -> Result<StaffUser>;
    async fn create_token(&self, token: NewToken) -> Result<TokenInfo>;
    /// The live (not revoked) token with this SHA-256 hash.
    async fn token_by_hash(&self, hash: &str) -> Result<TokenInfo>;

    /// Stores the user's interface language (`en` or `zh-CN`).
    async fn set_user_language(&self, user_id: i64, language: &str) -> Result<()>;

    // Console sessions
    /// Starts a session (and sweeps expired ones).
    async fn create_session(&self, session: NewSession) -> Result<()>;
    /// The live session with this id hash; `NotFound` once it has expired or ended, or
    /// its user was disabled.
    async fn session(&self, id_hash: &str, now: DateTime<Utc>) -> Result<Session>;
    /// Ends a session; ending one that is already gone is not an error.
    async fn end_session(&self, id_hash: &str) -> Result<()>;

    // Arrivals brief
    /// Stays arriving at a hotel on a day, cancelled and no-shows left out.
    async fn arrivals(&self, hotel: HotelId, date: NaiveDate) -> Result<Vec<Stay>>;
    /// What has been ticked for those arrivals.
    async fn arrival_touches(&self, hotel: HotelId, date: NaiveDate) -> Result<Vec<TouchMark>>;
    /// Ticks (`done_by` set) or unticks one touch of a stay.
    async fn set_touch(&self, stay: StayId, touch: &str, done_by: Option<&str>) -> Result<()>;

    /// Guests, stays, returning guests and revenue by month, per hotel and for the group.
    async fn figures(&self) -> Result<GroupFigures>;

    // Value analysis
    /// Every stay that happened (in house or checked out) with the revenue posted to it.
    async fn stay_facts(&self) -> Result<rapport_value::facts::StayFacts>;
    /// Replaces the latest scores and reports with `analysis`, and records tier changes.
    async fn save_analysis(&self, as_of: NaiveDate, analysis: rapport_value::analysis::Analysis) -> Result<()>;
    /// The guest's latest scores per scope (group and each hotel they stayed at) and tier history.
    async fn guest_values(&self, guest: GuestId) -> Result<(Vec<StoredValue>, Vec<TierChange>)>;
    /// The latest report of each scope, as stored JSON.
    async fn value_reports(&self) -> Result<Vec<crate::value::StoredReport>>;
    /// Every guest's latest value in one scope (the group when `None`), most revenue first.
    async fn scope_values(&self, hotel: Option<HotelId>) -> Result<Vec<(GuestId, StoredValue)>>;

    // Saved segments.
    async fn create_segment(&self, segment: segments::NewSegment) -> Result<segments::SavedSegment>;
    async fn segments(&self) -> Result<Vec<segments::SavedSegment>>;
    async fn segment(&self, id: segments::SegmentId) -> Result<segments::SavedSegment>;
    async fn delete_segment(&self, id: segments::SegmentId) -> Result<()>;

    /// Resolves and writes one import batch atomically (see `rapport_domain::ingest`).
    async fn import_batch(&self, batch: KeyedBatch) -> Result<BatchOutcome>;
    /// Like [`Store::import_batch`] for one batch of a longer import, whose commit a
    /// backend may share with the batches after it (on SQLite, a commit rewrites every index
    /// page the batch touched). A batch that fails may take the uncommitted batches before
    /// it with it ([`StoreError::ImportNotCommitted`] says so; importing them again is
    /// safe, re-imported rows change nothing). Staged batches are committed before any
    /// other write, and at the latest by [`Store::commit_import`], which every importer
    /// calls when it stops, after an error too, and when it has waited a second for its
    /// next batch (an open import transaction holds SQLite's write lock, which another
    /// process's writer waits for only so long). One importer at a time per store: a
    /// failed batch rolls back every staged batch, and only its own importer is told.
    ///
    /// PostgreSQL commits each batch's profiles before this returns and its stays in the
    /// background, on a connection of their own, while the next batch is planned (see
    /// `postgres::staged`); a failure of those stays is reported by the next call or by
    /// [`Store::commit_import`]: the rows' profiles are stored, their stays are not, and
    /// importing the file again adds them. There, one importer at a time per database:
    /// another waits until this one's [`Store::commit_import`].
    async fn stage_import_batch(&self, batch: KeyedBatch) -> Result<BatchOutcome> {
        self.import_batch(batch).await
    }
    /// Looks `batch` up ahead of its turn, while the importer's previous batch is staged,
    /// for [`Store::stage_ahead`]. SQLite reads on a reader's connection beside the writer,
    /// and the writer then looks up again only what its own latest batches wrote, or all of
    /// it if anything else wrote meanwhile. Other backends look a batch up as it is staged.
    async fn look_ahead(&self, batch: KeyedBatch) -> Result<ImportBatch> {
        Ok(batch.into())
    }
    /// [`Store::stage_import_batch`] for a batch from [`Store::look_ahead`].
    async fn stage_ahead(&self, batch: ImportBatch) -> Result<BatchOutcome> {
        self.stage_import_batch(batch.batch).await
    }
    /// Commits the batches [`Store::stage_import_batch`] left open. An error
    /// ([`StoreError::ImportNotCommitted`]) means staged batches were lost.
    async fn commit_import(&self) -> Result<()> {
        Ok(())
    }

    // Duplicates (see `merges`): all in one transaction each.
    /// Files the matcher's scored pairs: below the review threshold nothing happens; between
    /// the thresholds the pair joins the review queue (or gets its new score); at or above
    /// the auto-merge threshold the newer profile is merged into the older one, decided by
    /// `auto`. Pairs marked never to merge, already decided, or with a profile that is
    /// unknown or merged away are skipped.
    async fn record_candidates(&self, pairs: Vec<ScoredPair>, thresholds: MatchThresholds) -> Result<CandidateOutcome>;
    /// Undecided pairs of two live profiles: pending before postponed, most probable first.
    async fn review_queue(&self, offset: i64, limit: i64) -> Result<Page<ReviewPair>>;
    /// A reviewer's decision on a queued pair: `Merge` merges the newer profile into the
    /// older, `Distinct` marks them never to merge, `Later` postpones. A pair already
    /// decided is a `Conflict`; one not in the queue `NotFound`.
    async fn decide_pair(
        &self,
        left: GuestId,
        right: GuestId,
        decision: PairDecision,
        who: &str,
    ) -> Result<(ReviewPair, Option<MergeRecord>)>;
    /// Merges `absorbed` into `survivor`. Every stay, spend line, note and consent record of
    /// the absorbed profile moves to the survivor (each move remembered for undo); the
    /// survivor's document gains the union of both (a conflicting single value becomes an
    /// alternative, another name an alias) and the identity and search keys of both; the
    /// absorbed profile stays as a tombstone: hidden from lists and search, and reading it
    /// answers [`StoreError::Merged`]. Refused: the same guest twice (`Invalid`), an unknown
    /// one (`NotFound`), one already merged away or a pair marked never to merge (`Conflict`).
    async fn merge_guests(&self, survivor: GuestId, absorbed: GuestId, request: MergeRequest) -> Result<MergeRecord>;
    /// Takes a merge back. The absorbed profile returns exactly as it was, with the rows the
    /// merge moved. The survivor returns to its state before the merge plus every change made
    /// to it since. Rows that arrived since stay with the survivor, except stays (with their
    /// spend and notes) an import joined through an identity key — external id, email, phone
    /// with name — that only the absorbed profile had before the merge: those go to it. The
    /// pair is then closed as distinct so it is not queued again. Refused: an unknown merge
    /// (`NotFound`), one already undone, or one whose survivor has since been merged away
    /// (`Conflict`: undo that merge first).
    async fn undo_merge(&self, merge: i64, who: &str) -> Result<MergeRecord>;
    /// Merges the guest took part in, as survivor or absorbed, newest first.
    async fn guest_merges(&self, guest: GuestId) -> Result<Vec<MergeRecord>>;
    /// Marks two profiles never to be merged, for good; an undecided pair of them leaves the queue.
    async fn never_merge(&self, left: GuestId, right: GuestId, who: &str, why: &str) -> Result<NeverMergeMark>;
}
