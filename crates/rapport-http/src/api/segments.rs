//! Saved guest segments: rules over value and profile ("VIP, churn risk high, no stay for
//! 180 days") that offers and campaigns pick their guests with, and who is in each today.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use chrono::Utc;
use rapport_domain::access::{Action, Principal, Scope};
use rapport_domain::hotel::{Hotel, HotelId};
use rapport_domain::ValidationErrors;
use rapport_store::segments::{members, NewSegment, SavedSegment, SegmentId, SegmentMember};
use rapport_store::Page;
use rapport_value::segments::SegmentRule;
use serde::Deserialize;

use super::Paging;
use crate::auth::Caller;
use crate::error::Problem;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/segments", get(list).post(create))
        .route("/api/v1/segments/{id}", get(read).delete(remove))
        .route("/api/v1/segments/{id}/guests", get(guests))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SegmentInput {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub rule: SegmentRule,
}

/// The scope a rule's figures come from, if the caller may see it: a hotel in their scope,
/// or the group for whole-group callers only (its figures add up every hotel's guests).
async fn rule_scope(state: &AppState, p: &Principal, rule: &SegmentRule) -> ApiResult<Option<HotelId>> {
    let hotel = match &rule.hotel {
        Some(code) => Some(state.store.hotel_by_code(code).await?),
        None => None,
    };
    usable(p, hotel.as_ref())
}

/// Whether a caller may use (read, list the guests of, delete) a segment over `hotel`'s
/// figures, `None` being the whole group's.
fn usable(p: &Principal, hotel: Option<&Hotel>) -> ApiResult<Option<HotelId>> {
    match hotel {
        None if matches!(p.scope, Scope::Group) => Ok(None),
        None => Err(ApiError::Forbidden(
            "group-wide segments need a group-wide scope; name a hotel".into(),
        )),
        Some(h) if p.scope.allows(h.id) => Ok(Some(h.id)),
        Some(h) => Err(ApiError::Forbidden(format!("hotel {} is outside your scope", h.code))),
    }
}

/// The saved segments the caller may use.
///
/// A caller scoped to some hotels sees only those hotels' segments. Group-wide segments are
/// hidden from them too, not shown read-only: their guest lists rank guests by the whole
/// group's spend, which such a caller may not read, so listing them would only offer
/// segments that answer 403 when used.
#[utoipa::path(get, path = "/api/v1/segments", operation_id = "list_segments", tag = "segments", security(("bearer" = [])),
    responses((status = 200, body = Vec<SavedSegment>), (status = 403, response = Problem)))]
pub async fn list(State(state): State<AppState>, caller: Caller) -> ApiResult<axum::Json<Vec<SavedSegment>>> {
    let p = caller.require(Action::ReadAnalysis)?;
    let segments = state.store.segments().await?;
    if matches!(p.scope, Scope::Group) {
        return Ok(axum::Json(segments));
    }
    let hotels = state.store.hotels().await?;
    let hotel_of = |rule: &SegmentRule| {
        let code = rule.hotel.as_deref()?;
        hotels.iter().find(|h| h.code.eq_ignore_ascii_case(code.trim()))
    };
    Ok(axum::Json(
        segments.into_iter().filter(|s| usable(p, hotel_of(&s.rule)).is_ok()).collect(),
    ))
}

/// Saves a segment; the rule is checked (unknown or contradictory conditions are refused).
#[utoipa::path(post, path = "/api/v1/segments", operation_id = "create_segment", tag = "segments", security(("bearer" = [])), request_body = SegmentInput,
    responses((status = 201, body = SavedSegment), (status = 403, response = Problem), (status = 409, response = Problem), (status = 422, response = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Json(input): Json<SegmentInput>,
) -> ApiResult<(StatusCode, axum::Json<SavedSegment>)> {
    let p = caller.require(Action::ManageSegments)?;
    let mut errors = ValidationErrors::default();
    let name = input.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 120 {
        errors.push("name", "between 1 and 120 characters");
    }
    if let Err(e) = input.rule.validate() {
        errors.push("rule", e);
    }
    errors.into_result(())?;
    rule_scope(&state, p, &input.rule).await?;
    let saved = state
        .store
        .create_segment(NewSegment {
            name,
            description: input.description.trim().to_string(),
            rule: input.rule,
            created_by: p.name.clone(),
        })
        .await?;
    Ok((StatusCode::CREATED, axum::Json(saved)))
}

/// One saved segment, if the caller may use it.
#[utoipa::path(get, path = "/api/v1/segments/{id}", operation_id = "read_segment", tag = "segments", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = SavedSegment), (status = 403, response = Problem), (status = 404, response = Problem)))]
pub async fn read(State(state): State<AppState>, caller: Caller, Path(id): Path<SegmentId>) -> ApiResult<axum::Json<SavedSegment>> {
    let p = caller.require(Action::ReadAnalysis)?;
    let segment = state.store.segment(id).await?;
    rule_scope(&state, p, &segment.rule).await?;
    Ok(axum::Json(segment))
}

/// Deletes a saved segment over hotels in the caller's scope.
#[utoipa::path(delete, path = "/api/v1/segments/{id}", operation_id = "delete_segment", tag = "segments", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 204), (status = 403, response = Problem), (status = 404, response = Problem)))]
pub async fn remove(State(state): State<AppState>, caller: Caller, Path(id): Path<SegmentId>) -> ApiResult<StatusCode> {
    let p = caller.require(Action::ManageSegments)?;
    // Only a segment the caller could have saved: one over hotels in their scope.
    let segment = state.store.segment(id).await?;
    rule_scope(&state, p, &segment.rule).await?;
    state.store.delete_segment(id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The segment's guests today, from the latest value analysis, most revenue first.
#[utoipa::path(get, path = "/api/v1/segments/{id}/guests", operation_id = "list_segment_guests", tag = "segments", security(("bearer" = [])), params(("id" = i64, Path), Paging),
    responses((status = 200, body = Page<SegmentMember>), (status = 403, response = Problem), (status = 404, response = Problem), (status = 422, response = Problem)))]
pub async fn guests(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<SegmentId>,
    Query(paging): Query<Paging>,
) -> ApiResult<axum::Json<Page<SegmentMember>>> {
    let p = caller.require(Action::ReadAnalysis)?;
    let (offset, limit) = paging.resolve()?;
    let segment = state.store.segment(id).await?;
    let hotel = rule_scope(&state, p, &segment.rule).await?;
    let today = Utc::now().date_naive();
    Ok(axum::Json(
        members(state.store.as_ref(), &segment.rule, hotel, today, offset, limit).await?,
    ))
}
