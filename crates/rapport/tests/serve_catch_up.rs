//! A running `rapport serve` follows what other processes do to the base, on both backends:
//! a guest imported overnight by `rapport import` (its own process) is met by the desk's
//! duplicate the next day, and a profile merged away elsewhere is no longer a candidate —
//! the profile it went into is. The server catches up every 0.2 s here (`[dedupe]
//! catch_up_seconds`); the tests wait for it by its log, with a deadline.

mod support;
use support::rapport_on;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use rapport_domain::contact::{ContactPoint, Region};
use rapport_domain::guest::{GuestId, GuestProfile};
use rapport_domain::names::GuestName;
use rapport_store::testing::search_ids;
use rapport_store::{backend_tests, MergeRequest, Store, StoreError};
use serde_json::{json, Value};

/// A demo group of 2,000 guests for the model to learn from; returns the admin API token.
fn demo(db: &str) -> String {
    let out = rapport_on(db, &["demo", "--guests", "2000", "--no-serve"]);
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("API token (admin, whole group): "))
        .expect("the demo prints a token")
        .trim()
        .to_string()
}

/// `rapport serve` on port 0 with a short catch-up interval, its log collected line by line.
struct Server {
    child: Child,
    base: String,
    log: Arc<Mutex<Vec<String>>>,
    _config: tempfile::TempDir,
}

impl Server {
    fn start(db: &str) -> Server {
        let config = tempfile::tempdir().unwrap();
        let file: PathBuf = config.path().join("rapport.toml");
        std::fs::write(&file, "[dedupe]\ncatch_up_seconds = 0.2\n").unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_rapport"))
            .arg("--db")
            .arg(db)
            .arg("--config")
            .arg(&file)
            .args(["serve", "--addr", "127.0.0.1:0"])
            .env("RAPPORT_LOG", "info")
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start rapport serve");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let base = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("the URL is printed: {line}"))
            .trim_end_matches('/')
            .to_string();
        let log = Arc::new(Mutex::new(Vec::new()));
        let lines = log.clone();
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                lines.lock().unwrap().push(without_colours(&line));
            }
        });
        Server {
            child,
            base,
            log,
            _config: config,
        }
    }

    /// Log lines so far (to wait for one after this point).
    fn mark(&self) -> usize {
        self.log.lock().unwrap().len()
    }

    /// Waits (at most two minutes: the debug build fits the model slowly) for a log line
    /// after `from` that `wanted` accepts.
    async fn wait_for(&self, from: usize, what: &str, wanted: impl Fn(&str) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            if self.log.lock().unwrap()[from..].iter().any(|l| wanted(l)) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "no log line {what} in time:\n{}",
                self.log.lock().unwrap().join("\n")
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits for a catch-up after `from` that found at least one profile `added` or `removed`.
    async fn caught_up(&self, from: usize, field: &str) {
        let key = format!("{field}=");
        self.wait_for(from, &format!("saying the index caught up ({field})"), |l| {
            l.contains("caught up")
                && l.split_whitespace()
                    .find_map(|w| w.strip_prefix(&key))
                    .and_then(|n| n.parse::<u64>().ok())
                    .is_some_and(|n| n > 0)
        })
        .await
    }

    /// Creates a profile at the desk through the API; its id.
    async fn create_guest(&self, token: &str, body: Value) -> GuestId {
        let r = reqwest::Client::new()
            .post(format!("{}/api/v1/guests", self.base))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn without_colours(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            chars.by_ref().find(|c| c.is_ascii_alphabetic());
        } else {
            out.push(c);
        }
    }
    out
}

/// The desk's new profile was merged into `stored` or put to a person with it.
async fn paired(store: &dyn Store, stored: GuestId, arrived: GuestId) -> bool {
    let merged = store
        .guest_merges(stored)
        .await
        .unwrap()
        .iter()
        .any(|m| (m.survivor, m.absorbed) == (stored, arrived) && m.undone_at.is_none());
    let queue = store.review_queue(0, 1000).await.unwrap();
    merged
        || queue
            .items
            .iter()
            .any(|p| (p.left, p.right) == (stored.min(arrived), stored.max(arrived)))
}

fn write_stays(dir: &Path, hotel: &str) -> PathBuf {
    let csv = dir.join("stays.csv");
    let header = "reservation_id,hotel,arrival,departure,status,room_type,rate,currency,channel,market_segment,adults,children,\
                  special_requests,booked_at,guest_id,title,given_name,family_name,native_name,email,phone,birthday,anniversary,\
                  nationality,language,company,vip_code,spend_room,spend_food_beverage,spend_spa,spend_laundry,spend_minibar,spend_other";
    let row = format!(
        "N1,{hotel},2026-03-01,2026-03-04,checked_out,,,EUR,,,,,,,,,Margarete,Oyelaran,,margarete@newmail.example,+44 20 7946 0958,1975-06-14,,,,,,300,,,,,"
    );
    std::fs::write(&csv, format!("{header}\n{row}\n")).unwrap();
    csv
}

/// Margarete Oyelaran as the front desk types her in: a new email, her phone, her birthday.
fn margarete_at_the_desk() -> Value {
    json!({
        "name": {"given": "Margarete", "family": "Oyelaran"},
        "emails": ["margarete@newmail.example"],
        "phones": ["+44 20 7946 0958"],
        "birthday": "1975-06-14"
    })
}

backend_tests! {
    fn a_guest_imported_by_another_process_is_met_by_the_desks_duplicate_without_a_restart(db) {
        let token = demo(&db.url);
        let store = db.store.as_ref();
        let hotel = store.hotels().await.unwrap().remove(0);
        let server = Server::start(&db.url);
        server.wait_for(0, "saying the match index is ready", |l| l.contains("match index ready")).await;

        // Overnight: the PMS export, imported by its own process (which checks it too).
        let from = server.mark();
        let dir = tempfile::tempdir().unwrap();
        let csv = write_stays(dir.path(), &hotel.code);
        let out = rapport_on(&db.url, &["import", csv.to_str().unwrap(), "--mapping", "rapport-stays", "--json"]);
        let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(summary["guests_created"], 1, "{summary}");
        let imported = search_ids(store, "Oyelaran").await[0];
        server.caught_up(from, "added").await;

        // The next day the desk types her in again, without the reservation.
        let desk = margarete_at_the_desk();
        let arrived = server.create_guest(&token, desk).await;
        assert!(
            paired(store, imported, arrived).await,
            "the desk's profile {arrived} is merged into or queued with the imported {imported}"
        );
    }
}

backend_tests! {
    fn a_profile_merged_away_by_another_process_is_no_longer_a_candidate_its_survivor_is(db) {
        let token = demo(&db.url);
        let store = db.store.as_ref();
        let birthday = NaiveDate::from_ymd_opt(1975, 6, 14);
        // Her profile under her married name, and an old one under her maiden name that
        // shares nothing with it but the birth date: the matcher would not join them.
        let profile = |given: &str, family: &str, email: &str, phone: Option<&str>| GuestProfile {
            name: GuestName {
                given: given.into(),
                family: family.into(),
                ..Default::default()
            },
            emails: vec![ContactPoint::email_lenient(email)],
            phones: phone.map(|p| ContactPoint::phone_lenient(p, Region::default())).into_iter().collect(),
            birthday,
            ..Default::default()
        };
        let married = store.create_guest(profile("Margarethe", "Lindqvist", "m.lindqvist@example.se", None), vec![]).await.unwrap().id;
        let maiden = store
            .create_guest(profile("Margarete", "Oyelaran", "margarete@newmail.example", Some("+44 20 7946 0958")), vec![])
            .await
            .unwrap()
            .id;
        let server = Server::start(&db.url);
        server.wait_for(0, "saying the match index is ready", |l| l.contains("match index ready")).await;

        // Guest relations, working from another process, know better and merge them.
        let from = server.mark();
        let request = MergeRequest {
            decided_by: "relations".into(),
            reason: "maiden name, same passport".into(),
            probability: None,
            evidence: vec![],
        };
        store.merge_guests(married, maiden, request).await.unwrap();
        server.caught_up(from, "removed").await;

        // The desk types in the maiden-name profile again.
        let desk = margarete_at_the_desk();
        let arrived = server.create_guest(&token, desk).await;
        assert!(
            paired(store, married, arrived).await,
            "the desk's profile {arrived} meets the survivor {married}, which holds the maiden name's contacts now"
        );
        let queue = store.review_queue(0, 1000).await.unwrap();
        assert!(!queue.items.iter().any(|p| p.left == maiden || p.right == maiden), "{:?}", queue.items);
        assert_eq!(store.guest_merges(maiden).await.unwrap().len(), 1, "only the merge made elsewhere");
        assert!(matches!(store.guest(maiden).await, Err(StoreError::Merged { .. })));
    }
}
