//! Rapport's staff console: the screens the front desk and guest relations use all day,
//! served at `/` beside the REST API. Server-rendered (askama templates, escaped by
//! default) with a few lines of plain JavaScript for search-as-you-type and ticking
//! arrival touches; no build step, nothing fetched from a CDN.
//!
//! Handlers are thin: they read the signed-in [`session::Staff`], call the store and the
//! domain core, and fill a view model that a template lays out.

mod assets;
mod benefits;
mod chart;
mod error;
mod figures;
pub mod i18n;
mod login;
mod pages;
mod session;
mod throttle;

use std::sync::Arc;

use axum::extract::FromRef;
use axum::Router;
use rapport_http::AppState;
use tokio::net::TcpListener;

pub use figures::FiguresCache;
pub use session::{LANG_COOKIE, SESSION_COOKIE};
pub use throttle::LoginThrottle;

/// What console handlers reach: the API's state plus the console's own.
#[derive(Clone)]
pub struct ConsoleState {
    pub app: AppState,
    pub throttle: Arc<LoginThrottle>,
    pub figures: FiguresCache,
    /// Mark cookies `Secure` even without `X-Forwarded-Proto: https` (behind TLS).
    pub secure_cookies: bool,
}

impl ConsoleState {
    pub fn new(app: AppState) -> Self {
        Self {
            app,
            throttle: Arc::new(LoginThrottle::default()),
            figures: FiguresCache::default(),
            secure_cookies: false,
        }
    }
}

impl FromRef<ConsoleState> for AppState {
    fn from_ref(state: &ConsoleState) -> AppState {
        state.app.clone()
    }
}

/// The console's routes, for [`rapport_http::router_with`].
pub fn router(state: ConsoleState) -> Router {
    Router::new()
        .merge(login::router())
        .merge(pages::router())
        .layer(axum::middleware::from_fn_with_state(state.clone(), session::require_csrf))
        .with_state(state)
        .merge(assets::router())
}

/// The API and the console together.
pub fn app(state: ConsoleState) -> Router {
    rapport_http::router_with(state.app.clone(), router(state))
}

/// Serves the API and the console until the process is stopped; the dashboard figures
/// are computed once at start so the first visit does not wait for them.
pub async fn serve(listener: TcpListener, state: ConsoleState) -> std::io::Result<()> {
    state.figures.warm_up(state.app.store.clone());
    rapport_http::serve_app(listener, app(state)).await
}
