//! The staff console's storage on PostgreSQL: sessions, arrival touches, dashboard figures.

use chrono::{DateTime, NaiveDate, Utc};
use deadpool_postgres::Client;
use rapport_domain::hotel::HotelId;
use rapport_domain::stay::{Stay, StayId};

use super::reads::{decode_all, query, query_opt};
use crate::rows;
use crate::sql as shared;
use crate::{GroupFigures, NewSession, Result, Session, StoreError, TouchMark};

pub(super) async fn create_session(c: &mut Client, s: &NewSession) -> Result<()> {
    let now = Utc::now();
    let tx = c.transaction().await?;
    tx.execute(shared::DELETE_EXPIRED_SESSIONS, &[&now]).await?;
    tx.execute(
        shared::INSERT_SESSION,
        &[&s.id_hash, &s.user_id, &s.csrf_token, &now, &s.expires_at],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn session(c: &Client, id_hash: &str, now: DateTime<Utc>) -> Result<Session> {
    match query_opt(c, shared::SESSION, &[&id_hash, &now]).await? {
        Some(r) => rows::session(&r),
        None => Err(StoreError::not_found("session")),
    }
}

pub(super) async fn arrivals(c: &Client, hotel: HotelId, date: NaiveDate) -> Result<Vec<Stay>> {
    decode_all(query(c, &shared::arrivals(), &[&hotel, &date]).await?, rows::stay)
}

pub(super) async fn arrival_touches(c: &Client, hotel: HotelId, date: NaiveDate) -> Result<Vec<TouchMark>> {
    decode_all(query(c, shared::ARRIVAL_TOUCHES, &[&hotel, &date]).await?, rows::touch)
}

pub(super) async fn set_touch(c: &Client, stay: StayId, touch: &str, done_by: Option<&str>) -> Result<()> {
    // A stay that does not exist is a 404 for the caller, not a foreign-key error.
    if query_opt(c, &shared::stay_by_id(), &[&stay]).await?.is_none() {
        return Err(StoreError::not_found(format!("stay {stay}")));
    }
    match done_by {
        Some(by) => c.execute(shared::MARK_TOUCH, &[&stay, &touch, &by, &Utc::now()]).await?,
        None => c.execute(shared::UNMARK_TOUCH, &[&stay, &touch]).await?,
    };
    Ok(())
}

pub(super) async fn figures(c: &Client) -> Result<GroupFigures> {
    let month = shared::monthly_revenue("to_char(posted_on, 'YYYY-MM')");
    let (hotels, group, revenue) = tokio::try_join!(
        query(c, shared::HOTEL_VISITS, &[]),
        query_opt(c, shared::GROUP_VISITS, &[]),
        query(c, &month, &[])
    )?;
    Ok(GroupFigures {
        hotels: hotels
            .iter()
            .map(|r| Ok((r.try_get(0)?, rows::visits(r, 1)?)))
            .collect::<Result<_>>()?,
        group: group.map(|r| rows::visits(&r, 0)).transpose()?.unwrap_or_default(),
        revenue: decode_all(revenue, rows::month_revenue)?,
    })
}
