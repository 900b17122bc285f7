//! Import throughput on both backends, and that a large import stays correct: returning
//! guests join their profile across batches and every booking becomes one stay.
//!
//! The default size keeps `cargo test` quick; for a figure run, in release:
//! `RAPPORT_IMPORT_RATE_ROWS=200000 cargo test --release -p rapport-store --test import_rate -- --nocapture`

use std::time::Instant;

use chrono::{Days, NaiveDate, TimeZone, Utc};
use rapport_domain::contact::{ContactPoint, Region};
use rapport_domain::guest::{ConsentChannel, ConsentRecord, GuestProfile};
use rapport_domain::hotel::{Hotel, NewHotel};
use rapport_domain::ingest::{IncomingBooking, IncomingNote};
use rapport_domain::money::{Currency, Money};
use rapport_domain::names::GuestName;
use rapport_domain::stay::{NewSpendLine, NewStay, SpendCategory, StayStatus};
use rapport_store::testing::TestDb;
use rapport_store::{backend_tests, Store, StoreError};

const BATCH: usize = 5_000;
const GIVEN: &[&str] = &["Wei", "Michael", "Anna", "Li", "Sofia", "James", "Mei", "Lukas", "Chloé", "Hiroshi"];
const FAMILY: &[&str] = &[
    "Zhang", "Smith", "Müller", "Wang", "García", "Brown", "Chen", "Rossi", "Martin", "Tanaka",
];

/// Who made booking `i`: every fourth booking is a returning guest (person `i / 4`).
fn person_of(i: usize) -> usize {
    if i % 4 == 3 {
        i / 4
    } else {
        i
    }
}

fn booking(i: usize, hotels: &[Hotel]) -> IncomingBooking {
    let person = person_of(i);
    let hotel = &hotels[i % hotels.len()];
    let arrival = NaiveDate::from_ymd_opt(2022, 1, 1).unwrap() + Days::new((i % 1000) as u64);
    let money = |minor| Money {
        minor,
        currency: hotel.currency,
    };
    IncomingBooking {
        line: i as u64 + 2,
        profile: GuestProfile {
            name: GuestName {
                given: GIVEN[person % 10].into(),
                family: FAMILY[(person / 10) % 10].into(),
                ..Default::default()
            },
            emails: vec![ContactPoint::email_lenient(&format!("guest{person}@example.com"))],
            phones: vec![ContactPoint::phone_lenient(&format!("+86 138 {:08}", person), Region::default())],
            ..Default::default()
        },
        consents: vec![ConsentRecord {
            channel: ConsentChannel::Email,
            granted: !person.is_multiple_of(3),
            recorded_at: Utc.timestamp_opt(1_650_000_000, 0).unwrap(),
            source: "import".into(),
            recorded_by: "import".into(),
        }],
        stay: Some(NewStay {
            hotel_id: hotel.id,
            external_ref: Some(format!("R{i}")),
            arrival,
            departure: arrival + Days::new(1 + (i % 5) as u64),
            room_type: Some("Deluxe".into()),
            rate: Some(money(80_000)),
            channel: Some("OTA".into()),
            market_segment: Some("Leisure".into()),
            adults: 2,
            children: 0,
            special_requests: None,
            status: if i.is_multiple_of(10) {
                StayStatus::Cancelled
            } else {
                StayStatus::CheckedOut
            },
            booked_at: Some(arrival - Days::new(20)),
            spend: vec![
                NewSpendLine {
                    category: SpendCategory::Room,
                    amount: money(160_000),
                    posted_on: arrival,
                    description: None,
                },
                NewSpendLine {
                    category: SpendCategory::FoodBeverage,
                    amount: money(12_000),
                    posted_on: arrival,
                    description: None,
                },
            ],
        }),
        notes: if i.is_multiple_of(20) {
            vec![IncomingNote {
                body: "asked for a quiet room".into(),
                author: "import".into(),
                created_at: Utc::now(),
            }]
        } else {
            vec![]
        },
    }
}

async fn three_hotels(store: &dyn Store) -> Vec<Hotel> {
    let mut hotels = Vec::new();
    for (code, currency) in [("SHA", "CNY"), ("BJS", "CNY"), ("LON", "GBP")] {
        let h = NewHotel {
            code: code.into(),
            name: code.into(),
            country: "CN".into(),
            timezone: "Asia/Shanghai".into(),
            currency: Currency::parse(currency).unwrap(),
        };
        hotels.push(store.create_hotel(h).await.unwrap());
    }
    hotels
}

/// Guests, stays and spend lines stored, as seen by a connection of its own (another
/// process): what an import has committed.
async fn committed(db: &TestDb) -> (i64, i64, i64) {
    let c = rapport_store::open(&db.url).await.unwrap().counts().await.unwrap();
    (c.guests, c.stays, c.spend_lines)
}

/// SQL that makes the database refuse a stay booked in room type `FAIL`, as a full disk or
/// a broken constraint would refuse a batch.
fn refuse_room_type_fail(backend: &str) -> &'static str {
    match backend {
        "sqlite" => {
            "CREATE TRIGGER refuse_fail BEFORE INSERT ON stays WHEN NEW.room_type = 'FAIL' \
                     BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;"
        }
        _ => {
            "CREATE FUNCTION refuse_fail() RETURNS trigger LANGUAGE plpgsql AS $$ \
              BEGIN IF NEW.room_type = 'FAIL' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$; \
              CREATE TRIGGER refuse_fail BEFORE INSERT ON stays FOR EACH ROW EXECUTE FUNCTION refuse_fail();"
        }
    }
}

backend_tests! {
    fn large_imports_keep_returning_guests_on_one_profile(db) {
        let rows: usize = std::env::var("RAPPORT_IMPORT_RATE_ROWS").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
        let hotels = three_hotels(db.store.as_ref()).await;
        let all: Vec<IncomingBooking> = (0..rows).map(|i| booking(i, &hotels)).collect();
        let batches: Vec<Vec<IncomingBooking>> = all.chunks(BATCH).map(<[_]>::to_vec).collect();

        let started = Instant::now();
        let mut created = 0;
        for batch in batches {
            created += db.store.import_batch(batch.into()).await.unwrap().new_guest_ids.len();
        }
        let elapsed = started.elapsed();
        eprintln!(
            "{}: imported {rows} booking rows in {:.2} s = {:.0} rows/s (batches of {BATCH})",
            db.store.backend(),
            elapsed.as_secs_f64(),
            rows as f64 / elapsed.as_secs_f64()
        );

        let people = (0..rows).map(person_of).collect::<std::collections::HashSet<_>>().len();
        let counts = db.store.counts().await.unwrap();
        assert_eq!(created, people);
        assert_eq!((counts.guests, counts.stays, counts.spend_lines), (people as i64, rows as i64, 2 * rows as i64));
        let again = db.store.import_batch(all[..BATCH.min(rows)].to_vec().into()).await.unwrap();
        assert!(again.rows.iter().all(|r| r.unchanged));
        assert_eq!(db.store.counts().await.unwrap(), counts);
    }

    fn staged_batches_are_committed_by_another_write_and_by_the_importer(db) {
        let hotels = three_hotels(db.store.as_ref()).await;
        let all: Vec<IncomingBooking> = (0..3 * BATCH).map(|i| booking(i, &hotels)).collect();
        let people = |rows: usize| (0..rows).map(person_of).collect::<std::collections::HashSet<_>>().len() as i64;
        let mut batches = all.chunks(BATCH).map(<[_]>::to_vec);

        db.store.stage_import_batch(batches.next().unwrap().into()).await.unwrap();
        db.store.stage_import_batch(batches.next().unwrap().into()).await.unwrap();
        // A write of another kind (the console adding a hotel while the import runs) goes
        // ahead, and what was staged before it is stored by then.
        let spa = NewHotel { code: "SPA".into(), name: "Spa".into(), country: "PT".into(), timezone: "Europe/Lisbon".into(), currency: Currency::parse("EUR").unwrap() };
        db.store.create_hotel(spa).await.unwrap();
        let two = 2 * BATCH;
        let (guests, stays, lines) = committed(&db).await;
        if db.store.backend() == "sqlite" {
            assert_eq!((guests, stays, lines), (people(two), two as i64, 2 * two as i64));
        } else {
            // Both batches' profiles are committed as they are staged, the first batch's
            // stays before the second's profiles; the second's stays may still be on their way.
            assert_eq!(guests, people(two));
            assert!(stays == BATCH as i64 || stays == two as i64, "{stays} stays");
            assert_eq!(lines, 2 * stays);
        }

        db.store.stage_import_batch(batches.next().unwrap().into()).await.unwrap();
        db.store.commit_import().await.unwrap();
        let three = 3 * BATCH;
        assert_eq!(committed(&db).await, (people(three), three as i64, 2 * three as i64));
        assert_eq!(db.store.hotels().await.unwrap().len(), 4);

        // Staged again, the same rows change nothing, and a commit with nothing staged is a no-op.
        let again = db.store.stage_import_batch(all[..BATCH].to_vec().into()).await.unwrap();
        assert!(again.rows.iter().all(|r| r.unchanged));
        db.store.commit_import().await.unwrap();
        db.store.commit_import().await.unwrap();
        assert_eq!(committed(&db).await, (people(three), three as i64, 2 * three as i64));
    }

    fn a_failed_staged_batch_keeps_what_was_committed_and_says_what_was_lost(db) {
        let hotels = three_hotels(db.store.as_ref()).await;
        let all: Vec<IncomingBooking> = (0..3 * BATCH).map(|i| booking(i, &hotels)).collect();
        let people = |rows: std::ops::Range<usize>| rows.map(person_of).collect::<std::collections::HashSet<_>>().len() as i64;
        db.store.import_batch(all[..BATCH].to_vec().into()).await.unwrap();
        db.execute(refuse_room_type_fail(db.store.backend())).await;

        db.store.stage_import_batch(all[BATCH..2 * BATCH].to_vec().into()).await.unwrap();
        let mut failing = all[2 * BATCH..].to_vec();
        failing[7].stay.as_mut().unwrap().room_type = Some("FAIL".into());
        let staged = db.store.stage_import_batch(failing.into()).await;
        let committed_import = db.store.commit_import().await;

        let (guests, stays, lines) = committed(&db).await;
        if db.store.backend() == "sqlite" {
            // The batch staged before the failure shared its transaction: lost with it, and
            // the error says so (importing the file again stores it).
            let err = staged.unwrap_err();
            committed_import.unwrap();
            assert!(err.to_string().contains("refused by the test"), "{err}");
            assert!(matches!(err, StoreError::ImportNotCommitted(_)), "{err:?}");
            assert!(err.to_string().contains(&format!("{BATCH} rows")), "{err}");
            assert_eq!((guests, stays, lines), (people(0..BATCH), BATCH as i64, 2 * BATCH as i64));
        } else {
            // The failed batch's profiles were committed before its stays were refused, on
            // their own connection: the importer hears of it when it commits, and only
            // that batch's stays are missing.
            staged.unwrap();
            let err = committed_import.unwrap_err();
            assert!(matches!(err, StoreError::ImportNotCommitted(_)), "{err:?}");
            assert!(err.to_string().contains("refused by the test"), "{err}");
            assert!(err.to_string().contains("importing the file again stores them"), "{err}");
            assert_eq!((guests, stays, lines), (people(0..3 * BATCH), 2 * BATCH as i64, 4 * BATCH as i64));
        }

        // The first, committed batch is untouched; importing the rest again completes the file.
        db.store.stage_import_batch(all[BATCH..2 * BATCH].to_vec().into()).await.unwrap();
        db.store.stage_import_batch(all[2 * BATCH..].to_vec().into()).await.unwrap();
        db.store.commit_import().await.unwrap();
        let rows = 3 * BATCH;
        assert_eq!(committed(&db).await, (people(0..rows), rows as i64, 2 * rows as i64));
    }

    fn batches_looked_up_ahead_see_what_the_batches_before_them_wrote(db) {
        let hotels = three_hotels(db.store.as_ref()).await;
        let all: Vec<IncomingBooking> = (0..2 * BATCH).map(|i| booking(i, &hotels)).collect();
        // A third batch: bookings of the first batch's guests again, one of them with a
        // new email, and one reservation of the first batch sent again.
        let mut again: Vec<IncomingBooking> = (0..4).map(|i| booking(2 * BATCH + i, &hotels)).collect();
        for (n, row) in again.iter_mut().enumerate() {
            let first = booking(n, &hotels);
            row.profile = first.profile;
        }
        again[0].profile.emails.push(ContactPoint::email_lenient("second.address@example.com"));
        again[1].stay = booking(1, &hotels).stay;
        let (first, second) = all.split_at(BATCH);

        // Every batch is looked up before the ones before it are written: what they wrote
        // is not in the look-ups' view of the database.
        let first = db.store.look_ahead(first.to_vec().into()).await.unwrap();
        let second = db.store.look_ahead(second.to_vec().into()).await.unwrap();
        let third = db.store.look_ahead(again.into()).await.unwrap();
        db.store.stage_ahead(first).await.unwrap();
        let second = db.store.stage_ahead(second).await.unwrap();
        let third = db.store.stage_ahead(third).await.unwrap();
        db.store.commit_import().await.unwrap();

        // The second batch's returning guests joined the profiles the first created.
        let rows = 2 * BATCH;
        let people = (0..rows).map(person_of).collect::<std::collections::HashSet<_>>().len();
        let seen: std::collections::HashSet<usize> = (0..BATCH).map(person_of).collect();
        let returning = (BATCH..rows).filter(|i| seen.contains(&person_of(*i))).count();
        assert!(returning > 0);
        assert_eq!(second.rows.iter().filter(|r| !r.guest_created).count(), returning);
        // The third joined too, kept the new email, and did not store the same
        // reservation twice.
        assert!(third.rows.iter().all(|r| !r.guest_created));
        assert_eq!(third.rows.iter().filter(|r| r.stay_created).count(), 3);
        assert_eq!(committed(&db).await, (people as i64, rows as i64 + 3, 2 * (rows as i64 + 3)));
        let found = db.store.search_guests(&["second.address@example.com".into()], 5).await.unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].profile.emails.len(), 2);
    }

    fn a_write_after_a_look_ahead_is_not_missed(db) {
        let hotels = three_hotels(db.store.as_ref()).await;
        let newcomer = |i: usize, email: &str| {
            let mut row = booking(i, &hotels);
            row.profile.emails = vec![ContactPoint::email_lenient(email)];
            row.profile.phones = vec![];
            row
        };
        db.store.stage_import_batch(vec![booking(0, &hotels)].into()).await.unwrap();

        // A guest created at the desk, in this process, after the batch was looked up.
        let looked = db.store.look_ahead(vec![newcomer(1, "desk@example.com")].into()).await.unwrap();
        let desk = db.store.create_guest(newcomer(1, "desk@example.com").profile, vec![]).await.unwrap();
        let outcome = db.store.stage_ahead(looked).await.unwrap();
        assert_eq!(outcome.rows[0].guest, rapport_domain::ingest::GuestRef::Existing(desk.id));

        // And one created by another process (a second server on the same database),
        // which writes once the import has committed what it staged.
        db.store.commit_import().await.unwrap();
        let looked = db.store.look_ahead(vec![newcomer(2, "other@example.com")].into()).await.unwrap();
        let other = rapport_store::open(&db.url).await.unwrap();
        let elsewhere = other.create_guest(newcomer(2, "other@example.com").profile, vec![]).await.unwrap();
        drop(other);
        let outcome = db.store.stage_ahead(looked).await.unwrap();
        assert_eq!(outcome.rows[0].guest, rapport_domain::ingest::GuestRef::Existing(elsewhere.id));
        db.store.commit_import().await.unwrap();
        assert_eq!(committed(&db).await.0, 3);
    }

    fn an_importer_waiting_for_its_next_batch_commits_what_it_staged(db) {
        let hotels = three_hotels(db.store.as_ref()).await;
        let batch: Vec<IncomingBooking> = (0..BATCH).map(|i| booking(i, &hotels)).collect();
        let people = (0..BATCH).map(person_of).collect::<std::collections::HashSet<_>>().len() as i64;
        db.store.stage_import_batch(batch.into()).await.unwrap();

        // The reader is slow (a file of rejected rows, a slow disk): no batch for a while.
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<IncomingBooking>>(1);
        let store = db.store.clone();
        let waiting = tokio::spawn(async move { rapport_store::staging::next_batch(store.as_ref(), &mut rx).await });
        tokio::time::sleep(2 * rapport_store::staging::IDLE_COMMIT).await;
        // What was staged is stored meanwhile, so other writers are not kept waiting.
        assert_eq!(committed(&db).await, (people, BATCH as i64, 2 * BATCH as i64));
        tx.send(Vec::new()).await.unwrap();
        assert!(waiting.await.unwrap().unwrap().is_some_and(|b| b.is_empty()));
    }
}

/// SQL that makes PostgreSQL take two seconds over a stay booked in room type `SLOW`, so a
/// test can act while a staged batch's stays are still being written.
const SLOW_ROOM_TYPE: &str = "CREATE FUNCTION slow_stay() RETURNS trigger LANGUAGE plpgsql AS $$ \
      BEGIN IF NEW.room_type = 'SLOW' THEN PERFORM pg_sleep(2); END IF; RETURN NEW; END $$; \
    CREATE TRIGGER slow_stay BEFORE INSERT ON stays FOR EACH ROW EXECUTE FUNCTION slow_stay();";

fn slow(mut row: IncomingBooking) -> IncomingBooking {
    row.stay.as_mut().unwrap().room_type = Some("SLOW".into());
    row
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_writes_a_batch_stays_while_the_next_batch_is_staged() {
    let db = TestDb::postgres().await;
    let hotels = three_hotels(db.store.as_ref()).await;
    db.execute(SLOW_ROOM_TYPE).await;
    let mut first: Vec<IncomingBooking> = (0..100).map(|i| booking(i, &hotels)).collect();
    first[0] = slow(booking(0, &hotels));
    let people = (0..100).map(person_of).collect::<std::collections::HashSet<_>>().len() as i64;

    db.store.stage_import_batch(first.into()).await.unwrap();
    // The profiles are committed; the stays are still on their way.
    assert_eq!(committed(&db).await, (people, 0, 0));

    // The next batch sends one of those reservations again, and brings a returning guest:
    // planned while the first batch's stays are uncommitted, it stores neither twice. It
    // also gives the guest whose stay is held up a new email, changing that profile while
    // its stay is still being written.
    let mut second: Vec<IncomingBooking> = (100..200).map(|i| booking(i, &hotels)).collect();
    second[0] = booking(5, &hotels);
    second[1].profile = booking(0, &hotels).profile;
    second[1]
        .profile
        .emails
        .push(ContactPoint::email_lenient("later.address@example.com"));
    // Bounded: the profile's row lock and the stay's foreign-key check must not wait for
    // each other.
    let staged = async {
        let outcome = db.store.stage_import_batch(second.into()).await.unwrap();
        db.store.commit_import().await.unwrap();
        outcome
    };
    let outcome = tokio::time::timeout(std::time::Duration::from_secs(30), staged)
        .await
        .expect("the import deadlocked");
    assert!(!outcome.rows[0].stay_created && !outcome.rows[0].guest_created);
    assert!(outcome.rows[1].stay_created && !outcome.rows[1].guest_created);
    let people = (0..200)
        .filter(|i| *i != 100 && *i != 101)
        .map(person_of)
        .collect::<std::collections::HashSet<_>>()
        .len() as i64;
    assert_eq!(committed(&db).await, (people, 199, 2 * 199));
    assert_eq!(db.keys_off_their_lists().await, 0);
    let found = db.store.search_guests(&["later.address@example.com".into()], 5).await.unwrap();
    assert_eq!(found.len(), 1);
    let stays = db
        .store
        .guest_stays(found[0].id, &rapport_domain::access::Scope::Group)
        .await
        .unwrap();
    assert_eq!(stays.len(), (0..100).filter(|i| person_of(*i) == 0).count() + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_merge_while_a_batch_stays_are_written_waits_and_takes_them_along() {
    let db = TestDb::postgres().await;
    let hotels = three_hotels(db.store.as_ref()).await;
    db.execute(SLOW_ROOM_TYPE).await;
    let row = slow(booking(0, &hotels));
    let desk = db.store.create_guest(booking(1, &hotels).profile, vec![]).await.unwrap();

    let outcome = db.store.stage_import_batch(vec![row].into()).await.unwrap();
    let imported = outcome.new_guest_ids[0];
    // The stay is being written (its insert sleeps), its profile locked against a merge.
    // Other tests' databases on the server may be sleeping too.
    let sleeping = "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND datname = current_database()";
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while db.count(sleeping).await == 0 {
        assert!(std::time::Instant::now() < deadline, "the stays never started");
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    // Staff merge the new profile into the one made at the desk meanwhile: the merge waits
    // for the stay and moves it with the rest.
    let request = rapport_store::MergeRequest {
        decided_by: "anna".into(),
        reason: "same guest".into(),
        probability: None,
        evidence: vec![],
    };
    db.store.merge_guests(desk.id, imported, request).await.unwrap();
    db.store.commit_import().await.unwrap();
    let stays = db.store.guest_stays(desk.id, &rapport_domain::access::Scope::Group).await.unwrap();
    assert_eq!(stays.len(), 1);
    assert_eq!(committed(&db).await.1, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_imports_into_one_database_wait_for_each_other() {
    let db = TestDb::postgres().await;
    let hotels = three_hotels(db.store.as_ref()).await;
    let all: Vec<IncomingBooking> = (0..2 * BATCH).map(|i| booking(i, &hotels)).collect();
    db.store.stage_import_batch(all[..BATCH].to_vec().into()).await.unwrap();

    // Another process imports the same bookings meanwhile: it waits for this import.
    let other = rapport_store::open(&db.url).await.unwrap();
    let rows = all.clone();
    let waiting = tokio::spawn(async move {
        let mut created = 0;
        for batch in rows.chunks(BATCH) {
            created += other
                .stage_import_batch(batch.to_vec().into())
                .await?
                .rows
                .iter()
                .filter(|r| r.stay_created)
                .count();
        }
        other.commit_import().await?;
        Ok::<_, StoreError>(created)
    });
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert!(!waiting.is_finished());
    db.store.stage_import_batch(all[BATCH..].to_vec().into()).await.unwrap();
    db.store.commit_import().await.unwrap();

    // Then it finds every booking stored.
    assert_eq!(waiting.await.unwrap().unwrap(), 0);
    let people = (0..2 * BATCH).map(person_of).collect::<std::collections::HashSet<_>>().len() as i64;
    assert_eq!(committed(&db).await, (people, 2 * BATCH as i64, 4 * BATCH as i64));
}
