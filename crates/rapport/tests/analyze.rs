//! `rapport analyze` through the real binary on a demo group: every hotel and the group get
//! a report, the models are fitted on the hotels' own stays, and scores are stored.

use std::process::{Command, Output};

use rapport_store::backend_tests;
use rapport_value::analysis::Scope;
use serde_json::Value;

fn rapport(db: &str, config: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rapport"))
        .arg("--db")
        .arg(db)
        .arg("--config")
        .arg(config)
        .args(args)
        .env("RAPPORT_LOG", "warn")
        .output()
        .expect("run rapport")
}

backend_tests! {
    fn analyze_reports_every_hotel_and_the_group_and_stores_scores(db) {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("rapport.toml");
        // Rates for the demo's currencies so the group adds every hotel up, in euros.
        std::fs::write(&config, "[value]\ngroup_currency = \"EUR\"\nrates = { CNY = 0.13, GBP = 1.17, SGD = 0.69 }\n").unwrap();
        let demo = rapport(&db.url, &config, &["demo", "--no-serve", "--guests", "3000"]);
        assert!(demo.status.success(), "{}", String::from_utf8_lossy(&demo.stderr));
        let out = rapport(&db.url, &config, &["analyze", "--json", "--as-of", "2026-11-23"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
        let reports = summary["reports"].as_array().unwrap();
        assert_eq!(reports.len(), 6, "five hotels and the group");
        let group = reports.iter().find(|r| r["scope"]["kind"] == "group").unwrap();
        assert_eq!(group["currency"], "EUR");
        assert!(group["left_out"].as_array().unwrap().is_empty(), "every currency has a rate");
        let top = group["top_20_share"].as_f64().unwrap();
        assert!(top > 0.5, "the demo's heavy tail: the top fifth brings most revenue ({top})");
        assert!(group["purchases"]["r"].as_f64().unwrap() > 0.0, "BG/NBD fitted on the group's stays");
        assert!(summary["guest_scores"].as_u64().unwrap() >= 3000);
        let stored = db.store.value_reports().await.unwrap();
        assert_eq!(stored.len(), 6);
        let group = stored.iter().find(|r| r.report.scope == Scope::Group).unwrap();
        assert!(group.report.profiles.len() >= 4 && !group.report.cohorts.is_empty());
        let (values, history) = db.store.guest_values(1).await.unwrap();
        assert!(!values.is_empty() && !history.is_empty());
    }
}
