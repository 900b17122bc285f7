//! Multi-row inserts whose borrowed texts SQLite reads in place.
//!
//! rusqlite binds every text and blob `SQLITE_TRANSIENT`, so SQLite copies each one into
//! memory of its own before the statement runs (rusqlite issue #164; no release up to
//! 0.43 binds otherwise). A 1M-row import binds about 30 million values, half of them
//! texts, all on the writer's thread, the import's critical path: the copying was 0.9 s of
//! that thread's 13.4 s. Bound `SQLITE_STATIC` instead, the whole import was faster in 18
//! of 27 alternated pairs and slower in 7, by a median 0.5 s of about 14 s
//! (`docs/benchmarks.md`, nineteenth session).
//!
//! `SQLITE_STATIC` is sound only while the bound memory outlives every step that reads it.
//! [`Inserts::rows`] binds values borrowed from the caller's items, steps the statement to
//! its end, then resets it and clears its bindings before it returns, on every way out, a
//! panic included: SQLite holds no pointer into the items once the call is over. Owned
//! values (a `ToSql` that builds its text) are bound `SQLITE_TRANSIENT`, as rusqlite binds
//! them.
//!
//! The statements are prepared here on the connection's handle (rusqlite gives no access
//! to its own statements' handles) and kept for the life of an [`Inserts`]. It borrows the
//! connection, so they are finalized before the connection can be closed.

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::ffi::{c_int, c_uint, CStr};
use std::ptr::NonNull;

use rusqlite::ffi;
use rusqlite::types::{ToSql, ToSqlOutput, ValueRef};
use rusqlite::Connection;

use super::RowsInsert;
use crate::sql::{self, for_sqlite};

/// Multi-row inserts on one connection, each statement prepared once and kept until this
/// is dropped.
pub(super) struct Inserts<'c> {
    conn: &'c Connection,
    /// By table and rows per statement.
    prepared: HashMap<(RowsInsert, usize), Prepared>,
}

impl<'c> Inserts<'c> {
    pub(super) fn new(conn: &'c Connection) -> Self {
        Self {
            conn,
            prepared: HashMap::new(),
        }
    }

    /// Inserts `items` [`sql::ROWS_PER_INSERT`] rows per statement; `table` is the insert's
    /// prefix, its columns per row and its suffix, and `bind` appends one item's values.
    pub(super) fn rows<T>(
        &mut self,
        (prefix, columns, suffix): RowsInsert,
        items: &[T],
        bind: impl for<'r> Fn(&'r T, &mut Vec<&'r dyn ToSql>),
    ) -> rusqlite::Result<()> {
        let mut values: Vec<&dyn ToSql> = Vec::with_capacity(sql::ROWS_PER_INSERT * columns);
        for chunk in items.chunks(sql::ROWS_PER_INSERT) {
            values.clear();
            chunk.iter().for_each(|item| bind(item, &mut values));
            let conn = self.conn;
            self.prepared((prefix, columns, suffix), chunk.len())?.run(conn, &values)?;
        }
        Ok(())
    }

    /// The insert of `rows` rows into `table`, prepared the first time it is asked for.
    fn prepared(&mut self, table: RowsInsert, rows: usize) -> rusqlite::Result<&Prepared> {
        let prepared = match self.prepared.entry((table, rows)) {
            Entry::Occupied(p) => p.into_mut(),
            Entry::Vacant(slot) => {
                let (prefix, columns, suffix) = table;
                slot.insert(Prepared::new(
                    self.conn,
                    &for_sqlite(&sql::multi_row_insert(prefix, columns, rows, suffix)),
                )?)
            }
        };
        Ok(prepared)
    }
}

/// A statement prepared on a connection's handle, finalized when dropped.
struct Prepared(NonNull<ffi::sqlite3_stmt>);

impl Prepared {
    fn new(conn: &Connection, statement: &str) -> rusqlite::Result<Self> {
        let len = c_int::try_from(statement.len()).map_err(|_| failure(ffi::SQLITE_TOOBIG, "the statement is too long".into()))?;
        let mut raw = std::ptr::null_mut();
        // SAFETY: the handle is the live connection's, used on the thread that holds the
        // borrow; SQLite reads `len` bytes of the statement and writes `raw`.
        unsafe {
            let db = conn.handle();
            let code = ffi::sqlite3_prepare_v3(
                db,
                statement.as_ptr().cast(),
                len,
                ffi::SQLITE_PREPARE_PERSISTENT as c_uint,
                &mut raw,
                std::ptr::null_mut(),
            );
            if code != ffi::SQLITE_OK {
                return Err(failure(code, message_of(db)));
            }
        }
        NonNull::new(raw)
            .map(Prepared)
            .ok_or_else(|| failure(ffi::SQLITE_MISUSE, format!("no statement in '{statement}'")))
    }

    /// Binds `values`, steps the statement to its end, then resets it and clears its
    /// bindings whatever happened, so that nothing bound stays referenced.
    fn run(&self, conn: &Connection, values: &[&dyn ToSql]) -> rusqlite::Result<()> {
        let stmt = self.0.as_ptr();
        // Declared before anything is bound, so dropped after SQLite's message is read.
        let _done = Finished(self.0);
        // SAFETY: `stmt` belongs to this connection and lives until `self` is dropped.
        // Texts and blobs borrowed from `values` are bound `SQLITE_STATIC`: `values`
        // outlives this call, and `_done` drops SQLite's pointers to them before it
        // returns or unwinds. Owned ones are bound `SQLITE_TRANSIENT` (copied) before they
        // are dropped.
        unsafe {
            let db = conn.handle();
            match bind_all(stmt, values) {
                Ok(()) => match ffi::sqlite3_step(stmt) {
                    ffi::SQLITE_DONE => Ok(()),
                    ffi::SQLITE_ROW => Err(failure(ffi::SQLITE_MISUSE, "an insert of rows returned rows".into())),
                    code => Err(failure(code, message_of(db))),
                },
                Err(Unbound::Refused(code, index)) => Err(failure(code, format!("cannot bind value {index}: {}", message_of(db)))),
                Err(Unbound::Failed(e)) => Err(e),
            }
        }
    }
}

/// Resets a statement that has run and clears its bindings when dropped: however a run
/// ends, SQLite keeps no pointer into the values it was given.
struct Finished(NonNull<ffi::sqlite3_stmt>);

impl Drop for Finished {
    fn drop(&mut self) {
        // SAFETY: the statement is live (its `Prepared` outlives the run); resetting and
        // clearing never fail on a live statement (a reset repeats the run's error code).
        unsafe {
            ffi::sqlite3_reset(self.0.as_ptr());
            ffi::sqlite3_clear_bindings(self.0.as_ptr());
        }
    }
}

impl Drop for Prepared {
    fn drop(&mut self) {
        // SAFETY: prepared by `Prepared::new`, finalized once, here.
        unsafe {
            ffi::sqlite3_finalize(self.0.as_ptr());
        }
    }
}

/// Why values were not all bound: SQLite refused one (its 1-based index), or its `ToSql`
/// failed.
enum Unbound {
    Refused(c_int, usize),
    Failed(rusqlite::Error),
}

/// # Safety
/// `stmt` must be a live statement, and borrowed values must stay alive until it is reset
/// and its bindings cleared.
unsafe fn bind_all(stmt: *mut ffi::sqlite3_stmt, values: &[&dyn ToSql]) -> Result<(), Unbound> {
    for (i, value) in values.iter().enumerate() {
        let index = c_int::try_from(i + 1).map_err(|_| Unbound::Refused(ffi::SQLITE_RANGE, i + 1))?;
        let code = match value.to_sql().map_err(Unbound::Failed)? {
            ToSqlOutput::Borrowed(v) => bind(stmt, index, v, ffi::SQLITE_STATIC()),
            ToSqlOutput::Owned(v) => bind(stmt, index, ValueRef::from(&v), ffi::SQLITE_TRANSIENT()),
            other => {
                return Err(Unbound::Failed(failure(ffi::SQLITE_MISUSE, format!("unsupported value {other:?}"))));
            }
        };
        if code != ffi::SQLITE_OK {
            return Err(Unbound::Refused(code, i + 1));
        }
    }
    Ok(())
}

/// # Safety
/// As for [`bind_all`]; `keep` says whether SQLite copies a text or blob.
unsafe fn bind(stmt: *mut ffi::sqlite3_stmt, index: c_int, value: ValueRef<'_>, keep: ffi::sqlite3_destructor_type) -> c_int {
    match value {
        ValueRef::Null => ffi::sqlite3_bind_null(stmt, index),
        ValueRef::Integer(i) => ffi::sqlite3_bind_int64(stmt, index, i),
        ValueRef::Real(r) => ffi::sqlite3_bind_double(stmt, index, r),
        ValueRef::Text(bytes) => match c_int::try_from(bytes.len()) {
            Ok(len) => ffi::sqlite3_bind_text(stmt, index, bytes.as_ptr().cast(), len, keep),
            Err(_) => ffi::SQLITE_TOOBIG,
        },
        ValueRef::Blob(bytes) => match c_int::try_from(bytes.len()) {
            Ok(len) => ffi::sqlite3_bind_blob(stmt, index, bytes.as_ptr().cast(), len, keep),
            Err(_) => ffi::SQLITE_TOOBIG,
        },
    }
}

/// What SQLite last reported on `db`.
///
/// # Safety
/// `db` must be a live connection handle.
unsafe fn message_of(db: *mut ffi::sqlite3) -> String {
    CStr::from_ptr(ffi::sqlite3_errmsg(db)).to_string_lossy().into_owned()
}

/// An error as rusqlite reports SQLite's (extended result codes are on: rusqlite turns them
/// on for every connection).
fn failure(code: c_int, message: String) -> rusqlite::Error {
    rusqlite::Error::SqliteFailure(ffi::Error::new(code), Some(message))
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    const ROWS: RowsInsert = ("INSERT OR FAIL INTO t (id, name, day, score, data) VALUES ", 5, "");

    /// A row with a value of each kind: borrowed texts and blobs (bound in place), an owned
    /// text (a date, which rusqlite formats on binding), integers, reals and NULLs.
    struct Row {
        id: i64,
        name: Option<String>,
        day: NaiveDate,
        score: f64,
        data: Vec<u8>,
    }

    fn rows(n: i64, name: &str) -> Vec<Row> {
        (1..=n)
            .map(|id| Row {
                id,
                name: (id % 7 != 0).then(|| format!("{name} {id} 张伟")),
                day: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Days::new(id as u64),
                score: id as f64 / 4.0,
                data: id.to_le_bytes().to_vec(),
            })
            .collect()
    }

    fn insert(inserts: &mut Inserts, rows: &[Row]) -> rusqlite::Result<()> {
        inserts.rows(ROWS, rows, |r, values| {
            values.extend([&r.id as &dyn ToSql, &r.name, &r.day, &r.score, &r.data])
        })
    }

    /// A stored row: id, name, day as text, score, data.
    type Stored = (i64, Option<String>, String, f64, Vec<u8>);

    fn stored(conn: &Connection) -> Vec<Stored> {
        let mut stmt = conn.prepare("SELECT id, name, day, score, data FROM t ORDER BY id").unwrap();
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)));
        rows.unwrap().collect::<rusqlite::Result<_>>().unwrap()
    }

    fn table() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, day DATE NOT NULL, score REAL, data BLOB)")
            .unwrap();
        conn
    }

    #[test]
    fn every_kind_of_value_is_stored_as_bound_across_full_and_partial_statements() {
        let conn = table();
        // Two full statements and a partial one, then the rows' own memory is gone before
        // a second call binds new rows through the same statements.
        let n = 2 * sql::ROWS_PER_INSERT as i64 + 5;
        let mut inserts = Inserts::new(&conn);
        insert(&mut inserts, &rows(n, "Wei")).unwrap();
        let later: Vec<Row> = rows(2 * n, "Li").into_iter().skip(n as usize).collect();
        insert(&mut inserts, &later).unwrap();
        drop(inserts);

        let expected: Vec<_> = rows(n, "Wei")
            .into_iter()
            .chain(later)
            .map(|r| (r.id, r.name, r.day.format("%F").to_string(), r.score, r.data))
            .collect();
        assert_eq!(stored(&conn), expected);
        // Every statement was finalized with the `Inserts`: the connection closes cleanly.
        conn.close().map_err(|(_, e)| e).unwrap();
    }

    #[test]
    fn a_refused_row_reports_sqlites_error_and_the_inserts_go_on_working() {
        let conn = table();
        let mut inserts = Inserts::new(&conn);
        insert(&mut inserts, &rows(3, "Wei")).unwrap();

        let err = insert(&mut inserts, &rows(5, "Again")).unwrap_err();
        match &err {
            rusqlite::Error::SqliteFailure(f, Some(message)) => {
                assert_eq!(f.extended_code, ffi::SQLITE_CONSTRAINT_PRIMARYKEY, "{err}");
                assert!(message.contains("t.id"), "{message}");
            }
            other => panic!("unexpected error {other:?}"),
        }
        // `OR FAIL` stops the statement at the duplicate (row 1), so rows 4 and 5 after it
        // are not stored either; the statement was reset and takes the next rows.
        let more: Vec<Row> = rows(8, "More").into_iter().skip(5).collect();
        insert(&mut inserts, &more).unwrap();
        drop(inserts);
        let ids: Vec<i64> = stored(&conn).into_iter().map(|r| r.0).collect();
        assert_eq!(ids, vec![1, 2, 3, 6, 7, 8]);
        let names: Vec<Option<String>> = stored(&conn).into_iter().map(|r| r.1).collect();
        assert_eq!(names[0].as_deref(), Some("Wei 1 张伟"));
        conn.close().map_err(|(_, e)| e).unwrap();
    }

    #[test]
    fn a_statement_sqlite_cannot_prepare_is_refused_with_its_message() {
        let conn = table();
        let err = Inserts::new(&conn)
            .rows(("INSERT INTO missing (a) VALUES ", 1, ""), &[1_i64], |v, values| values.push(v))
            .unwrap_err();
        assert!(err.to_string().contains("no such table: missing"), "{err}");
    }
}
