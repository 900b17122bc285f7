//! The dashboard's figures, kept in memory: aggregating every stay and spend line takes
//! seconds at a million guests, far beyond what a page may take. The figures are computed
//! at start, served from memory, and recomputed in the background once they are older
//! than [`FRESH_FOR`] (the page says how old they are).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

use chrono::{DateTime, Duration, Utc};
use rapport_store::{GroupFigures, Store, StoreError};

pub const FRESH_FOR: Duration = Duration::minutes(5);

/// Figures and when they were computed.
type Snapshot = (Arc<GroupFigures>, DateTime<Utc>);

#[derive(Clone, Default)]
pub struct FiguresCache {
    current: Arc<RwLock<Option<Snapshot>>>,
    refreshing: Arc<AtomicBool>,
    first: Arc<tokio::sync::Mutex<()>>,
}

impl FiguresCache {
    /// Starts computing in the background, so the first visitor does not wait.
    pub fn warm_up(&self, store: Arc<dyn Store>) {
        self.refresh_in_background(store);
    }

    fn cached(&self) -> Option<Snapshot> {
        self.current.read().expect("figures cache poisoned").clone()
    }

    fn refresh_in_background(&self, store: Arc<dyn Store>) {
        if self.refreshing.swap(true, Ordering::AcqRel) {
            return;
        }
        let this = self.clone();
        tokio::spawn(async move {
            match store.figures().await {
                Ok(f) => *this.current.write().expect("figures cache poisoned") = Some((Arc::new(f), Utc::now())),
                Err(e) => tracing::error!(error = %e, "dashboard figures could not be computed"),
            }
            this.refreshing.store(false, Ordering::Release);
        });
    }

    /// The figures and when they were computed.
    pub async fn get(&self, store: &Arc<dyn Store>) -> Result<Snapshot, StoreError> {
        if let Some((f, at)) = self.cached() {
            if Utc::now() - at > FRESH_FOR {
                self.refresh_in_background(store.clone());
            }
            return Ok((f, at));
        }
        // Nothing yet: compute once, whoever asks first; the others wait for that result.
        let _one = self.first.lock().await;
        if let Some(cached) = self.cached() {
            return Ok(cached);
        }
        let f = Arc::new(store.figures().await?);
        let at = Utc::now();
        *self.current.write().expect("figures cache poisoned") = Some((f.clone(), at));
        Ok((f, at))
    }
}
