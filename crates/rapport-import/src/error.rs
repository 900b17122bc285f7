//! Errors that stop an import. A bad *row* is not one of them: it goes to the rejects file
//! and the import carries on.

use std::path::PathBuf;

use rapport_store::StoreError;

/// The mapping cannot be used (before any row is read).
#[derive(Debug, thiserror::Error)]
pub enum MappingError {
    #[error("unknown mapping '{name}': use one of {known} or a path to a .toml mapping file")]
    UnknownBuiltin { name: String, known: String },
    #[error("cannot read mapping {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("mapping {label} is not valid TOML for a Rapport mapping: {message}")]
    Parse { label: String, message: String },
    #[error("mapping {label}: {message}")]
    Invalid { label: String, message: String },
    #[error("mapping {label} maps {field} to '{column}', which looks like payment-card data; Rapport never stores card data")]
    CardColumn { label: String, field: String, column: String },
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Mapping(#[from] MappingError),
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path}: {message}")]
    Header { path: PathBuf, message: String },
    #[error("the rejects file {path} is the file being imported; name another rejects file (nothing was read or written)")]
    RejectsIsInput { path: PathBuf },
    #[error("cannot write rejects file {path}: {source}")]
    Rejects { path: PathBuf, source: std::io::Error },
    #[error("hotel set-up for the import failed: {0}")]
    Hotels(String),
    #[error("storing a batch failed (earlier batches are kept): {0}")]
    Store(#[from] StoreError),
    #[error("the CSV reader stopped: {0}")]
    Reader(String),
}
