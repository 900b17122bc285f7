//! `rapport dedupe` as a user runs it: the real binary on generated and real files.

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;

mod support;
use support::{json_of, rapport};

const HOTEL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/hotel_booking_10k.csv");

fn path(dir: &Path, name: &str) -> String {
    dir.join(name).to_str().unwrap().to_string()
}

/// Generates a hard file and evaluates it with the real binary: the auto-merge scores.
fn hard_file_scores(dir: &Path) -> (Value, String) {
    let (people, truth) = (path(dir, "people.csv"), path(dir, "truth.csv"));
    let gen = rapport(&[
        "dedupe",
        "generate",
        "--people",
        "20000",
        "--setting",
        "hard",
        "--seed",
        "5",
        "--out",
        &people,
        "--truth",
        &truth,
    ]);
    assert!(gen.status.success(), "{}", String::from_utf8_lossy(&gen.stderr));
    let report = json_of(&rapport(&["dedupe", "evaluate", "--input", &people, "--truth", &truth, "--json"]));
    (report["auto_merge"].clone(), people)
}

#[test]
fn hard_generated_people_are_merged_with_high_precision() {
    let dir = tempfile::tempdir().unwrap();
    let (merge, people) = hard_file_scores(dir.path());
    let precision = merge["precision"].as_f64().unwrap();
    assert!(precision >= 0.995, "precision {precision} at auto-merge: {merge}");

    // The plain matching run gives the same groups, as ids of the file.
    let out = json_of(&rapport(&["dedupe", "--input", &people, "--json"]));
    let clusters = out["clusters"].as_array().unwrap();
    let pairs: u64 = clusters
        .iter()
        .map(|c| c.as_array().unwrap().len() as u64)
        .map(|n| n * (n - 1) / 2)
        .sum();
    assert_eq!(pairs, merge["found_pairs"].as_u64().unwrap());
    assert!(clusters.iter().flat_map(|c| c.as_array().unwrap()).all(Value::is_u64));
}

/// Issue 5's target: F1 at least 0.98 on the hard setting at the auto-merge threshold
/// (0.982 on this file; 0.98 on the 100,000-profile one, see docs/benchmarks.md).
#[test]
fn hard_generated_people_reach_the_f1_target() {
    let dir = tempfile::tempdir().unwrap();
    let (merge, _) = hard_file_scores(dir.path());
    let f1 = merge["f1"].as_f64().unwrap();
    assert!(f1 >= 0.98, "F1 {f1} at auto-merge: {merge}");
}

/// The real booking export holds hundreds of different people who share a name; one real
/// person never has two different emails and two different phones there.
#[test]
fn people_sharing_a_name_in_the_hotel_file_are_not_merged() {
    let dir = tempfile::tempdir().unwrap();
    let input = path(dir.path(), "hotel.csv");
    let mut reader = csv::Reader::from_path(HOTEL).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (row_id, name, email, phone) = (col("row_id"), col("name"), col("email"), col("phone-number"));
    let mut writer = csv::Writer::from_path(&input).unwrap();
    writer.write_record(["id", "given_name", "family_name", "email", "phone"]).unwrap();
    let mut rows: HashMap<String, (String, String, String)> = HashMap::new();
    for r in reader.records() {
        let r = r.unwrap();
        let full = r[name].trim();
        let (given, family) = full.rsplit_once(' ').unwrap_or((full, ""));
        writer.write_record([&r[row_id], given, family, &r[email], &r[phone]]).unwrap();
        rows.insert(
            r[row_id].to_string(),
            (full.to_string(), r[email].to_lowercase(), r[phone].to_string()),
        );
    }
    writer.flush().unwrap();
    assert_eq!(rows.len(), 10_000);

    let out = json_of(&rapport(&["dedupe", "--input", &input, "--json"]));
    for cluster in out["clusters"].as_array().unwrap() {
        let members: Vec<&(String, String, String)> = cluster.as_array().unwrap().iter().map(|id| &rows[&id.to_string()]).collect();
        for (i, a) in members.iter().enumerate() {
            for b in &members[i + 1..] {
                let strangers = a.0 == b.0 && a.1 != b.1 && a.2 != b.2;
                assert!(!strangers, "merged two different people named {}: {a:?} and {b:?}", a.0);
            }
        }
    }
}
