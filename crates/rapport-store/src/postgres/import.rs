//! Import batches on PostgreSQL: three lookups for the whole batch (identity keys, the
//! profiles they point at, reservation references), the plan from the domain core, then
//! one array-parameter statement per table. Concurrent imports queue on an advisory lock
//! so two batches cannot both create the same guest.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::Utc;
use deadpool_postgres::Transaction;
use rapport_domain::guest::{ConsentRecord, Guest, GuestId};
use rapport_domain::ingest::{plan_ingest, GuestRef, IncomingBooking, KnownState};

use super::sql;
use super::write::{self, NoteRow};
use crate::{BatchOutcome, GuestDoc, Result};

pub(super) async fn import_batch(
    tx: &Transaction<'_>,
    mut rows: Vec<IncomingBooking>,
) -> Result<BatchOutcome> {
    for row in &mut rows {
        row.consents = std::mem::take(&mut row.consents)
            .into_iter()
            .map(super::consent_time)
            .collect();
    }
    let stmt = tx.prepare_cached(sql::ADVISORY_XACT_LOCK).await?;
    tx.execute(&stmt, &[&sql::IMPORT_LOCK]).await?;

    let known = known_state(tx, &rows).await?;
    let plan = plan_ingest(rows, known);
    let now = Utc::now();

    let ids = write::next_ids(tx, sql::NEXT_GUEST_IDS, plan.new_guests.len()).await?;
    let mut new_guests = Vec::with_capacity(plan.new_guests.len());
    let mut consents: Vec<(GuestId, &ConsentRecord)> = Vec::new();
    for ((profile, records), id) in plan.new_guests.iter().zip(&ids) {
        let mut guest = Guest {
            id: *id,
            profile: profile.clone(),
            consents: vec![],
            version: 1,
            created_at: now,
            updated_at: now,
        };
        for c in records {
            consents.push((*id, c));
            rapport_domain::ingest::set_current_consent(&mut guest.consents, c.clone());
        }
        new_guests.push(guest);
    }
    write::insert_guests(tx, &new_guests).await?;
    consents.extend(plan.new_consents.iter().map(|(id, c)| (*id, c)));
    write::insert_consents(tx, &consents).await?;

    let updated: Vec<Guest> = plan
        .updated_guests
        .into_iter()
        .map(|mut g| {
            g.version += 1;
            g.updated_at = now;
            g
        })
        .collect();
    write::update_guests(tx, &updated).await?;

    let resolve = |g: GuestRef| match g {
        GuestRef::Existing(id) => id,
        GuestRef::New(i) => ids[i],
    };
    let stays: Vec<(GuestId, _)> = plan
        .new_stays
        .iter()
        .map(|p| (resolve(p.guest), &p.stay))
        .collect();
    let stay_ids = write::insert_stays(tx, &stays, now).await?;
    let notes: Vec<NoteRow> = plan
        .new_stays
        .iter()
        .zip(&stay_ids)
        .flat_map(|(planned, stay)| {
            planned.notes.iter().map(move |n| NoteRow {
                guest: resolve(planned.guest),
                stay: Some(*stay),
                hotel: Some(planned.stay.hotel_id),
                body: &n.body,
                author: &n.author,
                created_at: n.created_at,
            })
        })
        .collect();
    write::insert_notes(tx, &notes).await?;

    Ok(BatchOutcome {
        rows: plan.outcomes,
        new_guest_ids: ids,
    })
}

/// What the batch's identity keys and reservation references already point at. The
/// profiles are locked so an edit through the API cannot slip between read and write.
async fn known_state(tx: &Transaction<'_>, rows: &[IncomingBooking]) -> Result<KnownState> {
    let mut known = KnownState::default();
    let keys: Vec<String> = rows
        .iter()
        .flat_map(IncomingBooking::identity_keys)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    if !keys.is_empty() {
        let stmt = tx.prepare_cached(sql::IDENTITY_OWNERS).await?;
        for r in tx.query(&stmt, &[&keys]).await? {
            known.identities.insert(r.try_get(0)?, r.try_get(1)?);
        }
    }
    let owners: Vec<GuestId> = known
        .identities
        .values()
        .copied()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if !owners.is_empty() {
        let stmt = tx.prepare_cached(sql::GUEST_DOCS_FOR_UPDATE).await?;
        let docs: HashMap<GuestId, String> = tx
            .query(&stmt, &[&owners])
            .await?
            .iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect::<Result<_>>()?;
        for (id, doc) in docs {
            known.guests.insert(id, GuestDoc(doc).decode()?);
        }
    }
    let refs: HashSet<(i64, String)> = rows.iter().filter_map(IncomingBooking::stay_ref).collect();
    if !refs.is_empty() {
        let (hotels, references): (Vec<i64>, Vec<String>) = refs.into_iter().unzip();
        let stmt = tx.prepare_cached(sql::STORED_STAY_REFS).await?;
        for r in tx.query(&stmt, &[&hotels, &references]).await? {
            known.stay_refs.insert((r.try_get(0)?, r.try_get(1)?));
        }
    }
    Ok(known)
}
