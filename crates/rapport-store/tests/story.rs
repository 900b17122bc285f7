//! The storage story, told once and run on a fresh SQLite and a fresh PostgreSQL database:
//! what a hotel would notice if a backend stored, found or filtered something differently.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use rapport_domain::access::{Role, Scope};
use rapport_domain::contact::{ContactPoint, Region};
use rapport_domain::guest::{ConsentChannel, ConsentRecord, ExternalId, GuestProfile};
use rapport_domain::hotel::{Hotel, NewHotel};
use rapport_domain::ingest::{GuestRef, IncomingBooking, IncomingNote};
use rapport_domain::money::{Currency, Money};
use rapport_domain::names::GuestName;
use rapport_domain::search::query_prefixes;
use rapport_domain::stay::{NewSpendLine, NewStay, SpendCategory, StayStatus};
use rapport_store::testing::search_ids;
use rapport_store::{backend_tests, NewToken, NewUser, SearchTotal, Store, StoreError, SEARCH_COUNT_CAP};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn at(secs: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(1_700_000_000 + secs, 0).unwrap()
}

async fn hotel(store: &dyn Store, code: &str, currency: &str) -> Hotel {
    store
        .create_hotel(NewHotel {
            code: code.into(),
            name: format!("Hotel {code}"),
            country: "CN".into(),
            timezone: "Asia/Shanghai".into(),
            currency: Currency::parse(currency).unwrap(),
        })
        .await
        .unwrap()
}

fn person(given: &str, family: &str, email: &str, phone: &str) -> GuestProfile {
    let mut p = GuestProfile {
        name: GuestName {
            given: given.into(),
            family: family.into(),
            ..Default::default()
        },
        ..Default::default()
    };
    if !email.is_empty() {
        p.emails.push(ContactPoint::email_lenient(email));
    }
    if !phone.is_empty() {
        p.phones.push(ContactPoint::phone_lenient(phone, Region::default()));
    }
    p
}

fn zhang_wei() -> GuestProfile {
    let mut p = person("Wei", "Zhang", "zw@example.cn", "+86 138 1234 5678");
    p.name.native = Some("张伟".into());
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

fn stay(hotel: &Hotel, reference: &str, arrival: NaiveDate, room_minor: i64) -> NewStay {
    NewStay {
        hotel_id: hotel.id,
        external_ref: Some(reference.into()),
        arrival,
        departure: arrival + chrono::Days::new(2),
        room_type: Some("Deluxe King".into()),
        rate: Some(Money {
            minor: room_minor / 2,
            currency: hotel.currency,
        }),
        channel: Some("Direct".into()),
        market_segment: Some("Leisure".into()),
        adults: 2,
        children: 1,
        special_requests: Some("quiet room, high floor".into()),
        status: StayStatus::CheckedOut,
        booked_at: Some(arrival - chrono::Days::new(30)),
        spend: vec![
            NewSpendLine {
                category: SpendCategory::Room,
                amount: Money {
                    minor: room_minor,
                    currency: hotel.currency,
                },
                posted_on: arrival,
                description: None,
            },
            NewSpendLine {
                category: SpendCategory::Spa,
                amount: Money {
                    minor: 8_800,
                    currency: hotel.currency,
                },
                posted_on: arrival,
                description: Some("massage".into()),
            },
        ],
    }
}

fn booking(line: u64, profile: GuestProfile, stay: NewStay) -> IncomingBooking {
    IncomingBooking {
        line,
        profile,
        consents: vec![consent(ConsentChannel::Email, true, line as i64)],
        stay: Some(stay),
        notes: vec![IncomingNote {
            body: format!("note from line {line}"),
            author: "import".into(),
            created_at: at(line as i64),
        }],
    }
}

fn user(login: &str) -> NewUser {
    NewUser {
        login: login.into(),
        display_name: "Anna Li".into(),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        role: Role::FrontDesk,
        scope: Scope::Hotels(vec![1]),
        language: "zh-CN".into(),
    }
}

backend_tests! {
    fn hotels_are_found_by_code_and_codes_are_unique(db) {
        let store = db.store.as_ref();
        let sh = hotel(store, "SHA", "CNY").await;
        let lon = hotel(store, "LON", "GBP").await;
        let dup = store
            .create_hotel(NewHotel { code: "SHA".into(), name: "Other".into(), country: "CN".into(), timezone: "UTC".into(), currency: Currency::parse("CNY").unwrap() })
            .await;
        assert!(matches!(dup, Err(StoreError::Conflict(ref m)) if m.contains("SHA")), "{dup:?}");
        assert_eq!(store.hotel_by_code(" sha ").await.unwrap(), sh);
        assert_eq!(store.hotels().await.unwrap(), vec![sh, lon]);
        assert!(matches!(store.hotel_by_code("XXX").await, Err(StoreError::NotFound(_))));
        assert_eq!(store.counts().await.unwrap().hotels, 2);
    }

    fn guests_are_created_read_and_updated_without_losing_a_colleagues_edit(db) {
        let store = db.store.as_ref();
        let created = store.create_guest(zhang_wei(), vec![]).await.unwrap();
        assert_eq!(created.version, 1);
        assert_eq!(store.guest(created.id).await.unwrap(), created);

        let mut edit = created.profile.clone();
        edit.company = Some("Acme Trading".into());
        let updated = store.update_guest(created.id, edit.clone(), Some(1)).await.unwrap();
        assert_eq!((updated.version, updated.profile.company.as_deref()), (2, Some("Acme Trading")));

        // A colleague still holding version 1 must not overwrite the edit.
        let mut stale = created.profile.clone();
        stale.vip_code = Some("VIP1".into());
        let clash = store.update_guest(created.id, stale, Some(1)).await;
        assert!(matches!(clash, Err(StoreError::Conflict(_))), "{clash:?}");
        let stored = store.guest(created.id).await.unwrap();
        assert_eq!(stored, updated);
        assert_eq!(stored.profile.vip_code, None);

        // Without a version the update applies, and the search keys follow the new name.
        let mut renamed = edit;
        renamed.name = GuestName { given: "Wendy".into(), family: "Zhou".into(), ..Default::default() };
        store.update_guest(created.id, renamed, None).await.unwrap();
        assert_eq!(search_ids(store, "wendy zhou").await, vec![created.id]);
        assert!(search_ids(store, "zhangwei").await.is_empty(), "old name keys are gone");
        assert_eq!(db.keys_off_their_lists().await, 0, "the row lists exactly the keys stored");

        assert!(matches!(store.guest(9_999).await, Err(StoreError::NotFound(_))));
        assert!(matches!(store.update_guest(9_999, GuestProfile::default(), None).await, Err(StoreError::NotFound(_))));
    }

    fn search_finds_a_guest_by_any_script_phone_format_or_email(db) {
        let store = db.store.as_ref();
        let zhang = store.create_guest(zhang_wei(), vec![]).await.unwrap().id;
        let zoe = store.create_guest(person("Zoë", "Müller", "zoe@example.de", ""), vec![]).await.unwrap().id;
        let wang = store.create_guest(person("Fang", "Wang", "fw@example.cn", "+86 139 0000 1111"), vec![]).await.unwrap().id;
        for q in ["张伟", "张", "zhangwei", "zhang wei", "Zhāng Wěi", "wei zhang", "13812345678", "+86 138-1234-5678", "0086 138 1234 5678", "ZW@Example.cn"] {
            assert_eq!(search_ids(store, q).await.first(), Some(&zhang), "query {q}");
        }
        for q in ["zoe muller", "Müller", "muller", "zoe@example.de"] {
            assert_eq!(search_ids(store, q).await, vec![zoe], "query {q}");
        }
        assert_eq!(search_ids(store, "wang").await, vec![wang]);
        assert!(search_ids(store, "li na").await.is_empty());
        let mut lyu = person("Yang", "Lyu", "", "");
        lyu.name.native = Some("吕洋".into());
        let lyu = store.create_guest(lyu, vec![]).await.unwrap().id;
        for q in ["lv yang", "lyu yang", "lü yang", "吕洋"] {
            assert_eq!(search_ids(store, q).await, vec![lyu], "query {q}");
        }
    }

    fn a_search_total_counts_each_matching_profile_once_up_to_the_cap(db) {
        let store = db.store.as_ref();
        let total = |q: &'static str| async move { store.search_guests_counted(&query_prefixes(q), 5).await.unwrap().1 };
        for i in 0..7 {
            store.create_guest(person("Wei", "Zhang", &format!("wei{i}@example.cn"), ""), vec![]).await.unwrap();
        }
        // Found under two prefixes (its native name and its pinyin), counted once.
        store.create_guest(zhang_wei(), vec![]).await.unwrap();
        store.create_guest(person("Fang", "Zhang", "", ""), vec![]).await.unwrap();
        assert_eq!(total("zhang wei").await, SearchTotal { total: 8, capped: false });
        assert_eq!(total("zhang").await, SearchTotal { total: 9, capped: false });
        assert_eq!(total("nobody-like-this").await, SearchTotal { total: 0, capped: false });

        let many = (0..SEARCH_COUNT_CAP as u64 + 5)
            .map(|line| IncomingBooking {
                line,
                profile: person("Cap", &format!("Many{line}"), &format!("many{line}@example.com"), ""),
                consents: vec![],
                stay: None,
                notes: vec![],
            })
            .collect();
        store.import_batch(many).await.unwrap();
        assert_eq!(total("many").await, SearchTotal { total: SEARCH_COUNT_CAP, capped: true }, "at least the cap");
        // many10, many100 … many109 and, past the cap, many1000 … many1004 on a larger cap.
        let expected = 1 + 10 + (SEARCH_COUNT_CAP + 5 - 1000).clamp(0, 5);
        assert_eq!(total("many10").await, SearchTotal { total: expected, capped: false });
    }

    fn guests_are_listed_in_pages_with_the_total(db) {
        let store = db.store.as_ref();
        let mut ids = Vec::new();
        for i in 0..5 {
            ids.push(store.create_guest(person("Guest", &format!("Number{i}"), "", ""), vec![]).await.unwrap().id);
        }
        let first = store.list_guests(0, 2).await.unwrap();
        assert_eq!((first.total, first.offset, first.limit), (5, 0, 2));
        assert_eq!(first.items.iter().map(|g| g.id).collect::<Vec<_>>(), ids[..2]);
        let last = store.list_guests(4, 2).await.unwrap();
        assert_eq!(last.items.iter().map(|g| g.id).collect::<Vec<_>>(), ids[4..]);
        assert_eq!(store.list_guests(10, 2).await.unwrap().items.len(), 0);
    }

    fn stays_spend_and_notes_of_a_hotel_outside_the_scope_never_appear(db) {
        let store = db.store.as_ref();
        let sha = hotel(store, "SHA", "CNY").await;
        let lon = hotel(store, "LON", "GBP").await;
        let guest = store.create_guest(zhang_wei(), vec![]).await.unwrap().id;
        let in_sha = store.add_stay(guest, stay(&sha, "R1", day(2024, 5, 1), 120_000)).await.unwrap();
        let in_lon = store.add_stay(guest, stay(&lon, "R1", day(2024, 6, 1), 45_000)).await.unwrap();
        assert_eq!((in_sha.adults, in_sha.children, in_sha.rate.unwrap().minor), (2, 1, 60_000));
        assert_eq!(store.stay(in_lon.id).await.unwrap(), in_lon);

        let dup = store.add_stay(guest, stay(&sha, "R1", day(2024, 7, 1), 1)).await;
        assert!(matches!(dup, Err(StoreError::Conflict(_))), "same reservation at the same hotel: {dup:?}");
        assert!(matches!(store.add_stay(9_999, stay(&sha, "R9", day(2024, 7, 1), 1)).await, Err(StoreError::NotFound(_))));
        assert!(matches!(store.stay(9_999).await, Err(StoreError::NotFound(_))));

        store.add_note(guest, Some(in_sha.id), Some(sha.id), "likes jasmine tea", "anna").await.unwrap();
        store.add_note(guest, Some(in_lon.id), Some(lon.id), "complained about noise", "tom").await.unwrap();
        let general = store.add_note(guest, None, None, "prefers Mandarin", "anna").await.unwrap();
        assert_eq!((general.stay_id, general.hotel_id, general.author.as_str()), (None, None, "anna"));

        let only_sha = Scope::Hotels(vec![sha.id]);
        let stays = store.guest_stays(guest, &only_sha).await.unwrap();
        assert_eq!(stays, vec![in_sha.clone()]);
        let spend = store.guest_spend(guest, &only_sha).await.unwrap();
        assert_eq!(spend.len(), 2);
        assert!(spend.iter().all(|l| l.hotel_id == sha.id && l.stay_id == in_sha.id));
        let notes = store.guest_notes(guest, &only_sha).await.unwrap();
        let bodies: Vec<&str> = notes.iter().map(|n| n.body.as_str()).collect();
        assert_eq!(bodies.len(), 2, "{bodies:?}");
        assert!(bodies.contains(&"likes jasmine tea") && bodies.contains(&"prefers Mandarin"));
        assert!(store.guest_stays(guest, &Scope::Hotels(vec![])).await.unwrap().is_empty());

        let all = store.guest_stays(guest, &Scope::Group).await.unwrap();
        assert_eq!(all, vec![in_lon.clone(), in_sha.clone()], "newest arrival first");
        assert_eq!(store.guest_spend(guest, &Scope::Group).await.unwrap().len(), 4);
        assert_eq!(store.guest_notes(guest, &Scope::Group).await.unwrap().len(), 3);
        assert!(matches!(store.guest_stays(9_999, &Scope::Group).await, Err(StoreError::NotFound(_))));

        let page = store.hotel_stays(lon.id, day(2024, 1, 1), day(2025, 1, 1), 0, 10).await.unwrap();
        assert_eq!((page.total, page.items), (1, vec![in_lon]));
        assert_eq!(store.hotel_stays(lon.id, day(2024, 7, 1), day(2025, 1, 1), 0, 10).await.unwrap().total, 0);
        let counts = store.counts().await.unwrap();
        assert_eq!((counts.stays, counts.spend_lines), (2, 4));
    }

    fn consent_records_are_append_only_and_the_profile_shows_the_latest(db) {
        let store = db.store.as_ref();
        let guest = store.create_guest(zhang_wei(), vec![consent(ConsentChannel::Email, true, 0)]).await.unwrap();
        assert_eq!(guest.consents, vec![consent(ConsentChannel::Email, true, 0)]);
        store.record_consent(guest.id, consent(ConsentChannel::Email, false, 60)).await.unwrap();
        let now = store.record_consent(guest.id, consent(ConsentChannel::Sms, true, 120)).await.unwrap();
        assert_eq!(now.version, 3);
        assert_eq!(now.consents, vec![consent(ConsentChannel::Email, false, 60), consent(ConsentChannel::Sms, true, 120)]);
        assert_eq!(store.guest(guest.id).await.unwrap().consents, now.consents);
        assert_eq!(
            store.consent_history(guest.id).await.unwrap(),
            vec![consent(ConsentChannel::Email, true, 0), consent(ConsentChannel::Email, false, 60), consent(ConsentChannel::Sms, true, 120)]
        );
        assert!(matches!(store.consent_history(9_999).await, Err(StoreError::NotFound(_))));
        assert!(matches!(store.record_consent(9_999, consent(ConsentChannel::Sms, true, 0)).await, Err(StoreError::NotFound(_))));
    }

    fn staff_logins_are_unique_users_can_be_disabled_and_tokens_are_found_by_hash(db) {
        let store = db.store.as_ref();
        let anna = store.create_user(user("anna")).await.unwrap();
        assert_eq!((anna.role, anna.scope.clone(), anna.disabled), (Role::FrontDesk, Scope::Hotels(vec![1]), false));
        assert!(matches!(store.create_user(user("anna")).await, Err(StoreError::Conflict(ref m)) if m.contains("anna")));
        let (found, hash) = store.user_by_login("anna").await.unwrap();
        assert_eq!((found, hash), (anna.clone(), user("anna").password_hash));
        assert!(store.set_user_disabled("anna", true).await.unwrap().disabled);
        assert!(store.user_by_login("anna").await.unwrap().0.disabled);
        assert!(matches!(store.set_user_disabled("nobody", true).await, Err(StoreError::NotFound(_))));
        assert!(matches!(store.user_by_login("nobody").await, Err(StoreError::NotFound(_))));

        let token = NewToken { name: "pms".into(), token_hash: "ab".repeat(32), role: Role::Manager, scope: Scope::Group, created_by: "anna".into() };
        let created = store.create_token(token.clone()).await.unwrap();
        assert_eq!(store.token_by_hash(&token.token_hash).await.unwrap(), created);
        assert_eq!((created.role, created.scope), (Role::Manager, Scope::Group));
        assert!(matches!(store.create_token(token).await, Err(StoreError::Conflict(_))));
        assert!(matches!(store.token_by_hash(&"cd".repeat(32)).await, Err(StoreError::NotFound(_))));
    }

    fn an_import_joins_on_exact_identity_only_and_a_repeat_changes_nothing(db) {
        let store = db.store.as_ref();
        let sha = hotel(store, "SHA", "CNY").await;
        let existing = store.create_guest(person("Ann", "Lee", "ann@example.com", ""), vec![]).await.unwrap();
        let mut with_id = person("Wei", "Zhang", "", "");
        with_id.external_ids.push(ExternalId { source: "opera".into(), id: "P-77".into() });
        let batch = vec![
            booking(2, person("Michael", "Smith", "ms1@example.com", "669-792-1661"), stay(&sha, "B1", day(2023, 1, 5), 10_000)),
            booking(3, person("Michael", "Smith", "ms2@example.com", "858-637-6955"), stay(&sha, "B2", day(2023, 2, 5), 20_000)),
            // Same email as a stored profile, in other letter case: joins it and adds a phone.
            booking(4, person("Ann", "Lee", "ANN@Example.com", "669-792-0000"), stay(&sha, "B3", day(2023, 3, 5), 30_000)),
            // Same email as row 2 in this batch.
            booking(5, person("Mike", "Smith", "MS1@example.com", ""), stay(&sha, "B4", day(2023, 4, 5), 40_000)),
            booking(6, with_id.clone(), stay(&sha, "B5", day(2023, 5, 5), 50_000)),
            // The same reservation again within the batch is not a second stay.
            booking(7, with_id, stay(&sha, "B5", day(2023, 5, 5), 50_000)),
        ];
        let first = store.import_batch(batch.clone().into()).await.unwrap();
        assert_eq!(first.new_guest_ids.len(), 3, "two Michael Smiths and the guest with an external id");
        let guest_of = |i: usize| match first.rows[i].guest {
            GuestRef::Existing(id) => id,
            GuestRef::New(n) => first.new_guest_ids[n],
        };
        assert_ne!(guest_of(0), guest_of(1), "same name, different people");
        assert_eq!(guest_of(0), guest_of(3), "same email joins");
        assert_eq!(first.rows[2].guest, GuestRef::Existing(existing.id));
        assert_eq!(guest_of(4), guest_of(5));
        assert_eq!(first.rows.iter().map(|r| r.line).collect::<Vec<_>>(), vec![2, 3, 4, 5, 6, 7]);
        assert_eq!(first.rows.iter().map(|r| r.stay_created).collect::<Vec<_>>(), vec![true, true, true, true, true, false]);

        let ann = store.guest(existing.id).await.unwrap();
        assert_eq!((ann.version, ann.profile.phones.len()), (2, 1), "the import added Ann's phone");
        assert_eq!(ann.consents.len(), 1);
        assert_eq!(search_ids(store, "669-792-0000").await, vec![existing.id], "the added phone is searchable");
        assert_eq!(search_ids(store, "p-77").await, vec![guest_of(4)]);
        assert_eq!(db.keys_off_their_lists().await, 0, "new and joined profiles list exactly their keys");
        assert_eq!(db.spend_off_their_stays().await, 0, "every spend line belongs to its stay's profile");
        let stays = store.guest_stays(guest_of(0), &Scope::Group).await.unwrap();
        assert_eq!(stays.iter().map(|s| s.external_ref.as_deref().unwrap()).collect::<Vec<_>>(), vec!["B4", "B1"]);
        let spend = store.guest_spend(guest_of(0), &Scope::Group).await.unwrap();
        assert_eq!(spend.iter().map(|l| l.amount.minor).sum::<i64>(), 40_000 + 10_000 + 2 * 8_800);
        let notes = store.guest_notes(guest_of(0), &Scope::Group).await.unwrap();
        assert_eq!(notes.len(), 2);
        assert!(notes.iter().all(|n| n.hotel_id == Some(sha.id) && stays.iter().any(|s| Some(s.id) == n.stay_id)));
        assert_eq!(store.consent_history(guest_of(1)).await.unwrap().len(), 1);

        let counts = store.counts().await.unwrap();
        assert_eq!((counts.guests, counts.stays, counts.spend_lines), (4, 5, 10));
        let again = store.import_batch(batch.into()).await.unwrap();
        assert!(again.rows.iter().all(|r| r.unchanged && !r.guest_created && !r.stay_created), "{:?}", again.rows);
        assert!(again.new_guest_ids.is_empty());
        assert_eq!(store.counts().await.unwrap(), counts);
        assert_eq!(store.guest(existing.id).await.unwrap(), ann, "a repeat does not touch the profile");
    }

    fn concurrent_imports_of_the_same_people_create_each_guest_once(db) {
        let sha = hotel(db.store.as_ref(), "SHA", "CNY").await;
        let batch: Vec<IncomingBooking> = (0..50)
            .map(|i| booking(i + 1, person("Guest", &format!("N{i}"), &format!("g{i}@example.com"), ""), stay(&sha, &format!("C{i}"), day(2023, 1, 5), 100)))
            .collect();
        let runs: Vec<_> = (0..4)
            .map(|_| {
                let (store, batch) = (db.store.clone(), batch.clone());
                tokio::spawn(async move { store.import_batch(batch.into()).await.unwrap() })
            })
            .collect();
        let mut created = 0;
        for r in runs {
            created += r.await.unwrap().new_guest_ids.len();
        }
        assert_eq!(created, 50);
        let counts = db.store.counts().await.unwrap();
        assert_eq!((counts.guests, counts.stays), (50, 50));
    }

    fn reopening_a_database_applies_no_migration_again_and_loses_nothing(db) {
        let sha = hotel(db.store.as_ref(), "SHA", "CNY").await;
        let guest = db.store.create_guest(zhang_wei(), vec![consent(ConsentChannel::Email, true, 0)]).await.unwrap();
        db.store.add_stay(guest.id, stay(&sha, "R1", day(2024, 5, 1), 100)).await.unwrap();
        let before = db.store.counts().await.unwrap();
        for _ in 0..2 {
            let reopened = rapport_store::open(&db.url).await.unwrap();
            assert_eq!(reopened.backend(), db.store.backend());
            assert_eq!(reopened.counts().await.unwrap(), before);
            assert_eq!(reopened.guest(guest.id).await.unwrap(), guest);
            assert_eq!(search_ids(reopened.as_ref(), "张伟").await, vec![guest.id]);
        }
        assert_eq!(applied_migrations(&db.url).await, vec![1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
        // Ids keep counting after a reopen.
        let next = db.store.create_guest(person("Ann", "Lee", "", ""), vec![]).await.unwrap();
        assert!(next.id > guest.id);
    }
}

/// The versions recorded in `schema_migrations`, read past the store.
async fn applied_migrations(url: &str) -> Vec<i64> {
    if let Some(path) = url.strip_prefix("sqlite://") {
        let conn = rusqlite::Connection::open(path).unwrap();
        let mut stmt = conn.prepare("SELECT version FROM schema_migrations ORDER BY version").unwrap();
        let versions = stmt.query_map([], |r| r.get(0)).unwrap().collect::<Result<Vec<i64>, _>>().unwrap();
        versions
    } else {
        let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls).await.unwrap();
        tokio::spawn(conn);
        client
            .query("SELECT version FROM schema_migrations ORDER BY version", &[])
            .await
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect()
    }
}

/// Every profile changed after `since`, read in pages of one to walk the keyset: (id, its
/// version, or `None` when merged away).
async fn changed_since(store: &dyn Store, since: DateTime<Utc>) -> Vec<(i64, Option<i64>)> {
    let (mut at, mut after, mut seen) = (since, 0, Vec::new());
    loop {
        let page = store.guests_changed_after(at, after, 1).await.unwrap();
        let Some(c) = page.first() else { return seen };
        assert!(c.changed_at > since, "stamped {} after {since}", c.changed_at);
        (at, after) = (c.changed_at, c.id);
        seen.push((c.id, c.guest.as_ref().map(|g| g.version)));
    }
}

/// The database's clock, a little after the last write (SQLite stamps to the millisecond).
async fn a_moment_later(store: &dyn Store) -> DateTime<Utc> {
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let now = store.clock().await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    now
}

backend_tests! {
    fn a_server_following_the_base_sees_profiles_created_edited_merged_away_and_restored(db) {
        let store = db.store.as_ref();
        let start = a_moment_later(store).await;
        let wei = store.create_guest(zhang_wei(), vec![]).await.unwrap();
        let anna = store.create_guest(person("Anna", "Berg", "anna@example.se", ""), vec![]).await.unwrap();
        assert_eq!(changed_since(store, start).await, vec![(wei.id, Some(1)), (anna.id, Some(1))]);

        let edited_from = a_moment_later(store).await;
        let mut profile = anna.profile.clone();
        profile.tags.push("golf".into());
        store.update_guest(anna.id, profile, Some(1)).await.unwrap();
        assert_eq!(changed_since(store, edited_from).await, vec![(anna.id, Some(2))], "only the edited profile");

        let merged_from = a_moment_later(store).await;
        let request = rapport_store::MergeRequest {
            decided_by: "anna".into(),
            reason: "same person".into(),
            probability: None,
            evidence: vec![],
        };
        let merge = store.merge_guests(wei.id, anna.id, request).await.unwrap();
        let mut merged = changed_since(store, merged_from).await;
        merged.sort_unstable();
        assert_eq!(merged, vec![(wei.id, Some(2)), (anna.id, None)], "the survivor grew, the absorbed is gone");

        let undone_from = a_moment_later(store).await;
        store.undo_merge(merge.id, "anna").await.unwrap();
        let mut undone = changed_since(store, undone_from).await;
        undone.sort_unstable();
        assert_eq!(undone, vec![(wei.id, Some(3)), (anna.id, Some(2))], "both back as they were");

        assert_eq!(changed_since(store, a_moment_later(store).await).await, vec![], "nothing since");
    }
}
