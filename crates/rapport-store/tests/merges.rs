//! Duplicates on both backends: merges keep everything, undo gives everything back (and
//! what arrived since to the right profile), never-merge marks hold, bad requests lose
//! nothing. Pairs are built by hand: the matcher is another crate's business.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use rapport_domain::access::Scope;
use rapport_domain::contact::{ContactPoint, Region};
use rapport_domain::duplicates::{FieldEvidence, FieldOutcome, MatchThresholds, ScoredPair};
use rapport_domain::guest::{ConsentChannel, ConsentRecord, ExternalId, Guest, GuestId, GuestProfile, Preference, PreferenceKind};
use rapport_domain::hotel::Hotel;
use rapport_domain::ingest::{GuestRef, IncomingBooking};
use rapport_domain::money::Money;
use rapport_domain::names::GuestName;
use rapport_domain::stay::{NewSpendLine, NewStay, SpendCategory, StayStatus};
use rapport_store::testing::search_ids;
use rapport_store::{backend_tests, MergeRequest, PairDecision, PairStatus, Store, StoreError};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn at(secs: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(1_700_000_000 + secs, 0).unwrap()
}

async fn hotel(store: &dyn Store) -> Hotel {
    rapport_store::testing::hotel(store, "SHA", "Asia/Shanghai", "CNY").await
}

fn person(given: &str, family: &str, email: &str) -> GuestProfile {
    GuestProfile {
        name: GuestName {
            given: given.into(),
            family: family.into(),
            ..Default::default()
        },
        emails: vec![ContactPoint::email_lenient(email)],
        ..Default::default()
    }
}

/// Zhang Wei as the front desk typed him.
fn desk_profile() -> GuestProfile {
    let mut p = person("Wei", "Zhang", "zw@example.cn");
    p.birthday = Some(day(1980, 3, 4));
    p.preferences.push(Preference {
        kind: PreferenceKind::Room,
        key: "pillow".into(),
        value: "buckwheat".into(),
    });
    p
}

/// The same man from an OTA export: another spelling, a transposed birthday, a PMS id.
fn ota_profile() -> GuestProfile {
    let mut p = person("Wei", "Chang", "wei.chang@corp.example");
    p.birthday = Some(day(1980, 4, 3));
    p.nationality = Some("CN".into());
    p.phones.push(ContactPoint::phone_lenient("+86 138 1234 5678", Region::default()));
    p.external_ids.push(ExternalId {
        source: "opera".into(),
        id: "P-777".into(),
    });
    p
}

fn consent(channel: ConsentChannel, granted: bool, secs: i64) -> ConsentRecord {
    ConsentRecord {
        channel,
        granted,
        recorded_at: at(secs),
        source: "registration card".into(),
        recorded_by: "anna".into(),
    }
}

fn stay(hotel: &Hotel, reference: &str, arrival: NaiveDate) -> NewStay {
    NewStay {
        hotel_id: hotel.id,
        external_ref: Some(reference.into()),
        arrival,
        departure: arrival + chrono::Days::new(2),
        room_type: Some("Deluxe King".into()),
        rate: None,
        channel: None,
        market_segment: None,
        adults: 1,
        children: 0,
        special_requests: None,
        status: StayStatus::CheckedOut,
        booked_at: None,
        spend: vec![NewSpendLine {
            category: SpendCategory::Room,
            amount: Money {
                minor: 120_000,
                currency: hotel.currency,
            },
            posted_on: arrival,
            description: None,
        }],
    }
}

fn request(who: &str) -> MergeRequest {
    MergeRequest {
        decided_by: who.into(),
        reason: "same passport at check-in".into(),
        probability: Some(0.97),
        evidence: vec![FieldEvidence {
            field: "email".into(),
            outcome: FieldOutcome::Disagreed,
            weight: -2.5,
            detail: String::new(),
        }],
    }
}

fn pair(left: GuestId, right: GuestId, probability: f64) -> ScoredPair {
    ScoredPair {
        left,
        right,
        weight: 7.5,
        probability,
        evidence: vec![FieldEvidence {
            field: "name".into(),
            outcome: FieldOutcome::Partial,
            weight: 4.2,
            detail: "Zhang Wei ~ Chang Wei".into(),
        }],
    }
}

/// Everything a guest has, to compare before and after.
#[derive(Debug, PartialEq)]
struct Holdings {
    stays: Vec<String>,
    spend: Vec<(i64, i64)>,
    notes: Vec<String>,
    consents: Vec<ConsentRecord>,
}

async fn holdings(store: &dyn Store, id: GuestId) -> Holdings {
    let mut stays: Vec<String> = store
        .guest_stays(id, &Scope::Group)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|s| s.external_ref)
        .collect();
    stays.sort();
    let mut spend: Vec<(i64, i64)> = store
        .guest_spend(id, &Scope::Group)
        .await
        .unwrap()
        .into_iter()
        .map(|l| (l.stay_id, l.amount.minor))
        .collect();
    spend.sort();
    let mut notes: Vec<String> = store
        .guest_notes(id, &Scope::Group)
        .await
        .unwrap()
        .into_iter()
        .map(|n| n.body)
        .collect();
    notes.sort();
    Holdings {
        stays,
        spend,
        notes,
        consents: store.consent_history(id).await.unwrap(),
    }
}

/// Two profiles of one man, each with a stay, spend, notes and consents.
async fn two_profiles(store: &dyn Store) -> (Hotel, Guest, Guest) {
    let h = hotel(store).await;
    let desk = store
        .create_guest(desk_profile(), vec![consent(ConsentChannel::Email, true, 10)])
        .await
        .unwrap();
    let ota = store
        .create_guest(ota_profile(), vec![consent(ConsentChannel::Sms, true, 20)])
        .await
        .unwrap();
    let s1 = store.add_stay(desk.id, stay(&h, "R-1", day(2023, 5, 1))).await.unwrap();
    let s2 = store.add_stay(ota.id, stay(&h, "R-2", day(2023, 8, 1))).await.unwrap();
    store
        .add_note(desk.id, Some(s1.id), Some(h.id), "desk stay note", "anna")
        .await
        .unwrap();
    store
        .add_note(ota.id, Some(s2.id), Some(h.id), "ota stay note", "anna")
        .await
        .unwrap();
    store.add_note(ota.id, None, None, "likes jazz", "ben").await.unwrap();
    let desk = store.guest(desk.id).await.unwrap();
    let ota = store.guest(ota.id).await.unwrap();
    (h, desk, ota)
}

backend_tests! {
    fn a_merge_keeps_every_stay_note_consent_and_value_of_both(db) {
        let store = db.store.as_ref();
        let (_h, desk, ota) = two_profiles(store).await;
        let (desk_had, ota_had) = (holdings(store, desk.id).await, holdings(store, ota.id).await);

        let record = store.merge_guests(desk.id, ota.id, request("anna")).await.unwrap();
        assert_eq!((record.survivor, record.absorbed, record.decided_by.as_str()), (desk.id, ota.id, "anna"));
        assert_eq!(record.evidence, request("anna").evidence);

        let now = holdings(store, desk.id).await;
        assert_eq!(now.stays, vec!["R-1", "R-2"]);
        assert_eq!(now.spend.len(), desk_had.spend.len() + ota_had.spend.len());
        assert_eq!(now.notes, vec!["desk stay note", "likes jazz", "ota stay note"]);
        assert_eq!(now.consents.len(), 2);

        let merged = store.guest(desk.id).await.unwrap();
        let p = &merged.profile;
        assert_eq!(p.emails.len(), 2);
        assert_eq!(p.phones.len(), 1);
        assert_eq!(p.external_ids, ota.profile.external_ids);
        assert_eq!(p.birthday, Some(day(1980, 3, 4)), "the survivor's birthday stays first");
        assert!(
            p.alternatives.iter().any(|a| a.field == "birthday" && a.value == "1980-04-03" && a.merged_from == ota.id),
            "the other birthday is kept as an alternative: {:?}",
            p.alternatives
        );
        assert_eq!(p.nationality.as_deref(), Some("CN"));
        assert_eq!(p.aliases, vec![ota.profile.name.clone()]);
        assert_eq!(merged.consents.len(), 2, "email and SMS consent both carried over");

        // The tombstone: hidden from lists and search, reading it points at the survivor.
        assert!(matches!(store.guest(ota.id).await, Err(StoreError::Merged { id, into }) if id == ota.id && into == desk.id));
        assert_eq!(store.list_guests(0, 10).await.unwrap().total, 1);
        assert_eq!(store.counts().await.unwrap().guests, 1);
        assert_eq!(search_ids(store, "wei.chang@corp").await, vec![desk.id]);
        assert_eq!(search_ids(store, "chang wei").await, vec![desk.id], "found under the merged name too");
        assert!(matches!(store.add_stay(ota.id, stay(&_h, "R-9", day(2024, 1, 1))).await, Err(StoreError::Merged { .. })));

        // Imports recognise the survivor by the absorbed profile's keys.
        let out = store
            .import_batch(vec![IncomingBooking {
                line: 1,
                profile: person("Wei", "Chang", "wei.chang@corp.example"),
                consents: vec![],
                stay: None,
                notes: vec![],
            }].into())
            .await
            .unwrap();
        assert_eq!(out.rows[0].guest, GuestRef::Existing(desk.id));

        let history = store.guest_merges(desk.id).await.unwrap();
        assert_eq!(history, vec![record.clone()]);
        assert_eq!(store.guest_merges(ota.id).await.unwrap(), vec![record]);
    }

    fn undo_restores_both_profiles_and_sends_later_arrivals_to_the_right_one(db) {
        let store = db.store.as_ref();
        let (h, desk, ota) = two_profiles(store).await;
        let (desk_had, ota_had) = (holdings(store, desk.id).await, holdings(store, ota.id).await);
        let record = store.merge_guests(desk.id, ota.id, request("anna")).await.unwrap();

        // Since the merge: a stay booked at the desk, an edit, a consent, and an import that
        // came in under the PMS id only the absorbed profile had.
        store.add_stay(desk.id, stay(&h, "R-3", day(2024, 2, 1))).await.unwrap();
        let mut edited = store.guest(desk.id).await.unwrap().profile;
        edited.tags.push("golf".into());
        store.update_guest(desk.id, edited, None).await.unwrap();
        store.record_consent(desk.id, consent(ConsentChannel::Post, true, 500)).await.unwrap();
        assert_eq!(db.keys_off_their_lists().await, 0, "the tombstone holds and lists no keys");
        assert_eq!(db.spend_off_their_stays().await, 0, "every spend line belongs to its stay's profile");
        let mut via_pms = person("W", "Chang", "");
        via_pms.emails.clear();
        via_pms.external_ids.push(ExternalId {
            source: "opera".into(),
            id: "P-777".into(),
        });
        let out = store
            .import_batch(vec![IncomingBooking {
                line: 1,
                profile: via_pms,
                consents: vec![],
                stay: Some(stay(&h, "R-4", day(2024, 3, 1))),
                notes: vec![],
            }].into())
            .await
            .unwrap();
        assert_eq!(out.rows[0].guest, GuestRef::Existing(desk.id));

        let undone = store.undo_merge(record.id, "ben").await.unwrap();
        assert_eq!(undone.undone_by.as_deref(), Some("ben"));
        assert!(undone.undone_at.is_some());

        let ota_back = store.guest(ota.id).await.unwrap();
        assert_eq!(ota_back, ota, "the absorbed profile comes back exactly as it was");
        let desk_back = store.guest(desk.id).await.unwrap();
        let mut expected = desk.profile.clone();
        expected.tags.push("golf".into());
        assert_eq!(desk_back.profile, expected, "the survivor as it was, plus the edit made since");
        assert!(desk_back.consents.iter().any(|c| c.channel == ConsentChannel::Post), "consent given since stays");
        assert!(!desk_back.consents.iter().any(|c| c.channel == ConsentChannel::Sms), "the absorbed consent went back");

        let desk_now = holdings(store, desk.id).await;
        assert_eq!(desk_now.stays, vec!["R-1", "R-3"], "the desk booking made since stays with the survivor");
        assert_eq!(desk_now.notes, desk_had.notes);
        assert_eq!(desk_now.consents.len(), desk_had.consents.len() + 1);
        let ota_now = holdings(store, ota.id).await;
        assert_eq!(ota_now.stays, vec!["R-2", "R-4"], "the stay that came in under the absorbed PMS id goes with it");
        assert_eq!(ota_now.spend.len(), ota_had.spend.len() + 1, "its spend follows the stay");
        assert_eq!(ota_now.notes, ota_had.notes);
        assert_eq!(ota_now.consents, ota_had.consents);

        assert_eq!(store.list_guests(0, 10).await.unwrap().total, 2);
        assert_eq!(search_ids(store, "wei.chang@corp").await, vec![ota.id], "keys follow the profile back");
        assert_eq!(search_ids(store, "zw@example").await, vec![desk.id]);
        assert_eq!(db.keys_off_their_lists().await, 0, "each profile's row lists exactly its keys");
        assert_eq!(db.spend_off_their_stays().await, 0, "every spend line belongs to its stay's profile");

        assert!(matches!(store.undo_merge(record.id, "ben").await, Err(StoreError::Conflict(_))), "undoing twice");
        let history = store.guest_merges(desk.id).await.unwrap();
        assert_eq!(history[0].undone_by.as_deref(), Some("ben"));
    }

    fn bad_requests_are_clear_errors_and_lose_nothing(db) {
        let store = db.store.as_ref();
        let (_h, desk, ota) = two_profiles(store).await;
        let (desk_had, ota_had) = (holdings(store, desk.id).await, holdings(store, ota.id).await);

        assert!(matches!(store.merge_guests(desk.id, desk.id, request("anna")).await, Err(StoreError::Invalid(_))));
        assert!(matches!(store.merge_guests(desk.id, 9_999, request("anna")).await, Err(StoreError::NotFound(_))));
        assert!(matches!(store.undo_merge(9_999, "anna").await, Err(StoreError::NotFound(_))));
        assert_eq!(store.guest(desk.id).await.unwrap(), desk);
        assert_eq!(store.guest(ota.id).await.unwrap(), ota);
        assert_eq!(holdings(store, desk.id).await, desk_had);
        assert_eq!(holdings(store, ota.id).await, ota_had);

        let third = store.create_guest(person("Wei", "Zhang", "third@example.cn"), vec![]).await.unwrap();
        store.merge_guests(desk.id, ota.id, request("anna")).await.unwrap();
        let merged = store.guest(desk.id).await.unwrap();
        assert!(matches!(store.merge_guests(third.id, ota.id, request("anna")).await, Err(StoreError::Conflict(_))), "already merged");
        assert!(matches!(store.merge_guests(ota.id, third.id, request("anna")).await, Err(StoreError::Conflict(_))));
        assert_eq!(store.guest(desk.id).await.unwrap(), merged);
        assert_eq!(store.guest(third.id).await.unwrap(), third);

        // The survivor merged away in turn: the first merge cannot be undone until that one is.
        let second = store.merge_guests(third.id, desk.id, request("anna")).await.unwrap();
        let first = store.guest_merges(ota.id).await.unwrap()[0].id;
        assert!(matches!(store.undo_merge(first, "anna").await, Err(StoreError::Conflict(_))));
        store.undo_merge(second.id, "anna").await.unwrap();
        store.undo_merge(first, "anna").await.unwrap();
        assert_eq!(store.guest(ota.id).await.unwrap(), ota);
        assert_eq!(holdings(store, desk.id).await, desk_had);
        assert_eq!(holdings(store, ota.id).await, ota_had);
        assert_eq!(store.guest(desk.id).await.unwrap().profile, desk.profile);
    }

    fn a_never_merge_mark_is_respected_forever(db) {
        let store = db.store.as_ref();
        let (_h, desk, ota) = two_profiles(store).await;
        let mark = store.never_merge(ota.id, desk.id, "anna", "father and son").await.unwrap();
        assert_eq!((mark.left, mark.right, mark.reason.as_str()), (desk.id, ota.id, "father and son"));
        assert!(matches!(store.merge_guests(desk.id, ota.id, request("anna")).await, Err(StoreError::Conflict(_))));
        let out = store
            .record_candidates(vec![pair(ota.id, desk.id, 0.9999), pair(desk.id, ota.id, 0.9)], MatchThresholds::default())
            .await
            .unwrap();
        assert_eq!((out.queued, out.merged, out.skipped), (0, 0, 2));
        assert_eq!(store.review_queue(0, 10).await.unwrap().total, 0);
        assert!(store.guest(ota.id).await.is_ok());
        assert!(matches!(store.never_merge(desk.id, desk.id, "anna", "x").await, Err(StoreError::Invalid(_))));
    }

    fn the_review_queue_takes_decisions(db) {
        let store = db.store.as_ref();
        let (_h, desk, ota) = two_profiles(store).await;
        let mut ids = Vec::new();
        for (i, name) in ["Li Na", "Li Na", "Wang Fang", "Wang Fang", "Chen Jie", "Chen Jie"].iter().enumerate() {
            let (given, family) = name.split_once(' ').unwrap();
            ids.push(store.create_guest(person(given, family, &format!("p{i}@example.cn")), vec![]).await.unwrap().id);
        }
        let out = store
            .record_candidates(
                vec![
                    pair(ota.id, desk.id, 0.95),
                    pair(ids[0], ids[1], 0.9995),
                    pair(ids[2], ids[3], 0.85),
                    pair(ids[4], ids[5], 0.3),
                ],
                MatchThresholds::default(),
            )
            .await
            .unwrap();
        assert_eq!((out.queued, out.merged, out.skipped), (2, 1, 1));
        let auto = store.guest_merges(ids[0]).await.unwrap();
        assert_eq!((auto[0].decided_by.as_str(), auto[0].survivor, auto[0].absorbed), ("auto", ids[0], ids[1]));

        let queue = store.review_queue(0, 10).await.unwrap();
        assert_eq!(queue.total, 2);
        assert_eq!((queue.items[0].left, queue.items[0].right), (desk.id, ota.id), "most probable first, lower id left");
        assert_eq!(queue.items[0].evidence, pair(0, 0, 0.0).evidence);
        assert_eq!(queue.items[0].status, PairStatus::Pending);

        let (later, _) = store.decide_pair(desk.id, ota.id, PairDecision::Later, "anna").await.unwrap();
        assert_eq!(later.status, PairStatus::Later);
        let queue = store.review_queue(0, 10).await.unwrap();
        assert_eq!((queue.items[0].left, queue.items[1].left), (ids[2], desk.id), "postponed pairs go last");

        // A new score refreshes an undecided pair without losing its place.
        store.record_candidates(vec![pair(desk.id, ota.id, 0.96)], MatchThresholds::default()).await.unwrap();
        let refreshed = store.review_queue(0, 10).await.unwrap().items[1].clone();
        assert_eq!((refreshed.probability, refreshed.status), (0.96, PairStatus::Later));

        let (merged, record) = store.decide_pair(ota.id, desk.id, PairDecision::Merge, "anna").await.unwrap();
        assert_eq!(merged.status, PairStatus::Merged);
        let record = record.unwrap();
        assert_eq!((record.survivor, record.absorbed, record.probability), (desk.id, ota.id, Some(0.96)));
        let (distinct, _) = store.decide_pair(ids[2], ids[3], PairDecision::Distinct, "ben").await.unwrap();
        assert_eq!(distinct.status, PairStatus::Distinct);
        assert!(matches!(store.merge_guests(ids[2], ids[3], request("ben")).await, Err(StoreError::Conflict(_))), "not the same: never merged");
        assert_eq!(store.review_queue(0, 10).await.unwrap().total, 0);

        assert!(matches!(store.decide_pair(desk.id, ota.id, PairDecision::Merge, "anna").await, Err(StoreError::Conflict(_))));
        assert!(matches!(store.decide_pair(ids[4], ids[5], PairDecision::Merge, "anna").await, Err(StoreError::NotFound(_))));
        // A decided pair is not queued again, and an undone merge closes its pair.
        store.undo_merge(record.id, "anna").await.unwrap();
        let out = store.record_candidates(vec![pair(desk.id, ota.id, 0.9999)], MatchThresholds::default()).await.unwrap();
        assert_eq!((out.queued, out.merged, out.skipped), (0, 0, 1));
        assert!(store.guest(ota.id).await.is_ok());
    }
}
