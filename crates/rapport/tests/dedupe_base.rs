//! `rapport dedupe` over a stored base, the real binary on both backends: sure duplicates
//! merged with everything they had, likely ones queued, strangers sharing a common name and
//! pairs marked never to merge left alone, and a second run changing nothing.

mod support;
use support::rapport_on;

use chrono::NaiveDate;
use rapport_domain::access::Scope;
use rapport_domain::contact::{ContactPoint, Region};
use rapport_domain::guest::{Address, GuestId, GuestProfile};
use rapport_domain::hotel::Hotel;
use rapport_domain::names::GuestName;
use rapport_store::{backend_tests, PairStatus, Store, StoreError};
use serde_json::Value;

fn dedupe(db: &str) -> Value {
    serde_json::from_slice(&rapport_on(db, &["dedupe", "--json"]).stdout).expect("JSON summary")
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A profile with one stay. `name` is "Given Family", or characters alone for a native
/// name; each contact with an `@` is an email, the others phones.
async fn add(store: &dyn Store, hotel: &Hotel, name: &str, contacts: &[&str], city: Option<&str>, birthday: Option<NaiveDate>) -> GuestId {
    let (given, family) = name.split_once(' ').unwrap_or_default();
    let (emails, phones): (Vec<&str>, Vec<&str>) = contacts.iter().partition(|c| c.contains('@'));
    let profile = GuestProfile {
        name: GuestName {
            given: given.into(),
            family: family.into(),
            native: (!name.is_ascii()).then(|| name.to_string()),
            ..Default::default()
        },
        emails: emails.into_iter().map(ContactPoint::email_lenient).collect(),
        phones: phones
            .into_iter()
            .map(|p| ContactPoint::phone_lenient(p, Region::default()))
            .collect(),
        birthday,
        address: city.map(|c| Address {
            city: Some(c.into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    let guest = store.create_guest(profile, vec![]).await.unwrap();
    let arrival = day(2025, 5, 1) + chrono::Days::new(guest.id as u64 % 300);
    let stay = rapport_store::testing::checked_out_stay(hotel.id, &format!("T-{}", guest.id), arrival);
    store.add_stay(guest.id, stay).await.unwrap();
    guest.id
}

async fn stays(store: &dyn Store, guest: GuestId) -> usize {
    store.guest_stays(guest, &Scope::Group).await.unwrap().len()
}

fn merged_away(r: Result<rapport_domain::guest::Guest, StoreError>) -> bool {
    matches!(r, Err(StoreError::Merged { .. }))
}

backend_tests! {
    fn dedupe_merges_sure_duplicates_queues_likely_ones_and_a_second_run_changes_nothing(db) {
        // A realistic base for the model to learn from (thousands of people, common names).
        rapport_on(&db.url, &["demo", "--guests", "2000", "--no-serve"]);
        let store = db.store.as_ref();
        let hotel = store.hotels().await.unwrap().remove(0);

        let b = Some(day(1975, 6, 14));
        // The same woman twice: a typo in the given name, same email and phone.
        let margarethe = add(store, &hotel, "Margarethe Oyelaran", &["m.oyelaran@example.org", "+44 20 7946 0958"], None, b).await;
        let margarete = add(store, &hotel, "Margarete Oyelaran", &["m.oyelaran@example.org", "+44 20 7946 0958"], None, b).await;
        // The same man in characters at one hotel and in pinyin at another, one phone.
        let b = Some(day(1982, 1, 5));
        let zhang_native = add(store, &hotel, "张伟", &["+86 139 1111 2222"], None, b).await;
        let zhang_latin = add(store, &hotel, "Wei Zhang", &["zhangwei1982@example.cn", "+86 139 1111 2222"], None, b).await;
        // Likely the same: a rare name in the same city, but nothing to reach her by in common.
        let bergen = Some("Bergen");
        let ingrid = add(store, &hotel, "Ingrid Halvorsrud", &["ingrid.h@example.no"], bergen, Some(day(1990, 2, 2))).await;
        let ingrid_again = add(store, &hotel, "Ingrid Halvorsrud", &["+47 912 34 567"], bergen, None).await;
        // Two different men with the most common of names.
        let smith = add(store, &hotel, "John Smith", &["john.smith@acme.example", "+1 415 555 0101"], None, Some(day(1970, 1, 1))).await;
        let other_smith = add(store, &hotel, "John Smith", &["jsmith77@mail.example", "+1 212 555 0199"], None, Some(day(1988, 9, 30))).await;
        // Twins who share everything the matcher sees; staff said they are two people.
        let shared = ["montecchi.family@example.it", "+39 06 1234 5678"];
        let twin = add(store, &hotel, "Aurelio Montecchi", &shared, None, Some(day(1995, 7, 7))).await;
        let other_twin = add(store, &hotel, "Aurelio Montecchi", &shared, None, Some(day(1995, 7, 7))).await;
        store.never_merge(twin, other_twin, "frontdesk", "twins").await.unwrap();

        let first = dedupe(&db.url);
        assert!(first["profiles"].as_u64().unwrap() >= 2010, "{first}");
        assert!(first["merged"].as_u64().unwrap() >= 2, "{first}");
        assert!(first["never_merge"].as_u64().unwrap() >= 1, "{first}");

        for (survivor, absorbed) in [(margarethe, margarete), (zhang_native, zhang_latin)] {
            assert!(merged_away(store.guest(absorbed).await), "{absorbed} merged into {survivor}");
            assert_eq!(stays(store, survivor).await, 2, "both stays under the survivor {survivor}");
            let merges = store.guest_merges(survivor).await.unwrap();
            assert_eq!(merges.len(), 1);
            assert_eq!((merges[0].absorbed, merges[0].decided_by.as_str()), (absorbed, "auto"));
        }
        let queue = store.review_queue(0, 1000).await.unwrap();
        // The demo's 2,000 guests are all different people, many sharing a name and a city:
        // staff are asked about the pairs planted here, not about a crowd of namesakes.
        assert!(queue.total <= 5, "{first} {:?}", queue.items.iter().map(|p| (p.left, p.right, p.probability)).collect::<Vec<_>>());
        let queued = |a: GuestId, b: GuestId| queue.items.iter().any(|p| (p.left, p.right) == (a, b) && p.status == PairStatus::Pending);
        assert!(queued(ingrid, ingrid_again), "{first} {:?} {:?}", queue.items, store.guest_merges(ingrid).await);
        for (a, b) in [(smith, other_smith), (twin, other_twin)] {
            assert!(store.guest(a).await.is_ok() && store.guest(b).await.is_ok());
            assert!(store.guest_merges(a).await.unwrap().is_empty());
            assert!(!queued(a, b), "{a}/{b} must not be put to a person");
        }

        let second = dedupe(&db.url);
        assert_eq!(second["merged"], 0, "{second}");
        let again = store.review_queue(0, 1000).await.unwrap();
        assert_eq!(again.total, queue.total);
        assert_eq!(
            again.items.iter().map(|p| (p.left, p.right, p.status)).collect::<Vec<_>>(),
            queue.items.iter().map(|p| (p.left, p.right, p.status)).collect::<Vec<_>>()
        );
        assert_eq!(store.counts().await.unwrap().guests, first["profiles"].as_i64().unwrap() - first["merged"].as_i64().unwrap());
    }
}

backend_tests! {
    fn an_import_checks_the_profiles_it_creates_against_the_base(db) {
        rapport_on(&db.url, &["demo", "--guests", "2000", "--no-serve"]);
        let store = db.store.as_ref();
        let hotel = store.hotels().await.unwrap().remove(0);
        let b = Some(day(1975, 6, 14));
        let stored = add(store, &hotel, "Margarethe Oyelaran", &["m.oyelaran@example.org", "+44 20 7946 0958"], None, b).await;
        let smith = add(store, &hotel, "John Smith", &["john.smith@acme.example", "+1 415 555 0101"], None, Some(day(1970, 1, 1))).await;

        // The import's exact rules do not join her (another email; the phone with another
        // spelling of her name); the check after it finds her. The second John Smith is
        // someone else; the two Ingrids are one woman booked twice in the same file.
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("stays.csv");
        let code = &hotel.code;
        let header = "reservation_id,hotel,arrival,departure,status,room_type,rate,currency,channel,market_segment,adults,children,\
                      special_requests,booked_at,guest_id,title,given_name,family_name,native_name,email,phone,birthday,anniversary,\
                      nationality,language,company,vip_code,spend_room,spend_food_beverage,spend_spa,spend_laundry,spend_minibar,spend_other";
        let row = |id: &str, arrival: &str, departure: &str, person: &str| {
            format!("{id},{code},{arrival},{departure},checked_out,,,EUR,,,,,,,,,{person},,,,,,300,,,,,")
        };
        let rows = [
            row("R1", "2026-03-01", "2026-03-04", "Margarete,Oyelaran,,margarete@newmail.example,+44 20 7946 0958,1975-06-14"),
            row("R2", "2026-03-02", "2026-03-03", "John,Smith,,jsmith77@mail.example,+1 212 555 0199,1988-09-30"),
            row("R3", "2026-04-02", "2026-04-05", "Ingrid,Halvorsrud,,ingrid.h@example.no,,1990-02-02"),
            row("R4", "2026-05-02", "2026-05-05", "Ingrid,Halvorsrud,,,+47 912 34 567,1990-02-02"),
        ];
        std::fs::write(&csv, format!("{header}\n{}\n", rows.join("\n"))).unwrap();
        let out = rapport_on(&db.url, &["import", csv.to_str().unwrap(), "--mapping", "rapport-stays", "--json"]);
        let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!((summary["imported"].as_u64(), summary["guests_created"].as_u64()), (Some(4), Some(4)), "{summary}");
        let checked = &summary["duplicates"];
        assert_eq!(checked["checked"], 4, "{summary}");
        assert!(checked["merged"].as_u64().unwrap() >= 1, "{summary}");

        let merges = store.guest_merges(stored).await.unwrap();
        assert_eq!(merges.len(), 1, "Margarete merged into the stored Margarethe: {summary}");
        assert_eq!(merges[0].decided_by, "auto");
        assert_eq!(stays(store, stored).await, 2, "her imported stay is under the profile she had");
        let ingrids: Vec<GuestId> = store.search_guests(&rapport_domain::search::query_prefixes("Halvorsrud"), 10).await.unwrap().into_iter().map(|g| g.id).collect();
        let queue = store.review_queue(0, 1000).await.unwrap();
        let paired = |a: GuestId, b: GuestId| queue.items.iter().any(|p| (p.left, p.right) == (a.min(b), a.max(b)));
        assert!(
            ingrids.len() == 1 || (ingrids.len() == 2 && paired(ingrids[0], ingrids[1])),
            "the two Ingrids of the file are merged or put to a person: {ingrids:?} {summary}"
        );
        assert!(store.guest_merges(smith).await.unwrap().is_empty(), "two John Smiths stay two");
        assert!(!queue.items.iter().any(|p| p.left == smith || p.right == smith));

        // Importing the same file again creates nobody, so there is nothing to check.
        let again: Value = serde_json::from_slice(&rapport_on(&db.url, &["import", csv.to_str().unwrap(), "--mapping", "rapport-stays", "--json"]).stdout).unwrap();
        assert_eq!(again["duplicates"]["checked"], 0, "{again}");
        let skipped: Value = serde_json::from_slice(
            &rapport_on(&db.url, &["import", csv.to_str().unwrap(), "--mapping", "rapport-stays", "--json", "--no-duplicate-check"]).stdout,
        )
        .unwrap();
        assert!(skipped["duplicates"].is_null(), "{skipped}");
    }
}

/// The demo group has no duplicates, only many people sharing a name, a city and an
/// employer. Fitted on such a base, EM takes namesakes for matches: the matcher must see
/// that it found none and neither merge namesakes nor fill the review queue with them.
#[test]
fn a_base_of_namesakes_is_neither_merged_nor_queued() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("demo.db").display());
    rapport_on(&db, &["demo", "--no-serve"]); // the default demo group: 20,000 guests
    let run = dedupe(&db);
    let (profiles, merged, queued) = (
        run["profiles"].as_u64().unwrap(),
        run["merged"].as_u64().unwrap(),
        run["queued"].as_u64().unwrap(),
    );
    // Queued: 4,651 before `m` of disagreement was capped, 807 after, 104 with whole names
    // weighed, 1 once a fit of namesakes is refused (merged: 29, 13, 1; the one left is
    // two `Jessica Smith`s of one employer whose numbered mailboxes differ by a transposed
    // digit, as a typo would make them).
    assert_eq!(profiles, 20_000, "{run}");
    assert!(
        run["learnt_nothing_for"]
            .as_array()
            .is_some_and(|f| f.iter().any(|f| f == "given_name")),
        "the run says the base taught it nothing: {run}"
    );
    assert!(merged + queued <= 10, "at most one pair per 2,000 profiles: {run}");
}
