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
    #[error("postgres: {0}")]
    Postgres(#[from] tokio_postgres::Error),
    #[error("postgres pool: {0}")]
    Pool(String),
    #[error("background task failed: {0}")]
    Task(String),
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
