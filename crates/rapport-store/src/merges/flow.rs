//! Merging two profiles and undoing a merge, once for both backends.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use rapport_domain::guest::{Guest, GuestId};
use rapport_domain::identity::identity_keys;
use rapport_domain::merge;

use super::{evidence_json, merge_record, ordered, vals, MergeRecord, MergeRequest, MergeSql, PairStatus};
use crate::rows::Cols;
use crate::sql;
use crate::{Result, StoreError};

/// Merges `absorbed` into `survivor`; see [`crate::Store::merge_guests`].
pub(crate) async fn merge_guests<S: MergeSql>(
    db: &mut S,
    survivor: GuestId,
    absorbed: GuestId,
    request: &MergeRequest,
    now: DateTime<Utc>,
) -> Result<MergeRecord> {
    let (left, right) = ordered(survivor, absorbed)?;
    // Lock in id order so two merges of overlapping pairs cannot deadlock.
    let (first, second) = (db.guest_state(left).await?, db.guest_state(right).await?);
    let ((kept, kept_into), (gone, gone_into)) = if left == survivor { (first, second) } else { (second, first) };
    for (id, into) in [(survivor, kept_into), (absorbed, gone_into)] {
        if let Some(into) = into {
            return Err(StoreError::Conflict(format!("guest {id} was already merged into guest {into}")));
        }
    }
    if !db.rows(sql::NEVER_MERGE, vals![left, right]).await?.is_empty() {
        return Err(StoreError::Conflict(format!(
            "guests {left} and {right} are marked never to be merged"
        )));
    }

    let merged = Guest {
        profile: merge::merge_profiles(&kept.profile, &gone.profile, absorbed),
        consents: merge::merge_consents(&kept.consents, &gone.consents),
        version: kept.version + 1,
        updated_at: now,
        ..kept.clone()
    };
    let row = db
        .rows(
            sql::INSERT_MERGE,
            vals![
                survivor,
                absorbed,
                request.probability,
                evidence_json(&request.evidence),
                request.decided_by.as_str(),
                request.reason.as_str(),
                now,
                crate::guest_json(&kept),
                crate::guest_json(&gone),
                crate::guest_json(&merged),
            ],
        )
        .await?;
    let record = merge_record(row.first().ok_or_else(|| StoreError::Task("no merge row returned".into()))?)?;

    for (kind, table, whose) in sql::MOVED_ROWS {
        db.run(&sql::record_moves(kind, table, whose), vals![record.id, absorbed]).await?;
        db.run(&sql::move_rows(table, whose), vals![survivor, absorbed]).await?;
    }
    db.put_guest(&merged).await?;
    // The tombstone keeps its document (the undo snapshot) but no keys: imports and search
    // find the survivor, which now holds them.
    db.run(sql::SET_MERGED_INTO, vals![absorbed, Some(survivor)]).await?;
    db.drop_keys(absorbed).await?;
    db.run(
        sql::SET_PAIR_STATUS,
        vals![left, right, PairStatus::Merged.as_str(), request.decided_by.as_str(), now],
    )
    .await?;
    Ok(record)
}

/// Takes merge `id` back; see [`crate::Store::undo_merge`].
pub(crate) async fn undo_merge<S: MergeSql>(db: &mut S, id: i64, who: &str, now: DateTime<Utc>) -> Result<MergeRecord> {
    let row = db.rows(&sql::merge_by_id(), vals![id]).await?;
    let row = row.first().ok_or_else(|| StoreError::not_found(format!("merge {id}")))?;
    let record = merge_record(row)?;
    let snapshot = |i: usize| -> Result<Guest> { crate::GuestDoc(row.col(i)?).decode() };
    let (kept_before, gone_before, kept_after) = (snapshot(10)?, snapshot(11)?, snapshot(12)?);
    if let (Some(at), Some(by)) = (record.undone_at, &record.undone_by) {
        return Err(StoreError::Conflict(format!("merge {id} was already undone by {by} at {at}")));
    }
    let (survivor, absorbed) = (record.survivor, record.absorbed);
    let (left, right) = ordered(survivor, absorbed)?;
    let (first, second) = (db.guest_state(left).await?, db.guest_state(right).await?);
    let ((kept_now, kept_into), (_, gone_into)) = if left == survivor { (first, second) } else { (second, first) };
    if let Some(into) = kept_into {
        return Err(StoreError::Conflict(format!(
            "guest {survivor} has since been merged into guest {into}; undo that merge first"
        )));
    }
    if gone_into != Some(survivor) {
        return Err(StoreError::Corrupt(format!(
            "merge {id}: guest {absorbed} is not a tombstone of guest {survivor}"
        )));
    }

    // Rows the merge moved go back; so do stays that arrived since through an identity key
    // only the absorbed profile had, with their spend and notes.
    for (kind, table, _) in sql::MOVED_ROWS {
        db.run(&sql::move_back(kind, table), vals![absorbed, survivor, id]).await?;
    }
    for key in absorbed_only_keys(&kept_before, &gone_before) {
        db.run(sql::MOVE_LATER_STAYS, vals![absorbed, survivor, key, record.at]).await?;
    }
    db.run(sql::SPEND_FOLLOWS_STAY, vals![absorbed, survivor]).await?;
    db.run(sql::NOTES_FOLLOW_STAY, vals![absorbed, survivor]).await?;

    let kept = Guest {
        profile: merge::unmerge_profile(&kept_before.profile, &kept_after.profile, &kept_now.profile),
        consents: merge::unmerge_consents(&kept_before.consents, &kept_after.consents, &kept_now.consents),
        version: kept_now.version + 1,
        updated_at: now,
        ..kept_now
    };
    db.put_guest(&kept).await?;
    // The absorbed profile could not change while it was a tombstone: it comes back as it was.
    db.run(sql::SET_MERGED_INTO, vals![absorbed, None::<i64>]).await?;
    db.put_guest(&gone_before).await?;
    db.run(sql::MARK_MERGE_UNDONE, vals![id, now, who]).await?;
    // An undone merge says the two are different people: the pair is not queued again (a
    // person can still merge them by hand; only a never-merge mark forbids that).
    db.run(sql::SET_PAIR_STATUS, vals![left, right, PairStatus::Distinct.as_str(), who, now])
        .await?;
    Ok(MergeRecord {
        undone_at: Some(now),
        undone_by: Some(who.to_string()),
        ..record
    })
}

/// Identity keys (external ids, emails, phone with name) the absorbed profile had before
/// the merge and the survivor did not: a stay joined through one of them since the merge
/// was meant for the absorbed profile.
fn absorbed_only_keys(kept: &Guest, gone: &Guest) -> BTreeSet<String> {
    let kept: BTreeSet<String> = identity_keys(&kept.profile).into_iter().collect();
    identity_keys(&gone.profile).into_iter().filter(|k| !kept.contains(k)).collect()
}
