//! Duplicate profiles: the review queue, decisions, merges and their undo.
//!
//! Working the queue, merging and undoing need [`Action::MergeGuests`] (guest relations,
//! managers, admins); anyone who may read profiles may read a guest's merge history.

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use rapport_domain::access::Action;
use rapport_domain::guest::GuestId;
use rapport_store::{MergeRecord, MergeRequest, Page, PairDecision, ReviewPair};
use serde::{Deserialize, Serialize};

use super::Paging;
use crate::auth::Caller;
use crate::error::Problem;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/duplicates", get(queue))
        .route("/api/v1/duplicates/{left}/{right}/decision", post(decide))
        .route("/api/v1/guests/{id}/merge", post(merge))
        .route("/api/v1/guests/{id}/merges", get(history))
        .route("/api/v1/merges/{id}/undo", post(undo))
}

/// Candidate pairs waiting for a person: pending before postponed, most probable first,
/// each with the per-field evidence of its score.
#[utoipa::path(get, path = "/api/v1/duplicates", operation_id = "list_duplicates", tag = "duplicates", security(("bearer" = [])), params(Paging),
    responses((status = 200, body = Page<ReviewPair>), (status = 403, response = Problem), (status = 422, response = Problem)))]
pub async fn queue(State(state): State<AppState>, caller: Caller, Query(paging): Query<Paging>) -> ApiResult<axum::Json<Page<ReviewPair>>> {
    caller.require(Action::MergeGuests)?;
    let (offset, limit) = paging.resolve()?;
    Ok(axum::Json(state.store.review_queue(offset, limit).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionInput {
    pub decision: PairDecision,
}

/// The pair after a decision, and the merge when the decision was `merge`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DecisionOutcome {
    pub pair: ReviewPair,
    pub merge: Option<MergeRecord>,
}

/// Decides a queued pair: `merge` (the newer profile into the older), `distinct` (never
/// merge these two), or `later`.
#[utoipa::path(post, path = "/api/v1/duplicates/{left}/{right}/decision", operation_id = "decide_duplicate", tag = "duplicates", security(("bearer" = [])),
    params(("left" = i64, Path), ("right" = i64, Path)), request_body = DecisionInput,
    responses((status = 200, body = DecisionOutcome), (status = 403, response = Problem), (status = 404, response = Problem), (status = 409, response = Problem)))]
pub async fn decide(
    State(state): State<AppState>,
    caller: Caller,
    Path((left, right)): Path<(GuestId, GuestId)>,
    Json(input): Json<DecisionInput>,
) -> ApiResult<axum::Json<DecisionOutcome>> {
    let p = caller.require(Action::MergeGuests)?;
    let (pair, merge) = state.store.decide_pair(left, right, input.decision, &p.name).await?;
    if merge.is_some() {
        state.profiles_changed(&[left, right]).await;
    }
    Ok(axum::Json(DecisionOutcome { pair, merge }))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeInput {
    /// The profile merged into this one; it becomes a tombstone pointing here.
    pub absorbed: GuestId,
    /// Why: shown in the merge history.
    pub reason: String,
}

/// Merges another profile into this one, keeping everything both hold. Refused with 409
/// when either was merged already or the two are marked never to merge, 422 for the same
/// guest twice.
#[utoipa::path(post, path = "/api/v1/guests/{id}/merge", operation_id = "merge_guests", tag = "duplicates", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = MergeInput,
    responses((status = 201, body = MergeRecord), (status = 403, response = Problem), (status = 404, response = Problem), (status = 409, response = Problem), (status = 422, response = Problem)))]
pub async fn merge(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<GuestId>,
    Json(input): Json<MergeInput>,
) -> ApiResult<Response> {
    let p = caller.require(Action::MergeGuests)?;
    let reason = input.reason.trim();
    let mut errors = rapport_domain::ValidationErrors::default();
    if reason.is_empty() {
        errors.push("reason", "say why the two are the same person");
    } else if reason.chars().count() > 500 {
        errors.push("reason", "at most 500 characters");
    }
    // The merge history keeps the reason for good: no card number in it (SPEC 12).
    rapport_domain::card::refuse_card_number(&mut errors, "reason", reason);
    errors.into_result(())?;
    let request = MergeRequest {
        decided_by: p.name.clone(),
        reason: reason.to_string(),
        probability: None,
        evidence: vec![],
    };
    let record = state.store.merge_guests(id, input.absorbed, request).await?;
    state.profiles_changed(&[record.survivor, record.absorbed]).await;
    let location = HeaderValue::from_str(&format!("/api/v1/guests/{id}/merges")).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok((StatusCode::CREATED, [(header::LOCATION, location)], axum::Json(record)).into_response())
}

/// The merges this guest took part in, as survivor or absorbed, newest first.
#[utoipa::path(get, path = "/api/v1/guests/{id}/merges", operation_id = "list_merges", tag = "duplicates", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Vec<MergeRecord>), (status = 404, response = Problem)))]
pub async fn history(State(state): State<AppState>, caller: Caller, Path(id): Path<GuestId>) -> ApiResult<axum::Json<Vec<MergeRecord>>> {
    caller.require(Action::ReadGuests)?;
    Ok(axum::Json(state.store.guest_merges(id).await?))
}

/// Takes a merge back: both profiles as they were, plus what arrived since, each with its
/// own stays. 409 when it was undone already or the survivor has since been merged away.
#[utoipa::path(post, path = "/api/v1/merges/{id}/undo", operation_id = "undo_merge", tag = "duplicates", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = MergeRecord), (status = 403, response = Problem), (status = 404, response = Problem), (status = 409, response = Problem)))]
pub async fn undo(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>) -> ApiResult<axum::Json<MergeRecord>> {
    let p = caller.require(Action::MergeGuests)?;
    let record = state.store.undo_merge(id, &p.name).await?;
    state.profiles_changed(&[record.survivor, record.absorbed]).await;
    Ok(axum::Json(record))
}
