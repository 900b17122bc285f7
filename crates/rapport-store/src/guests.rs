//! Backend-independent bookkeeping of guest documents and search results.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use rapport_domain::guest::{ConsentRecord, Guest, GuestId, GuestProfile};
use rapport_domain::identity::external_key;

use crate::{Result, StoreError};

/// A profile about to be stored for the first time, with the current state of each
/// consent channel taken from its records.
pub(crate) fn new_guest(id: GuestId, profile: GuestProfile, consents: &[ConsentRecord], now: DateTime<Utc>) -> Guest {
    let mut guest = Guest {
        id,
        profile,
        consents: vec![],
        version: 1,
        created_at: now,
        updated_at: now,
    };
    for c in consents {
        rapport_domain::ingest::set_current_consent(&mut guest.consents, c.clone());
    }
    guest
}

/// A profile as it is after its latest change, for a reader following the base
/// ([`crate::Store::guests_changed_after`]).
#[derive(Debug, Clone)]
pub struct GuestChange {
    pub id: GuestId,
    /// When it changed, by the database's clock ([`crate::Store::clock`]).
    pub changed_at: DateTime<Utc>,
    /// The profile, or `None` when it has been merged away.
    pub guest: Option<Guest>,
}

/// Columns: see [`crate::sql::GUESTS_CHANGED_AFTER`].
pub(crate) fn guest_change(r: &impl crate::rows::Cols) -> Result<GuestChange> {
    Ok(GuestChange {
        id: r.col(0)?,
        changed_at: r.col(1)?,
        guest: r.col::<Option<String>>(2)?.map(|doc| crate::GuestDoc(doc).decode()).transpose()?,
    })
}

/// A stored profile's document, or `Merged` when it is a tombstone of a merge.
pub(crate) fn live_doc(id: GuestId, doc: String, merged_into: Option<GuestId>) -> Result<crate::GuestDoc> {
    match merged_into {
        Some(into) => Err(StoreError::Merged { id, into }),
        None => Ok(crate::GuestDoc(doc)),
    }
}

/// The stored document: the JSON the API serves for a guest.
pub(crate) fn guest_json(guest: &Guest) -> String {
    serde_json::to_string(guest).expect("a guest always serialises")
}

/// A profile's identity and search keys, each in key order.
///
/// A profile's row also lists them (migration 11), written by every statement that writes
/// the keys, so a changed profile's old keys are deleted by primary key. The key tables
/// have no index by profile: it held every key a second time, and keeping it up was about
/// a fifth of what storing an import cost the database.
pub(crate) struct ProfileKeys {
    pub identity: Vec<String>,
    pub search: Vec<String>,
}

/// [`ProfileKeys`] as a profile's row keeps them: JSON arrays of text.
pub(crate) struct KeyLists {
    pub identity: String,
    pub search: String,
}

impl ProfileKeys {
    pub(crate) fn of(profile: &GuestProfile) -> Self {
        Self {
            identity: rapport_domain::identity::identity_keys(profile),
            search: rapport_domain::search::search_keys(profile),
        }
    }

    pub(crate) fn lists(&self) -> KeyLists {
        let json = |keys: &[String]| serde_json::to_string(keys).expect("a list of strings always serialises");
        KeyLists {
            identity: json(&self.identity),
            search: json(&self.search),
        }
    }
}

impl KeyLists {
    /// A profile that holds no keys: a tombstone of a merge.
    pub(crate) fn none() -> Self {
        Self {
            identity: "[]".into(),
            search: "[]".into(),
        }
    }
}

/// Refuses an update based on a stale read.
pub fn check_version(guest: &Guest, expected: Option<i64>) -> Result<()> {
    match expected {
        Some(v) if v != guest.version => Err(StoreError::Conflict(format!(
            "guest {} was changed by someone else (version {} now, {v} expected); reload and try again",
            guest.id, guest.version
        ))),
        _ => Ok(()),
    }
}

/// The identity keys of the external ids `after` holds and `before` (the stored profile,
/// if any) did not, each with the id as a person writes it. An external id names one
/// profile in its source system, so a write that would give it to a second profile is
/// refused ([`external_id_taken`]); ids a profile already held are not re-checked, so a
/// pair created before this rule can still be edited (and merged).
pub(crate) fn added_external_ids(before: Option<&GuestProfile>, after: &GuestProfile) -> Vec<(String, String)> {
    let held: HashSet<String> = before
        .into_iter()
        .flat_map(|p| &p.external_ids)
        .map(|x| external_key(&x.source, &x.id))
        .collect();
    let mut added: Vec<(String, String)> = after
        .external_ids
        .iter()
        .map(|x| (external_key(&x.source, &x.id), format!("{}:{}", x.source.trim(), x.id.trim())))
        .filter(|(key, _)| !held.contains(key))
        .collect();
    added.sort();
    added.dedup_by(|a, b| a.0 == b.0);
    added
}

/// The refusal of a write that would give `external_id` to a second profile.
pub(crate) fn external_id_taken(external_id: &str, holder: GuestId) -> StoreError {
    StoreError::Conflict(format!(
        "external id {external_id} already belongs to guest {holder}; update that profile instead"
    ))
}

/// Orders search hits: keys equal to a prefix first (an exact name beats a longer one),
/// then by key, then by id; each guest once.
pub(crate) fn rank_search_hits(prefixes: &[String], mut hits: Vec<(String, GuestId)>, limit: usize) -> Vec<GuestId> {
    hits.sort_by(|(ka, ia), (kb, ib)| {
        let exact_a = !prefixes.contains(ka);
        let exact_b = !prefixes.contains(kb);
        exact_a
            .cmp(&exact_b)
            .then(ka.len().cmp(&kb.len()))
            .then(ka.cmp(kb))
            .then(ia.cmp(ib))
    });
    let mut seen = HashSet::new();
    hits.into_iter()
        .map(|(_, id)| id)
        .filter(|id| seen.insert(*id))
        .take(limit)
        .collect()
}

/// A search counts at most this many profiles: past it, its total is a lower bound ("200
/// or more"). A one-letter search matches hundreds of thousands of keys in a large base,
/// and even a family name with two letters of the given name matches about a thousand at
/// 1,000,000 profiles: counting those doubled the median name search (its p99 target is
/// 5 ms), and no one at a desk reads past the first couple of hundred hits.
pub const SEARCH_COUNT_CAP: i64 = 200;

/// Key-index rows a search reads per prefix for each profile it wants: a profile has
/// several keys under one prefix (full name, family name, given name, email).
pub(crate) const SEARCH_KEYS_PER_PROFILE: i64 = 4;

/// Index rows read per prefix to count up to [`SEARCH_COUNT_CAP`] profiles.
pub(crate) const SEARCH_COUNT_ROWS: i64 = SEARCH_KEYS_PER_PROFILE * SEARCH_COUNT_CAP;

/// How many profiles a search matches, counted up to [`SEARCH_COUNT_CAP`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchTotal {
    pub total: i64,
    /// The count stopped at the cap: `total` is a lower bound.
    pub capped: bool,
}

/// The total of a search from the key rows it read for each prefix (`asked` at most per
/// prefix), when that is all of them: no prefix filled its rows, so every matching key was
/// read and no count is needed. `None` when some prefix may have more.
pub(crate) fn total_if_complete(hits: &[Vec<(String, GuestId)>], asked: i64) -> Option<SearchTotal> {
    if hits.iter().any(|h| h.len() as i64 >= asked) {
        return None;
    }
    Some(capped_total(hits.iter().flatten().map(|(_, id)| *id), false))
}

/// Counts the distinct profiles of the key-index rows read for each prefix (at most
/// [`SEARCH_COUNT_ROWS`] per prefix; a prefix that filled them has more).
pub(crate) fn search_total(per_prefix: Vec<Vec<GuestId>>) -> SearchTotal {
    let more = per_prefix.iter().any(|ids| ids.len() as i64 >= SEARCH_COUNT_ROWS);
    capped_total(per_prefix.into_iter().flatten(), more)
}

/// The number of distinct profiles among `ids`, up to the cap; `more` when the rows read
/// were not all the matching ones.
fn capped_total(ids: impl Iterator<Item = GuestId>, more: bool) -> SearchTotal {
    let distinct = ids.collect::<HashSet<_>>().len() as i64;
    SearchTotal {
        total: distinct.min(SEARCH_COUNT_CAP),
        capped: more || distinct > SEARCH_COUNT_CAP,
    }
}
