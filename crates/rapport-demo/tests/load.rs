//! Loading the demo group into a fresh database, twice.

mod common;

use std::sync::Arc;

use rapport_demo::load;
use rapport_store::testing::TestDb;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_load_stores_every_guest_and_stay_and_a_second_load_changes_nothing() {
    let db = TestDb::sqlite().await;
    let config = common::config(400, 17);
    let expected = common::generate(400, 17);
    let spend_lines: usize = expected.iter().map(|b| b.stay.as_ref().unwrap().spend.len()).sum();

    let first = load(Arc::clone(&db.store), &config, false).await.unwrap();
    assert_eq!((first.guests, first.stays), (400, config.total_stays()));
    assert_eq!(
        (first.hotels_created, first.guests_created, first.stays_created),
        (5, 400, config.total_stays())
    );
    let counts = db.store.counts().await.unwrap();
    assert_eq!(
        (counts.hotels, counts.guests, counts.stays, counts.spend_lines),
        (5, 400, expected.len() as i64, spend_lines as i64)
    );

    let second = load(Arc::clone(&db.store), &config, false).await.unwrap();
    assert_eq!((second.hotels_created, second.guests_created, second.stays_created), (0, 0, 0));
    assert_eq!(second.unchanged, config.total_stays(), "every row is recognised");
    assert_eq!(db.store.counts().await.unwrap(), counts);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn loaded_guests_keep_their_profile_consents_and_notes() {
    let db = TestDb::sqlite().await;
    let config = common::config(150, 23);
    load(Arc::clone(&db.store), &config, false).await.unwrap();
    let expected = common::generate(150, 23);
    let b = expected
        .iter()
        .find(|b| !b.consents.is_empty() && !b.profile.family.is_empty())
        .expect("a guest with family and consents");
    let page = db.store.list_guests(0, 200).await.unwrap();
    let stored = page
        .items
        .iter()
        .find(|g| g.profile.external_ids == b.profile.external_ids)
        .expect("the guest is stored");
    assert_eq!(stored.profile.family, b.profile.family);
    assert_eq!(stored.profile.name, b.profile.name);
    assert_eq!(stored.consents.len(), b.consents.len());
}
