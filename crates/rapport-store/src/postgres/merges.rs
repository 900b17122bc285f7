//! The merge primitives on PostgreSQL: prepared statements inside the caller's transaction;
//! profiles are written through the same array-parameter path as every other write.

use deadpool_postgres::Transaction;
use rapport_domain::guest::{Guest, GuestId};
use tokio_postgres::types::ToSql;
use tokio_postgres::Row;

use super::write::{self, Writes};
use crate::merges::{MergeSql, Val};
use crate::Result;

pub(super) struct PgSql<'a, 't>(pub &'a Transaction<'t>);

fn params(vals: &[Val]) -> Vec<&(dyn ToSql + Sync)> {
    vals.iter()
        .map(|v| -> &(dyn ToSql + Sync) {
            match v {
                Val::Int(v) => v,
                Val::OptInt(v) => v,
                Val::Real(v) => v,
                Val::OptReal(v) => v,
                Val::Text(v) => v,
                Val::OptText(v) => v,
                Val::At(v) => v,
            }
        })
        .collect()
}

impl MergeSql for PgSql<'_, '_> {
    type Row = Row;
    const LOCK: &'static str = " FOR UPDATE";

    async fn run(&mut self, sql: &str, vals: &[Val]) -> Result<u64> {
        let stmt = self.0.prepare_cached(sql).await?;
        Ok(self.0.execute(&stmt, &params(vals)).await?)
    }

    async fn rows(&mut self, sql: &str, vals: &[Val]) -> Result<Vec<Row>> {
        let stmt = self.0.prepare_cached(sql).await?;
        Ok(self.0.query(&stmt, &params(vals)).await?)
    }

    async fn put_guest(&mut self, guest: &Guest) -> Result<()> {
        write::write(
            self.0,
            &Writes {
                updated_guests: std::slice::from_ref(guest),
                ..Writes::default()
            },
        )
        .await
    }

    async fn drop_keys(&mut self, id: GuestId) -> Result<()> {
        write::drop_keys(self.0, &[id]).await
    }
}
