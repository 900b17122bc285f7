//! What a client sends to create or change a guest profile, and how it is applied.
//!
//! One type serves create and partial update (PATCH, the console's edit form): a field
//! that is absent keeps what is stored, `null` clears an optional field, and objects such
//! as the name are merged field by field, so an edit never loses what it did not mention.

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer};

use crate::contact::{ContactPoint, Email, Phone, Region};
use crate::error::ValidationErrors;
use crate::guest::{normalise_country, push_unique, Address, ExternalId, FamilyMember, GuestProfile, Preference, Taboo};
use crate::names::GuestName;

/// For `#[serde(default, deserialize_with = "nullable")]`: a missing field stays `None`
/// (keep), `null` becomes `Some(None)` (clear), a value `Some(Some(v))` (set).
fn nullable<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// A name as a client sends it, merged into the stored one: fields not sent are kept,
/// `null` clears one.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NameInput {
    /// Mr, Ms, Dr, 先生 …
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub title: Option<Option<String>>,
    /// Given name in Latin script.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub given: Option<Option<String>>,
    /// Family name in Latin script.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub family: Option<Option<String>>,
    /// Full name in the guest's own script, e.g. `张伟`.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub native: Option<Option<String>>,
}

impl NameInput {
    /// Every part set, as a form that shows them all sends it; blank parts are cleared.
    pub fn whole(title: &str, given: &str, family: &str, native: &str) -> Self {
        let set = |s: &str| Some(Some(s.to_string()));
        Self {
            title: set(title),
            given: set(given),
            family: set(family),
            native: set(native),
        }
    }

    fn merge_into(self, name: &mut GuestName) {
        let optional = |part: Option<Option<String>>, stored: &mut Option<String>| {
            if let Some(v) = part {
                *stored = non_blank(v);
            }
        };
        let required = |part: Option<Option<String>>, stored: &mut String| {
            if let Some(v) = part {
                *stored = v.map(|s| s.trim().to_string()).unwrap_or_default();
            }
        };
        optional(self.title, &mut name.title);
        required(self.given, &mut name.given);
        required(self.family, &mut name.family);
        optional(self.native, &mut name.native);
    }
}

/// A profile as a client sends it: raw strings, validated by [`GuestInput::apply_to`].
/// Every field is optional so the same type serves create and partial update: a field not
/// sent keeps what is stored, `null` clears it (an empty list for a list).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GuestInput {
    /// Merged into the stored name: parts not sent are kept.
    pub name: Option<NameInput>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub language: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub nationality: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub birthday: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<NaiveDate>)]
    pub anniversary: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Vec<ContactInput>>)]
    pub emails: Option<Option<Vec<ContactInput>>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Vec<ContactInput>>)]
    pub phones: Option<Option<Vec<ContactInput>>>,
    /// Merged into the stored address: lines not sent are kept.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<AddressInput>)]
    pub address: Option<Option<AddressInput>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub company: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Vec<FamilyMember>>)]
    pub family: Option<Option<Vec<FamilyMember>>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Vec<Preference>>)]
    pub preferences: Option<Option<Vec<Preference>>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Vec<Taboo>>)]
    pub taboos: Option<Option<Vec<Taboo>>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Vec<String>>)]
    pub tags: Option<Option<Vec<String>>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub vip_code: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Vec<ExternalId>>)]
    pub external_ids: Option<Option<Vec<ExternalId>>>,
}

/// An address as a client sends it, merged into the stored one line by line.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddressInput {
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub street: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub city: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub postcode: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub region: Option<Option<String>>,
    /// ISO 3166-1 alpha-2 or alpha-3 code.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub country: Option<Option<String>>,
}

impl AddressInput {
    /// Every line set, as a form that shows them all sends it; blank lines are cleared.
    pub fn whole(street: &str, city: &str, postcode: &str, region: &str, country: &str) -> Self {
        let set = |s: &str| Some(Some(s.to_string()));
        Self {
            street: set(street),
            city: set(city),
            postcode: set(postcode),
            region: set(region),
            country: set(country),
        }
    }

    fn merge_into(self, address: &mut Address, errors: &mut ValidationErrors) {
        for (line, stored) in [
            (self.street, &mut address.street),
            (self.city, &mut address.city),
            (self.postcode, &mut address.postcode),
            (self.region, &mut address.region),
        ] {
            if let Some(v) = line {
                *stored = non_blank(v);
            }
        }
        if let Some(country) = self.country {
            match normalise_country(&country.unwrap_or_default()) {
                Ok(c) => address.country = c,
                Err(e) => errors.push("address.country", e),
            }
        }
    }
}

/// The text of a field sent with a value.
fn set(field: &Option<Option<String>>) -> Option<&str> {
    field.as_ref().and_then(Option::as_deref)
}

/// A field sent as `null` reads as blank or empty, which every field takes as "clear".
fn cleared<T: Default>(field: Option<Option<T>>) -> Option<T> {
    field.map(Option::unwrap_or_default)
}

fn non_blank(s: Option<String>) -> Option<String> {
    s.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

/// An email or phone as a client sends it: the bare value, or the value with its label.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum ContactInput {
    /// Just the value; a value already on the profile keeps its label.
    Value(String),
    Labelled(LabelledContact),
}

/// `{"value": "+44 20 7946 0958", "label": "work"}`
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LabelledContact {
    pub value: String,
    /// `work`, `home`, `mobile` …; absent keeps the stored label, `null` removes it.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub label: Option<Option<String>>,
}

impl ContactInput {
    pub fn value(&self) -> &str {
        match self {
            Self::Value(v) => v,
            Self::Labelled(c) => &c.value,
        }
    }

    fn label(&self) -> Option<Option<String>> {
        match self {
            Self::Value(_) => None,
            Self::Labelled(c) => c.label.clone(),
        }
    }
}

/// The contact list as sent, reusing what is stored: a value the profile already has
/// (as stored, or once normalised) keeps its stored point with its label, and a flagged
/// value from an import stays as it is, flagged and out of identity matching, so an edit
/// of another field never has to fix it first. A new or changed value must normalise.
fn apply_contacts(
    stored: &[ContactPoint],
    sent: Vec<ContactInput>,
    field: &str,
    parse: impl Fn(&str) -> Result<String, String>,
    errors: &mut ValidationErrors,
) -> Vec<ContactPoint> {
    let mut out = Vec::with_capacity(sent.len());
    for (i, contact) in sent.iter().enumerate() {
        let raw = contact.value().trim();
        let same = |value: &str| stored.iter().find(|s| s.value == value).cloned();
        let mut point = match same(raw) {
            Some(kept) => kept,
            None => match parse(raw) {
                Ok(value) => same(&value).unwrap_or(ContactPoint {
                    value,
                    invalid: None,
                    label: None,
                }),
                Err(msg) => {
                    errors.push(format!("{field}[{i}]"), msg);
                    continue;
                }
            },
        };
        if let Some(label) = contact.label() {
            point.label = non_blank(label);
        }
        push_unique(&mut out, point);
    }
    out
}

impl GuestInput {
    /// Applies the given fields to `profile`, strictly: through the API a new email or phone
    /// that does not normalise is an error the user can fix, not a silently flagged value.
    pub fn apply_to(self, profile: &mut GuestProfile, region: Region) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        self.check_texts(&mut errors);
        let today = chrono::Utc::now().date_naive();
        // `null` on a text field or list is the same as blank or empty: cleared.
        let (language, nationality, company, vip_code) = (
            cleared(self.language),
            cleared(self.nationality),
            cleared(self.company),
            cleared(self.vip_code),
        );
        let (emails, phones, family, tags) = (cleared(self.emails), cleared(self.phones), cleared(self.family), cleared(self.tags));
        let (preferences, taboos, external_ids) = (cleared(self.preferences), cleared(self.taboos), cleared(self.external_ids));
        if let Some(input) = self.name {
            let mut name = profile.name.clone();
            input.merge_into(&mut name);
            if name.is_empty() {
                errors.push("name", "a guest needs a given, family or native-script name");
            }
            profile.name = name;
        }
        if let Some(lang) = language {
            let lang = lang.trim().to_string();
            if lang.is_empty() {
                profile.language = None;
            } else if !is_language_tag(&lang) {
                errors.push("language", format!("'{lang}' is not a BCP 47 language tag such as en or zh-CN"));
            } else {
                profile.language = Some(lang);
            }
        }
        if let Some(nat) = nationality {
            match normalise_country(&nat) {
                Ok(c) => profile.nationality = c,
                Err(e) => errors.push("nationality", e),
            }
        }
        if let Some(birthday) = self.birthday {
            if birthday.is_some_and(|b| b > today) {
                errors.push("birthday", "a birthday cannot be in the future");
            }
            profile.birthday = birthday;
        }
        if let Some(anniversary) = self.anniversary {
            profile.anniversary = anniversary;
        }
        if let Some(emails) = emails {
            profile.emails = apply_contacts(
                &profile.emails,
                emails,
                "emails",
                |raw| Email::parse(raw).map(|e| e.as_str().to_string()),
                &mut errors,
            );
        }
        if let Some(phones) = phones {
            let parse = |raw: &str| Phone::parse(raw, region).map(|p| p.as_str().to_string());
            profile.phones = apply_contacts(&profile.phones, phones, "phones", parse, &mut errors);
        }
        if let Some(input) = self.address {
            let mut address = profile.address.clone().unwrap_or_default();
            if let Some(input) = input {
                input.merge_into(&mut address, &mut errors);
            } else {
                address = Address::default();
            }
            // No line left (or a form with every line blank) means no address, not an empty one.
            profile.address = Some(address).filter(|a| *a != Address::default());
        }
        if let Some(company) = company {
            profile.company = non_blank(Some(company));
        }
        if let Some(family) = family {
            for (i, m) in family.iter().enumerate() {
                if m.name.trim().is_empty() {
                    errors.push(format!("family[{i}].name"), "a family member needs a name");
                }
                if m.birthday.is_some_and(|b| b > today) {
                    errors.push(format!("family[{i}].birthday"), "a birthday cannot be in the future");
                }
            }
            profile.family = family;
        }
        if let Some(prefs) = preferences {
            for (i, p) in prefs.iter().enumerate() {
                if p.key.trim().is_empty() || p.value.trim().is_empty() {
                    errors.push(format!("preferences[{i}]"), "a preference needs a key and a value");
                }
            }
            profile.preferences = prefs;
        }
        if let Some(taboos) = taboos {
            for (i, t) in taboos.iter().enumerate() {
                if t.description.trim().is_empty() {
                    errors.push(format!("taboos[{i}].description"), "describe the allergy or taboo");
                }
            }
            profile.taboos = taboos;
        }
        if let Some(tags) = tags {
            let mut clean: Vec<String> = tags.into_iter().map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect();
            clean.sort();
            clean.dedup();
            profile.tags = clean;
        }
        if let Some(vip) = vip_code {
            profile.vip_code = non_blank(Some(vip));
        }
        if let Some(ids) = external_ids {
            for (i, x) in ids.iter().enumerate() {
                if x.source.trim().is_empty() || x.id.trim().is_empty() {
                    errors.push(format!("external_ids[{i}]"), "an external id needs a source and an id");
                }
            }
            profile.external_ids = ids;
        }
        errors.into_result(())
    }

    /// Caps what is sent (not what is stored: an edit of another field never has to trim
    /// an imported value first), and refuses card numbers in it: no payment-card data is
    /// stored (SPEC 12).
    fn check_texts(&self, errors: &mut ValidationErrors) {
        use crate::limits::{check_count, check_text, LINE, LIST, PARAGRAPH, SHORT};
        /// Free text: capped, and refused when it holds a card number.
        fn text(errors: &mut ValidationErrors, field: &str, value: Option<&str>, max: usize) {
            if let Some(v) = value {
                check_text(errors, field, v, max);
                crate::card::refuse_card_number(errors, field, v);
            }
        }
        if let Some(n) = &self.name {
            text(errors, "name.title", set(&n.title), SHORT);
            text(errors, "name.given", set(&n.given), 100);
            text(errors, "name.family", set(&n.family), 100);
            text(errors, "name.native", set(&n.native), 100);
        }
        text(errors, "language", set(&self.language), 35);
        text(errors, "nationality", set(&self.nationality), SHORT);
        text(errors, "company", set(&self.company), LINE);
        text(errors, "vip_code", set(&self.vip_code), SHORT);
        if let Some(Some(a)) = &self.address {
            for (field, line) in [
                ("street", &a.street),
                ("city", &a.city),
                ("postcode", &a.postcode),
                ("region", &a.region),
                ("country", &a.country),
            ] {
                text(errors, &format!("address.{field}"), set(line), LINE);
            }
        }
        for (i, c) in self.emails.iter().flatten().flatten().enumerate() {
            text(errors, &format!("emails[{i}]"), Some(c.value()), 254);
            text(errors, &format!("emails[{i}].label"), c.label().flatten().as_deref(), SHORT);
        }
        for (i, c) in self.phones.iter().flatten().flatten().enumerate() {
            // A phone number is stored normalised or refused as a phone, never as text, so
            // it is only capped.
            check_text(errors, format!("phones[{i}]"), c.value(), 254);
            text(errors, &format!("phones[{i}].label"), c.label().flatten().as_deref(), SHORT);
        }
        for (i, m) in self.family.iter().flatten().flatten().enumerate() {
            text(errors, &format!("family[{i}].name"), Some(&m.name), 100);
            text(errors, &format!("family[{i}].relation"), Some(&m.relation), SHORT);
        }
        for (i, p) in self.preferences.iter().flatten().flatten().enumerate() {
            text(errors, &format!("preferences[{i}].key"), Some(&p.key), SHORT);
            text(errors, &format!("preferences[{i}].value"), Some(&p.value), LINE);
        }
        for (i, t) in self.taboos.iter().flatten().flatten().enumerate() {
            text(errors, &format!("taboos[{i}].description"), Some(&t.description), PARAGRAPH);
        }
        for (i, t) in self.tags.iter().flatten().flatten().enumerate() {
            text(errors, &format!("tags[{i}]"), Some(t), SHORT);
        }
        for (i, x) in self.external_ids.iter().flatten().flatten().enumerate() {
            text(errors, &format!("external_ids[{i}].source"), Some(&x.source), SHORT);
            text(errors, &format!("external_ids[{i}].id"), Some(&x.id), LINE);
        }
        let counts = [
            ("emails", self.emails.as_ref().and_then(Option::as_ref).map(Vec::len)),
            ("phones", self.phones.as_ref().and_then(Option::as_ref).map(Vec::len)),
            ("family", self.family.as_ref().and_then(Option::as_ref).map(Vec::len)),
            ("preferences", self.preferences.as_ref().and_then(Option::as_ref).map(Vec::len)),
            ("taboos", self.taboos.as_ref().and_then(Option::as_ref).map(Vec::len)),
            ("tags", self.tags.as_ref().and_then(Option::as_ref).map(Vec::len)),
            ("external_ids", self.external_ids.as_ref().and_then(Option::as_ref).map(Vec::len)),
        ];
        for (field, len) in counts {
            check_count(errors, field, len.unwrap_or(0), LIST);
        }
    }

    /// Validates a new profile; a name is required.
    pub fn into_new_profile(self, region: Region) -> Result<GuestProfile, ValidationErrors> {
        let mut profile = GuestProfile::default();
        if self.name.is_none() {
            let mut errors = ValidationErrors::default();
            errors.push("name", "a guest needs a name");
            return Err(errors);
        }
        self.apply_to(&mut profile, region)?;
        Ok(profile)
    }
}

fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(json: &str) -> GuestInput {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn a_valid_profile_is_normalised() {
        let p = input(r#"{"name":{"given":" Wei ","family":"Zhang","native":"张伟"},"emails":["Wei.Zhang@Example.com"],"phones":["+86 138 1234 5678"],"nationality":"cn","tags":["b","a","a"]}"#)
            .into_new_profile(Region::default())
            .unwrap();
        assert_eq!(p.name.given, "Wei");
        assert_eq!(p.emails[0].value, "wei.zhang@example.com");
        assert_eq!(p.phones[0].value, "+8613812345678");
        assert_eq!(p.nationality.as_deref(), Some("CN"));
        assert_eq!(p.tags, vec!["a", "b"]);
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let err = input(r#"{"name":{"given":"","family":""},"emails":["nope"],"phones":["12"],"language":"english!"}"#)
            .into_new_profile(Region::default())
            .unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["name", "language", "emails[0]", "phones[0]"]);
    }

    #[test]
    fn a_partial_name_changes_only_the_parts_sent() {
        let mut p = input(r#"{"name":{"given":"Ann","family":"Tester","native":"安·特斯特","title":"Ms"}}"#)
            .into_new_profile(Region::default())
            .unwrap();
        input(r#"{"name":{"given":"Annie"}}"#).apply_to(&mut p, Region::default()).unwrap();
        assert_eq!((p.name.given.as_str(), p.name.family.as_str()), ("Annie", "Tester"));
        assert_eq!(p.name.native.as_deref(), Some("安·特斯特"));
        input(r#"{"name":{"native":null,"title":null}}"#)
            .apply_to(&mut p, Region::default())
            .unwrap();
        assert_eq!(
            (p.name.native.clone(), p.name.title.clone()),
            (None, None),
            "null clears an optional part"
        );
        assert_eq!(p.name.latin(), "Annie Tester");
        let err = input(r#"{"name":{"given":null,"family":" "}}"#)
            .apply_to(&mut p, Region::default())
            .unwrap_err();
        assert_eq!(err.0[0].field, "name", "clearing every part leaves no name");
    }

    #[test]
    fn contacts_already_stored_keep_their_label_and_flag() {
        let region = Region::default();
        let mut work = ContactPoint::email_lenient("ann@example.com");
        work.label = Some("work".into());
        let mut p = GuestProfile {
            emails: vec![work, ContactPoint::email_lenient("n/a")],
            phones: vec![ContactPoint::phone_lenient("020 7946 0000", region)],
            ..Default::default()
        };
        assert!(!p.emails[1].is_valid() && !p.phones[0].is_valid());
        input(r#"{"emails":["ANN@example.com","n/a"],"phones":["020 7946 0000"],"company":"Acme"}"#)
            .apply_to(&mut p, region)
            .unwrap();
        assert_eq!(p.emails[0].label.as_deref(), Some("work"), "same value once normalised");
        assert_eq!(p.emails[1].value, "n/a");
        assert!(!p.emails[1].is_valid() && !p.phones[0].is_valid(), "still flagged");
        input(r#"{"phones":[{"value":"020 7946 0000","label":"home"},{"value":"+1 669 792 1661","label":" mobile "}]}"#)
            .apply_to(&mut p, region)
            .unwrap();
        assert_eq!(p.phones[0].label.as_deref(), Some("home"));
        assert_eq!(
            (p.phones[1].value.as_str(), p.phones[1].label.as_deref()),
            ("+16697921661", Some("mobile"))
        );
        input(r#"{"phones":[{"value":"+16697921661","label":null},"020 7946 0000"]}"#)
            .apply_to(&mut p, region)
            .unwrap();
        assert_eq!((p.phones[0].label.clone(), p.phones[1].label.as_deref()), (None, Some("home")));
        let err = input(r#"{"emails":["n/a","N/A"],"phones":[{"value":"12"}]}"#)
            .apply_to(&mut p, region)
            .unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["emails[1]", "phones[0]"], "a new or changed value must normalise");
    }

    #[test]
    fn null_clears_and_absent_keeps() {
        let region = Region::default();
        let mut p = input(r#"{"name":{"given":"Ann"},"birthday":"1980-01-02","anniversary":"2005-06-07","company":"Acme","tags":["a"],"address":{"street":"1 Main St","city":"Porto","country":"pt"}}"#)
            .into_new_profile(region)
            .unwrap();
        input(r#"{"address":{"city":"Lisbon"}}"#).apply_to(&mut p, region).unwrap();
        let address = p.address.clone().unwrap();
        assert_eq!(
            (address.street.as_deref(), address.city.as_deref(), address.country.as_deref()),
            (Some("1 Main St"), Some("Lisbon"), Some("PT"))
        );
        input(r#"{"birthday":null,"company":null,"tags":null}"#)
            .apply_to(&mut p, region)
            .unwrap();
        assert_eq!((p.birthday, p.company.clone(), p.tags.len()), (None, None, 0));
        assert!(p.anniversary.is_some(), "a field not sent is kept");
        input(r#"{"address":{"street":null,"city":null,"country":null}}"#)
            .apply_to(&mut p, region)
            .unwrap();
        assert_eq!(p.address, None, "no line left is no address");
        assert!(
            serde_json::from_str::<GuestInput>(r#"{"birthday":""}"#).is_err(),
            "blank is not a date; null clears"
        );
    }

    #[test]
    fn every_free_text_field_and_list_is_capped() {
        let mut p = input(r#"{"name":{"given":"Ann"}}"#).into_new_profile(Region::default()).unwrap();
        let body = serde_json::json!({"company": "x".repeat(900_000), "vip_code": "v".repeat(51), "tags": (0..20_000).map(|i| i.to_string()).collect::<Vec<_>>(),
            "name": {"native": "名".repeat(101)}, "taboos": [{"kind": "allergy", "description": "p".repeat(501)}]});
        let err = serde_json::from_value::<GuestInput>(body)
            .unwrap()
            .apply_to(&mut p, Region::default())
            .unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["name.native", "company", "vip_code", "taboos[0].description", "tags"]);
    }

    #[test]
    fn unknown_fields_are_refused() {
        assert!(serde_json::from_str::<GuestInput>(r#"{"credit_card":"4111"}"#).is_err());
    }
}
