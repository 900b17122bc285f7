//! Guest profiles: group-wide, so any authenticated caller may find and read them.

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use rapport_domain::access::Action;
use rapport_domain::guest::{ConsentChannel, ConsentRecord, Guest, GuestId, GuestInput};
use rapport_store::Page;
use serde::Deserialize;

use super::Paging;
use crate::auth::Caller;
use crate::error::Problem;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/guests", get(list).post(create))
        .route("/api/v1/guests/{id}", get(read).patch(update))
        .route("/api/v1/guests/{id}/consents", get(consent_history).post(record_consent))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// Search: a name in any script (characters, pinyin with or without tones and
    /// spaces, Latin with or without accents), an email, a phone in any format, an id.
    pub q: Option<String>,
    pub offset: Option<i64>,
    pub limit: Option<i64>,
}

/// How deep a search pages: each page re-ranks `offset + limit` hits, and a desk never
/// reads past the first few hundred.
const SEARCH_DEPTH: i64 = 10_000;

/// Lists profiles by id, or searches them with `q` (its best 10,000 matches). A search's
/// `total` counts the distinct profiles matching, up to 200: past that it answers 200
/// with `total_capped: true` (at least that many).
#[utoipa::path(get, path = "/api/v1/guests", operation_id = "list_guests", tag = "guests", security(("bearer" = [])), params(ListQuery),
    responses((status = 200, body = Page<Guest>), (status = 422, response = Problem)))]
pub async fn list(State(state): State<AppState>, caller: Caller, Query(query): Query<ListQuery>) -> ApiResult<axum::Json<Page<Guest>>> {
    caller.require(Action::ReadGuests)?;
    let (offset, limit) = Paging {
        offset: query.offset,
        limit: query.limit,
    }
    .resolve()?;
    match query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        Some(q) => {
            if offset + limit > SEARCH_DEPTH {
                let mut errors = rapport_domain::ValidationErrors::default();
                errors.push(
                    "offset",
                    format!("a search reaches its best {SEARCH_DEPTH} matches; narrow the query"),
                );
                return Err(errors.into());
            }
            let prefixes = rapport_domain::search::query_prefixes(q);
            // Search answers the best matches first; its total is counted from the key index
            // alone and stops at a cap (`total_capped`), so a one-letter search stays fast.
            let (hits, total) = state.store.search_guests_counted(&prefixes, offset + limit).await?;
            let items = hits.into_iter().skip(offset as usize).collect();
            Ok(axum::Json(Page {
                items,
                total: total.total,
                offset,
                limit,
                total_capped: total.capped,
            }))
        }
        None => Ok(axum::Json(state.store.list_guests(offset, limit).await?)),
    }
}

/// Creates a profile. Emails and phones must normalise (E.164 with the server's default
/// region for numbers without a country code). An external id another profile already
/// holds answers 409 naming that profile.
#[utoipa::path(post, path = "/api/v1/guests", operation_id = "create_guest", tag = "guests", security(("bearer" = [])), request_body = GuestInput,
    responses((status = 201, body = Guest), (status = 403, response = Problem), (status = 409, response = Problem), (status = 422, response = Problem)))]
pub async fn create(State(state): State<AppState>, caller: Caller, Json(input): Json<GuestInput>) -> ApiResult<Response> {
    caller.require(Action::WriteGuests)?;
    let profile = input.into_new_profile(state.phone_region)?;
    let guest = state.store.create_guest(profile, vec![]).await?;
    state.profile_arrived(&guest).await;
    let location = HeaderValue::from_str(&format!("/api/v1/guests/{}", guest.id)).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok((StatusCode::CREATED, [(header::LOCATION, location)], axum::Json(guest)).into_response())
}

/// One profile, as stored. A profile merged into another answers 308 with the survivor's
/// address in `Location`.
#[utoipa::path(get, path = "/api/v1/guests/{id}", operation_id = "read_guest", tag = "guests", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Guest), (status = 308, response = Problem), (status = 404, response = Problem)))]
pub async fn read(State(state): State<AppState>, caller: Caller, Path(id): Path<GuestId>) -> ApiResult<Response> {
    caller.require(Action::ReadGuests)?;
    // The stored document is the response: no decode and re-encode on the hottest read.
    let doc = state.store.guest_doc(id).await.map_err(ApiError::reading_guest(""))?;
    Ok(([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], doc.0).into_response())
}

/// Changes the fields sent; others stay, and `null` clears a field. Objects (name, address)
/// are merged field by field. Send `If-Match: <version>` to refuse the change when someone
/// else edited the profile since you read it. A change that changes nothing keeps the version.
#[utoipa::path(patch, path = "/api/v1/guests/{id}", operation_id = "update_guest", tag = "guests", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = GuestInput,
    responses((status = 200, body = Guest), (status = 400, response = Problem), (status = 403, response = Problem), (status = 404, response = Problem), (status = 409, response = Problem), (status = 422, response = Problem)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<GuestId>,
    headers: HeaderMap,
    Json(input): Json<GuestInput>,
) -> ApiResult<axum::Json<Guest>> {
    caller.require(Action::WriteGuests)?;
    let expected = match headers.get(header::IF_MATCH) {
        Some(v) => Some(
            v.to_str()
                .ok()
                .map(|s| s.trim().trim_matches('"'))
                .and_then(|s| s.parse::<i64>().ok())
                .ok_or_else(|| ApiError::BadRequest("If-Match must be the profile's version number".into()))?,
        ),
        None => None,
    };
    let mut guest = state.store.guest(id).await?;
    let before = guest.profile.clone();
    input.apply_to(&mut guest.profile, state.phone_region)?;
    if guest.profile == before {
        // A change that changes nothing is not a new version (If-Match is still checked).
        rapport_store::check_version(&guest, expected)?;
        return Ok(axum::Json(guest));
    }
    let guest = state
        .store
        .update_guest(id, guest.profile, expected.or(Some(guest.version)))
        .await?;
    state.profiles_changed(&[id]).await;
    Ok(axum::Json(guest))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentInput {
    /// email, sms, phone, post or wechat.
    pub channel: String,
    pub granted: bool,
    /// How the guest gave or withdrew consent, e.g. `registration card`.
    pub source: String,
}

/// Every consent record of the guest, oldest first (records are never changed).
#[utoipa::path(get, path = "/api/v1/guests/{id}/consents", operation_id = "list_consents", tag = "guests", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Vec<ConsentRecord>), (status = 404, response = Problem)))]
pub async fn consent_history(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<GuestId>,
) -> ApiResult<axum::Json<Vec<ConsentRecord>>> {
    caller.require(Action::ReadGuests)?;
    Ok(axum::Json(state.store.consent_history(id).await?))
}

/// Records a consent decision for a channel (appended; the profile shows the latest).
#[utoipa::path(post, path = "/api/v1/guests/{id}/consents", operation_id = "record_consent", tag = "guests", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = ConsentInput,
    responses((status = 201, body = Guest), (status = 403, response = Problem), (status = 404, response = Problem), (status = 422, response = Problem)))]
pub async fn record_consent(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<GuestId>,
    Json(input): Json<ConsentInput>,
) -> ApiResult<(StatusCode, axum::Json<Guest>)> {
    let principal = caller.require(Action::WriteGuests)?;
    let mut errors = rapport_domain::ValidationErrors::default();
    let channel = ConsentChannel::parse(&input.channel).map_err(|e| errors.push("channel", e)).ok();
    if input.source.trim().is_empty() {
        errors.push("source", "say how consent was given, e.g. `registration card`");
    }
    rapport_domain::card::refuse_card_number(&mut errors, "source", &input.source);
    errors.into_result(())?;
    let record = ConsentRecord {
        channel: channel.expect("validated"),
        granted: input.granted,
        recorded_at: chrono::Utc::now(),
        source: input.source.trim().to_string(),
        recorded_by: principal.name.clone(),
    };
    Ok((StatusCode::CREATED, axum::Json(state.store.record_consent(id, record).await?)))
}
