//! Request extractors whose rejections are problem documents, not axum's plain text.

use axum::body::{Body, Bytes};
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use rapport_domain::FieldError;

use crate::error::ApiError;

pub struct Json<T>(pub T);

impl<S, T> FromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let bytes = Bytes::from_request(Request::from_parts(parts.clone(), body), state)
            .await
            .map_err(|e| ApiError::BadRequest(e.body_text()))?;
        match axum::Json::<T>::from_request(Request::from_parts(parts, Body::from(bytes.clone())), state).await {
            Ok(axum::Json(v)) => {
                let nul = fields_with_nul(&bytes);
                match nul.is_empty() {
                    true => Ok(Json(v)),
                    false => Err(ApiError::Validation(nul)),
                }
            }
            Err(JsonRejection::JsonDataError(e)) => Err(ApiError::Validation(vec![FieldError::new("body", e.body_text())])),
            Err(e) => Err(ApiError::BadRequest(e.body_text())),
        }
    }
}

/// The fields of a JSON body whose text holds a NUL character (`\u0000`). No text a
/// person types has one, and PostgreSQL cannot store it in `text`, so every body is
/// checked here once rather than each handler checking its strings.
fn fields_with_nul(body: &[u8]) -> Vec<FieldError> {
    // Cheap test first: JSON can only carry a NUL escaped.
    if !body.windows(6).any(|w| w == b"\\u0000") {
        return vec![];
    }
    let mut found = Vec::new();
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) {
        collect_nul(&value, String::new(), &mut found);
    }
    found
}

fn collect_nul(value: &serde_json::Value, path: String, found: &mut Vec<FieldError>) {
    let at = |key: &str| {
        if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        }
    };
    match value {
        serde_json::Value::String(s) if s.contains('\0') => {
            let field = if path.is_empty() { "body".to_string() } else { path };
            found.push(FieldError::new(field, "must not contain a NUL character"));
        }
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                collect_nul(item, format!("{path}[{i}]"), found);
            }
        }
        serde_json::Value::Object(map) => {
            for (key, item) in map {
                collect_nul(item, at(key), found);
            }
        }
        _ => {}
    }
}

pub struct Query<T>(pub T);

impl<S, T> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| Query(q.0))
            .map_err(|e: QueryRejection| ApiError::BadRequest(e.body_text()))
    }
}

pub struct Path<T>(pub T);

impl<S, T> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| Path(p.0))
            .map_err(|e: PathRejection| ApiError::BadRequest(e.body_text()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_characters_are_found_with_their_field_path() {
        let body = br#"{"body":"x\u0000y","name":{"given":"ok"},"emails":["a","b\u0000"],"n":1}"#;
        let fields: Vec<String> = fields_with_nul(body).into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["body", "emails[1]"]);
        assert!(fields_with_nul(br#"{"body":"a \\u0000 typed as text"}"#).is_empty());
    }
}
