//! `rapport bench …`: whole-workload benchmarks on data from the demo generator.
//! Each prints one line per measurement and, with `--json`, a JSON document.

pub mod console;
mod dataset;
pub mod import;
pub mod load;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use rapport_domain::access::Role;
use rapport_domain::contact::Region;
use rapport_store::Store;

pub use dataset::ensure_guests;

/// Starts `rapport serve`'s application (API and console) on its own two-thread runtime, as a separate
/// server process would run, and returns its address.
pub fn start_server(store: Arc<dyn Store>) -> anyhow::Result<SocketAddr> {
    let std_listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    std_listener.set_nonblocking(true)?;
    let addr = std_listener.local_addr()?;
    std::thread::Builder::new().name("bench-server".into()).spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("server")
            .enable_all()
            .build()
            .expect("server runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(std_listener).expect("listener");
            let state = rapport_web::ConsoleState::new(rapport_http::AppState::new(store, Region::default()));
            rapport_web::serve(listener, state).await.expect("server");
        });
    })?;
    Ok(addr)
}

async fn bench_token(store: &dyn Store) -> anyhow::Result<load::Credentials> {
    let token = crate::access_cmd::token_create(store, "bench", Role::FrontDesk.as_str(), &[])
        .await
        .context("bench token")?;
    Ok(load::Credentials::Bearer(token))
}

/// Guest reads by id at `connections` concurrent connections.
pub async fn read(store: Arc<dyn Store>, connections: usize, seconds: u64) -> anyhow::Result<load::LoadReport> {
    let guests = store.counts().await?.guests;
    anyhow::ensure!(
        guests > 0,
        "the database has no guests: run `rapport demo --no-serve --guests N` first or pass --guests"
    );
    let token = bench_token(store.as_ref()).await?;
    let addr = start_server(store)?;
    // A multiplicative walk over the ids spreads reads across the whole table.
    let path = Arc::new(move |n: u64| format!("/api/v1/guests/{}", (n.wrapping_mul(2_654_435_761) % guests as u64) + 1));
    load::run(
        "guest read by id",
        addr,
        &token,
        connections,
        Duration::from_secs(2),
        Duration::from_secs(seconds),
        path,
    )
    .await
}

/// Guest search by kind of query, each over queries drawn from stored profiles.
pub async fn search(store: Arc<dyn Store>, connections: usize, seconds: u64) -> anyhow::Result<Vec<load::LoadReport>> {
    let queries = dataset::search_queries(store.as_ref(), 2_000).await?;
    let token = bench_token(store.as_ref()).await?;
    let addr = start_server(store)?;
    let mut reports = Vec::new();
    for (label, list) in queries {
        anyhow::ensure!(!list.is_empty(), "no sample queries for {label}");
        let list = Arc::new(list);
        let path = Arc::new(move |n: u64| format!("/api/v1/guests?limit=20&q={}", list[(n as usize) % list.len()]));
        reports.push(
            load::run(
                &format!("search: {label}"),
                addr,
                &token,
                connections,
                Duration::from_secs(1),
                Duration::from_secs(seconds),
                path,
            )
            .await?,
        );
    }
    Ok(reports)
}
