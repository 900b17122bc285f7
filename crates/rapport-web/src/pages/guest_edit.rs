//! Editing a guest profile in a form: the same validation as the API (the domain's
//! `GuestInput`), with each problem shown next to its field and nothing stored until
//! every field is right. A colleague's edit in between is never overwritten.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::NaiveDate;
use rapport_domain::access::Action;
use rapport_domain::card::CARD_REFUSAL;
use rapport_domain::guest::{
    AddressInput, ContactInput, FamilyMember, Guest, GuestId, GuestInput, NameInput, Preference, PreferenceKind, Taboo, TabooKind,
};
use rapport_store::StoreError;
use serde::Deserialize;

use super::Layout;
use crate::error::{render, PageError, PageResult};
use crate::i18n::{Lang, Tr};
use crate::session::Staff;
use crate::ConsoleState;

/// The form's fields, as typed. Lists are one item per line.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct GuestForm {
    version: i64,
    title: String,
    given: String,
    family: String,
    native: String,
    language: String,
    nationality: String,
    birthday: String,
    anniversary: String,
    emails: String,
    phones: String,
    company: String,
    vip_code: String,
    tags: String,
    street: String,
    postcode: String,
    city: String,
    region: String,
    country: String,
    preferences: String,
    taboos: String,
    family_members: String,
}

impl GuestForm {
    fn of(g: &Guest) -> Self {
        let p = &g.profile;
        let a = p.address.clone().unwrap_or_default();
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        Self {
            version: g.version,
            title: opt(&p.name.title),
            given: p.name.given.clone(),
            family: p.name.family.clone(),
            native: opt(&p.name.native),
            language: opt(&p.language),
            nationality: opt(&p.nationality),
            birthday: p.birthday.map(|d| d.to_string()).unwrap_or_default(),
            anniversary: p.anniversary.map(|d| d.to_string()).unwrap_or_default(),
            emails: p.emails.iter().map(|e| e.value.clone()).collect::<Vec<_>>().join("\n"),
            phones: p.phones.iter().map(|e| e.value.clone()).collect::<Vec<_>>().join("\n"),
            company: opt(&p.company),
            vip_code: opt(&p.vip_code),
            tags: p.tags.join(", "),
            street: opt(&a.street),
            postcode: opt(&a.postcode),
            city: opt(&a.city),
            region: opt(&a.region),
            country: opt(&a.country),
            preferences: p
                .preferences
                .iter()
                .map(|x| format!("{}: {} = {}", kind_word(&x.kind), x.key, x.value))
                .collect::<Vec<_>>()
                .join("\n"),
            taboos: p
                .taboos
                .iter()
                .map(|x| format!("{}: {}", kind_word(&x.kind), x.description))
                .collect::<Vec<_>>()
                .join("\n"),
            family_members: p
                .family
                .iter()
                .map(|f| {
                    format!(
                        "{}; {}; {}",
                        f.name,
                        f.relation,
                        f.birthday.map(|d| d.to_string()).unwrap_or_default()
                    )
                })
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }

    /// The typed values as the domain's input, or the fields that could not even be read.
    fn to_input(&self, errors: &mut Errors) -> GuestInput {
        let date = |field: &'static str, text: &str, errors: &mut Errors| -> Option<NaiveDate> {
            let text = text.trim();
            if text.is_empty() {
                return None;
            }
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map_err(|_| errors.add(field, "invalid-date", "not a date (YYYY-MM-DD)"))
                .ok()
        };
        let lines = |text: &str| {
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect::<Vec<_>>()
        };
        let mut preferences = Vec::new();
        for line in lines(&self.preferences) {
            match parse_preference(&line) {
                Some(p) => preferences.push(p),
                None => errors.add(
                    "preferences",
                    "invalid-preference",
                    &format!("'{line}' is not 'room|food|service: what = value'"),
                ),
            }
        }
        let mut taboos = Vec::new();
        for line in lines(&self.taboos) {
            match parse_taboo(&line) {
                Some(x) => taboos.push(x),
                None => errors.add("taboos", "invalid-taboo", &format!("'{line}' is not 'allergy|taboo|dislike: what'")),
            }
        }
        let mut family = Vec::new();
        for line in lines(&self.family_members) {
            let parts: Vec<&str> = line.split(';').map(str::trim).collect();
            let birthday = parts.get(2).and_then(|b| date("family_members", b, errors));
            family.push(FamilyMember {
                name: parts[0].to_string(),
                relation: parts.get(1).map(|r| r.to_string()).unwrap_or_default(),
                birthday,
            });
        }
        // The form shows every field, so it sends every field: a blank one clears.
        let set = |s: &str| Some(Some(s.trim().to_string()));
        GuestInput {
            name: Some(NameInput::whole(&self.title, &self.given, &self.family, &self.native)),
            language: set(&self.language),
            nationality: set(&self.nationality),
            birthday: Some(date("birthday", &self.birthday, errors)),
            anniversary: Some(date("anniversary", &self.anniversary, errors)),
            // Bare values: one already on the profile keeps its label and, when an import
            // flagged it, stays as it was (see GuestInput); the form shows no labels.
            emails: Some(Some(lines(&self.emails).into_iter().map(ContactInput::Value).collect())),
            phones: Some(Some(lines(&self.phones).into_iter().map(ContactInput::Value).collect())),
            address: Some(Some(AddressInput::whole(
                &self.street,
                &self.city,
                &self.postcode,
                &self.region,
                &self.country,
            ))),
            company: set(&self.company),
            family: Some(Some(family)),
            preferences: Some(Some(preferences)),
            taboos: Some(Some(taboos)),
            tags: Some(Some(
                self.tags
                    .split([',', '，'])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect(),
            )),
            vip_code: set(&self.vip_code),
            external_ids: None,
        }
    }
}

fn kind_word<T: serde::Serialize>(kind: &T) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// `room: floor = high`
fn parse_preference(line: &str) -> Option<Preference> {
    let (kind, rest) = line.split_once(':')?;
    let kind = match kind.trim().to_lowercase().as_str() {
        "room" | "客房" => PreferenceKind::Room,
        "food" | "餐饮" => PreferenceKind::Food,
        "service" | "服务" => PreferenceKind::Service,
        _ => return None,
    };
    let (key, value) = rest.split_once('=')?;
    Some(Preference {
        kind,
        key: key.trim().to_string(),
        value: value.trim().to_string(),
    })
}

/// `allergy: peanuts`
fn parse_taboo(line: &str) -> Option<Taboo> {
    let (kind, what) = line.split_once(':')?;
    let kind = match kind.trim().to_lowercase().as_str() {
        "allergy" | "过敏" => TabooKind::Allergy,
        "taboo" | "禁忌" => TabooKind::Taboo,
        "dislike" | "不喜欢" => TabooKind::Dislike,
        _ => return None,
    };
    let what = what.trim();
    (!what.is_empty()).then(|| Taboo {
        kind,
        description: what.to_string(),
    })
}

/// Problems per form field, in the user's language.
#[derive(Default)]
struct Errors {
    tr: Option<Tr>,
    by_field: BTreeMap<&'static str, Vec<String>>,
}

impl Errors {
    fn new(tr: Tr) -> Self {
        Self {
            tr: Some(tr),
            by_field: BTreeMap::new(),
        }
    }

    /// English shows the precise reason; other languages the field's translated reason.
    fn add(&mut self, field: &'static str, key: &str, english: &str) {
        let tr = self.tr.expect("errors know their language");
        let message = if tr.lang == Lang::En { english.to_string() } else { tr.t(key) };
        self.by_field.entry(field).or_default().push(message);
    }

    /// A domain validation error, whose field path (`emails[1]`, `name.given`) names the input.
    fn add_domain(&mut self, path: &str, english: &str) {
        let head = path.split(['[', '.']).next().unwrap_or(path);
        let sub = path.rsplit(['[', '.']).next().unwrap_or_default();
        let (field, key) = match head {
            "name" => match sub {
                "title" => ("title", "invalid-name"),
                "family" => ("family", "invalid-name"),
                "native" => ("native", "invalid-name"),
                _ => ("given", "invalid-name"),
            },
            "language" => ("language", "invalid-language"),
            "nationality" => ("nationality", "invalid-country"),
            "birthday" => ("birthday", "invalid-birthday"),
            "anniversary" => ("anniversary", "invalid-date"),
            "emails" => ("emails", "invalid-email"),
            "phones" => ("phones", "invalid-phone"),
            "address" => match path {
                "address.street" => ("street", "invalid-field"),
                "address.city" => ("city", "invalid-field"),
                "address.postcode" => ("postcode", "invalid-field"),
                "address.region" => ("region", "invalid-field"),
                _ => ("country", "invalid-country"),
            },
            "company" => ("company", "invalid-field"),
            "family" => ("family_members", "invalid-family"),
            "preferences" => ("preferences", "invalid-preference"),
            "taboos" => ("taboos", "invalid-taboo"),
            "tags" => ("tags", "invalid-field"),
            "vip_code" => ("vip_code", "invalid-field"),
            _ => ("given", "invalid-field"),
        };
        let key = if english == CARD_REFUSAL { "invalid-card" } else { key };
        self.add(field, key, english);
    }

    fn is_empty(&self) -> bool {
        self.by_field.is_empty()
    }
}

#[derive(Template)]
#[template(path = "guest_edit.html")]
struct EditPage {
    t: Tr,
    layout: Layout,
    id: GuestId,
    form: GuestForm,
    errors: BTreeMap<&'static str, Vec<String>>,
    conflict: bool,
}

impl EditPage {
    /// The problems with one field, for `aria-invalid` and the message under it.
    fn err(&self, field: &str) -> String {
        self.errors.get(field).map(|v| v.join("; ")).unwrap_or_default()
    }
}

pub async fn form(State(state): State<ConsoleState>, staff: Staff, uri: Uri, Path(id): Path<GuestId>) -> Result<Response, PageError> {
    staff.require(Action::WriteGuests)?;
    let guest = state.app.store.guest(id).await.page(staff.tr)?;
    let page = EditPage {
        t: staff.tr,
        layout: Layout::new(&staff, &uri, "guest"),
        id,
        form: GuestForm::of(&guest),
        errors: BTreeMap::new(),
        conflict: false,
    };
    Ok(render(staff.tr, &page)?.into_response())
}

pub async fn save(
    State(state): State<ConsoleState>,
    staff: Staff,
    uri: Uri,
    Path(id): Path<GuestId>,
    Form(form): Form<GuestForm>,
) -> Result<Response, PageError> {
    staff.require(Action::WriteGuests)?;
    let t = staff.tr;
    let store = &state.app.store;
    let guest = store.guest(id).await.page(t)?;
    let mut errors = Errors::new(t);
    let input = form.to_input(&mut errors);
    let mut profile = guest.profile.clone();
    if let Err(invalid) = input.apply_to(&mut profile, state.app.phone_region) {
        for e in invalid.0 {
            errors.add_domain(&e.field, &e.message);
        }
    }
    let again = |errors: Errors, conflict: bool, status: StatusCode| -> Result<Response, PageError> {
        let page = EditPage {
            t,
            layout: Layout::new(&staff, &uri, "guest"),
            id,
            form: form.clone(),
            errors: errors.by_field,
            conflict,
        };
        Ok((status, render(t, &page)?).into_response())
    };
    if !errors.is_empty() {
        return again(errors, false, StatusCode::UNPROCESSABLE_ENTITY);
    }
    if profile == guest.profile {
        // Nothing changed: no new version, and nothing a colleague's edit could clash with.
        return Ok(Redirect::to(&format!("/guests/{id}?saved=1")).into_response());
    }
    match store.update_guest(id, profile, Some(form.version)).await {
        Ok(_) => {
            // New contacts or a corrected name must be found by the next arrival's check.
            state.app.profiles_changed(&[id]).await;
            Ok(Redirect::to(&format!("/guests/{id}?saved=1")).into_response())
        }
        Err(StoreError::Conflict(_)) => again(Errors::new(t), true, StatusCode::CONFLICT),
        Err(e) => Err(PageError::from_store(e, t)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preference_and_taboo_lines_read_both_ways() {
        let p = parse_preference("room: floor = high").unwrap();
        assert_eq!((p.kind, p.key.as_str(), p.value.as_str()), (PreferenceKind::Room, "floor", "high"));
        assert!(parse_preference("floor high").is_none());
        assert!(parse_preference("garden: x = y").is_none());
        let x = parse_taboo("过敏: 花生").unwrap();
        assert_eq!((x.kind, x.description.as_str()), (TabooKind::Allergy, "花生"));
        assert!(parse_taboo("allergy:   ").is_none());
    }
}
