//! The production backend: PostgreSQL through tokio-postgres.

pub struct PgStore;

impl PgStore {
    pub async fn connect(_url: &str) -> crate::Result<Self> {
        Err(crate::StoreError::BadUrl("postgres backend not built yet".into()))
    }
}
