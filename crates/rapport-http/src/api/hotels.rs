//! Hotels of the group.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use rapport_domain::access::Action;
use rapport_domain::hotel::{Hotel, HotelInput};

use crate::auth::Caller;
use crate::error::ApiResult;
use crate::error::Problem;
use crate::extract::Json;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/hotels", get(list).post(create))
}

/// All hotels of the group (profiles are group-wide, so every role sees the list).
#[utoipa::path(get, path = "/api/v1/hotels", operation_id = "list_hotels", tag = "hotels", security(("bearer" = [])),
    responses((status = 200, body = Vec<Hotel>)))]
pub async fn list(State(state): State<AppState>, _caller: Caller) -> ApiResult<axum::Json<Vec<Hotel>>> {
    Ok(axum::Json(state.store.hotels().await?))
}

/// Adds a hotel (admin only).
#[utoipa::path(post, path = "/api/v1/hotels", operation_id = "create_hotel", tag = "hotels", security(("bearer" = [])), request_body = HotelInput,
    responses((status = 201, body = Hotel), (status = 403, response = Problem), (status = 409, response = Problem), (status = 422, response = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Json(input): Json<HotelInput>,
) -> ApiResult<(StatusCode, axum::Json<Hotel>)> {
    caller.require(Action::ManageHotels)?;
    let hotel = state.store.create_hotel(input.validate()?).await?;
    Ok((StatusCode::CREATED, axum::Json(hotel)))
}
