//! The console's pages. Each handler takes the signed-in [`Staff`], reads what it needs
//! and fills a view model whose strings are already translated and formatted; the
//! templates only lay them out (and escape everything).

mod arrivals;
mod dashboard;
mod duplicates;
mod guest;
mod guest_edit;
mod search;
mod value;

use axum::extract::State;
use axum::http::Uri;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use rapport_domain::access::Role;
use rapport_domain::hotel::Hotel;
use serde::Deserialize;

use crate::error::{PageError, PageResult};
use crate::i18n::{Lang, Tr};
use crate::session::Staff;
use crate::ConsoleState;

pub fn router() -> Router<ConsoleState> {
    Router::new()
        .route("/", get(dashboard::show))
        .route("/guests", get(search::page))
        .route("/search", get(search::partial))
        .route("/guests/{id}", get(guest::show).post(guest_edit::save))
        .route("/guests/{id}/edit", get(guest_edit::form))
        .route("/guests/{id}/notes", post(guest::add_note))
        .route("/arrivals", get(arrivals::show))
        .route("/arrivals/touch", post(arrivals::touch))
        .route("/value", get(value::show))
        .route("/duplicates", get(duplicates::show))
        .route("/duplicates/decide", post(duplicates::decide))
        .route("/merges/{id}/undo", post(duplicates::undo))
        .route("/language", post(switch_language))
}

/// What the frame around every page shows.
pub struct Layout {
    pub user: String,
    pub role: String,
    pub csrf: String,
    /// This page, to come back to after switching language.
    pub here: String,
    pub active: &'static str,
    pub query: String,
    /// The review queue is in the menu for those who may work it.
    pub can_merge: bool,
    pub other_langs: Vec<(&'static str, &'static str)>,
    /// Whether the nav offers the value analysis.
    pub value: bool,
}

impl Layout {
    pub fn new(staff: &Staff, uri: &Uri, active: &'static str) -> Self {
        let user = &staff.session.user;
        Self {
            user: if user.display_name.is_empty() {
                user.login.clone()
            } else {
                user.display_name.clone()
            },
            role: role_name(staff.tr, user.role),
            csrf: staff.csrf().to_string(),
            here: uri.path_and_query().map(|p| p.to_string()).unwrap_or_else(|| "/".into()),
            active,
            query: String::new(),
            can_merge: staff.principal().may(rapport_domain::access::Action::MergeGuests),
            other_langs: Lang::ALL
                .iter()
                .filter(|l| **l != staff.tr.lang)
                .map(|l| (l.tag(), l.own_name()))
                .collect(),
            value: user.role.may(rapport_domain::access::Action::ReadAnalysis),
        }
    }
}

pub fn role_name(t: Tr, role: Role) -> String {
    t.t(&format!("role-{}", role.as_str().replace('_', "-")))
}

/// The hotels whose stays the user may see, in the group's order.
pub async fn hotels_in_scope(state: &ConsoleState, staff: &Staff) -> Result<Vec<Hotel>, PageError> {
    let scope = staff.principal().scope;
    let hotels = state.app.store.hotels().await.page(staff.tr)?;
    Ok(hotels.into_iter().filter(|h| scope.allows(h.id)).collect())
}

#[derive(Deserialize)]
struct LanguageChoice {
    lang: String,
    back: Option<String>,
}

/// Stores the user's language and returns to the page they were on.
async fn switch_language(State(state): State<ConsoleState>, staff: Staff, Form(choice): Form<LanguageChoice>) -> Response {
    let Some(lang) = Lang::parse(&choice.lang) else {
        return PageError::bad_request(staff.tr, staff.tr.t("error-language")).into_response();
    };
    if let Err(e) = state
        .app
        .store
        .set_user_language(staff.session.user.id, lang.tag())
        .await
        .page(staff.tr)
    {
        return e.into_response();
    }
    let back = match choice.back.as_deref() {
        Some(b) if b.starts_with('/') && !b.starts_with("//") => b.to_string(),
        _ => "/".to_string(),
    };
    Redirect::to(&back).into_response()
}
