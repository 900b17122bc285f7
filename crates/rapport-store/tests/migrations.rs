//! Migrations on both backends: several servers opening a fresh database at the same time
//! apply each migration exactly once, and every one of them starts.

use futures_util::future::join_all;

const MIGRATIONS: &[i64] = &[1, 2, 4, 5, 6, 7, 8, 9, 10];

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
