use std::sync::Arc;

use crate::{postgres::PgStore, sqlite::SqliteStore, Result, Store, StoreError};

/// Opens the store a URL names and applies pending migrations:
/// `sqlite://PATH` (or a bare path) for the embedded database, `postgres://…` for PostgreSQL.
pub async fn open(url: &str) -> Result<Arc<dyn Store>> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(PgStore::connect(url).await?))
    } else if let Some(path) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
        Ok(Arc::new(SqliteStore::open(path).await?))
    } else if !url.contains("://") && !url.is_empty() {
        Ok(Arc::new(SqliteStore::open(url).await?))
    } else {
        Err(StoreError::BadUrl(url.to_string()))
    }
}
