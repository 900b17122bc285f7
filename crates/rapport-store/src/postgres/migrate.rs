//! Schema migrations on PostgreSQL, applied on connect. Several Rapport servers may start
//! against the same database at once: the whole check-and-apply runs in one transaction
//! holding an advisory lock, so exactly one of them applies each migration and the others
//! find it recorded.

use chrono::Utc;
use deadpool_postgres::Client;

use super::sql::{ADVISORY_XACT_LOCK, MIGRATION_LOCK};
use crate::sql;
use crate::Result;

pub(super) async fn migrate(client: &mut Client) -> Result<()> {
    let tx = client.transaction().await?;
    tx.execute(ADVISORY_XACT_LOCK, &[&MIGRATION_LOCK]).await?;
    tx.batch_execute(sql::CREATE_MIGRATIONS_TABLE).await?;
    let applied: Vec<i64> = tx
        .query(sql::APPLIED_MIGRATIONS, &[])
        .await?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<Result<_, _>>()?;
    for (version, script) in sql::POSTGRES_MIGRATIONS {
        if !applied.contains(version) {
            tracing::info!(version, "applying PostgreSQL migration");
            tx.batch_execute(script).await?;
            tx.execute(sql::RECORD_MIGRATION, &[version, &Utc::now().to_rfc3339()]).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}
