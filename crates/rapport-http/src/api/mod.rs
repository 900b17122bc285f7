//! `/api/v1`: one router per feature, merged here.

pub mod duplicates;
pub mod guests;
pub mod hotels;
pub mod notes;
pub mod segments;
pub mod stays;
pub mod value;

use axum::Router;
use serde::Deserialize;

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(hotels::router())
        .merge(guests::router())
        .merge(stays::router())
        .merge(notes::router())
        .merge(value::router())
        .merge(segments::router())
        .merge(duplicates::router())
}

/// `offset` / `limit` of a list; `limit` is capped so one request cannot dump the base.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Paging {
    /// Rows to skip (default 0, at most 10,000,000).
    pub offset: Option<i64>,
    /// Rows to return (default 50, at most 500).
    pub limit: Option<i64>,
}

impl Paging {
    pub const MAX: i64 = 500;
    /// Far past any list a person pages through, and far from where `offset + limit`
    /// (and the storage layer's arithmetic on it) could overflow.
    pub const MAX_OFFSET: i64 = 10_000_000;

    pub fn resolve(&self) -> Result<(i64, i64), crate::error::ApiError> {
        let offset = self.offset.unwrap_or(0);
        let limit = self.limit.unwrap_or(50);
        let mut errors = rapport_domain::ValidationErrors::default();
        if !(0..=Self::MAX_OFFSET).contains(&offset) {
            errors.push("offset", format!("between 0 and {}", Self::MAX_OFFSET));
        }
        if !(1..=Self::MAX).contains(&limit) {
            errors.push("limit", format!("between 1 and {}", Self::MAX));
        }
        errors.into_result((offset, limit)).map_err(Into::into)
    }
}
