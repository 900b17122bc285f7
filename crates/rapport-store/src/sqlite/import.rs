//! Import batches on SQLite: look up what the batch's keys point at, plan in the domain
//! core, write the plan — all inside the writer's one transaction, so a batch is atomic
//! and a concurrent import cannot create the same guest twice.

use chrono::Utc;
use rapport_domain::hotel::HotelId;
use rapport_domain::ingest::{plan_ingest_keyed, GuestRef, IncomingBooking, KnownState};
use rusqlite::{params, OptionalExtension, Transaction};

use super::{guest_doc, insert_consent, insert_stay, next_guest_id, put_guest_doc, GuestKeys};
use crate::sql::{self, for_sqlite};
use crate::{BatchOutcome, Result};

pub(super) fn import_batch(tx: &Transaction, rows: Vec<IncomingBooking>) -> Result<BatchOutcome> {
    // Which key joined each stay to a stored profile: undoing a merge needs it later.
    let row_keys: Vec<Vec<String>> = rows.iter().map(IncomingBooking::identity_keys).collect();
    let mut known = KnownState::default();
    {
        // Each distinct key and reference once, in index order: a returning guest's rows
        // share keys, and sorted probes walk the index instead of jumping around it.
        let mut keys: Vec<&String> = row_keys.iter().flatten().collect();
        keys.sort_unstable();
        keys.dedup();
        let mut owner = tx.prepare_cached(&for_sqlite(sql::IDENTITY_OWNER))?;
        for key in keys {
            let id: Option<i64> = owner.query_row([key], |r| r.get(0))?;
            if let Some(id) = id {
                if let std::collections::hash_map::Entry::Vacant(slot) = known.guests.entry(id) {
                    slot.insert(guest_doc(tx, id)?.decode()?);
                }
                known.identities.insert(key.clone(), id);
            }
        }
        let mut refs: Vec<(HotelId, &str)> = rows
            .iter()
            .filter_map(|r| {
                let stay = r.stay.as_ref()?;
                Some((stay.hotel_id, stay.external_ref.as_deref()?))
            })
            .collect();
        refs.sort_unstable();
        refs.dedup();
        let mut stay_exists = tx.prepare_cached(&for_sqlite(sql::STAY_REF_EXISTS))?;
        for (hotel, reference) in refs {
            if stay_exists.query_row(params![hotel, reference], |_| Ok(())).optional()?.is_some() {
                known.stay_refs.insert((hotel, reference.to_string()));
            }
        }
    }

    let identities = known.identities.clone();
    let plan = plan_ingest_keyed(rows, &row_keys, known);
    let joined = crate::merges::joined_by(&row_keys, &identities, &plan.outcomes);
    let now = Utc::now();

    let mut new_ids = Vec::with_capacity(plan.new_guests.len());
    let mut keys = GuestKeys::default();
    let first_id = next_guest_id(tx)?;
    for (id, (profile, consents)) in (first_id..).zip(plan.new_guests) {
        let guest = crate::new_guest(id, profile, &consents, now);
        put_guest_doc(tx, &guest, true)?;
        for c in &consents {
            insert_consent(tx, id, c)?;
        }
        keys.add(&guest);
        new_ids.push(id);
    }
    for (id, c) in &plan.new_consents {
        insert_consent(tx, *id, c)?;
    }
    for mut guest in plan.updated_guests {
        guest.version += 1;
        guest.updated_at = now;
        put_guest_doc(tx, &guest, false)?;
        keys.add(&guest);
    }
    keys.insert(tx)?;
    let resolve = |g: GuestRef| match g {
        GuestRef::Existing(id) => id,
        GuestRef::New(i) => new_ids[i],
    };
    let mut note = tx.prepare_cached(&for_sqlite(sql::INSERT_NOTE))?;
    for (planned, key) in plan.new_stays.iter().zip(&joined) {
        let guest = resolve(planned.guest);
        let stay = insert_stay(tx, guest, &planned.stay, key.as_deref())?;
        for n in &planned.notes {
            note.query_row(params![guest, stay, planned.stay.hotel_id, n.body, n.author, n.created_at], |_| {
                Ok(())
            })?;
        }
    }
    Ok(BatchOutcome {
        rows: plan.outcomes,
        new_guest_ids: new_ids,
    })
}
