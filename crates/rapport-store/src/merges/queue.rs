//! The review queue and never-merge marks, once for both backends.

use chrono::{DateTime, Utc};
use rapport_domain::duplicates::{MatchDecision, MatchThresholds, ScoredPair};
use rapport_domain::guest::GuestId;

use super::{evidence_json, merge_guests, merge_record, ordered, review_pair, vals, CandidateOutcome, MergeRecord, MergeRequest};
use super::{MergeSql, NeverMergeMark, PairDecision, PairStatus, ReviewPair};
use crate::rows::Cols;
use crate::sql;
use crate::{Page, Result, StoreError};

/// Files scored pairs; see [`crate::Store::record_candidates`].
pub(crate) async fn record_candidates<S: MergeSql>(
    db: &mut S,
    pairs: Vec<ScoredPair>,
    thresholds: MatchThresholds,
    now: DateTime<Utc>,
) -> Result<CandidateOutcome> {
    let mut out = CandidateOutcome::default();
    for pair in pairs {
        let pair = pair.ordered();
        let decision = thresholds.decide(pair.probability);
        if pair.left == pair.right || decision == MatchDecision::Distinct {
            out.skipped += 1;
            continue;
        }
        if !db.rows(sql::NEVER_MERGE, vals![pair.left, pair.right]).await?.is_empty() {
            out.skipped += 1;
            out.never_merge += 1;
            continue;
        }
        let known = stored_pair(db, pair.left, pair.right).await?;
        if known.as_ref().is_some_and(|p| p.status.is_decided()) {
            out.skipped += 1;
            continue;
        }
        if !both_live(db, pair.left, pair.right).await? {
            out.skipped += 1;
            continue;
        }
        let evidence = evidence_json(&pair.evidence);
        db.run(
            sql::UPSERT_PAIR,
            vals![pair.left, pair.right, pair.weight, pair.probability, evidence, now],
        )
        .await?;
        if decision == MatchDecision::Merge {
            let request = MergeRequest {
                decided_by: "auto".into(),
                reason: format!("match probability {:.4} at or above the auto-merge threshold", pair.probability),
                probability: Some(pair.probability),
                evidence: pair.evidence,
            };
            // The older profile (lower id) lives on.
            merge_guests(db, pair.left, pair.right, &request, now).await?;
            out.merged += 1;
        } else {
            out.queued += 1;
        }
    }
    Ok(out)
}

/// Both profiles exist and neither was merged away. Reads only the tombstone mark: a batch
/// files hundreds of thousands of pairs, and decoding two documents per pair dominated.
async fn both_live<S: MergeSql>(db: &mut S, left: GuestId, right: GuestId) -> Result<bool> {
    for id in [left, right] {
        match db.rows(sql::GUEST_MERGED_INTO, vals![id]).await?.first() {
            Some(r) if r.col::<Option<GuestId>>(0)?.is_none() => {}
            _ => return Ok(false),
        }
    }
    Ok(true)
}

async fn stored_pair<S: MergeSql>(db: &mut S, left: GuestId, right: GuestId) -> Result<Option<ReviewPair>> {
    db.rows(&sql::pair(), vals![left, right])
        .await?
        .first()
        .map(review_pair)
        .transpose()
}

pub(crate) async fn review_queue<S: MergeSql>(db: &mut S, offset: i64, limit: i64) -> Result<Page<ReviewPair>> {
    let total: i64 = match db.rows(&sql::review_queue_count(), &[]).await?.first() {
        Some(r) => r.col(0)?,
        None => 0,
    };
    let items = db
        .rows(&sql::review_queue(), vals![limit, offset])
        .await?
        .iter()
        .map(review_pair)
        .collect::<Result<_>>()?;
    Ok(Page {
        items,
        total,
        offset,
        limit,
        total_capped: false,
    })
}

/// Records a reviewer's decision; see [`crate::Store::decide_pair`].
pub(crate) async fn decide_pair<S: MergeSql>(
    db: &mut S,
    a: GuestId,
    b: GuestId,
    decision: PairDecision,
    who: &str,
    now: DateTime<Utc>,
) -> Result<(ReviewPair, Option<MergeRecord>)> {
    let (left, right) = ordered(a, b)?;
    let pair = stored_pair(db, left, right)
        .await?
        .ok_or_else(|| StoreError::not_found(format!("candidate pair {left}/{right}")))?;
    if pair.status.is_decided() {
        return Err(StoreError::Conflict(format!(
            "the pair {left}/{right} was already decided ({})",
            pair.status.as_str()
        )));
    }
    let merged = match decision {
        PairDecision::Merge => {
            let request = MergeRequest {
                decided_by: who.to_string(),
                reason: "review: the same person".into(),
                probability: Some(pair.probability),
                evidence: pair.evidence.clone(),
            };
            Some(merge_guests(db, left, right, &request, now).await?)
        }
        PairDecision::Distinct => {
            never_merge(db, left, right, who, "review: not the same person", now).await?;
            None
        }
        PairDecision::Later => {
            db.run(sql::SET_PAIR_STATUS, vals![left, right, PairStatus::Later.as_str(), who, now])
                .await?;
            None
        }
    };
    let pair = stored_pair(db, left, right)
        .await?
        .ok_or_else(|| StoreError::not_found("candidate pair"))?;
    Ok((pair, merged))
}

/// Marks two profiles never to be merged; see [`crate::Store::never_merge`].
pub(crate) async fn never_merge<S: MergeSql>(
    db: &mut S,
    a: GuestId,
    b: GuestId,
    who: &str,
    why: &str,
    now: DateTime<Utc>,
) -> Result<NeverMergeMark> {
    let (left, right) = ordered(a, b)?;
    db.guest_state(left).await?;
    db.guest_state(right).await?;
    db.run(sql::INSERT_NEVER_MERGE, vals![left, right, who, now, why]).await?;
    db.run(sql::CLOSE_PAIR, vals![left, right, who, now]).await?;
    let row = db.rows(sql::NEVER_MERGE, vals![left, right]).await?;
    let r = row.first().ok_or_else(|| StoreError::not_found("never-merge mark"))?;
    Ok(NeverMergeMark {
        left: r.col(0)?,
        right: r.col(1)?,
        marked_by: r.col(2)?,
        marked_at: r.col(3)?,
        reason: r.col(4)?,
    })
}

/// Merges the guest took part in, as survivor or absorbed, newest first.
pub(crate) async fn guest_merges<S: MergeSql>(db: &mut S, guest: GuestId) -> Result<Vec<MergeRecord>> {
    // A read on the guest page: no row lock (`guest_state` takes one on PostgreSQL).
    if db.rows(sql::GUEST_STATE, vals![guest]).await?.is_empty() {
        return Err(StoreError::not_found(format!("guest {guest}")));
    }
    db.rows(&sql::guest_merges(), vals![guest])
        .await?
        .iter()
        .map(merge_record)
        .collect()
}
