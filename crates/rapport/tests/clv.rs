//! `rapport clv` as a user runs it: the real binary on real files.

use std::path::Path;
use std::process::Output;

use serde_json::Value;

mod support;
use support::{json_of, rapport};

const CDNOW: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/cdnow_sample.csv");

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn within(v: &Value, want: f64, rel: f64) -> bool {
    (v.as_f64().unwrap() / want - 1.0).abs() <= rel
}

/// Fader, Hardie & Lee (2005), table 1, and Fader & Hardie (2013): CDNOW 1/10 sample, 39-week
/// calibration ending 1997-09-30, weeks, purchases counted per day.
#[test]
fn cdnow_gives_the_published_estimates() {
    let out = json_of(&rapport(&[
        "clv",
        "fit",
        "--input",
        CDNOW,
        "--calibration-end",
        "1997-09-30",
        "--period",
        "week",
        "--json",
    ]));
    assert_eq!(out["customers"], 2357);
    assert_eq!(out["transactions"], 6919);
    let bg = &out["bgnbd"];
    for (name, want) in [("r", 0.243), ("alpha", 4.414), ("a", 0.793), ("b", 2.426)] {
        assert!(within(&bg[name], want, 0.01), "{name} = {}, published {want}", bg[name]);
    }
    let gg = &out["gamma_gamma"];
    for (name, want) in [("p", 6.25), ("q", 3.74), ("gamma", 15.44)] {
        assert!(within(&gg[name], want, 0.01), "{name} = {}, published {want}", gg[name]);
    }
    // The paper's log-likelihood at its estimate.
    assert!(
        (bg["log_likelihood"].as_f64().unwrap() + 9582.4).abs() < 0.5,
        "{}",
        bg["log_likelihood"]
    );
    assert_eq!(gg["customers"], 946, "customers with repeat purchases and non-zero spend");

    let holdout = &out["holdout"];
    assert_eq!(holdout["periods"], 39.0);
    assert_eq!(holdout["customers"], 2357);
    let actual = holdout["actual_repeat_purchases"].as_f64().unwrap();
    let predicted = holdout["predicted_repeat_purchases"].as_f64().unwrap();
    assert!(actual > 1000.0 && (predicted / actual - 1.0).abs() < 0.2, "{predicted} vs {actual}");
    let mae = holdout["mean_absolute_error"].as_f64().unwrap();
    assert!(mae > 0.0 && mae < 1.5, "{mae}");
    let churn = &out["value"]["churn_risk"];
    let banded: u64 = ["low", "medium", "high"].iter().map(|k| churn[k].as_u64().unwrap()).sum();
    assert_eq!(banded, 2357);
    assert!(out["value"]["total_lifetime_value"].as_f64().unwrap() > 0.0);
}

#[test]
fn days_as_the_unit_rescale_alpha_only_and_compact_dates_read_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let compact = dir.path().join("cdnow_yyyymmdd.csv");
    let text = std::fs::read_to_string(CDNOW).unwrap();
    let converted: String = text
        .lines()
        .enumerate()
        .map(|(i, line)| {
            if i == 0 {
                format!("{line}\n")
            } else {
                format!("{}\n", line.replacen('-', "", 2))
            }
        })
        .collect();
    assert!(converted.contains(",19970101,"));
    std::fs::write(&compact, converted).unwrap();

    let weeks = json_of(&rapport(&[
        "clv",
        "fit",
        "--input",
        CDNOW,
        "--calibration-end",
        "1997-09-30",
        "--json",
    ]));
    let days = json_of(&rapport(&[
        "clv",
        "fit",
        "--input",
        compact.to_str().unwrap(),
        "--calibration-end",
        "1997-09-30",
        "--period",
        "day",
        "--json",
    ]));
    let (w, d) = (&weeks["bgnbd"], &days["bgnbd"]);
    for name in ["r", "a", "b"] {
        assert!(
            within(&d[name], w[name].as_f64().unwrap(), 1e-6),
            "{name}: {} vs {}",
            d[name],
            w[name]
        );
    }
    assert!(within(&d["alpha"], 7.0 * w["alpha"].as_f64().unwrap(), 1e-6));
    assert_eq!(
        days["holdout"]["actual_repeat_purchases"],
        weeks["holdout"]["actual_repeat_purchases"]
    );
}

#[test]
fn human_output_names_every_parameter_and_the_holdout_error() {
    let o = rapport(&["clv", "fit", "--input", CDNOW, "--calibration-end", "1997-09-30"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8_lossy(&o.stdout);
    for needle in [
        "r = 0.24",
        "alpha = 4.41",
        "a = 0.79",
        "b = 2.42",
        "p = 6.2",
        "q = 3.74",
        "gamma = 15.4",
        "log-likelihood -9582.4",
        "mean absolute error",
        "churn risk",
    ] {
        assert!(text.contains(needle), "missing '{needle}' in:\n{text}");
    }
}

#[test]
fn simulated_customers_give_back_their_parameters() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("sim.csv");
    let o = rapport(&[
        "clv",
        "simulate",
        "--customers",
        "30000",
        "--seed",
        "5",
        "--output",
        log.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let predictions = dir.path().join("predictions.csv");
    let out = json_of(&rapport(&[
        "clv",
        "fit",
        "--input",
        log.to_str().unwrap(),
        "--calibration-end",
        "1997-09-30",
        "--observation-end",
        "1998-06-30",
        "--predictions",
        predictions.to_str().unwrap(),
        "--json",
    ]));
    // Counting purchases per day merges about 2% of the simulated ones (a few customers buy
    // very often), which biases the purchase rate by a few per cent.
    for (name, want) in [("r", 0.243), ("alpha", 4.414), ("a", 0.793), ("b", 2.426)] {
        assert!(within(&out["bgnbd"][name], want, 0.12), "{name} = {}", out["bgnbd"][name]);
    }
    let rows = std::fs::read_to_string(&predictions).unwrap();
    let mut lines = rows.lines();
    assert!(lines
        .next()
        .unwrap()
        .starts_with("customer_id,frequency,recency,age,monetary_value,probability_alive"));
    let body: Vec<&str> = lines.collect();
    assert_eq!(body.len() as u64, out["customers"].as_u64().unwrap());
    for line in &body {
        let f: Vec<&str> = line.split(',').collect();
        let alive: f64 = f[5].parse().unwrap();
        assert!((0.0..=1.0).contains(&alive), "{line}");
        assert!(["low", "medium", "high"].contains(&f[9]), "{line}");
    }
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

#[test]
fn bad_input_names_the_line_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "date.csv",
            "customer_id,date,amount\n1,2024-01-01,10\n1,2024-13-01,10\n",
            "line 3",
            "not a date",
        ),
        (
            "amount.csv",
            "customer_id,date,amount\n1,2024-01-01,10\n2,2024-01-02,ten\n",
            "line 3",
            "not a decimal amount",
        ),
        (
            "negative.csv",
            "customer_id,date,amount\n1,2024-01-01,-5\n",
            "line 2",
            "negative amount",
        ),
        ("header.csv", "guest,date,amount\n1,2024-01-01,10\n", "customer_id", "header"),
        ("short.csv", "customer_id,date,amount\n1,2024-01-01\n", "line 2", ""),
    ];
    for (name, text, where_, what) in cases {
        let path = write(dir.path(), name, text);
        let o = rapport(&["clv", "fit", "--input", &path, "--calibration-end", "2024-06-30"]);
        assert!(!o.status.success(), "{name} was accepted");
        let err = stderr(&o);
        assert!(err.contains(where_) && err.contains(what), "{name}: {err}");
    }
    let o = rapport(&["clv", "fit", "--input", "/nonexistent/log.csv", "--calibration-end", "2024-06-30"]);
    assert!(!o.status.success() && stderr(&o).contains("cannot open"), "{}", stderr(&o));
}

#[test]
fn a_log_of_single_stays_fails_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("customer_id,date,amount\n");
    for i in 0..50 {
        text.push_str(&format!("g{i},2024-01-{:02},120.00\n", i % 28 + 1));
    }
    let path = write(dir.path(), "single.csv", &text);
    let o = rapport(&["clv", "fit", "--input", &path, "--calibration-end", "2024-06-30"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("no customer made a repeat purchase"), "{}", stderr(&o));
}
