//! The duplicate review queue: two profiles side by side with the evidence behind their
//! score, and a decision (merge, not the same person, later). Undoing a merge lives on
//! the guest page's merge history, posted here.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use futures_util::{stream, StreamExt, TryStreamExt};
use rapport_domain::access::Action;
use rapport_domain::duplicates::FieldEvidence;
use rapport_domain::guest::{Guest, GuestId};
use rapport_store::{PairDecision, ReviewPair};
use serde::Deserialize;

use super::Layout;
use crate::error::{render, PageError, PageResult};
use crate::i18n::Tr;
use crate::session::Staff;
use crate::ConsoleState;

/// Pairs per page: each shows two whole profiles.
const PAGE: i64 = 20;

/// One line of the side-by-side comparison.
pub struct CompareRow {
    pub label: String,
    pub left: String,
    pub right: String,
    pub same: bool,
}

pub struct EvidenceRow {
    pub field: String,
    pub outcome: String,
    pub outcome_key: &'static str,
    pub weight: String,
    pub detail: String,
}

pub struct PairView {
    pub left: GuestId,
    pub right: GuestId,
    pub left_name: String,
    pub right_name: String,
    pub probability: String,
    pub weight: String,
    pub postponed: bool,
    pub rows: Vec<CompareRow>,
    pub evidence: Vec<EvidenceRow>,
}

#[derive(Template)]
#[template(path = "duplicates.html")]
struct QueuePage {
    t: Tr,
    layout: Layout,
    pairs: Vec<PairView>,
    showing: String,
    prev: Option<i64>,
    next: Option<i64>,
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct QueueQuery {
    offset: Option<i64>,
    done: Option<String>,
}

pub async fn show(State(state): State<ConsoleState>, staff: Staff, uri: Uri, Query(q): Query<QueueQuery>) -> Result<Response, PageError> {
    staff.require(Action::MergeGuests)?;
    let t = staff.tr;
    let store = &state.app.store;
    let offset = q.offset.unwrap_or(0).max(0);
    let queue = store.review_queue(offset, PAGE).await.page(t)?;
    let scope = staff.principal().scope;
    let pairs: Vec<PairView> = stream::iter(queue.items)
        .map(|pair| {
            let scope = scope.clone();
            async move {
                let (left, right) = tokio::try_join!(store.guest(pair.left), store.guest(pair.right))?;
                let (ls, rs) = tokio::try_join!(store.guest_stays(pair.left, &scope), store.guest_stays(pair.right, &scope))?;
                Ok::<_, rapport_store::StoreError>(pair_view(t, &pair, (&left, ls.len()), (&right, rs.len())))
            }
        })
        .buffered(4)
        .try_collect()
        .await
        .page(t)?;
    let shown = pairs.len() as i64;
    let page = QueuePage {
        t,
        layout: Layout::new(&staff, &uri, "duplicates"),
        showing: if shown == 0 {
            String::new()
        } else {
            t.numbers(
                "duplicates-showing",
                &[("from", offset + 1), ("to", offset + shown), ("total", queue.total)],
            )
        },
        prev: (offset > 0).then(|| (offset - PAGE).max(0)),
        next: (offset + shown < queue.total).then_some(offset + PAGE),
        pairs,
        notice: q.done.as_deref().and_then(|d| match d {
            "merge" | "distinct" | "later" => Some(t.t(&format!("duplicates-done-{d}"))),
            _ => None,
        }),
    };
    Ok(render(t, &page)?.into_response())
}

fn pair_view(t: Tr, pair: &ReviewPair, (left, left_stays): (&Guest, usize), (right, right_stays): (&Guest, usize)) -> PairView {
    let side = |g: &Guest, stays: usize| -> Vec<(String, String)> {
        let p = &g.profile;
        let list = |items: Vec<String>| items.join(", ");
        vec![
            (t.t("compare-name"), p.name.display()),
            (t.t("contact-email"), list(p.emails.iter().map(|e| e.value.clone()).collect())),
            (t.t("contact-phone"), list(p.phones.iter().map(|e| e.value.clone()).collect())),
            (t.t("fact-birthday"), p.birthday.map(|b| t.date(&b)).unwrap_or_default()),
            (t.t("fact-nationality"), p.nationality.clone().unwrap_or_default()),
            (t.t("fact-company"), p.company.clone().unwrap_or_default()),
            (t.t("contact-address"), super::guest::address(g)),
            (
                t.t("fact-external-ids"),
                list(p.external_ids.iter().map(|x| format!("{}: {}", x.source, x.id)).collect()),
            ),
            (t.t("guest-stays"), t.count("stays-count", stays as i64)),
            (t.t("fact-member-since"), t.date(&g.created_at.date_naive())),
        ]
    };
    let rows = side(left, left_stays)
        .into_iter()
        .zip(side(right, right_stays))
        .map(|((label, l), (_, r))| CompareRow {
            label,
            same: l == r,
            left: l,
            right: r,
        })
        .collect();
    PairView {
        left: pair.left,
        right: pair.right,
        left_name: left.profile.name.display(),
        right_name: right.profile.name.display(),
        probability: t.percent(pair.probability),
        weight: format!("{:+.1}", pair.weight),
        postponed: pair.status == rapport_store::PairStatus::Later,
        rows,
        evidence: pair.evidence.iter().map(|e| evidence_row(t, e)).collect(),
    }
}

/// A field's evidence in the reader's language; a field the console does not know by name
/// is shown as the matcher calls it.
pub fn evidence_row(t: Tr, e: &FieldEvidence) -> EvidenceRow {
    let key = format!("evidence-field-{}", e.field.replace('_', "-"));
    let outcome_key = match e.outcome {
        rapport_domain::duplicates::FieldOutcome::Agreed => "agreed",
        rapport_domain::duplicates::FieldOutcome::Partial => "partial",
        rapport_domain::duplicates::FieldOutcome::Disagreed => "disagreed",
        rapport_domain::duplicates::FieldOutcome::Missing => "missing",
    };
    EvidenceRow {
        field: if t.has(&key) { t.t(&key) } else { e.field.clone() },
        outcome: t.t(&format!("outcome-{outcome_key}")),
        outcome_key,
        weight: format!("{:+.2}", e.weight),
        detail: e.detail.clone(),
    }
}

#[derive(Deserialize)]
pub struct DecisionForm {
    left: GuestId,
    right: GuestId,
    decision: String,
}

/// Records the reviewer's decision and goes back to the queue.
pub async fn decide(State(state): State<ConsoleState>, staff: Staff, Form(form): Form<DecisionForm>) -> Result<Response, PageError> {
    staff.require(Action::MergeGuests)?;
    let t = staff.tr;
    let decision = match form.decision.as_str() {
        "merge" => PairDecision::Merge,
        "distinct" => PairDecision::Distinct,
        "later" => PairDecision::Later,
        _ => return Err(PageError::bad_request(t, t.t("invalid-field"))),
    };
    let (_, merge) = state
        .app
        .store
        .decide_pair(form.left, form.right, decision, staff.login())
        .await
        .page(t)?;
    // The live match index follows the merged profiles, as when the API merges them.
    if merge.is_some() {
        state.app.profiles_changed(&[form.left, form.right]).await;
    }
    Ok(Redirect::to(&format!("/duplicates?done={}", form.decision)).into_response())
}

/// Takes a merge back and shows the survivor's page again.
pub async fn undo(State(state): State<ConsoleState>, staff: Staff, Path(id): Path<i64>) -> Result<Response, PageError> {
    staff.require(Action::MergeGuests)?;
    let record = state.app.store.undo_merge(id, staff.login()).await.page(staff.tr)?;
    state.app.profiles_changed(&[record.survivor, record.absorbed]).await;
    Ok(Redirect::to(&format!("/guests/{}?undone={}#merges", record.survivor, record.absorbed)).into_response())
}
