//! The staff console's storage on SQLite: sessions, arrival touches, dashboard figures.

use chrono::{DateTime, NaiveDate, Utc};
use rapport_domain::hotel::HotelId;
use rapport_domain::stay::{Stay, StayId};
use rusqlite::{params, Connection, Transaction};

use super::{query_all, query_one};
use crate::rows;
use crate::sql::{self, for_sqlite};
use crate::{GroupFigures, NewSession, Result, Session, StoreError, TouchMark};

pub(super) fn create_session(tx: &Transaction, s: &NewSession) -> Result<()> {
    let now = Utc::now();
    tx.prepare_cached(&for_sqlite(sql::DELETE_EXPIRED_SESSIONS))?.execute([now])?;
    tx.prepare_cached(&for_sqlite(sql::INSERT_SESSION))?
        .execute(params![s.id_hash, s.user_id, s.csrf_token, now, s.expires_at])?;
    Ok(())
}

pub(super) fn session(c: &Connection, id_hash: &str, now: DateTime<Utc>) -> Result<Session> {
    query_one(c, sql::SESSION, params![id_hash, now], |r| rows::session(r))?.ok_or_else(|| StoreError::not_found("session"))
}

pub(super) fn arrivals(c: &Connection, hotel: HotelId, date: NaiveDate) -> Result<Vec<Stay>> {
    query_all(c, &sql::arrivals(), params![hotel, date], |r| rows::stay(r))
}

pub(super) fn arrival_touches(c: &Connection, hotel: HotelId, date: NaiveDate) -> Result<Vec<TouchMark>> {
    query_all(c, sql::ARRIVAL_TOUCHES, params![hotel, date], |r| rows::touch(r))
}

pub(super) fn set_touch(tx: &Transaction, stay: StayId, touch: &str, done_by: Option<&str>) -> Result<()> {
    // A stay that does not exist is a 404 for the caller, not a foreign-key error.
    query_one(tx, &sql::stay_by_id(), [stay], |_| Ok(()))?.ok_or_else(|| StoreError::not_found(format!("stay {stay}")))?;
    match done_by {
        Some(by) => tx
            .prepare_cached(&for_sqlite(sql::MARK_TOUCH))?
            .execute(params![stay, touch, by, Utc::now()])?,
        None => tx.prepare_cached(&for_sqlite(sql::UNMARK_TOUCH))?.execute(params![stay, touch])?,
    };
    Ok(())
}

pub(super) fn figures(c: &Connection) -> Result<GroupFigures> {
    Ok(GroupFigures {
        hotels: query_all(c, sql::HOTEL_VISITS, [], |r| Ok((r.get(0)?, rows::visits(r, 1)?)))?,
        group: query_one(c, sql::GROUP_VISITS, [], |r| rows::visits(r, 0))?.unwrap_or_default(),
        revenue: query_all(c, &sql::monthly_revenue("substr(posted_on, 1, 7)"), [], |r| rows::month_revenue(r))?,
    })
}
