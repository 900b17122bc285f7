//! `rapport bench console`: how long the staff console's pages take at this database's
//! size, through the real server with a signed-in session: search while typing, the guest
//! page and its edit form, the arrivals brief of busy days, the dashboard.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use rapport_domain::access::{Role, Scope};
use rapport_store::{NewSession, NewUser, Store, StoreError};

use super::load::{self, Credentials, LoadReport, PathFn};
use super::{dataset, start_server};

const LOGIN: &str = "bench-console";

/// A session of a group-wide front-desk user, made directly in the store.
async fn session(store: &dyn Store) -> anyhow::Result<Credentials> {
    let user = match store.user_by_login(LOGIN).await {
        Ok((user, _)) => user,
        Err(StoreError::NotFound(_)) => {
            let (secret, _) = rapport_http::credentials::new_token();
            store
                .create_user(NewUser {
                    login: LOGIN.into(),
                    display_name: "Benchmark".into(),
                    password_hash: rapport_http::credentials::hash_password(&secret).map_err(anyhow::Error::msg)?,
                    role: Role::FrontDesk,
                    scope: Scope::Group,
                    language: "en".into(),
                })
                .await?
        }
        Err(e) => return Err(e.into()),
    };
    let (id, id_hash) = rapport_http::credentials::new_token();
    store
        .create_session(NewSession {
            id_hash,
            user_id: user.id,
            csrf_token: "bench".into(),
            expires_at: Utc::now() + chrono::Duration::hours(2),
        })
        .await?;
    Ok(Credentials::Session(id))
}

/// (hotel code, date) of arrival days drawn from stored stays spread over the table.
async fn arrival_days(store: &dyn Store, sample: i64) -> anyhow::Result<Vec<String>> {
    let stays = store.counts().await?.stays;
    anyhow::ensure!(stays > 0, "the database has no stays");
    let hotels = store.hotels().await?;
    let step = (stays / sample).max(1);
    let mut out = Vec::new();
    let mut id = 1;
    while id <= stays {
        if let Ok(s) = store.stay(id).await {
            if let Some(h) = hotels.iter().find(|h| h.id == s.hotel_id) {
                out.push(format!("/arrivals?hotel={}&date={}", h.code, s.arrival));
            }
        }
        id += step;
    }
    Ok(out)
}

pub struct ConsoleBench {
    /// Computing the dashboard's figures from scratch (they are then served from memory).
    pub figures: Duration,
    pub pages: Vec<LoadReport>,
}

pub async fn run(store: Arc<dyn Store>, connections: usize, seconds: u64) -> anyhow::Result<ConsoleBench> {
    let guests = store.counts().await?.guests as u64;
    anyhow::ensure!(
        guests > 0,
        "the database has no guests: run `rapport demo --no-serve --guests N` first"
    );
    let started = Instant::now();
    store.figures().await?;
    let figures = started.elapsed();

    let credentials = session(store.as_ref()).await?;
    let queries = dataset::search_queries(store.as_ref(), 2_000).await?;
    let days = Arc::new(arrival_days(store.as_ref(), 200).await?);
    let addr = start_server(store)?;
    let spread = move |n: u64| (n.wrapping_mul(2_654_435_761) % guests) + 1;

    let mut runs: Vec<(String, PathFn)> = Vec::new();
    for (label, list) in queries {
        let list = Arc::new(list);
        runs.push((
            format!("search as you type: {label}"),
            Arc::new(move |n: u64| format!("/search?q={}", list[(n as usize) % list.len()])),
        ));
    }
    runs.push(("guest 360° page".into(), Arc::new(move |n: u64| format!("/guests/{}", spread(n)))));
    runs.push((
        "guest edit form".into(),
        Arc::new(move |n: u64| format!("/guests/{}/edit", spread(n))),
    ));
    runs.push((
        "arrivals brief (a hotel's day)".into(),
        Arc::new(move |n: u64| days[(n as usize) % days.len()].clone()),
    ));
    runs.push(("dashboard".into(), Arc::new(|_| "/".to_string())));

    let mut pages = Vec::new();
    for (label, path) in runs {
        pages.push(
            load::run(
                &label,
                addr,
                &credentials,
                connections,
                Duration::from_secs(1),
                Duration::from_secs(seconds),
                path,
            )
            .await?,
        );
    }
    Ok(ConsoleBench { figures, pages })
}
