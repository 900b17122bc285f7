//! The OpenAPI document, generated from the handlers' annotations.

use axum::routing::get;
use axum::Router;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::api::{duplicates, guests, hotels, notes, segments, stays, value};
use crate::AppState;

#[derive(OpenApi)]
#[openapi(
    info(title = "Rapport API", version = "1", description = "Guest relationship management for hotel groups."),
    paths(
        hotels::list, hotels::create,
        guests::list, guests::create, guests::read, guests::update, guests::consent_history, guests::record_consent,
        notes::list, notes::add,
        stays::guest_stays, stays::guest_spend, stays::read, stays::hotel_stays, stays::add_stay,
        value::guest_value,
        segments::list, segments::create, segments::read, segments::remove, segments::guests,
        duplicates::queue, duplicates::decide, duplicates::merge, duplicates::history, duplicates::undo,
    ),
    components(schemas(crate::error::Problem, rapport_domain::FieldError)),
    modifiers(&BearerAuth),
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

pub fn router() -> Router<AppState> {
    Router::new().route("/api/openapi.json", get(|| async { axum::Json(ApiDoc::openapi()) }))
}
