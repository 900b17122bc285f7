//! The guest 360° page: everything the group knows about one guest, within the reader's
//! hotel scope for stays, spend and notes; and adding a note.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::{NaiveDate, Utc};
use rapport_domain::access::Action;
use rapport_domain::card::{mask_card_numbers, CARD_REFUSAL};
use rapport_domain::guest::{ConsentChannel, Guest, GuestId, TabooKind};
use rapport_domain::hotel::Hotel;
use rapport_domain::limits::NUL_REFUSAL;
use rapport_domain::money::Currency;
use rapport_domain::occasions::{age_on, next_occurrence};
use rapport_domain::stay::{note_body, Note, SpendLine, Stay, StayId};
use rapport_store::StoreError;
use serde::Deserialize;

use super::Layout;
use crate::error::{render, PageError, PageResult};
use crate::i18n::Tr;
use crate::session::Staff;
use crate::ConsoleState;

/// Occasions this close are flagged on the page.
const UPCOMING_DAYS: i64 = 60;

pub struct Contact {
    pub value: String,
    pub label: String,
    pub problem: Option<String>,
}

pub struct Fact {
    pub label: String,
    pub value: String,
}

pub struct Warning {
    pub kind: String,
    pub text: String,
    pub severe: bool,
}

pub struct PrefRow {
    pub kind: String,
    pub key: String,
    pub value: String,
}

pub struct FamilyRow {
    pub name: String,
    pub relation: String,
    pub birthday: String,
}

pub struct StayRow {
    pub id: StayId,
    pub hotel: String,
    pub dates: String,
    pub nights: i64,
    pub room: String,
    pub status: String,
    pub status_class: &'static str,
    pub channel: String,
    pub spend: String,
    pub requests: String,
}

pub struct SpendRow {
    pub category: String,
    pub amounts: String,
}

pub struct NoteRow {
    pub body: String,
    pub author: String,
    pub when: String,
    pub about: String,
}

pub struct ValueRow {
    pub scope: String,
    pub tier: String,
    pub tier_key: String,
    pub rfm: String,
    pub revenue: String,
    pub p_alive: String,
    pub expected_stays: String,
    pub lifetime_value: String,
    pub churn: String,
    pub churn_key: String,
}

pub struct MergeView {
    pub id: i64,
    pub what: String,
    pub other: GuestId,
    pub who: String,
    pub when: String,
    pub reason: String,
    pub probability: String,
    pub undone: String,
    pub can_undo: bool,
}

pub struct ConsentRow {
    pub channel: String,
    pub status: String,
    pub granted: Option<bool>,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "guest.html")]
struct GuestPage {
    t: Tr,
    layout: Layout,
    id: GuestId,
    native: String,
    latin: String,
    title: String,
    vip: String,
    tags: Vec<String>,
    facts: Vec<Fact>,
    emails: Vec<Contact>,
    phones: Vec<Contact>,
    address: String,
    warnings: Vec<Warning>,
    preferences: Vec<PrefRow>,
    family: Vec<FamilyRow>,
    upcoming: Vec<String>,
    stays: Vec<StayRow>,
    spend: Vec<SpendRow>,
    notes: Vec<NoteRow>,
    consents: Vec<ConsentRow>,
    values: Vec<ValueRow>,
    tier_history: Vec<String>,
    /// What the guest is entitled to under the group's benefit plan.
    benefits: Vec<String>,
    merges: Vec<MergeView>,
    notice: Option<String>,
    /// The stays a note can be about, the one a note not added was about marked.
    note_stays: Vec<(StayId, String, bool)>,
    /// A note not added, as typed (card numbers masked), and why it was not.
    note_draft: String,
    note_error: Option<String>,
    can_edit: bool,
    can_note: bool,
    saved: bool,
}

#[derive(Deserialize, Default)]
pub struct GuestQuery {
    saved: Option<String>,
    /// The merged-away profile whose address led here.
    merged: Option<GuestId>,
    /// The profile a merge just undone gave back.
    undone: Option<GuestId>,
}

pub async fn show(
    State(state): State<ConsoleState>,
    staff: Staff,
    uri: Uri,
    Path(id): Path<GuestId>,
    Query(q): Query<GuestQuery>,
) -> Result<Response, PageError> {
    staff.require(Action::ReadGuests)?;
    guest_page(&state, &staff, &uri, id, &q, None).await
}

/// A note the console did not add (refused, or its profile merged away meanwhile), shown
/// again in the note form with the reason, so that nothing typed is lost but the card
/// numbers, which are masked: card data is never stored, nor sent back.
struct NoteDraft {
    body: String,
    stay: Option<StayId>,
    error: String,
}

/// The guest page; with the draft of a note not added it answers 422 with it in its form.
async fn guest_page(
    state: &ConsoleState,
    staff: &Staff,
    uri: &Uri,
    id: GuestId,
    q: &GuestQuery,
    draft: Option<NoteDraft>,
) -> Result<Response, PageError> {
    let t = staff.tr;
    let store = &state.app.store;
    let scope = staff.principal().scope;
    let guest = match store.guest(id).await {
        // A merged-away profile's address leads to the profile it went into.
        Err(StoreError::Merged { into, .. }) => return Ok(Redirect::to(&format!("/guests/{into}?merged={id}")).into_response()),
        other => other.page(t)?,
    };
    let (stays, spend, notes, hotels, (values, tier_history), merges) = tokio::try_join!(
        store.guest_stays(id, &scope),
        store.guest_spend(id, &scope),
        store.guest_notes(id, &scope),
        store.hotels(),
        store.guest_values(id),
        store.guest_merges(id)
    )
    .page(t)?;
    let can_merge = staff.principal().may(Action::MergeGuests);
    let hotels: HashMap<i64, Hotel> = hotels.into_iter().map(|h| (h.id, h)).collect();
    let today = Utc::now().date_naive();
    // The group's row adds up every hotel's stays: only whole-group users see it.
    let visible_values: Vec<_> = values.into_iter().filter(|v| scope.sees_figures_of(v.hotel_id)).collect();
    let (note_draft, note_stay, note_error) = match draft {
        Some(NoteDraft { body, stay, error }) => (body, stay, Some(error)),
        None => (String::new(), None, None),
    };
    let page = GuestPage {
        t,
        layout: Layout::new(staff, uri, "guest"),
        id,
        native: guest.profile.name.native.clone().unwrap_or_default(),
        latin: guest.profile.name.latin(),
        title: guest.profile.name.title.clone().unwrap_or_default(),
        vip: guest.profile.vip_code.clone().unwrap_or_default(),
        tags: guest.profile.tags.clone(),
        facts: facts(t, &guest, today),
        emails: guest.profile.emails.iter().map(|c| contact(t, c)).collect(),
        phones: guest.profile.phones.iter().map(|c| contact(t, c)).collect(),
        address: address(&guest),
        warnings: warnings(t, &guest),
        preferences: guest
            .profile
            .preferences
            .iter()
            .map(|p| PrefRow {
                kind: t.t(&format!("pref-{}", kind_key(&p.kind))),
                key: p.key.clone(),
                value: p.value.clone(),
            })
            .collect(),
        family: guest
            .profile
            .family
            .iter()
            .map(|f| FamilyRow {
                name: f.name.clone(),
                relation: f.relation.clone(),
                birthday: f.birthday.map(|b| t.date(&b)).unwrap_or_default(),
            })
            .collect(),
        upcoming: upcoming(t, &guest, today),
        stays: stay_rows(t, &stays, &spend, &hotels),
        spend: spend_rows(t, &spend),
        notes: note_rows(t, &notes, &stays, &hotels),
        consents: consent_rows(t, &guest),
        values: visible_values.iter().map(|v| value_row(t, v, &hotels)).collect(),
        benefits: crate::benefits::benefit_lines(t, &rapport_store::value::entitlement(&state.app.benefits, &visible_values)),
        tier_history: tier_history
            .iter()
            .filter(|c| scope.sees_figures_of(c.hotel_id))
            .map(|c| {
                let scope = c.hotel_id.map_or_else(|| t.t("dashboard-group"), |h| hotel_name(&hotels, h));
                format!("{} · {scope} · {}", t.date(&c.since), t.t(&format!("tier-{}", c.tier)))
            })
            .collect(),
        note_stays: stays
            .iter()
            .map(|s| {
                let about = format!("{} · {}", hotel_name(&hotels, s.hotel_id), t.date(&s.arrival));
                (s.id, about, note_stay == Some(s.id))
            })
            .collect(),
        merges: merges.iter().map(|m| merge_view(t, id, m, can_merge)).collect(),
        notice: match (q.merged, q.undone) {
            (Some(from), _) => Some(t.t1("guest-merged-notice", "id", from)),
            (_, Some(back)) => Some(t.t1("guest-undone-notice", "id", back)),
            _ => None,
        },
        note_draft,
        note_error,
        can_edit: staff.principal().may(Action::WriteGuests),
        can_note: staff.principal().may(Action::WriteNotes),
        saved: q.saved.is_some(),
    };
    let status = if page.note_error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, render(t, &page)?).into_response())
}

/// One merge of the guest's history; the survivor's page offers undo while it stands.
fn merge_view(t: Tr, id: GuestId, m: &rapport_store::MergeRecord, can_merge: bool) -> MergeView {
    let (what, other) = if m.survivor == id {
        (t.t1("merge-absorbed", "id", m.absorbed), m.absorbed)
    } else {
        (t.t1("merge-into", "id", m.survivor), m.survivor)
    };
    MergeView {
        id: m.id,
        what,
        other,
        who: if m.decided_by == "auto" {
            t.t("merge-auto")
        } else {
            m.decided_by.clone()
        },
        when: t.datetime(&m.at, chrono_tz::UTC),
        reason: m.reason.clone(),
        probability: m.probability.map(|p| t.percent(p)).unwrap_or_default(),
        undone: match (&m.undone_at, &m.undone_by) {
            (Some(at), Some(by)) => format!("{} · {by} · {}", t.t("merge-undone"), t.datetime(at, chrono_tz::UTC)),
            _ => String::new(),
        },
        can_undo: can_merge && m.survivor == id && m.undone_at.is_none(),
    }
}

fn kind_key<T: serde::Serialize>(kind: &T) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn hotel_name(hotels: &HashMap<i64, Hotel>, id: i64) -> String {
    hotels.get(&id).map(|h| h.name.clone()).unwrap_or_else(|| format!("#{id}"))
}

fn contact(t: Tr, c: &rapport_domain::contact::ContactPoint) -> Contact {
    Contact {
        value: c.value.clone(),
        label: c.label.clone().unwrap_or_default(),
        problem: c.invalid.as_ref().map(|_| t.t("contact-unverified")),
    }
}

fn facts(t: Tr, g: &Guest, today: NaiveDate) -> Vec<Fact> {
    let p = &g.profile;
    let mut out = Vec::new();
    let mut add = |key: &str, value: Option<String>| {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            out.push(Fact { label: t.t(key), value });
        }
    };
    add(
        "fact-birthday",
        p.birthday
            .map(|b| format!("{} ({})", t.date(&b), t.count("age-years", i64::from(age_on(b, today))))),
    );
    add("fact-anniversary", p.anniversary.map(|a| t.date(&a)));
    add("fact-language", p.language.clone());
    add("fact-nationality", p.nationality.clone());
    add("fact-company", p.company.clone());
    add(
        "fact-external-ids",
        Some(
            p.external_ids
                .iter()
                .map(|x| format!("{}: {}", x.source, x.id))
                .collect::<Vec<_>>()
                .join(", "),
        ),
    );
    add("fact-member-since", Some(t.date(&g.created_at.date_naive())));
    add(
        "fact-aliases",
        Some(p.aliases.iter().map(|n| n.display()).collect::<Vec<_>>().join("; ")),
    );
    add(
        "fact-alternatives",
        Some(
            p.alternatives
                .iter()
                .map(|a| format!("{}: {} (#{})", alternative_label(t, &a.field), a.value, a.merged_from))
                .collect::<Vec<_>>()
                .join("; "),
        ),
    );
    out
}

/// The label of a field a merged profile held another value for.
fn alternative_label(t: Tr, field: &str) -> String {
    let key = match field {
        "address" => "contact-address".to_string(),
        "vip_code" => "vip-code".to_string(),
        other => format!("fact-{}", other.replace('_', "-")),
    };
    if t.has(&key) {
        t.t(&key)
    } else {
        field.to_string()
    }
}

pub(super) fn address(g: &Guest) -> String {
    let Some(a) = &g.profile.address else { return String::new() };
    [&a.street, &a.postcode, &a.city, &a.region, &a.country]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join(", ")
}

fn warnings(t: Tr, g: &Guest) -> Vec<Warning> {
    let mut out: Vec<Warning> = g
        .profile
        .taboos
        .iter()
        .map(|x| Warning {
            kind: t.t(&format!("taboo-{}", kind_key(&x.kind))),
            text: x.description.clone(),
            severe: matches!(x.kind, TabooKind::Allergy | TabooKind::Taboo),
        })
        .collect();
    out.sort_by_key(|w| !w.severe);
    out
}

/// Birthdays (guest and family) and the anniversary in the next weeks, soonest first.
fn upcoming(t: Tr, g: &Guest, today: NaiveDate) -> Vec<String> {
    let p = &g.profile;
    let mut found: Vec<(NaiveDate, String)> = Vec::new();
    let mut add = |date: Option<NaiveDate>, what: String| {
        if let Some(d) = date {
            let next = next_occurrence(d, today);
            let days = (next - today).num_days();
            if days <= UPCOMING_DAYS {
                let when = if days == 0 { t.t("today") } else { t.count("in-days", days) };
                found.push((next, format!("{what} · {} · {when}", t.short_date(&next))));
            }
        }
    };
    add(p.birthday, t.t("occasion-birthday-guest"));
    add(p.anniversary, t.t("occasion-anniversary"));
    for f in &p.family {
        add(
            f.birthday,
            t.t1("occasion-birthday-of", "name", format!("{} ({})", f.name, f.relation)),
        );
    }
    found.sort();
    found.into_iter().map(|(_, s)| s).collect()
}

pub fn status_class(s: &Stay) -> &'static str {
    s.status.as_str()
}

fn stay_rows(t: Tr, stays: &[Stay], spend: &[SpendLine], hotels: &HashMap<i64, Hotel>) -> Vec<StayRow> {
    let mut by_stay: HashMap<StayId, BTreeMap<&'static str, i64>> = HashMap::new();
    for l in spend {
        *by_stay.entry(l.stay_id).or_default().entry(l.amount.currency.code()).or_default() += l.amount.minor;
    }
    stays
        .iter()
        .map(|s| StayRow {
            id: s.id,
            hotel: hotel_name(hotels, s.hotel_id),
            dates: format!("{} – {}", t.date(&s.arrival), t.date(&s.departure)),
            nights: (s.departure - s.arrival).num_days(),
            room: s.room_type.clone().unwrap_or_default(),
            status: t.t(&format!("status-{}", s.status.as_str().replace('_', "-"))),
            status_class: status_class(s),
            channel: s.channel.clone().unwrap_or_default(),
            spend: by_stay.get(&s.id).map(|m| amounts(t, m)).unwrap_or_default(),
            requests: s.special_requests.clone().unwrap_or_default(),
        })
        .collect()
}

fn amounts(t: Tr, by_currency: &BTreeMap<&'static str, i64>) -> String {
    by_currency
        .iter()
        .filter_map(|(code, minor)| Currency::parse(code).ok().map(|c| t.money(*minor, &c)))
        .collect::<Vec<_>>()
        .join(" + ")
}

fn spend_rows(t: Tr, spend: &[SpendLine]) -> Vec<SpendRow> {
    let mut by_cat: BTreeMap<_, BTreeMap<&'static str, i64>> = BTreeMap::new();
    for l in spend {
        *by_cat.entry(l.category).or_default().entry(l.amount.currency.code()).or_default() += l.amount.minor;
    }
    by_cat
        .into_iter()
        .map(|(cat, m)| SpendRow {
            category: t.t(&format!("spend-{}", cat.as_str().replace('_', "-"))),
            amounts: amounts(t, &m),
        })
        .collect()
}

fn note_rows(t: Tr, notes: &[Note], stays: &[Stay], hotels: &HashMap<i64, Hotel>) -> Vec<NoteRow> {
    let tz = chrono_tz::UTC;
    notes
        .iter()
        .map(|n| NoteRow {
            body: n.body.clone(),
            author: n.author.clone(),
            when: t.datetime(&n.created_at, hotel_tz(n.hotel_id, hotels).unwrap_or(tz)),
            about: n
                .stay_id
                .and_then(|id| stays.iter().find(|s| s.id == id))
                .map(|s| format!("{} · {}", hotel_name(hotels, s.hotel_id), t.date(&s.arrival)))
                .unwrap_or_default(),
        })
        .collect()
}

fn hotel_tz(hotel: Option<i64>, hotels: &HashMap<i64, Hotel>) -> Option<chrono_tz::Tz> {
    hotel.and_then(|h| hotels.get(&h)).and_then(|h| h.timezone.parse().ok())
}

fn value_row(t: Tr, v: &rapport_store::StoredValue, hotels: &HashMap<i64, Hotel>) -> ValueRow {
    let currency = Currency::parse(&v.currency).ok();
    let money = |minor: f64| currency.map(|c| t.money_whole(minor.round() as i64, &c)).unwrap_or_default();
    ValueRow {
        scope: v.hotel_id.map_or_else(|| t.t("dashboard-group"), |h| hotel_name(hotels, h)),
        tier: t.t(&format!("tier-{}", v.tier)),
        tier_key: v.tier.clone(),
        rfm: format!(
            "{} ({}-{}-{})",
            t.t(&format!("rfm-{}", v.rfm_segment.replace('_', "-"))),
            v.rfm_recency,
            v.rfm_frequency,
            v.rfm_monetary
        ),
        revenue: money(v.revenue as f64),
        p_alive: v.probability_alive.map(|p| t.percent(p)).unwrap_or_else(|| "—".into()),
        expected_stays: v.expected_stays.map(|x| format!("{x:.2}")).unwrap_or_else(|| "—".into()),
        lifetime_value: v.lifetime_value.map(money).unwrap_or_else(|| "—".into()),
        churn: v
            .churn_risk
            .as_deref()
            .map(|c| t.t(&format!("churn-{c}")))
            .unwrap_or_else(|| "—".into()),
        churn_key: v.churn_risk.clone().unwrap_or_default(),
    }
}

fn consent_rows(t: Tr, g: &Guest) -> Vec<ConsentRow> {
    ConsentChannel::ALL
        .iter()
        .map(|ch| {
            let current = g.consents.iter().filter(|c| c.channel == *ch).max_by_key(|c| c.recorded_at);
            ConsentRow {
                channel: t.t(&format!("channel-{}", ch.as_str())),
                status: match current {
                    Some(c) if c.granted => t.t("consent-granted"),
                    Some(_) => t.t("consent-refused"),
                    None => t.t("consent-unknown"),
                },
                granted: current.map(|c| c.granted),
                detail: current
                    .map(|c| format!("{} · {} · {}", t.datetime(&c.recorded_at, chrono_tz::UTC), c.source, c.recorded_by))
                    .unwrap_or_default(),
            }
        })
        .collect()
}

#[derive(Deserialize)]
pub struct NoteForm {
    body: String,
    stay: Option<String>,
}

/// Adds a note (who and when are recorded by the store) and shows the page again.
pub async fn add_note(State(state): State<ConsoleState>, staff: Staff, Path(id): Path<GuestId>, Form(form): Form<NoteForm>) -> Response {
    match try_add_note(&state, &staff, id, form).await {
        Ok(resp) => resp,
        Err(e) => e.into_response(),
    }
}

async fn try_add_note(state: &ConsoleState, staff: &Staff, id: GuestId, form: NoteForm) -> Result<Response, PageError> {
    staff.require(Action::WriteNotes)?;
    let t = staff.tr;
    let store = &state.app.store;
    let stay_id: Option<StayId> = form.stay.as_deref().filter(|s| !s.is_empty()).and_then(|s| s.parse().ok());
    // What was typed, to show again when the note is not added; card numbers masked (never
    // sent back) and NULs dropped (refused too, and no form field can show one).
    let draft = |error: &str| NoteDraft {
        body: mask_card_numbers(&form.body).0.replace('\0', ""),
        stay: stay_id,
        error: t.t(error),
    };
    let body = match note_body(&form.body) {
        Ok(body) => body,
        Err(e) => {
            let error = match e.message.as_str() {
                CARD_REFUSAL => "invalid-card",
                NUL_REFUSAL => "note-nul",
                _ => "note-invalid",
            };
            return draft_page(state, staff, id, draft(error)).await;
        }
    };
    // A profile merged away while the note was written: the note is not moved to the
    // profile it went into unasked; that profile's page comes back with the draft, to be
    // checked and added there (its stays are the survivor's now, so the chosen one stays
    // chosen). Checked before the stay, which already belongs to the survivor.
    if let Err(StoreError::Merged { into, .. }) = store.guest(id).await {
        return draft_page(state, staff, into, draft("note-merged")).await;
    }
    let hotel = match stay_id {
        Some(sid) => {
            let stay = store.stay(sid).await.page(t)?;
            if stay.guest_id != id || !staff.principal().scope.allows(stay.hotel_id) {
                return Err(PageError::not_found(t));
            }
            Some(stay.hotel_id)
        }
        None => None,
    };
    match store.add_note(id, stay_id, hotel, body, staff.login()).await {
        // Merged between the check above and the write.
        Err(StoreError::Merged { into, .. }) => draft_page(state, staff, into, draft("note-merged")).await,
        added => {
            added.page(t)?;
            Ok(Redirect::to(&format!("/guests/{id}#notes")).into_response())
        }
    }
}

/// Guest `id`'s page with a note that was not added back in its form (422).
async fn draft_page(state: &ConsoleState, staff: &Staff, id: GuestId, draft: NoteDraft) -> Result<Response, PageError> {
    // The page's own address, not the form's: the language switch returns there.
    let page = Uri::try_from(format!("/guests/{id}")).map_err(|_| PageError::not_found(staff.tr))?;
    guest_page(state, staff, &page, id, &GuestQuery::default(), Some(draft)).await
}
