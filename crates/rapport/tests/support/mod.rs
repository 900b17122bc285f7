//! Running the real `rapport` binary, as a user does: on files, or on a database.
// Each test binary includes this module and uses only some of it.
#![allow(dead_code)]

use std::process::{Command, Output};

use serde_json::Value;

/// `rapport ARGS` with a database URL that cannot be reached: commands that work on files
/// alone must never open a database, and this proves they do not.
pub fn rapport(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rapport"))
        .args(args)
        .env("RAPPORT_LOG", "warn")
        .env("RAPPORT_DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")
        .output()
        .expect("run rapport")
}

/// The JSON a successful run printed.
pub fn json_of(o: &Output) -> Value {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).expect("JSON on stdout")
}

/// `rapport --db DB ARGS`, which must succeed (its stderr is the failure message).
pub fn rapport_on(db: &str, args: &[&str]) -> Output {
    let o = Command::new(env!("CARGO_BIN_EXE_rapport"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("RAPPORT_LOG", "warn")
        .output()
        .expect("run rapport");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    o
}
