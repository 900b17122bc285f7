//! Request extractors whose rejections are problem documents naming the field at fault,
//! not axum's plain text.

use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use rapport_domain::FieldError;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

pub struct Json<T>(pub T);

impl<S, T> FromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(req.headers()) {
            return Err(ApiError::BadRequest(
                "send the body as JSON with `Content-Type: application/json`".into(),
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| match e.status() {
            StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge(e.body_text()),
            _ => ApiError::BadRequest(e.body_text()),
        })?;
        let mut de = serde_json::Deserializer::from_slice(&bytes);
        let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            if e.inner().is_data() {
                ApiError::Validation(vec![field_error(&e.path().to_string(), &e.inner().to_string())])
            } else {
                ApiError::BadRequest(format!("the body is not valid JSON: {}", e.inner()))
            }
        })?;
        de.end()
            .map_err(|e| ApiError::BadRequest(format!("the body is not valid JSON: {e}")))?;
        let nul = fields_with_nul(&bytes);
        if !nul.is_empty() {
            return Err(ApiError::Validation(nul));
        }
        Ok(Json(value))
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

/// Whether the body is declared as JSON (`application/json` or a `+json` type).
fn is_json(headers: &axum::http::HeaderMap) -> bool {
    let Some(ct) = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = ct.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// The field a deserialisation error is about: the path where serde stopped, except for
/// a missing field, reported at its parent (`.` for the top) and named in the message.
fn field_error(path: &str, message: &str) -> FieldError {
    // serde_json appends the position, which means nothing to a caller naming fields.
    let message = message.split(" at line ").next().unwrap_or(message);
    let missing = message.strip_prefix("missing field `").and_then(|rest| rest.split('`').next());
    let field = match (path, missing) {
        (".", Some(name)) => name.to_string(),
        (parent, Some(name)) => format!("{parent}.{name}"),
        (".", None) => "body".to_string(),
        (path, None) => path.to_string(),
    };
    FieldError::new(field, message)
}

pub struct Query<T>(pub T);

impl<S, T> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(de)
            .map(Query)
            .map_err(|e| ApiError::BadParameters(vec![field_error(&e.path().to_string(), &e.inner().to_string())]))
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

    #[test]
    fn the_field_is_named_from_the_path_or_the_message() {
        let e = field_error("birthday", "input is out of range at line 1 column 30");
        assert_eq!((e.field.as_str(), e.message.as_str()), ("birthday", "input is out of range"));
        assert_eq!(
            field_error("name.middle", "unknown field `middle`, expected `given`").field,
            "name.middle"
        );
        assert_eq!(field_error("name", "missing field `given`").field, "name.given");
        assert_eq!(
            field_error("tags[0]", "invalid type: integer `1`, expected a string").field,
            "tags[0]"
        );
        assert_eq!(field_error(".", "missing field `from`").field, "from");
    }
}
