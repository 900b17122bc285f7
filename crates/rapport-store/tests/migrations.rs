//! Migrations on both backends: several servers opening a fresh database at the same time
//! apply each migration exactly once, and every one of them starts.

use futures_util::future::join_all;

const MIGRATIONS: &[i64] = &[1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn servers_starting_together_on_a_fresh_postgres_database_migrate_it_once() {
    let admin_url = std::env::var("RAPPORT_TEST_POSTGRES_URL").unwrap_or_else(|_| rapport_store::testing::DEFAULT_POSTGRES_URL.to_string());
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let database = format!("rapport_m_{}_{nanos}", std::process::id());
    let (admin, conn) = tokio_postgres::connect(&admin_url, tokio_postgres::NoTls)
        .await
        .expect("PostgreSQL test server");
    tokio::spawn(conn);
    admin.batch_execute(&format!("CREATE DATABASE {database}")).await.unwrap();
    let base = admin_url.split('?').next().unwrap();
    let url = format!("{}/{database}", &base[..base.rfind('/').unwrap()]);

    let opened = join_all((0..4).map(|_| rapport_store::open(&url))).await;
    let outcome: Vec<_> = opened
        .iter()
        .map(|o| o.as_ref().map(|s| s.backend()).map_err(|e| e.to_string()))
        .collect();

    let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    let versions: Vec<i64> = client
        .query("SELECT version FROM schema_migrations ORDER BY version", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    drop((opened, client));
    admin
        .batch_execute(&format!("DROP DATABASE {database} WITH (FORCE)"))
        .await
        .unwrap();

    assert!(outcome.iter().all(|o| o == &Ok("postgres")), "{outcome:?}");
    assert_eq!(versions, MIGRATIONS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn servers_starting_together_on_a_fresh_sqlite_file_migrate_it_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rapport.db");
    let url = format!("sqlite://{}", path.display());
    let opened = join_all((0..4).map(|_| rapport_store::open(&url))).await;
    assert!(
        opened.iter().all(|o| o.as_ref().is_ok_and(|s| s.backend() == "sqlite")),
        "{:?}",
        opened.iter().map(|o| o.as_ref().err().map(ToString::to_string)).collect::<Vec<_>>()
    );
    let conn = rusqlite::Connection::open(&path).unwrap();
    let mut stmt = conn.prepare("SELECT version FROM schema_migrations ORDER BY version").unwrap();
    let versions = stmt.query_map([], |r| r.get(0)).unwrap().collect::<Result<Vec<i64>, _>>().unwrap();
    assert_eq!(versions, MIGRATIONS);
    // A file Rapport creates has its larger pages (they make imports faster).
    let page_size: i64 = conn.query_row("PRAGMA page_size", [], |r| r.get(0)).unwrap();
    assert_eq!(page_size, 16 * 1024);
}

/// A database an earlier version created with SQLite's default 4 KiB pages keeps them: it
/// opens, migrates, takes an import and finds what it holds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_file_with_small_pages_keeps_working() {
    use rapport_domain::guest::GuestProfile;
    use rapport_domain::ingest::IncomingBooking;
    use rapport_domain::names::GuestName;

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rapport.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; CREATE TABLE earlier (x);")
            .unwrap();
    }
    let store = rapport_store::open(&format!("sqlite://{}", path.display())).await.unwrap();
    let rows: Vec<IncomingBooking> = (0..500)
        .map(|i| IncomingBooking {
            line: i + 2,
            profile: GuestProfile {
                name: GuestName {
                    given: format!("Guest{i}"),
                    family: "Smallpage".into(),
                    ..Default::default()
                },
                ..Default::default()
            },
            consents: vec![],
            stay: None,
            notes: vec![],
        })
        .collect();
    let outcome = store.import_batch(rows.into()).await.unwrap();
    assert_eq!(outcome.new_guest_ids.len(), 500);
    let found = store.search_guests(&["guest499".to_string()], 10).await.unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].profile.name.given, "Guest499");
    drop(store);

    let conn = rusqlite::Connection::open(&path).unwrap();
    let page_size: i64 = conn.query_row("PRAGMA page_size", [], |r| r.get(0)).unwrap();
    assert_eq!(page_size, 4096);
    let guests: i64 = conn.query_row("SELECT count(*) FROM guests", [], |r| r.get(0)).unwrap();
    assert_eq!(guests, 500);
}

/// PostgreSQL's key tables have no foreign key (it cost imports 40%); a trigger gives the
/// cascade SQLite's foreign key gives, so a deleted profile leaves no key behind.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_a_postgres_profile_deletes_its_keys() {
    let db = rapport_store::testing::TestDb::postgres().await;
    let profile = rapport_domain::guest::GuestProfile {
        name: rapport_domain::names::GuestName {
            given: "Wei".into(),
            family: "Zhang".into(),
            ..Default::default()
        },
        emails: vec![rapport_domain::contact::ContactPoint::email_lenient("zw@example.cn")],
        ..Default::default()
    };
    let guest = db.store.create_guest(profile, vec![]).await.unwrap();
    let (client, conn) = tokio_postgres::connect(&db.url, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    let keys = |table: &'static str| {
        let client = &client;
        async move {
            let n: i64 = client
                .query_one(&format!("SELECT count(*) FROM {table} WHERE guest_id = $1"), &[&guest.id])
                .await
                .unwrap()
                .get(0);
            n
        }
    };
    assert!(keys("guest_search").await > 0 && keys("guest_identities").await > 0);
    client.execute("DELETE FROM guests WHERE id = $1", &[&guest.id]).await.unwrap();
    assert_eq!((keys("guest_search").await, keys("guest_identities").await), (0, 0));
}

/// A database an earlier release filled before each profile's row listed its keys
/// (migration 11): opening it lists on every row exactly the keys that profile holds and
/// drops the key tables' index by profile, and an edit afterwards replaces exactly the
/// keys the profile held.
async fn a_database_from_before_key_lists_gets_them(backend: &str) {
    use rapport_domain::contact::{ContactPoint, Region};
    use rapport_domain::guest::Guest;
    use rapport_store::testing::{profile, search_ids, EmptyDb};

    let person = |given: &str, family: &str, native: Option<&str>, email: &str, phone: &str| {
        let mut p = profile(given, family, native, email);
        p.phones.push(ContactPoint::phone_lenient(phone, Region::default()));
        p
    };
    let profiles = [
        person("Wei", "Zhang", Some("张伟"), "zw@example.cn", "+86 138 1234 5678"),
        person("Anna", "O'Neill", None, "anna@example.ie", "+353 85 123 4567"),
    ];
    let quoted = |s: &str| format!("'{}'", s.replace('\'', "''"));
    let at = "'2024-01-01 00:00:00+00:00'";
    let mut seed = String::new();
    for (id, profile) in (1..).zip(&profiles) {
        let guest = Guest {
            id,
            profile: profile.clone(),
            consents: vec![],
            version: 1,
            created_at: chrono::DateTime::parse_from_rfc3339("2024-01-01T00:00:00Z").unwrap().into(),
            updated_at: chrono::DateTime::parse_from_rfc3339("2024-01-01T00:00:00Z").unwrap().into(),
        };
        let doc = quoted(&serde_json::to_string(&guest).unwrap());
        seed.push_str(&format!(
            "INSERT INTO guests (id, doc, version, created_at, updated_at) VALUES ({id}, {doc}, 1, {at}, {at});\n"
        ));
        for (table, keys) in [
            ("guest_identities", rapport_domain::identity::identity_keys(profile)),
            ("guest_search", rapport_domain::search::search_keys(profile)),
        ] {
            assert!(!keys.is_empty());
            for key in keys {
                seed.push_str(&format!("INSERT INTO {table} (key, guest_id) VALUES ({}, {id});\n", quoted(&key)));
            }
        }
    }
    let empty = EmptyDb::for_backend(backend).await;
    empty.migrate_before(11).await;
    empty.execute(&seed).await;
    let by_profile_index = match backend {
        "sqlite" => "SELECT count(*) FROM sqlite_master WHERE name IN ('guest_identities_guest', 'guest_search_guest')",
        _ => "SELECT count(*) FROM pg_indexes WHERE indexname IN ('guest_identities_guest', 'guest_search_guest')",
    };
    assert_eq!(empty.count(by_profile_index).await, 2);

    let db = empty.open().await;
    assert_eq!(db.keys_off_their_lists().await, 0, "each row lists exactly the keys stored for it");
    assert_eq!(
        db.count("SELECT count(*) FROM guests WHERE identity_keys = '[]' OR search_keys = '[]'")
            .await,
        0,
        "both profiles hold keys of both kinds"
    );
    assert_eq!(db.count(by_profile_index).await, 0);

    let store = db.store.as_ref();
    let mut edit = store.guest(2).await.unwrap().profile;
    edit.emails = vec![ContactPoint::email_lenient("anna.oneill@example.ie")];
    edit.name.family = "Byrne".into();
    store.update_guest(2, edit, Some(1)).await.unwrap();
    for gone in ["anna@example.ie", "anna oneill"] {
        assert!(search_ids(store, gone).await.is_empty(), "{gone}");
    }
    assert_eq!(search_ids(store, "anna byrne").await, vec![2]);
    assert_eq!(search_ids(store, "anna.oneill@example.ie").await, vec![2]);
    assert_eq!(search_ids(store, "85 123 4567").await, vec![2], "the phone's keys are still there");
    assert_eq!(search_ids(store, "张伟").await, vec![1], "the other profile is untouched");
    assert_eq!(db.keys_off_their_lists().await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_database_from_before_key_lists_gets_them() {
    a_database_from_before_key_lists_gets_them("sqlite").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_database_from_before_key_lists_gets_them() {
    a_database_from_before_key_lists_gets_them("postgres").await
}

/// A database an earlier release filled while stays' spend totals had a table of their own
/// (migration 7): opening it moves each stay's totals onto the stay and drops the table,
/// and lines written afterwards by hand still change them.
async fn a_database_from_before_totals_on_stays_keeps_them(backend: &str) {
    use rapport_domain::guest::Guest;
    use rapport_store::testing::{profile, EmptyDb};

    let guest = Guest {
        id: 1,
        profile: profile("Ana", "Silva", None, "ana@example.pt"),
        consents: vec![],
        version: 1,
        created_at: chrono::DateTime::parse_from_rfc3339("2024-01-01T00:00:00Z").unwrap().into(),
        updated_at: chrono::DateTime::parse_from_rfc3339("2024-01-01T00:00:00Z").unwrap().into(),
    };
    let doc = serde_json::to_string(&guest).unwrap().replace('\'', "''");
    let at = "'2024-01-01 00:00:00+00:00'";
    let line = |stay: i64, category: &str, amount: i64| {
        format!(
            "INSERT INTO spend_lines (stay_id, guest_id, hotel_id, category, amount_minor, currency, posted_on) \
             VALUES ({stay}, 1, 1, '{category}', {amount}, 'EUR', '2024-03-04');\n"
        )
    };
    let mut seed = format!(
        "INSERT INTO hotels (id, code, name, country, timezone, currency) VALUES (1, 'LIS', 'Lisboa', 'PT', 'Europe/Lisbon', 'EUR');\n\
         INSERT INTO guests (id, doc, version, created_at, updated_at) VALUES (1, '{doc}', 1, {at}, {at});\n"
    );
    for (stay, arrival) in [(1, "2024-03-01"), (2, "2024-05-01")] {
        seed.push_str(&format!(
            "INSERT INTO stays (id, guest_id, hotel_id, arrival, departure, adults, children, status, created_at) \
             VALUES ({stay}, 1, 1, '{arrival}', '{arrival}', 1, 0, 'checked_out', {at});\n"
        ));
    }
    // Migration 7's triggers fill the old table from these lines; the second stay has none.
    seed.push_str(&line(1, "room", 30_000));
    seed.push_str(&line(1, "food_beverage", 4_500));
    seed.push_str(&line(1, "mystery", 700));
    let empty = EmptyDb::for_backend(backend).await;
    empty.migrate_before(13).await;
    empty.execute(&seed).await;
    assert_eq!(empty.count("SELECT count(*) FROM stay_spend").await, 1);

    let db = empty.open().await;
    let old_table = match backend {
        "sqlite" => "SELECT count(*) FROM sqlite_master WHERE name = 'stay_spend'",
        _ => "SELECT count(*) FROM pg_tables WHERE tablename = 'stay_spend'",
    };
    assert_eq!(db.count(old_table).await, 0, "the totals' own table is gone");
    assert_eq!(
        spend_by_arrival(db.store.as_ref()).await,
        [[30_000, 4_500, 0, 0, 0, 700], [0; 6]],
        "room, food and drink, …, other"
    );

    db.execute(&format!("{}{}", line(2, "spa", 2_500), line(2, "minibar", 1_200))).await;
    db.execute("DELETE FROM spend_lines WHERE stay_id = 1 AND category = 'food_beverage'")
        .await;
    assert_eq!(
        spend_by_arrival(db.store.as_ref()).await,
        [[30_000, 0, 0, 0, 0, 700], [0, 0, 2_500, 0, 1_200, 0]]
    );
}

/// Each stay's spend as the value analysis reads it, earliest stay first.
async fn spend_by_arrival(store: &dyn rapport_store::Store) -> Vec<[i64; 6]> {
    let mut facts = store.stay_facts().await.unwrap();
    facts.stays.sort_by_key(|f| f.arrival);
    facts.stays.iter().map(|f| f.spend).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_database_from_before_totals_on_stays_keeps_them() {
    a_database_from_before_totals_on_stays_keeps_them("sqlite").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_database_from_before_totals_on_stays_keeps_them() {
    a_database_from_before_totals_on_stays_keeps_them("postgres").await
}
