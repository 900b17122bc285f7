//! What a page answers when it cannot show what was asked: a short page in the user's
//! language with the right status. Internal errors are logged, never shown.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use rapport_store::StoreError;

use crate::i18n::{Lang, Tr};

#[derive(Debug)]
pub struct PageError {
    pub status: StatusCode,
    pub tr: Tr,
    pub message: String,
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    t: Tr,
    title: String,
    message: &'a str,
}

impl PageError {
    fn new(status: StatusCode, tr: Tr, message: String) -> Self {
        Self { status, tr, message }
    }

    pub fn not_found(tr: Tr) -> Self {
        Self::new(StatusCode::NOT_FOUND, tr, tr.t("error-not-found"))
    }

    pub fn forbidden(tr: Tr) -> Self {
        Self::new(StatusCode::FORBIDDEN, tr, tr.t("error-forbidden"))
    }

    pub fn bad_request(tr: Tr, message: String) -> Self {
        Self::new(StatusCode::BAD_REQUEST, tr, message)
    }

    pub fn csrf(tr: Tr) -> Self {
        Self::new(StatusCode::FORBIDDEN, tr, tr.t("error-csrf"))
    }

    pub fn signed_out(lang: Lang) -> Self {
        let tr = Tr::new(lang);
        Self::new(StatusCode::UNAUTHORIZED, tr, tr.t("error-signed-out"))
    }

    pub fn store(e: StoreError, lang: Lang) -> Self {
        Self::from_store(e, Tr::new(lang))
    }

    pub fn from_store(e: StoreError, tr: Tr) -> Self {
        match e {
            StoreError::NotFound(_) => Self::not_found(tr),
            StoreError::Conflict(_) => Self::new(StatusCode::CONFLICT, tr, tr.t("error-conflict")),
            StoreError::Merged { .. } => Self::new(StatusCode::CONFLICT, tr, tr.t("error-merged")),
            StoreError::Invalid(_) => Self::bad_request(tr, tr.t("invalid-field")),
            other => {
                tracing::error!(error = %other, "console request failed");
                Self::new(StatusCode::INTERNAL_SERVER_ERROR, tr, tr.t("error-internal"))
            }
        }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let page = ErrorPage {
            t: self.tr,
            title: self.tr.t(match self.status {
                StatusCode::NOT_FOUND => "error-title-not-found",
                StatusCode::FORBIDDEN => "error-title-forbidden",
                StatusCode::UNAUTHORIZED => "error-title-signed-out",
                _ => "error-title",
            }),
            message: &self.message,
        };
        match page.render() {
            Ok(html) => (self.status, Html(html)).into_response(),
            Err(e) => {
                tracing::error!(error = %e, "error page did not render");
                self.status.into_response()
            }
        }
    }
}

/// Store results in a page handler: `store_call.await.page(tr)?`.
pub trait PageResult<T> {
    fn page(self, tr: Tr) -> Result<T, PageError>;
}

impl<T> PageResult<T> for Result<T, StoreError> {
    fn page(self, tr: Tr) -> Result<T, PageError> {
        self.map_err(|e| PageError::from_store(e, tr))
    }
}

/// Renders a template into a page, or a logged 500.
pub fn render(tr: Tr, template: &impl Template) -> Result<Html<String>, PageError> {
    template.render().map(Html).map_err(|e| {
        tracing::error!(error = %e, "template did not render");
        PageError::new(StatusCode::INTERNAL_SERVER_ERROR, tr, tr.t("error-internal"))
    })
}
