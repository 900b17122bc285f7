//! Running the real `rapport` binary on files, as a user does.

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
