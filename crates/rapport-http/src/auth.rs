//! Who is calling: the bearer token of an API request, resolved to a [`Principal`].
//!
//! Resolved tokens are cached for a few seconds: a guest read must not cost a second
//! database round trip, and a revoked token stops working within [`TOKEN_CACHE_TTL`].

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use axum::extract::{FromRef, FromRequestParts};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use rapport_domain::access::{Action, Principal};
use rapport_store::{Store, StoreError};

use crate::credentials::token_hash;
use crate::error::ApiError;
use crate::AppState;

pub const TOKEN_CACHE_TTL: Duration = Duration::from_secs(10);
const TOKEN_CACHE_MAX: usize = 10_000;

#[derive(Default, Clone)]
pub struct TokenCache {
    entries: Arc<RwLock<HashMap<String, (Principal, Instant)>>>,
}

impl TokenCache {
    async fn resolve(&self, store: &dyn Store, secret: &str) -> Result<Principal, ApiError> {
        let hash = token_hash(secret);
        if let Some((p, at)) = self.entries.read().expect("token cache poisoned").get(&hash) {
            if at.elapsed() < TOKEN_CACHE_TTL {
                return Ok(p.clone());
            }
        }
        let principal = match store.token_by_hash(&hash).await {
            Ok(t) => t.principal(),
            Err(StoreError::NotFound(_)) => return Err(ApiError::Unauthorized),
            Err(e) => return Err(e.into()),
        };
        let mut entries = self.entries.write().expect("token cache poisoned");
        if entries.len() >= TOKEN_CACHE_MAX {
            entries.retain(|_, (_, at)| at.elapsed() < TOKEN_CACHE_TTL);
        }
        entries.insert(hash, (principal.clone(), Instant::now()));
        Ok(principal)
    }
}

/// An authenticated caller. Every `/api/v1` handler takes one, so no route can forget it.
pub struct Caller(pub Principal);

impl Caller {
    /// Refuses the request unless the caller's role allows `action`.
    pub fn require(&self, action: Action) -> Result<&Principal, ApiError> {
        if self.0.may(action) {
            Ok(&self.0)
        } else {
            Err(ApiError::Forbidden(format!("the {} role may not do this", self.0.role.as_str())))
        }
    }
}

impl<S> FromRequestParts<S> for Caller
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        let header = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or(ApiError::Unauthorized)?;
        let secret = header
            .strip_prefix("Bearer ")
            .or_else(|| header.strip_prefix("bearer "))
            .ok_or(ApiError::Unauthorized)?;
        let principal = state.tokens.resolve(state.store.as_ref(), secret.trim()).await?;
        Ok(Caller(principal))
    }
}
