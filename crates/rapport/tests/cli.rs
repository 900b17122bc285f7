//! The `rapport` command as a user runs it: the real binary, a real database, a real server.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};

use rapport_store::backend_tests;
use serde_json::Value;

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/hotel_booking_10k.csv");

fn rapport(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rapport"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("RAPPORT_LOG", "warn")
        .output()
        .expect("run rapport")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

backend_tests! {
    fn importing_the_sample_twice_changes_nothing_the_second_time(db) {
        let first = rapport(&db.url, &["import", SAMPLE, "--mapping", "hotel-booking-demand", "--json"]);
        assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
        let summary: Value = serde_json::from_str(&stdout(&first)).unwrap();
        assert_eq!(summary["rows"], 10_000);
        assert_eq!(summary["rejected"], 0);
        assert_eq!(summary["imported"], 10_000);
        let created = summary["guests_created"].as_u64().unwrap();
        assert!(created > 9_000, "people sharing a name are not merged: {created}");
        assert_eq!(created + summary["guests_matched"].as_u64().unwrap(), 10_000);
        // The check of the new profiles that follows finds no one to merge: the file's people
        // are all different, hundreds of them sharing a name (or a junk email).
        assert_eq!(summary["duplicates"]["checked"].as_u64(), Some(created), "{summary}");
        assert_eq!(summary["duplicates"]["merged"], 0, "{summary}");
        let before = db.store.counts().await.unwrap();

        let second = rapport(&db.url, &["import", SAMPLE, "--mapping", "hotel-booking-demand", "--json"]);
        assert!(second.status.success());
        let summary: Value = serde_json::from_str(&stdout(&second)).unwrap();
        assert_eq!(summary["unchanged"], 10_000);
        assert_eq!(summary["guests_created"], 0);
        assert_eq!(db.store.counts().await.unwrap(), before);
    }
}

/// A scratch directory with a SQLite database URL in it, the path of a CSV file to write
/// there, and the sample's text to build that file from.
fn scratch(csv_name: &str) -> (tempfile::TempDir, String, std::path::PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("r.db").display());
    let csv = dir.path().join(csv_name);
    (dir, db, csv, std::fs::read_to_string(SAMPLE).unwrap())
}

#[test]
fn rejected_rows_set_the_exit_status_and_good_rows_are_kept() {
    let (_dir, db, csv, text) = scratch("bad.csv");
    let mut lines = text.lines();
    let mut out = std::fs::File::create(&csv).unwrap();
    writeln!(out, "{}", lines.next().unwrap()).unwrap();
    for line in lines.by_ref().take(3) {
        writeln!(out, "{line}").unwrap();
    }
    writeln!(out, "only,three,columns").unwrap();
    writeln!(out, "{}", lines.next().unwrap().replace(",July,", ",Julember,")).unwrap();
    drop(out);

    let o = rapport(
        &db,
        &["import", csv.to_str().unwrap(), "--mapping", "hotel-booking-demand", "--json"],
    );
    assert_eq!(o.status.code(), Some(2), "rejected rows give exit status 2");
    let summary: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(summary["rejected"], 2);
    assert_eq!(summary["imported"], 3);
    let rejects = std::fs::read_to_string(summary["rejects_file"].as_str().unwrap()).unwrap();
    assert!(rejects.starts_with("line,column,reason,record"), "{rejects}");
    assert!(rejects.contains("\n6,"), "the line number of the short row: {rejects}");
    assert!(rejects.contains("arrival_date_month"), "{rejects}");
}

#[test]
fn a_rejects_file_that_is_the_input_is_refused_and_the_input_kept() {
    let (dir, db, csv, text) = scratch("x.csv");
    // A few hundred rows and a bad one, so a rejects file would be written.
    let mut body: String = text.lines().take(400).flat_map(|l| [l, "\n"]).collect();
    body.push_str("only,three,columns\n");
    std::fs::write(&csv, &body).unwrap();
    let linked = dir.path().join("hard-link.csv");
    std::fs::hard_link(&csv, &linked).unwrap();

    // The same file named relatively, absolutely, and through a hard link.
    for rejects in [csv.to_str().unwrap(), linked.to_str().unwrap(), "./x.csv"] {
        let o = Command::new(env!("CARGO_BIN_EXE_rapport"))
            .current_dir(dir.path())
            .args([
                "--db",
                &db,
                "import",
                "./x.csv",
                "--mapping",
                "hotel-booking-demand",
                "--rejects",
                rejects,
            ])
            .env("RAPPORT_LOG", "warn")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "an error, not rows rejected: {stderr}");
        assert!(stderr.contains("is the file being imported"), "{stderr}");
        assert_eq!(
            std::fs::read_to_string(&csv).unwrap(),
            body,
            "the input is intact (rejects {rejects})"
        );
    }
    let o = rapport(
        &db,
        &["import", csv.to_str().unwrap(), "--mapping", "hotel-booking-demand", "--json"],
    );
    let summary: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(
        summary["imported"], 399,
        "the refused runs imported nothing, so all rows are new now"
    );
}

#[test]
fn an_unknown_mapping_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("r.db").display());
    let o = rapport(&db, &["import", SAMPLE, "--mapping", "no-such-pms"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("no-such-pms"));
}

#[test]
fn demo_loads_a_group_and_serve_answers_with_the_printed_token() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("demo.db").display());
    let o = rapport(&db, &["demo", "--no-serve", "--guests", "300", "--seed", "3"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = stdout(&o);
    assert!(
        text.lines()
            .any(|l| l.starts_with("Loaded: 300 guests and ") && l.contains(" stays created, 5 hotels created (")),
        "the load says what it created: {text}"
    );
    assert!(text.contains("Staff login: admin / "), "{text}");
    let token = text
        .lines()
        .find_map(|l| l.strip_prefix("API token (admin, whole group): "))
        .expect("a token is printed")
        .trim()
        .to_string();

    let again = rapport(&db, &["demo", "--no-serve", "--guests", "300"]);
    assert!(
        stdout(&again).contains("already holds 300 guests"),
        "a second demo keeps the data: {}",
        stdout(&again)
    );

    let mut server = Command::new(env!("CARGO_BIN_EXE_rapport"))
        .args(["--db", &db, "serve", "--addr", "127.0.0.1:0"])
        .env("RAPPORT_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(server.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let base = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .expect("the URL is printed")
        .trim_end_matches('/')
        .to_string();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (status, page) = rt.block_on(async {
        let r = reqwest::Client::new()
            .get(format!("{base}/api/v1/guests?limit=5"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        (r.status(), r.json::<Value>().await.unwrap())
    });
    server.kill().unwrap();
    server.wait().unwrap();
    assert_eq!(status, 200);
    assert_eq!(page["total"], 300);
}

#[test]
fn users_get_argon2id_passwords_and_tokens_are_scoped_to_known_hotels() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("u.db");
    let db = format!("sqlite://{}", path.display());
    let mut child = Command::new(env!("CARGO_BIN_EXE_rapport"))
        .args(["--db", &db, "user", "add", "mei", "--role", "front_desk", "--language", "zh-CN"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"a long enough secret\n").unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success());
    assert!(stdout(&o).contains("created user mei (front_desk, whole group)"));
    let hash: String = stored_password_hash(&path);
    assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");

    let o = rapport(
        &db,
        &["token", "create", "--role", "front_desk", "--hotel", "NOPE", "--name", "desk"],
    );
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown hotel 'NOPE'"));
    let o = rapport(&db, &["token", "create", "--role", "janitor", "--name", "x"]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown role"));
}

fn stored_password_hash(path: &Path) -> String {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = rapport_store::open(&format!("sqlite://{}", path.display())).await.unwrap();
        store.user_by_login("mei").await.unwrap().1
    })
}
