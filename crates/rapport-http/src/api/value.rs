//! A guest's value: the latest analysis per scope (tier, RFM, P(active), expected stays,
//! lifetime value, churn risk), their tier history and what the group's benefit plan
//! entitles them to.

use axum::extract::State;
use axum::routing::get;
use axum::Router;
use rapport_domain::access::Action;
use rapport_domain::guest::GuestId;
use rapport_store::{StoredValue, TierChange};
use rapport_value::benefits::Entitlement;
use serde::Serialize;

use crate::auth::Caller;
use crate::error::Problem;
use crate::error::{ApiError, ApiResult};
use crate::extract::Path;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/guests/{id}/value", get(guest_value))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct GuestValue {
    /// The latest analysis for each hotel in the caller's scope where the guest stayed, and
    /// for the group if the caller's scope is the whole group; empty until the first analysis.
    pub values: Vec<StoredValue>,
    pub tier_history: Vec<TierChange>,
    /// The best of the plan's benefits over those scopes.
    pub benefits: Entitlement,
}

/// The guest's value and benefits.
#[utoipa::path(get, path = "/api/v1/guests/{id}/value", operation_id = "read_guest_value", tag = "guests", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = GuestValue), (status = 308, response = Problem), (status = 404, response = Problem)))]
pub async fn guest_value(State(state): State<AppState>, caller: Caller, Path(id): Path<GuestId>) -> ApiResult<axum::Json<GuestValue>> {
    let p = caller.require(Action::ReadGuests)?;
    // Answers 404 for a guest that does not exist rather than an empty value.
    state.store.guest(id).await.map_err(ApiError::reading_guest("value"))?;
    let (values, history) = state.store.guest_values(id).await?;
    // The group's row adds up every hotel's stays: only whole-group callers see it.
    let visible = |hotel: Option<i64>| p.scope.sees_figures_of(hotel);
    let values: Vec<StoredValue> = values.into_iter().filter(|v| visible(v.hotel_id)).collect();
    Ok(axum::Json(GuestValue {
        benefits: rapport_store::value::entitlement(&state.benefits, &values),
        values,
        tier_history: history.into_iter().filter(|c| visible(c.hotel_id)).collect(),
    }))
}
