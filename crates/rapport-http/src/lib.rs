//! Rapport's HTTP adapter: the versioned REST API under `/api/v1`, its OpenAPI document at
//! `/api/openapi.json`, bearer-token authentication. Handlers are thin: parse into domain
//! types, call the store, render.

pub mod api;
pub mod auth;
pub mod credentials;
pub mod error;
mod extract;
pub mod openapi;

use std::sync::Arc;

use axum::Router;
use rapport_domain::contact::Region;
use rapport_store::Store;
use tokio::net::TcpListener;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub tokens: auth::TokenCache,
    /// Region assumed for phone numbers typed without a country code.
    pub phone_region: Region,
    /// What each value tier and segment is offered (`[[value.benefits]]`).
    pub benefits: Arc<rapport_value::benefits::BenefitPlan>,
    /// Checks each profile created here against the base (none: left to `rapport dedupe`).
    pub identity: Option<Arc<rapport_dedupe::IdentityWatch>>,
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, phone_region: Region) -> Self {
        Self {
            store,
            tokens: auth::TokenCache::default(),
            phone_region,
            benefits: Arc::default(),
            identity: None,
        }
    }

    /// Checks profiles created through the API against the base as they arrive.
    pub fn with_identity(mut self, watch: Arc<rapport_dedupe::IdentityWatch>) -> Self {
        self.identity = Some(watch);
        self
    }

    /// A profile was created: a sure duplicate is merged, a likely one queued. The profile is
    /// stored whatever happens here, so a failure is logged, not answered (the next batch run
    /// finds the pair).
    pub async fn profile_arrived(&self, guest: &rapport_domain::guest::Guest) {
        if let Some(watch) = &self.identity {
            match watch.arrived(guest).await {
                Ok(outcome) if outcome.merged + outcome.queued > 0 => {
                    tracing::info!(
                        guest = guest.id,
                        merged = outcome.merged,
                        queued = outcome.queued,
                        "arriving profile matched"
                    )
                }
                Ok(_) => {}
                Err(e) => tracing::error!(guest = guest.id, error = %e, "duplicate check of an arriving profile failed"),
            }
        }
    }

    /// Profiles were edited, merged or unmerged: the match index follows.
    pub async fn profiles_changed(&self, ids: &[rapport_domain::guest::GuestId]) {
        if let Some(watch) = &self.identity {
            if let Err(e) = watch.changed(ids).await {
                tracing::error!(?ids, error = %e, "match index not updated");
            }
        }
    }

    /// The group's own benefit plan instead of the default one.
    pub fn with_benefits(mut self, plan: rapport_value::benefits::BenefitPlan) -> Self {
        self.benefits = Arc::new(plan);
        self
    }
}

/// The API on its own.
pub fn router(state: AppState) -> Router {
    router_with(state, Router::new())
}

/// The API and `extra` routes (the staff console), under one fallback and request span.
pub fn router_with(state: AppState, extra: Router) -> Router {
    Router::new()
        .merge(api::router())
        .merge(openapi::router())
        .with_state(state)
        .merge(extra)
        .fallback(|| async { error::ApiError::NotFound("no such route".into()) })
        .method_not_allowed_fallback(|| async { error::ApiError::MethodNotAllowed })
        .layer(axum::middleware::from_fn(refuse_declared_oversize))
        .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn(request_span))
}

/// The largest request body read (a guest with every list full is a few hundred KiB).
pub const BODY_LIMIT: usize = 2 * 1024 * 1024;

/// A body declared larger than [`BODY_LIMIT`] is refused (413) before any of it is read. The
/// extractors would refuse it too, but only after reading the limit's worth; and a server
/// that stops reading mid-body and closes can reset the connection before the client has
/// read the answer, so the client sees a broken connection instead of the 413. A client
/// sending `Expect: 100-continue` gets the 413 without sending the body at all.
async fn refuse_declared_oversize(req: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    use axum::response::IntoResponse;
    let declared = req
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    match declared {
        Some(n) if n > BODY_LIMIT as u64 => {
            error::ApiError::PayloadTooLarge(format!("the body is {n} bytes; at most {BODY_LIMIT} are accepted")).into_response()
        }
        _ => next.run(req).await,
    }
}

/// Every request runs in a span naming it; a debug event records status and duration.
/// (Debug level: at the default `info` filter the span costs next to nothing on the
/// hottest reads.)
async fn request_span(req: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    use tracing::Instrument;
    let span = tracing::debug_span!("request", method = %req.method(), path = %req.uri().path());
    let started = std::time::Instant::now();
    let response = next.run(req).instrument(span.clone()).await;
    span.in_scope(|| {
        tracing::debug!(
            status = response.status().as_u16(),
            micros = started.elapsed().as_micros() as u64,
            "answered"
        )
    });
    response
}

/// Serves the API on an already bound listener (tests bind port 0) until the process is stopped.
pub async fn serve(listener: TcpListener, state: AppState) -> std::io::Result<()> {
    serve_app(listener, router(state)).await
}

/// Serves a whole application (see [`router_with`]) until the process is stopped.
pub async fn serve_app(listener: TcpListener, app: Router) -> std::io::Result<()> {
    axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await
}

async fn shutdown_signal() {
    let _ = tokio::signal::ctrl_c().await;
    tracing::info!("shutting down");
}
