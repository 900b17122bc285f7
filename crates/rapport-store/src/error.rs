use thiserror::Error;

/// Storage errors. Adapters map them: `NotFound` → 404, `Conflict` → 409, `Invalid` → 422,
/// `Merged` → a redirect to the surviving profile, the rest → 500 with the detail logged,
/// never sent.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("{0} not found")]
    NotFound(String),
    #[error("conflict: {0}")]
    Conflict(String),
    /// A request that can never succeed as asked (merging a guest into itself).
    #[error("invalid request: {0}")]
    Invalid(String),
    /// The profile was merged into another one; read that one instead.
    #[error("guest {id} was merged into guest {into}")]
    Merged { id: i64, into: i64 },
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("unsupported database URL '{0}': use sqlite://PATH or postgres://…")]
    BadUrl(String),
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("postgres: {}", postgres_detail(.0))]
    Postgres(#[from] tokio_postgres::Error),
    #[error("postgres pool: {0}")]
    Pool(String),
    #[error("background task failed: {0}")]
    Task(String),
    /// Import batches held for a shared commit were rolled back when that commit failed.
    #[error("imported rows were lost when their commit failed ({0}); importing the file again stores them")]
    ImportNotCommitted(String),
}

/// A server error's own message and detail: the client error's text is only "db error".
fn postgres_detail(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => match db.detail() {
            Some(detail) => format!("{} ({detail})", db.message()),
            None => db.message().to_string(),
        },
        None => e.to_string(),
    }
}

impl StoreError {
    pub fn not_found(what: impl Into<String>) -> Self {
        Self::NotFound(what.into())
    }
}

impl From<deadpool_postgres::PoolError> for StoreError {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        match e {
            deadpool_postgres::PoolError::Backend(e) => Self::Postgres(e),
            other => Self::Pool(other.to_string()),
        }
    }
}
