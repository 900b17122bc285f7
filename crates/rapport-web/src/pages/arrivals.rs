//! The arrivals brief: for a hotel and a day (today in the hotel's time zone unless
//! chosen), every arriving guest with what to prepare, ticked off by staff as it is done.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use chrono::{NaiveDate, Utc};
use chrono_tz::Tz;
use futures_util::{stream, StreamExt, TryStreamExt};
use rapport_domain::access::Action;
use rapport_domain::arrival::{prepare, TouchKind};
use rapport_domain::hotel::Hotel;
use rapport_domain::stay::StayId;
use serde::Deserialize;

use super::{hotels_in_scope, Layout};
use crate::error::{render, PageError, PageResult};
use crate::i18n::Tr;
use crate::session::Staff;
use crate::ConsoleState;

/// Notes from earlier stays shown per guest; the guest page has them all.
const EARLIER_NOTES: usize = 3;
/// Arrivals whose history is read at the same time.
const PARALLEL_READS: usize = 8;

#[derive(Deserialize)]
pub struct BriefQuery {
    hotel: Option<String>,
    date: Option<String>,
}

pub struct TouchView {
    pub key: String,
    pub kind: String,
    pub detail: String,
    pub warning: bool,
    pub done: bool,
    pub done_note: String,
}

pub struct Arrival {
    pub stay_id: StayId,
    pub guest_id: i64,
    pub name: String,
    pub vip: String,
    pub summary: String,
    pub returning: String,
    pub occasions: Vec<String>,
    pub touches: Vec<TouchView>,
    pub notes: Vec<String>,
    pub benefits: Vec<String>,
}

#[derive(Template)]
#[template(path = "arrivals.html")]
struct BriefPage {
    t: Tr,
    layout: Layout,
    hotels: Vec<(String, String, bool)>,
    hotel_name: String,
    date: String,
    /// Whether the day was chosen; otherwise it is today wherever the hotel is, and the
    /// form leaves the day empty so switching hotel shows today at the other hotel (Lisbon's
    /// today is already tomorrow in Shanghai for part of every day).
    date_chosen: bool,
    date_label: String,
    prev: String,
    next: String,
    arrivals: Vec<Arrival>,
    back: String,
    can_tick: bool,
}

fn hotel_tz(h: &Hotel) -> Tz {
    h.timezone.parse().unwrap_or(chrono_tz::UTC)
}

pub async fn show(State(state): State<ConsoleState>, staff: Staff, uri: Uri, Query(q): Query<BriefQuery>) -> Result<Response, PageError> {
    staff.require(Action::ReadStays)?;
    let t = staff.tr;
    let store = &state.app.store;
    let hotels = hotels_in_scope(&state, &staff).await?;
    let hotel = match q.hotel.as_deref() {
        Some(code) => hotels
            .iter()
            .find(|h| h.code.eq_ignore_ascii_case(code))
            .ok_or_else(|| PageError::not_found(t))?,
        None => match hotels.first() {
            Some(h) => h,
            None => return Err(PageError::forbidden(t)),
        },
    };
    let tz = hotel_tz(hotel);
    let date_chosen = q.date.as_deref().is_some_and(|d| !d.is_empty());
    let date = match q.date.as_deref().filter(|d| !d.is_empty()) {
        Some(d) => NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| PageError::bad_request(t, t.t("invalid-date")))?,
        None => Utc::now().with_timezone(&tz).date_naive(),
    };
    let scope = staff.principal().scope;
    let (stays, marks, all_hotels) = tokio::try_join!(
        store.arrivals(hotel.id, date),
        store.arrival_touches(hotel.id, date),
        store.hotels()
    )
    .page(t)?;
    let names: HashMap<i64, String> = all_hotels.into_iter().map(|h| (h.id, h.name)).collect();
    let marks: HashMap<(StayId, String), (String, chrono::DateTime<Utc>)> =
        marks.into_iter().map(|m| ((m.stay_id, m.touch), (m.done_by, m.done_at))).collect();

    // A busy day has hundreds of arrivals; their histories are read a few at a time in
    // parallel (both of SQLite's reader threads, or several PostgreSQL connections).
    let histories: Vec<_> = stream::iter(stays.iter().map(|s| s.guest_id).collect::<Vec<_>>())
        .map(|guest| {
            let (store, scope) = (store.clone(), scope.clone());
            async move {
                tokio::try_join!(
                    store.guest(guest),
                    store.guest_stays(guest, &scope),
                    store.guest_notes(guest, &scope),
                    store.guest_values(guest)
                )
            }
        })
        .buffered(PARALLEL_READS)
        .try_collect()
        .await
        .page(t)?;
    let mut arrivals = Vec::with_capacity(stays.len());
    for (stay, (guest, history, notes, (values, _))) in stays.iter().zip(histories) {
        // Treated by their standing at this hotel or across the group, whichever is better:
        // a group VIP on a first visit here is still a VIP.
        let standing: Vec<_> = values.into_iter().filter(|v| v.hotel_id.is_none_or(|h| h == hotel.id)).collect();
        let benefits = crate::benefits::benefit_lines(t, &rapport_store::value::entitlement(&state.app.benefits, &standing));
        let prep = prepare(stay, &guest.profile, &history, &notes);
        let mut party = vec![t.count("adults-count", i64::from(stay.adults))];
        if stay.children > 0 {
            party.push(t.count("children-count", i64::from(stay.children)));
        }
        let mut summary = vec![
            t.count("nights-count", (stay.departure - stay.arrival).num_days()),
            party.join(", "),
        ];
        summary.extend(stay.room_type.clone());
        summary.extend(stay.channel.clone());
        arrivals.push(Arrival {
            stay_id: stay.id,
            guest_id: guest.id,
            name: guest.profile.name.display(),
            vip: guest.profile.vip_code.clone().unwrap_or_default(),
            summary: summary.join(" · "),
            returning: match &prep.returning {
                Some(r) => t.t1(
                    "returning-guest",
                    "detail",
                    format!(
                        "{} · {}",
                        t.count("earlier-stays", r.earlier_stays as i64),
                        t.t1(
                            "last-visit",
                            "when",
                            format!(
                                "{} · {}",
                                t.date(&r.last_arrival),
                                names.get(&r.last_hotel).cloned().unwrap_or_default()
                            )
                        )
                    ),
                ),
                None => t.t("first-stay"),
            },
            occasions: prep
                .occasions
                .iter()
                .map(|o| {
                    let what = match (&o.family_member, o.kind) {
                        (None, TouchKind::Anniversary) => t.count("occasion-anniversary-years", i64::from(o.years)),
                        (None, _) => t.count("occasion-birthday-turns", i64::from(o.years)),
                        (Some((name, relation)), _) => t.t1("occasion-birthday-of", "name", format!("{name} ({relation})")),
                    };
                    format!("{what} · {}", t.short_date(&o.on))
                })
                .collect(),
            touches: prep
                .touches
                .iter()
                .map(|x| {
                    let done = marks.get(&(stay.id, x.key.clone()));
                    TouchView {
                        key: x.key.clone(),
                        kind: t.t(&format!("touch-{}", touch_key(x.kind))),
                        detail: x.detail.clone(),
                        warning: x.kind.is_warning(),
                        done: done.is_some(),
                        done_note: done.map(|(by, at)| format!("✓ {by} · {}", t.datetime(at, tz))).unwrap_or_default(),
                    }
                })
                .collect(),
            notes: prep
                .earlier_notes
                .iter()
                .take(EARLIER_NOTES)
                .map(|n| {
                    format!(
                        "{} — {}, {}",
                        n.body,
                        n.author,
                        t.date(&n.created_at.with_timezone(&tz).date_naive())
                    )
                })
                .collect(),
            benefits,
        });
    }
    // VIPs and guests with something to prepare first, so the morning starts with them.
    arrivals.sort_by_key(|a| (a.vip.is_empty(), a.touches.is_empty(), a.stay_id));
    let page = BriefPage {
        t,
        layout: Layout::new(&staff, &uri, "arrivals"),
        hotels: hotels.iter().map(|h| (h.code.clone(), h.name.clone(), h.id == hotel.id)).collect(),
        hotel_name: hotel.name.clone(),
        date: date.to_string(),
        date_label: t.date(&date),
        date_chosen,
        prev: (date - chrono::Duration::days(1)).to_string(),
        next: (date + chrono::Duration::days(1)).to_string(),
        back: format!("/arrivals?hotel={}&date={date}", hotel.code),
        arrivals,
        can_tick: staff.principal().may(Action::WriteNotes),
    };
    Ok(render(t, &page)?.into_response())
}

fn touch_key(kind: TouchKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(|s| s.replace('_', "-")))
        .unwrap_or_default()
}

#[derive(Deserialize)]
pub struct TouchForm {
    stay: StayId,
    touch: String,
    #[serde(default)]
    done: Option<String>,
    back: Option<String>,
}

/// Ticks or unticks one touch. A script gets the "done by" line back; a plain form post
/// returns to the brief.
pub async fn touch(
    State(state): State<ConsoleState>,
    staff: Staff,
    headers: HeaderMap,
    Form(form): Form<TouchForm>,
) -> Result<Response, PageError> {
    staff.require(Action::WriteNotes)?;
    let t = staff.tr;
    let store = &state.app.store;
    let stay = store.stay(form.stay).await.page(t)?;
    if !staff.principal().scope.allows(stay.hotel_id) {
        return Err(PageError::not_found(t));
    }
    let done = form.done.as_deref().is_some_and(|d| d == "1" || d == "on" || d == "true");
    if form.touch.is_empty() || form.touch.len() > 300 {
        return Err(PageError::bad_request(t, t.t("invalid-field")));
    }
    store.set_touch(stay.id, &form.touch, done.then_some(staff.login())).await.page(t)?;
    if headers.contains_key("x-requested-with") {
        let tz = store
            .hotels()
            .await
            .page(t)?
            .iter()
            .find(|h| h.id == stay.hotel_id)
            .map(hotel_tz)
            .unwrap_or(chrono_tz::UTC);
        let note = if done {
            format!("✓ {} · {}", staff.login(), t.datetime(&Utc::now(), tz))
        } else {
            String::new()
        };
        return Ok(Json(serde_json::json!({ "done": done, "note": note })).into_response());
    }
    let back = match form.back.as_deref() {
        Some(b) if b.starts_with("/arrivals") => b.to_string(),
        _ => "/arrivals".to_string(),
    };
    Ok(Redirect::to(&back).into_response())
}
