//! Guest search: the results under the search box while typing (`/search`, a fragment)
//! and the same results as a page (`/guests?q=`, when scripts are off or Enter is pressed).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::Uri;
use axum::response::Html;
use rapport_domain::access::Action;
use rapport_domain::guest::Guest;
use rapport_domain::search::query_prefixes;
use rapport_store::SearchTotal;
use serde::Deserialize;

use super::Layout;
use crate::error::{render, PageError, PageResult};
use crate::i18n::Tr;
use crate::session::Staff;
use crate::ConsoleState;

/// Results under the box: enough to pick from while typing.
const DROPDOWN: i64 = 10;
const PAGE: i64 = 50;

#[derive(Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
}

pub struct Hit {
    pub id: i64,
    pub name: String,
    pub vip: String,
    pub detail: String,
}

impl Hit {
    fn from_guest(g: &Guest) -> Self {
        let p = &g.profile;
        let mut detail: Vec<String> = Vec::new();
        detail.extend(p.emails.first().map(|e| e.value.clone()));
        detail.extend(p.phones.first().map(|e| e.value.clone()));
        detail.extend(p.nationality.clone());
        detail.extend(p.birthday.map(|b| b.to_string()));
        Self {
            id: g.id,
            name: p.name.display(),
            vip: p.vip_code.clone().unwrap_or_default(),
            detail: detail.join(" · "),
        }
    }
}

/// The search prefixes of `q`, once the staff member may read guests; none for a blank query.
fn prefixes(staff: &Staff, q: &str) -> Result<Vec<String>, PageError> {
    staff.require(Action::ReadGuests)?;
    Ok(query_prefixes(q))
}

async fn find(state: &ConsoleState, staff: &Staff, q: &str, limit: i64) -> Result<Vec<Hit>, PageError> {
    let prefixes = prefixes(staff, q)?;
    if prefixes.is_empty() {
        return Ok(Vec::new());
    }
    let guests = state.app.store.search_guests(&prefixes, limit).await.page(staff.tr)?;
    Ok(guests.iter().map(Hit::from_guest).collect())
}

/// [`find`] with how many guests match in all (counted up to
/// [`rapport_store::SEARCH_COUNT_CAP`]), for the page: it shows only the first [`PAGE`] of
/// them and must not pass that off as all. The dropdown under the box skips the count.
async fn find_counted(state: &ConsoleState, staff: &Staff, q: &str) -> Result<(Vec<Hit>, SearchTotal), PageError> {
    let prefixes = prefixes(staff, q)?;
    if prefixes.is_empty() {
        return Ok((Vec::new(), SearchTotal { total: 0, capped: false }));
    }
    let (guests, total) = state.app.store.search_guests_counted(&prefixes, PAGE).await.page(staff.tr)?;
    Ok((guests.iter().map(Hit::from_guest).collect(), total))
}

#[derive(Template)]
#[template(path = "search_results.html")]
struct ResultsFragment {
    t: Tr,
    q: String,
    results: Vec<Hit>,
}

pub async fn partial(State(state): State<ConsoleState>, staff: Staff, Query(q): Query<SearchQuery>) -> Result<Html<String>, PageError> {
    let results = find(&state, &staff, &q.q, DROPDOWN).await?;
    render(
        staff.tr,
        &ResultsFragment {
            t: staff.tr,
            q: q.q,
            results,
        },
    )
}

#[derive(Template)]
#[template(path = "search_page.html")]
struct ResultsPage {
    t: Tr,
    layout: Layout,
    q: String,
    results: Vec<Hit>,
    total: SearchTotal,
}

pub async fn page(
    State(state): State<ConsoleState>,
    staff: Staff,
    uri: Uri,
    Query(q): Query<SearchQuery>,
) -> Result<Html<String>, PageError> {
    let (results, total) = find_counted(&state, &staff, &q.q).await?;
    let mut layout = Layout::new(&staff, &uri, "search");
    layout.query = q.q.clone();
    render(
        staff.tr,
        &ResultsPage {
            t: staff.tr,
            layout,
            q: q.q,
            results,
            total,
        },
    )
}
