//! Stays and spend. They belong to a hotel: a caller sees only those of hotels in scope,
//! and a stay outside the scope answers 404 as if it did not exist.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use chrono::NaiveDate;
use rapport_domain::access::Action;
use rapport_domain::guest::GuestId;
use rapport_domain::money::{Currency, Money};
use rapport_domain::stay::{NewSpendLine, NewStay, SpendCategory, SpendLine, Stay, StayId, StayStatus};
use rapport_domain::ValidationErrors;
use rapport_store::Page;
use serde::Deserialize;

use crate::auth::Caller;
use crate::error::Problem;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/guests/{id}/stays", get(guest_stays).post(add_stay))
        .route("/api/v1/guests/{id}/spend", get(guest_spend))
        .route("/api/v1/stays/{id}", get(read))
        .route("/api/v1/hotels/{code}/stays", get(hotel_stays))
}

/// The guest's stays at hotels in the caller's scope, latest first.
#[utoipa::path(get, path = "/api/v1/guests/{id}/stays", operation_id = "list_guest_stays", tag = "stays", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Stay>), (status = 308, response = Problem), (status = 404, response = Problem)))]
pub async fn guest_stays(State(state): State<AppState>, caller: Caller, Path(id): Path<GuestId>) -> ApiResult<axum::Json<Vec<Stay>>> {
    let p = caller.require(Action::ReadStays)?;
    Ok(axum::Json(
        state
            .store
            .guest_stays(id, &p.scope)
            .await
            .map_err(ApiError::reading_guest("stays"))?,
    ))
}

/// The guest's spend lines at hotels in the caller's scope, latest first.
#[utoipa::path(get, path = "/api/v1/guests/{id}/spend", operation_id = "list_guest_spend", tag = "stays", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Vec<SpendLine>), (status = 308, response = Problem), (status = 404, response = Problem)))]
pub async fn guest_spend(State(state): State<AppState>, caller: Caller, Path(id): Path<GuestId>) -> ApiResult<axum::Json<Vec<SpendLine>>> {
    let p = caller.require(Action::ReadStays)?;
    Ok(axum::Json(
        state
            .store
            .guest_spend(id, &p.scope)
            .await
            .map_err(ApiError::reading_guest("spend"))?,
    ))
}

/// One stay, if its hotel is in the caller's scope.
#[utoipa::path(get, path = "/api/v1/stays/{id}", operation_id = "read_stay", tag = "stays", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Stay), (status = 404, response = Problem)))]
pub async fn read(State(state): State<AppState>, caller: Caller, Path(id): Path<StayId>) -> ApiResult<axum::Json<Stay>> {
    let p = caller.require(Action::ReadStays)?;
    let stay = state.store.stay(id).await?;
    if !p.scope.allows(stay.hotel_id) {
        return Err(ApiError::NotFound(format!("stay {id}")));
    }
    Ok(axum::Json(stay))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct RangeQuery {
    /// First arrival date, inclusive (YYYY-MM-DD).
    pub from: NaiveDate,
    /// Last arrival date, exclusive (YYYY-MM-DD).
    pub to: NaiveDate,
    pub offset: Option<i64>,
    pub limit: Option<i64>,
}

/// Stays arriving at a hotel in `[from, to)`.
#[utoipa::path(get, path = "/api/v1/hotels/{code}/stays", operation_id = "list_hotel_stays", tag = "stays", security(("bearer" = [])),
    params(("code" = String, Path), RangeQuery),
    responses((status = 200, body = Page<Stay>), (status = 403, response = Problem), (status = 404, response = Problem), (status = 422, response = Problem)))]
pub async fn hotel_stays(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    Query(q): Query<RangeQuery>,
) -> ApiResult<axum::Json<Page<Stay>>> {
    let p = caller.require(Action::ReadStays)?;
    let hotel = state.store.hotel_by_code(&code).await?;
    if !p.scope.allows(hotel.id) {
        return Err(ApiError::Forbidden(format!("hotel {} is outside your scope", hotel.code)));
    }
    if q.to <= q.from {
        return Err(ApiError::Validation(vec![rapport_domain::FieldError::new(
            "to",
            "must be after `from`",
        )]));
    }
    let (offset, limit) = super::Paging {
        offset: q.offset,
        limit: q.limit,
    }
    .resolve()?;
    Ok(axum::Json(state.store.hotel_stays(hotel.id, q.from, q.to, offset, limit).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StayInput {
    /// Hotel code.
    pub hotel: String,
    /// Reservation reference in your system; a second stay with the same one is refused.
    pub external_ref: Option<String>,
    pub arrival: NaiveDate,
    pub departure: NaiveDate,
    pub room_type: Option<String>,
    /// Average nightly rate as a decimal in the hotel's currency, e.g. `"129.00"`.
    pub rate: Option<String>,
    pub channel: Option<String>,
    pub market_segment: Option<String>,
    #[serde(default = "one")]
    pub adults: i32,
    #[serde(default)]
    pub children: i32,
    pub special_requests: Option<String>,
    /// booked, in_house, checked_out, cancelled or no_show (default booked).
    pub status: Option<String>,
    pub booked_at: Option<NaiveDate>,
    #[serde(default)]
    pub spend: Vec<SpendInput>,
}

fn one() -> i32 {
    1
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SpendInput {
    /// room, food_beverage, spa, laundry, minibar or other.
    pub category: String,
    /// Decimal amount in the hotel's currency, e.g. `"42.50"`.
    pub amount: String,
    pub posted_on: NaiveDate,
    pub description: Option<String>,
}

fn parse_stay(input: StayInput, hotel_id: i64, currency: Currency) -> Result<NewStay, ValidationErrors> {
    use rapport_domain::limits::{check_text, LINE, PARAGRAPH, REQUESTS, SHORT};
    let mut errors = ValidationErrors::default();
    for (field, value, max) in [
        ("external_ref", &input.external_ref, LINE),
        ("room_type", &input.room_type, LINE),
        ("channel", &input.channel, SHORT),
        ("market_segment", &input.market_segment, SHORT),
        ("special_requests", &input.special_requests, REQUESTS),
    ] {
        check_text(&mut errors, field, value.as_deref().unwrap_or_default(), max);
    }
    for (i, line) in input.spend.iter().enumerate() {
        check_text(
            &mut errors,
            format!("spend[{i}].description"),
            line.description.as_deref().unwrap_or_default(),
            PARAGRAPH,
        );
    }
    let rate = input.rate.as_deref().and_then(|r| match currency.parse_amount(r) {
        Ok(minor) if minor >= 0 => Some(Money { minor, currency }),
        Ok(_) => {
            errors.push("rate", "a rate cannot be negative");
            None
        }
        Err(e) => {
            errors.push("rate", e);
            None
        }
    });
    let status = match input.status.as_deref() {
        None => StayStatus::Booked,
        Some(s) => StayStatus::parse(s).unwrap_or_else(|e| {
            errors.push("status", e);
            StayStatus::Booked
        }),
    };
    let mut spend = Vec::new();
    for (i, line) in input.spend.into_iter().enumerate() {
        let category = SpendCategory::parse(&line.category)
            .map_err(|e| errors.push(format!("spend[{i}].category"), e))
            .ok();
        let amount = currency
            .parse_amount(&line.amount)
            .map_err(|e| errors.push(format!("spend[{i}].amount"), e))
            .ok();
        if let (Some(category), Some(minor)) = (category, amount) {
            spend.push(NewSpendLine {
                category,
                amount: Money { minor, currency },
                posted_on: line.posted_on,
                description: line.description,
            });
        }
    }
    let stay = NewStay {
        hotel_id,
        external_ref: input.external_ref.filter(|r| !r.trim().is_empty()),
        arrival: input.arrival,
        departure: input.departure,
        room_type: input.room_type,
        rate,
        channel: input.channel,
        market_segment: input.market_segment,
        adults: input.adults,
        children: input.children,
        special_requests: input.special_requests,
        status,
        booked_at: input.booked_at,
        spend,
    };
    for check in [
        stay.validate(),
        rapport_domain::stay::check_stay_dates(stay.arrival, stay.departure),
    ] {
        if let Err(more) = check {
            errors.0.extend(more.0);
        }
    }
    errors.into_result(stay)
}

/// Records a reservation or stay for the guest at a hotel in the caller's scope.
#[utoipa::path(post, path = "/api/v1/guests/{id}/stays", operation_id = "add_stay", tag = "stays", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = StayInput,
    responses((status = 201, body = Stay), (status = 403, response = Problem), (status = 404, response = Problem), (status = 409, response = Problem), (status = 422, response = Problem)))]
pub async fn add_stay(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<GuestId>,
    Json(input): Json<StayInput>,
) -> ApiResult<(StatusCode, axum::Json<Stay>)> {
    let p = caller.require(Action::WriteStays)?;
    let hotel = match state.store.hotel_by_code(&input.hotel).await {
        Ok(h) => h,
        Err(rapport_store::StoreError::NotFound(_)) => {
            return Err(ApiError::Validation(vec![rapport_domain::FieldError::new(
                "hotel",
                format!("no hotel with code '{}'", input.hotel),
            )]))
        }
        Err(e) => return Err(e.into()),
    };
    if !p.scope.allows(hotel.id) {
        return Err(ApiError::Forbidden(format!("hotel {} is outside your scope", hotel.code)));
    }
    let stay = parse_stay(input, hotel.id, hotel.currency)?;
    Ok((StatusCode::CREATED, axum::Json(state.store.add_stay(id, stay).await?)))
}
