//! Staff notes on a guest, optionally about one stay (then visible only within scope).

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use rapport_domain::access::Action;
use rapport_domain::guest::GuestId;
use rapport_domain::stay::{Note, StayId};
use serde::Deserialize;

use crate::auth::Caller;
use crate::error::Problem;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/guests/{id}/notes", get(list).post(add))
}

/// Notes on the guest: general ones and those about stays at hotels in scope.
#[utoipa::path(get, path = "/api/v1/guests/{id}/notes", operation_id = "list_notes", tag = "guests", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Vec<Note>), (status = 308, response = Problem), (status = 404, response = Problem)))]
pub async fn list(State(state): State<AppState>, caller: Caller, Path(id): Path<GuestId>) -> ApiResult<axum::Json<Vec<Note>>> {
    let p = caller.require(Action::ReadGuests)?;
    Ok(axum::Json(
        state
            .store
            .guest_notes(id, &p.scope)
            .await
            .map_err(ApiError::reading_guest("notes"))?,
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteInput {
    pub body: String,
    /// The stay the note is about, if any.
    pub stay_id: Option<StayId>,
}

/// Adds a note; the author is the caller and the time is now.
#[utoipa::path(post, path = "/api/v1/guests/{id}/notes", operation_id = "add_note", tag = "guests", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = NoteInput,
    responses((status = 201, body = Note), (status = 403, response = Problem), (status = 404, response = Problem), (status = 422, response = Problem)))]
pub async fn add(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<GuestId>,
    Json(input): Json<NoteInput>,
) -> ApiResult<(StatusCode, axum::Json<Note>)> {
    let p = caller.require(Action::WriteNotes)?;
    let body = rapport_domain::stay::note_body(&input.body).map_err(|e| ApiError::Validation(vec![e]))?;
    let hotel = match input.stay_id {
        Some(stay_id) => {
            let stay = state.store.stay(stay_id).await?;
            if stay.guest_id != id || !p.scope.allows(stay.hotel_id) {
                return Err(ApiError::NotFound(format!("stay {stay_id}")));
            }
            Some(stay.hotel_id)
        }
        None => None,
    };
    Ok((
        StatusCode::CREATED,
        axum::Json(state.store.add_note(id, input.stay_id, hotel, body, &p.name).await?),
    ))
}
