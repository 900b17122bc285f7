//! Fresh databases for tests: every test gets its own, on both backends.
//!
//! PostgreSQL tests connect to `RAPPORT_TEST_POSTGRES_URL` (default
//! `postgres://postgres@127.0.0.1:5432/test`), create a database of their own and drop it
//! afterwards. They never skip: a missing server is a failure with a clear message,
//! because CI must prove both backends.

use std::sync::Arc;

use rand::Rng;

use crate::Store;

pub const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// A database that lives as long as this value.
pub struct TestDb {
    pub store: Arc<dyn Store>,
    /// URL to open the same database again (e.g. for a server under test).
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, database: String },
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("rapport.db").display());
        let store = crate::open(&url).await.expect("open fresh SQLite database");
        TestDb {
            store,
            url,
            cleanup: Cleanup::Sqlite(dir),
        }
    }

    pub async fn postgres() -> TestDb {
        let admin_url = std::env::var("RAPPORT_TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_POSTGRES_URL.to_string());
        let database = format!("rapport_t_{:016x}", rand::thread_rng().gen::<u64>());
        let (client, conn) = tokio_postgres::connect(&admin_url, tokio_postgres::NoTls)
            .await
            .unwrap_or_else(|e| panic!("PostgreSQL tests need a server at {admin_url} (set RAPPORT_TEST_POSTGRES_URL): {e}"));
        tokio::spawn(conn);
        client
            .batch_execute(&format!("CREATE DATABASE {database}"))
            .await
            .expect("create test database");
        let url = replace_database(&admin_url, &database);
        let store = crate::open(&url).await.expect("open fresh PostgreSQL database");
        TestDb {
            store,
            url,
            cleanup: Cleanup::Postgres { admin_url, database },
        }
    }

    /// Runs SQL on the database behind the store's back, on a connection of its own: for
    /// tests that need a state no `Store` method makes (keys an older release wrote).
    pub async fn execute(&self, sql: &str) {
        match &self.cleanup {
            Cleanup::Sqlite(_) => {
                let path = self.url.trim_start_matches("sqlite://").to_string();
                let sql = sql.to_string();
                tokio::task::spawn_blocking(move || {
                    rusqlite::Connection::open(path)
                        .and_then(|c| c.execute_batch(&sql))
                        .expect("run SQL on the test database")
                })
                .await
                .expect("SQL task");
            }
            Cleanup::Postgres { .. } => {
                let (client, conn) = tokio_postgres::connect(&self.url, tokio_postgres::NoTls)
                    .await
                    .expect("connect to the test database");
                tokio::spawn(conn);
                client.batch_execute(sql).await.expect("run SQL on the test database");
            }
        }
    }

    /// `sqlite` or `postgres`.
    pub async fn for_backend(backend: &str) -> TestDb {
        match backend {
            "sqlite" => Self::sqlite().await,
            "postgres" => Self::postgres().await,
            other => panic!("unknown backend {other}"),
        }
    }
}

fn replace_database(url: &str, database: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let authority_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match base[authority_end..].find('/') {
        Some(slash) => &base[..authority_end + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{database}?{q}"),
        None => format!("{base}/{database}"),
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Cleanup::Postgres { admin_url, database } = &self.cleanup {
            let (admin_url, database) = (admin_url.clone(), database.clone());
            // Drop runs inside a test's runtime; do the async cleanup on a thread of its own.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
                rt.block_on(async {
                    let (client, conn) = tokio_postgres::connect(&admin_url, tokio_postgres::NoTls).await.ok()?;
                    tokio::spawn(conn);
                    client
                        .batch_execute(&format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)"))
                        .await
                        .ok()
                })
            })
            .join();
        }
    }
}

/// A checked-out two-night stay with no spend, for tests that need a profile to have history.
pub fn checked_out_stay(
    hotel: rapport_domain::hotel::HotelId,
    reference: &str,
    arrival: chrono::NaiveDate,
) -> rapport_domain::stay::NewStay {
    rapport_domain::stay::NewStay {
        hotel_id: hotel,
        external_ref: Some(reference.into()),
        arrival,
        departure: arrival + chrono::Days::new(2),
        room_type: None,
        rate: None,
        channel: None,
        market_segment: None,
        adults: 1,
        children: 0,
        special_requests: None,
        status: rapport_domain::stay::StayStatus::CheckedOut,
        booked_at: None,
        spend: vec![],
    }
}

/// Declares one async test per backend from one body: `backend_tests! { fn name(db) { … } }`
/// expands to `name::sqlite` and `name::postgres`, each with a fresh [`TestDb`].
#[macro_export]
macro_rules! backend_tests {
    ($(fn $name:ident($db:ident) $body:block)*) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;
                async fn run($db: $crate::testing::TestDb) $body

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    run($crate::testing::TestDb::sqlite().await).await
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    run($crate::testing::TestDb::postgres().await).await
                }
            }
        )*
    };
}

/// Creates a hotel with `code` in `timezone`, keeping its books in `currency`.
pub async fn hotel(store: &dyn Store, code: &str, timezone: &str, currency: &str) -> rapport_domain::hotel::Hotel {
    store
        .create_hotel(rapport_domain::hotel::NewHotel {
            code: code.into(),
            name: format!("Hotel {code}"),
            country: "PT".into(),
            timezone: timezone.into(),
            currency: rapport_domain::money::Currency::parse(currency).expect("ISO currency"),
        })
        .await
        .expect("create hotel")
}

/// The ids of the profiles a search as typed finds, best first (at most ten).
pub async fn search_ids(store: &dyn Store, q: &str) -> Vec<i64> {
    store
        .search_guests(&rapport_domain::search::query_prefixes(q), 10)
        .await
        .unwrap()
        .iter()
        .map(|g| g.id)
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn database_name_replaces_the_path() {
        assert_eq!(
            super::replace_database("postgres://postgres@127.0.0.1:5432/test", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            super::replace_database("postgres://u@h/test?sslmode=disable", "x"),
            "postgres://u@h/x?sslmode=disable"
        );
    }
}
