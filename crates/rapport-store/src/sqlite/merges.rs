//! The merge primitives on SQLite: statements on the writer's transaction (or a reader's
//! connection), rows copied out so the shared steps can hold them.

use rapport_domain::guest::{Guest, GuestId};
use rusqlite::types::{ToSqlOutput, Value, ValueRef};
use rusqlite::{params_from_iter, Connection, ToSql};

use crate::merges::{MergeSql, Val};
use crate::rows::{Cols, Column};
use crate::sql::for_sqlite;
use crate::{KeyLists, Result, StoreError};

pub(super) struct SqliteSql<'c>(pub &'c Connection);

/// A row read into owned values.
pub(crate) struct OwnedRow(Vec<Value>);

impl Cols for OwnedRow {
    fn col<T: Column>(&self, i: usize) -> Result<T> {
        let v = self.0.get(i).ok_or_else(|| StoreError::Corrupt(format!("no column {i}")))?;
        T::column_result(ValueRef::from(v)).map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, v.data_type(), Box::new(e)).into())
    }
}

impl ToSql for Val {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        match self {
            Val::Int(v) => v.to_sql(),
            Val::OptInt(v) => v.to_sql(),
            Val::Real(v) => v.to_sql(),
            Val::OptReal(v) => v.to_sql(),
            Val::Text(v) => v.to_sql(),
            Val::OptText(v) => v.to_sql(),
            Val::At(v) => v.to_sql(),
        }
    }
}

impl MergeSql for SqliteSql<'_> {
    type Row = OwnedRow;
    const LOCK: &'static str = "";

    async fn run(&mut self, sql: &str, params: &[Val]) -> Result<u64> {
        Ok(self.0.prepare_cached(&for_sqlite(sql))?.execute(params_from_iter(params))? as u64)
    }

    async fn rows(&mut self, sql: &str, params: &[Val]) -> Result<Vec<OwnedRow>> {
        let mut stmt = self.0.prepare_cached(&for_sqlite(sql))?;
        let n = stmt.column_count();
        let mut rows = stmt.query(params_from_iter(params))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(OwnedRow((0..n).map(|i| r.get::<_, Value>(i)).collect::<rusqlite::Result<_>>()?));
        }
        Ok(out)
    }

    async fn put_guest(&mut self, guest: &Guest) -> Result<()> {
        super::put_guest(self.0, guest, false)
    }

    async fn drop_keys(&mut self, id: GuestId) -> Result<()> {
        super::relist_keys(self.0, id, &KeyLists::none())
    }
}
