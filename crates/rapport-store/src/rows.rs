//! Decoding rows once for both backends.
//!
//! [`Cols`] reads a column from a rusqlite or tokio-postgres row with the same call; the
//! column types are chosen so that both drivers agree (BIGINT ↔ i64, DATE ↔ NaiveDate,
//! timestamps ↔ `DateTime<Utc>`, BOOLEAN ↔ bool, TEXT ↔ String).

use chrono::{DateTime, NaiveDate, Utc};
use rapport_domain::access::{Role, Scope};
use rapport_domain::hotel::Hotel;
use rapport_domain::money::{Currency, Money};
use rapport_domain::stay::{Note, SpendCategory, SpendLine, Stay, StayStatus};

use crate::auth::{Session, StaffUser, TokenInfo};
use crate::figures::{MonthRevenue, TouchMark, Visits};
use crate::{Result, StoreError};

/// A value both drivers can decode.
pub(crate) trait Column: rusqlite::types::FromSql + for<'a> tokio_postgres::types::FromSql<'a> {}
impl<T: rusqlite::types::FromSql + for<'a> tokio_postgres::types::FromSql<'a>> Column for T {}

pub(crate) trait Cols {
    fn col<T: Column>(&self, i: usize) -> Result<T>;
}

impl Cols for rusqlite::Row<'_> {
    fn col<T: Column>(&self, i: usize) -> Result<T> {
        Ok(self.get(i)?)
    }
}

impl Cols for tokio_postgres::Row {
    fn col<T: Column>(&self, i: usize) -> Result<T> {
        Ok(self.try_get(i)?)
    }
}

fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}

fn currency(code: &str) -> Result<Currency> {
    Currency::parse(code).map_err(|e| corrupt("currency", e))
}

pub(crate) fn scope_from_text(text: &str) -> Result<Scope> {
    serde_json::from_str(text).map_err(|e| corrupt("scope", e))
}

pub(crate) fn scope_to_text(scope: &Scope) -> String {
    serde_json::to_string(scope).expect("scope serialises")
}

fn role(text: &str) -> Result<Role> {
    Role::parse(text).map_err(|e| corrupt("role", e))
}

/// Columns: id, code, name, country, timezone, currency.
pub(crate) fn hotel(r: &impl Cols) -> Result<Hotel> {
    Ok(Hotel {
        id: r.col(0)?,
        code: r.col(1)?,
        name: r.col(2)?,
        country: r.col(3)?,
        timezone: r.col(4)?,
        currency: currency(&r.col::<String>(5)?)?,
    })
}

/// Columns: see [`crate::sql::STAY_COLUMNS`].
pub(crate) fn stay(r: &impl Cols) -> Result<Stay> {
    let rate = match (r.col::<Option<i64>>(7)?, r.col::<Option<String>>(8)?) {
        (Some(minor), Some(code)) => Some(Money {
            minor,
            currency: currency(&code)?,
        }),
        _ => None,
    };
    Ok(Stay {
        id: r.col(0)?,
        guest_id: r.col(1)?,
        hotel_id: r.col(2)?,
        external_ref: r.col(3)?,
        arrival: r.col::<NaiveDate>(4)?,
        departure: r.col::<NaiveDate>(5)?,
        room_type: r.col(6)?,
        rate,
        channel: r.col(9)?,
        market_segment: r.col(10)?,
        adults: r.col(11)?,
        children: r.col(12)?,
        special_requests: r.col(13)?,
        status: StayStatus::parse(&r.col::<String>(14)?).map_err(|e| corrupt("stay status", e))?,
        booked_at: r.col(15)?,
        created_at: r.col::<DateTime<Utc>>(16)?,
    })
}

/// Columns: id, stay_id, guest_id, hotel_id, category, amount_minor, currency, posted_on, description.
pub(crate) fn spend_line(r: &impl Cols) -> Result<SpendLine> {
    Ok(SpendLine {
        id: r.col(0)?,
        stay_id: r.col(1)?,
        guest_id: r.col(2)?,
        hotel_id: r.col(3)?,
        category: SpendCategory::parse(&r.col::<String>(4)?).map_err(|e| corrupt("spend category", e))?,
        amount: Money {
            minor: r.col(5)?,
            currency: currency(&r.col::<String>(6)?)?,
        },
        posted_on: r.col(7)?,
        description: r.col(8)?,
    })
}

/// Columns: id, guest_id, stay_id, hotel_id, body, author, created_at.
pub(crate) fn note(r: &impl Cols) -> Result<Note> {
    Ok(Note {
        id: r.col(0)?,
        guest_id: r.col(1)?,
        stay_id: r.col(2)?,
        hotel_id: r.col(3)?,
        body: r.col(4)?,
        author: r.col(5)?,
        created_at: r.col(6)?,
    })
}

/// Columns: id, login, display_name, role, scope, language, disabled, created_at.
pub(crate) fn staff_user(r: &impl Cols) -> Result<StaffUser> {
    Ok(StaffUser {
        id: r.col(0)?,
        login: r.col(1)?,
        display_name: r.col(2)?,
        role: role(&r.col::<String>(3)?)?,
        scope: scope_from_text(&r.col::<String>(4)?)?,
        language: r.col(5)?,
        disabled: r.col(6)?,
        created_at: r.col(7)?,
    })
}

/// Columns: id, name, role, scope, created_at.
pub(crate) fn token(r: &impl Cols) -> Result<TokenInfo> {
    Ok(TokenInfo {
        id: r.col(0)?,
        name: r.col(1)?,
        role: role(&r.col::<String>(2)?)?,
        scope: scope_from_text(&r.col::<String>(3)?)?,
        created_at: r.col(4)?,
    })
}

/// Columns: channel, granted, recorded_at, source, recorded_by.
pub(crate) fn consent(r: &impl Cols) -> Result<rapport_domain::guest::ConsentRecord> {
    Ok(rapport_domain::guest::ConsentRecord {
        channel: rapport_domain::guest::ConsentChannel::parse(&r.col::<String>(0)?).map_err(|e| corrupt("consent channel", e))?,
        granted: r.col(1)?,
        recorded_at: r.col(2)?,
        source: r.col(3)?,
        recorded_by: r.col(4)?,
    })
}

/// Columns: the user's (see [`staff_user`]), then csrf_token, expires_at.
pub(crate) fn session(r: &impl Cols) -> Result<Session> {
    Ok(Session {
        user: staff_user(r)?,
        csrf_token: r.col(8)?,
        expires_at: r.col(9)?,
    })
}

/// Columns: stay_id, touch, done_by, done_at.
pub(crate) fn touch(r: &impl Cols) -> Result<TouchMark> {
    Ok(TouchMark {
        stay_id: r.col(0)?,
        touch: r.col(1)?,
        done_by: r.col(2)?,
        done_at: r.col(3)?,
    })
}

/// Columns: guests, stays, returning guests, from `offset` on.
pub(crate) fn visits(r: &impl Cols, offset: usize) -> Result<Visits> {
    Ok(Visits {
        guests: r.col(offset)?,
        stays: r.col(offset + 1)?,
        returning_guests: r.col(offset + 2)?,
    })
}

/// Columns: hotel_id, month, currency, minor.
pub(crate) fn month_revenue(r: &impl Cols) -> Result<MonthRevenue> {
    Ok(MonthRevenue {
        hotel_id: r.col(0)?,
        month: r.col(1)?,
        currency: r.col(2)?,
        minor: r.col(3)?,
    })
}
