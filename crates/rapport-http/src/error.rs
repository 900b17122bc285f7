//! The API's one error type, answered as `application/problem+json` (RFC 9457).
//!
//! When to use which: `Validation` for input that parsed but is wrong (422, with the
//! fields), `BadRequest` for input that did not parse (400), `NotFound` for a missing row
//! *or* one outside the caller's scope (404: never confirm what a caller may not see),
//! `BadParameters` for query parameters that did not parse (400, with the parameters),
//! `PayloadTooLarge` for a body over the limit (413), `MethodNotAllowed` (405),
//! `Forbidden` when the role lacks the right (403), `Conflict` for duplicates, stale
//! versions and a profile already merged away (409), `Unprocessable` for a request that
//! can never succeed as asked (422, e.g. merging a guest into itself), `Moved` when a read
//! asks for a merged-away profile (308 to the survivor). Anything else is `Internal`: logged with its cause, answered with a
//! generic message.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use rapport_domain::{FieldError, ValidationErrors};
use rapport_store::StoreError;
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("unauthorized")]
    Unauthorized,
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("not found: {0}")]
    NotFound(String),
    #[error("bad request: {0}")]
    BadRequest(String),
    /// Query parameters that do not parse, with the parameter named (400).
    #[error("bad parameters")]
    BadParameters(Vec<FieldError>),
    /// A body over the size limit (413).
    #[error("payload too large: {0}")]
    PayloadTooLarge(String),
    /// A method the route does not answer (405).
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("invalid input")]
    Validation(Vec<FieldError>),
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("unprocessable: {0}")]
    Unprocessable(String),
    /// The resource lives at `location` now (a merged guest's survivor).
    #[error("moved to {location}: {detail}")]
    Moved { location: String, detail: String },
    #[error("internal error: {0}")]
    Internal(String),
}

/// The problem document.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Per-field messages for validation problems.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

impl ApiError {
    fn parts(&self) -> (StatusCode, &'static str, &'static str) {
        match self {
            Self::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized", "Missing or invalid credentials"),
            Self::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden", "Not allowed"),
            Self::NotFound(_) => (StatusCode::NOT_FOUND, "not-found", "Not found"),
            Self::BadRequest(_) | Self::BadParameters(_) => (StatusCode::BAD_REQUEST, "bad-request", "Malformed request"),
            Self::PayloadTooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "payload-too-large", "Request body too large"),
            Self::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed"),
            Self::Validation(_) => (StatusCode::UNPROCESSABLE_ENTITY, "validation", "Invalid input"),
            Self::Conflict(_) => (StatusCode::CONFLICT, "conflict", "Conflict"),
            Self::Unprocessable(_) => (StatusCode::UNPROCESSABLE_ENTITY, "unprocessable", "Cannot be done"),
            Self::Moved { .. } => (StatusCode::PERMANENT_REDIRECT, "moved", "Moved"),
            Self::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal", "Internal server error"),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, kind, title) = self.parts();
        let location = match &self {
            Self::Moved { location, .. } => HeaderValue::from_str(location).ok(),
            _ => None,
        };
        let (detail, errors) = match self {
            Self::Internal(cause) => {
                tracing::error!(%cause, "request failed");
                (None, vec![])
            }
            Self::Unauthorized => (Some("send `Authorization: Bearer <token>`".to_string()), vec![]),
            Self::Validation(errors) => (Some("one or more fields are invalid".into()), errors),
            Self::BadParameters(errors) => (Some("one or more query parameters do not parse".into()), errors),
            Self::MethodNotAllowed => (Some("this route does not answer that method; see `Allow`".into()), vec![]),
            Self::Forbidden(d)
            | Self::NotFound(d)
            | Self::BadRequest(d)
            | Self::PayloadTooLarge(d)
            | Self::Conflict(d)
            | Self::Unprocessable(d) => (Some(d), vec![]),
            Self::Moved { detail, .. } => (Some(detail), vec![]),
        };
        let problem = Problem {
            kind: format!("https://rapport.dev/problems/{kind}"),
            title: title.into(),
            status: status.as_u16(),
            detail,
            errors,
        };
        let mut response = (status, axum::Json(problem)).into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if let Some(location) = location {
            response.headers_mut().insert(header::LOCATION, location);
        }
        if status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

impl ApiError {
    /// How a read of a guest's `sub`-resource (`""` for the profile itself, `"stays"` …)
    /// answers a store error: a profile merged away moves to its survivor's (308), so a
    /// client that kept an old id keeps reading; anything else as usual. Writes keep the
    /// 409 of a merged profile: they must be made again on the survivor, knowingly.
    pub fn reading_guest(sub: &'static str) -> impl Fn(StoreError) -> ApiError {
        move |e| match e {
            StoreError::Merged { into, .. } => ApiError::Moved {
                location: match sub {
                    "" => format!("/api/v1/guests/{into}"),
                    sub => format!("/api/v1/guests/{into}/{sub}"),
                },
                detail: e.to_string(),
            },
            other => other.into(),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => Self::NotFound(what),
            StoreError::Conflict(what) => Self::Conflict(what),
            StoreError::Invalid(what) => Self::Unprocessable(what),
            // Writes to a merged-away profile: the caller must act on the survivor.
            merged @ StoreError::Merged { .. } => Self::Conflict(merged.to_string()),
            other => Self::Internal(other.to_string()),
        }
    }
}

impl From<ValidationErrors> for ApiError {
    fn from(e: ValidationErrors) -> Self {
        Self::Validation(e.0)
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
