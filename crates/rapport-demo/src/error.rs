//! What can go wrong while loading or writing a data set.

use rapport_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("storing the demo data failed: {0}")]
    Store(#[from] StoreError),
    #[error("writing the CSV file failed: {0}")]
    Csv(#[from] csv::Error),
    #[error("writing the CSV file failed: {0}")]
    Io(#[from] std::io::Error),
    #[error("the demo generator thread stopped unexpectedly")]
    Generator,
}
