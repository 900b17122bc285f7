//! A small HTTP load generator for the API benchmarks.
//!
//! Each connection is a hyper HTTP/1.1 client on its own keep-alive TCP connection,
//! sending the next request as soon as the previous answer is read (closed loop, like
//! wrk). Latencies are kept per request and reported as percentiles.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper::Request;
use hyper_util::rt::TokioIo;
use serde::Serialize;

/// Latency distribution and throughput of one load run.
#[derive(Debug, Serialize)]
pub struct LoadReport {
    pub label: String,
    pub connections: usize,
    pub requests: u64,
    pub errors: u64,
    pub seconds: f64,
    pub requests_per_second: f64,
    pub p50_ms: f64,
    pub p90_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

impl LoadReport {
    pub fn from_latencies(label: &str, connections: usize, mut micros: Vec<u32>, errors: u64, elapsed: Duration) -> Self {
        micros.sort_unstable();
        let pct = |p: f64| -> f64 {
            if micros.is_empty() {
                return 0.0;
            }
            let i = ((micros.len() as f64 * p).ceil() as usize).clamp(1, micros.len()) - 1;
            f64::from(micros[i]) / 1000.0
        };
        let requests = micros.len() as u64;
        LoadReport {
            label: label.to_string(),
            connections,
            requests,
            errors,
            seconds: elapsed.as_secs_f64(),
            requests_per_second: requests as f64 / elapsed.as_secs_f64(),
            p50_ms: pct(0.50),
            p90_ms: pct(0.90),
            p99_ms: pct(0.99),
            max_ms: pct(1.0),
        }
    }

    pub fn print(&self) {
        println!(
            "{:<28} {:>3} conn {:>9} req {:>10.0} req/s  p50 {:>6.2} ms  p90 {:>6.2} ms  p99 {:>6.2} ms  max {:>7.2} ms  errors {}",
            self.label,
            self.connections,
            self.requests,
            self.requests_per_second,
            self.p50_ms,
            self.p90_ms,
            self.p99_ms,
            self.max_ms,
            self.errors
        );
    }
}

/// The path of the n-th request.
pub type PathFn = Arc<dyn Fn(u64) -> String + Send + Sync>;

/// How a benchmark request proves who it is: an API token or a console session.
#[derive(Clone)]
pub enum Credentials {
    Bearer(String),
    Session(String),
}

impl Credentials {
    fn header(&self) -> (&'static str, String) {
        match self {
            Credentials::Bearer(token) => ("authorization", format!("Bearer {token}")),
            Credentials::Session(id) => ("cookie", format!("{}={id}", rapport_web::SESSION_COOKIE)),
        }
    }
}

/// Sends GET requests for `path(n)` (n counts up per connection) with `credentials` on
/// `connections` connections for `duration`, after `warmup` whose requests are not counted.
pub async fn run(
    label: &str,
    addr: SocketAddr,
    credentials: &Credentials,
    connections: usize,
    warmup: Duration,
    duration: Duration,
    path: PathFn,
) -> anyhow::Result<LoadReport> {
    let start = Instant::now() + warmup;
    let end = start + duration;
    let (auth_name, auth) = credentials.header();
    let mut tasks = Vec::with_capacity(connections);
    for c in 0..connections {
        let (path, auth) = (path.clone(), auth.clone());
        tasks.push(tokio::spawn(async move {
            let stream = tokio::net::TcpStream::connect(addr).await.context("connect")?;
            stream.set_nodelay(true)?;
            let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
            tokio::spawn(conn);
            let mut micros = Vec::with_capacity(1 << 16);
            let mut errors = 0u64;
            let mut n = c as u64 * 1_000_003;
            loop {
                let sent = Instant::now();
                if sent >= end {
                    break;
                }
                let req = Request::get(path(n))
                    .header("host", "bench")
                    .header(auth_name, &auth)
                    .body(Empty::<Bytes>::new())?;
                n += 1;
                sender.ready().await?;
                let res = sender.send_request(req).await?;
                let ok = res.status().is_success();
                res.into_body().collect().await?;
                if sent >= start {
                    if ok {
                        micros.push(sent.elapsed().as_micros().min(u128::from(u32::MAX)) as u32);
                    } else {
                        errors += 1;
                    }
                }
            }
            anyhow::Ok((micros, errors))
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (m, e) = t.await??;
        all.extend(m);
        errors += e;
    }
    let elapsed = Instant::now()
        .saturating_duration_since(start)
        .min(duration + Duration::from_millis(50));
    Ok(LoadReport::from_latencies(
        label,
        connections,
        all,
        errors,
        elapsed.max(Duration::from_millis(1)),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_come_from_the_sorted_latencies() {
        let r = LoadReport::from_latencies("x", 1, (1..=100).map(|i| i * 1000).collect(), 0, Duration::from_secs(1));
        assert_eq!(r.p50_ms, 50.0);
        assert_eq!(r.p99_ms, 99.0);
        assert_eq!(r.max_ms, 100.0);
        assert_eq!(r.requests_per_second, 100.0);
    }
}
