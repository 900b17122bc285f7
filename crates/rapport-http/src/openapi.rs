//! The OpenAPI document, generated from the handlers' annotations.

use axum::routing::get;
use axum::Router;
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};
use utoipa::{Modify, OpenApi, ToResponse};

use crate::api::{duplicates, guests, hotels, notes, segments, stays, value};
use crate::error::Problem;
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
    components(schemas(crate::error::Problem, rapport_domain::FieldError), responses(Problem)),
    modifiers(&BearerAuth, &CommonProblems),
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

/// Every error of the API is this one response: a problem document, served as
/// `application/problem+json`. Handlers name the statuses their own logic answers
/// (`(status = 404, response = Problem)`); [`CommonProblems`] adds those of the extractors.
impl<'s> ToResponse<'s> for Problem {
    fn response() -> (&'s str, RefOr<Response>) {
        let content = ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build();
        let response = ResponseBuilder::new()
            .description("A problem document (RFC 9457); `errors` names each field at fault.")
            .content("application/problem+json", content)
            .build();
        ("Problem", response.into())
    }
}

/// The statuses every operation inherits from the extractors it uses, declared once rather
/// than in each annotation: 401 from the token check that guards all of `/api/v1`; 400
/// when a path or query parameter does not parse; 400 (malformed JSON), 413 (body over
/// the size limit) and 422 (a field of the wrong type or unknown) from a JSON body.
struct CommonProblems;

impl Modify for CommonProblems {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for (_, item) in openapi.paths.paths.iter_mut().filter(|(path, _)| path.starts_with("/api/v1/")) {
            let operations = [&mut item.get, &mut item.post, &mut item.put, &mut item.patch, &mut item.delete];
            for operation in operations.into_iter().flatten() {
                for status in implied_statuses(operation) {
                    let problem = RefOr::Ref(Ref::from_response_name("Problem"));
                    operation.responses.responses.entry(status.to_string()).or_insert(problem);
                }
            }
        }
    }
}

fn implied_statuses(operation: &Operation) -> Vec<u16> {
    let mut statuses = vec![401];
    if operation.parameters.as_ref().is_some_and(|p| !p.is_empty()) {
        statuses.push(400);
    }
    if operation.request_body.is_some() {
        statuses.extend([400, 413, 422]);
    }
    statuses
}

pub fn router() -> Router<AppState> {
    Router::new().route("/api/openapi.json", get(|| async { axum::Json(ApiDoc::openapi()) }))
}
