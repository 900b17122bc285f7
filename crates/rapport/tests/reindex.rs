//! `rapport reindex`, the real binary on both backends: profiles whose stored keys an older
//! release made (here: none at all) are found again by every key the current release makes,
//! and nothing else about them changes.

mod support;
use support::rapport_on;

use rapport_domain::ingest::{GuestRef, IncomingBooking};
use rapport_store::backend_tests;
use rapport_store::testing::{profile, search_ids};

fn reindex(db: &str) -> String {
    String::from_utf8(rapport_on(db, &["reindex"]).stdout).unwrap()
}

backend_tests! {
    fn reindex_makes_every_key_again_from_the_stored_profiles(db) {
        let store = db.store.as_ref();
        let shen = store.create_guest(profile("伟", "沈", Some("沈伟"), "shen.wei@example.cn"), vec![]).await.unwrap();
        let anna = store.create_guest(profile("Anna", "Müller", None, "anna@example.de"), vec![]).await.unwrap();
        assert_eq!(search_ids(store, "shen wei").await, vec![shen.id]);

        // As an older release left them: no key reads `沈` as `shen` (here, no keys at all).
        db.execute("DELETE FROM guest_search; DELETE FROM guest_identities").await;
        assert!(search_ids(store, "shen wei").await.is_empty());
        assert!(search_ids(store, "anna").await.is_empty());

        assert_eq!(reindex(&db.url).trim(), "2 profiles reindexed");
        for q in ["shen wei", "沈伟", "shen.wei@example.cn"] {
            assert_eq!(search_ids(store, q).await, vec![shen.id], "{q}");
        }
        assert_eq!(search_ids(store, "muller anna").await, vec![anna.id]);
        // The identity keys are back too: a booking with Anna's email joins her profile.
        let booking = IncomingBooking {
            line: 2,
            profile: profile("Anna", "Mueller", None, "ANNA@example.de"),
            consents: vec![],
            stay: None,
            notes: vec![],
        };
        let outcome = store.import_batch(vec![booking].into()).await.unwrap();
        assert_eq!(outcome.rows[0].guest, GuestRef::Existing(anna.id), "{:?}", outcome.rows);
        assert!(!outcome.rows[0].guest_created);
        assert_eq!(store.guest(shen.id).await.unwrap().version, shen.version, "the profile itself is untouched");

        // Running it again changes nothing.
        assert_eq!(reindex(&db.url).trim(), "2 profiles reindexed");
        assert_eq!(search_ids(store, "shen").await, vec![shen.id]);
        assert_eq!(db.keys_off_their_lists().await, 0, "each row lists exactly the keys made again");
    }
}
