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

/// A new database no store has opened yet: for tests of what a migration does to data an
/// earlier release stored. [`EmptyDb::open`] makes it a [`TestDb`].
pub struct EmptyDb {
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, database: String },
}

impl EmptyDb {
    pub async fn sqlite() -> EmptyDb {
        let dir = tempfile::tempdir().expect("temp dir");
        EmptyDb {
            url: format!("sqlite://{}", dir.path().join("rapport.db").display()),
            cleanup: Cleanup::Sqlite(dir),
        }
    }

    pub async fn postgres() -> EmptyDb {
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
        EmptyDb {
            url: replace_database(&admin_url, &database),
            cleanup: Cleanup::Postgres { admin_url, database },
        }
    }

    /// `sqlite` or `postgres`.
    pub async fn for_backend(backend: &str) -> EmptyDb {
        match backend {
            "sqlite" => Self::sqlite().await,
            "postgres" => Self::postgres().await,
            other => panic!("unknown backend {other}"),
        }
    }

    /// Applies this backend's migrations before `version`, recorded as applied, as an
    /// earlier release left the database.
    pub async fn migrate_before(&self, version: i64) {
        let migrations = match self.cleanup {
            Cleanup::Sqlite(_) => crate::sql::SQLITE_MIGRATIONS,
            Cleanup::Postgres { .. } => crate::sql::POSTGRES_MIGRATIONS,
        };
        let mut sql = format!("{};\n", crate::sql::CREATE_MIGRATIONS_TABLE);
        for (v, script) in migrations.iter().filter(|(v, _)| *v < version) {
            sql.push_str(script);
            sql.push_str(&format!(
                ";\nINSERT INTO schema_migrations (version, applied_at) VALUES ({v}, 'earlier');\n"
            ));
        }
        self.execute(&sql).await;
    }

    /// Runs SQL on the database on a connection of its own.
    pub async fn execute(&self, sql: &str) {
        execute(&self.url, sql).await
    }

    /// One number a query gives, read on a connection of its own.
    pub async fn count(&self, sql: &str) -> i64 {
        count(&self.url, sql).await
    }

    /// Opens the store on it, applying pending migrations.
    pub async fn open(self) -> TestDb {
        let store = crate::open(&self.url).await.expect("open the test database");
        TestDb {
            store,
            url: self.url,
            cleanup: self.cleanup,
        }
    }
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        EmptyDb::sqlite().await.open().await
    }

    pub async fn postgres() -> TestDb {
        EmptyDb::postgres().await.open().await
    }

    /// Runs SQL on the database behind the store's back, on a connection of its own: for
    /// tests that need a state no `Store` method makes (keys an older release wrote).
    pub async fn execute(&self, sql: &str) {
        execute(&self.url, sql).await
    }

    /// One number a query gives, read behind the store's back.
    pub async fn count(&self, sql: &str) -> i64 {
        count(&self.url, sql).await
    }

    /// Identity and search keys that differ from the lists on their profiles' rows
    /// (migration 11): stored keys no list names, and listed keys that are not stored.
    /// Zero when every write kept the two together.
    pub async fn keys_off_their_lists(&self) -> i64 {
        let list = match &self.cleanup {
            Cleanup::Sqlite(_) => "json_each(g.{t}_keys) l",
            Cleanup::Postgres { .. } => "json_array_elements_text(g.{t}_keys::json) AS l(value)",
        };
        let mut parts = Vec::new();
        for (t, table) in [("identity", "guest_identities"), ("search", "guest_search")] {
            let list = list.replace("{t}", t);
            parts.push(format!(
                "(SELECT count(*) FROM {table} k WHERE NOT EXISTS \
                   (SELECT 1 FROM guests g, {list} WHERE g.id = k.guest_id AND l.value = k.key))"
            ));
            parts.push(format!(
                "(SELECT count(*) FROM guests g, {list} WHERE NOT EXISTS \
                   (SELECT 1 FROM {table} k WHERE k.key = l.value AND k.guest_id = g.id))"
            ));
        }
        count(&self.url, &format!("SELECT {}", parts.join(" + "))).await
    }

    /// Spend lines whose profile is not their stay's. Zero when every write kept them
    /// together, as reads and merges that reach a profile's lines through its stays
    /// (migration 12) need.
    pub async fn spend_off_their_stays(&self) -> i64 {
        count(
            &self.url,
            "SELECT count(*) FROM spend_lines s JOIN stays t ON t.id = s.stay_id WHERE s.guest_id <> t.guest_id",
        )
        .await
    }

    /// `sqlite` or `postgres`.
    pub async fn for_backend(backend: &str) -> TestDb {
        EmptyDb::for_backend(backend).await.open().await
    }
}

/// Runs SQL on the database at `url` on a connection of its own.
async fn execute(url: &str, sql: &str) {
    match url.strip_prefix("sqlite://") {
        Some(path) => {
            let (path, sql) = (path.to_string(), sql.to_string());
            tokio::task::spawn_blocking(move || {
                rusqlite::Connection::open(path)
                    .and_then(|c| c.execute_batch(&sql))
                    .expect("run SQL on the test database")
            })
            .await
            .expect("SQL task");
        }
        None => {
            let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
                .await
                .expect("connect to the test database");
            tokio::spawn(conn);
            client.batch_execute(sql).await.expect("run SQL on the test database");
        }
    }
}

/// One number a query gives on the database at `url`, read on a connection of its own.
async fn count(url: &str, sql: &str) -> i64 {
    match url.strip_prefix("sqlite://") {
        Some(path) => {
            let (path, sql) = (path.to_string(), sql.to_string());
            tokio::task::spawn_blocking(move || {
                rusqlite::Connection::open(path)
                    .and_then(|c| c.query_row(&sql, [], |r| r.get(0)))
                    .expect("query the test database")
            })
            .await
            .expect("SQL task")
        }
        None => {
            let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
                .await
                .expect("connect to the test database");
            tokio::spawn(conn);
            client.query_one(sql, &[]).await.expect("query the test database").get(0)
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

impl Drop for Cleanup {
    fn drop(&mut self) {
        if let Cleanup::Postgres { admin_url, database } = self {
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

/// A profile with a name (and its native script, if any) and one email.
pub fn profile(given: &str, family: &str, native: Option<&str>, email: &str) -> rapport_domain::guest::GuestProfile {
    rapport_domain::guest::GuestProfile {
        name: rapport_domain::names::GuestName {
            given: given.into(),
            family: family.into(),
            native: native.map(str::to_string),
            ..Default::default()
        },
        emails: vec![rapport_domain::contact::ContactPoint::email_lenient(email)],
        ..Default::default()
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
