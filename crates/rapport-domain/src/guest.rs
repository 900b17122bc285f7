//! The guest profile: one per real person, shared by every hotel of the group.
//!
//! A profile is an aggregate read and written as a whole (the 360° page, the API and the
//! arrivals brief all need all of it), so it travels as one document; the storage layer
//! keeps index rows beside it for identity matching and search.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::contact::{ContactPoint, Email, Phone, Region};
use crate::error::ValidationErrors;
use crate::names::GuestName;

/// Row id of a guest profile.
pub type GuestId = i64;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Address {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postcode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// ISO 3166-1 alpha-2 or alpha-3 code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FamilyMember {
    pub name: String,
    /// spouse, child, parent, …
    pub relation: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birthday: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PreferenceKind {
    Room,
    Food,
    Service,
}

/// A typed preference such as room/`pillow`=`buckwheat` or food/`diet`=`vegetarian`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Preference {
    pub kind: PreferenceKind,
    /// What it is about: `floor`, `bed`, `pillow`, `smoking`, `diet`, `newspaper` …
    pub key: String,
    pub value: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TabooKind {
    /// A medical allergy: staff must never serve or place it.
    Allergy,
    /// A cultural or personal taboo (e.g. room number 4, certain colours).
    Taboo,
    /// Something the guest dislikes.
    Dislike,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Taboo {
    pub kind: TabooKind,
    pub description: String,
}

/// An id the guest carries in another system (PMS profile number, booking engine id).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ExternalId {
    pub source: String,
    pub id: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConsentChannel {
    Email,
    Sms,
    Phone,
    Post,
    Wechat,
}

impl ConsentChannel {
    pub const ALL: [ConsentChannel; 5] = [Self::Email, Self::Sms, Self::Phone, Self::Post, Self::Wechat];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Sms => "sms",
            Self::Phone => "phone",
            Self::Post => "post",
            Self::Wechat => "wechat",
        }
    }

    pub fn parse(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| format!("unknown consent channel '{s}'"))
    }
}

/// One consent decision. Records are append-only: the current state of a channel is its
/// latest record, and the history shows when, how and by whom consent changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ConsentRecord {
    pub channel: ConsentChannel,
    pub granted: bool,
    pub recorded_at: DateTime<Utc>,
    /// How consent was given: `web form`, `registration card`, `import:opera` …
    pub source: String,
    /// Who recorded it: a staff login, a token name, or `guest`.
    pub recorded_by: String,
}

/// Everything the group knows about a guest, apart from stays, spend and notes, which
/// have their own tables.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct GuestProfile {
    pub name: GuestName,
    /// BCP 47 tag of the guest's language, e.g. `en`, `zh-CN`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// ISO 3166-1 code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nationality: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birthday: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anniversary: Option<NaiveDate>,
    #[serde(default)]
    pub emails: Vec<ContactPoint>,
    #[serde(default)]
    pub phones: Vec<ContactPoint>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    #[serde(default)]
    pub family: Vec<FamilyMember>,
    #[serde(default)]
    pub preferences: Vec<Preference>,
    #[serde(default)]
    pub taboos: Vec<Taboo>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vip_code: Option<String>,
    #[serde(default)]
    pub external_ids: Vec<ExternalId>,
    /// Other names the guest is known by, kept from merged profiles (a maiden name, a
    /// second romanisation); search and identity matching use them too.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<GuestName>,
    /// Values a merged profile had for a field this one already had differently (two
    /// birthdays): kept for a person to settle, never silently dropped.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<crate::merge::Alternative>,
}

/// A stored profile with its id and bookkeeping.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Guest {
    pub id: GuestId,
    #[serde(flatten)]
    pub profile: GuestProfile,
    /// Current consent per channel: the latest record of each.
    pub consents: Vec<ConsentRecord>,
    /// Incremented on every change; send it back to update without losing a colleague's edit.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A profile as a client sends it: raw strings, validated by [`GuestInput::apply_to`].
/// Every field is optional so the same type serves create and partial update.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GuestInput {
    pub name: Option<GuestName>,
    pub language: Option<String>,
    pub nationality: Option<String>,
    pub birthday: Option<NaiveDate>,
    pub anniversary: Option<NaiveDate>,
    pub emails: Option<Vec<String>>,
    pub phones: Option<Vec<String>>,
    pub address: Option<Address>,
    pub company: Option<String>,
    pub family: Option<Vec<FamilyMember>>,
    pub preferences: Option<Vec<Preference>>,
    pub taboos: Option<Vec<Taboo>>,
    pub tags: Option<Vec<String>>,
    pub vip_code: Option<String>,
    pub external_ids: Option<Vec<ExternalId>>,
}

fn non_blank(s: Option<String>) -> Option<String> {
    s.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

impl GuestInput {
    /// Applies the given fields to `profile`, strictly: through the API an email or phone
    /// that does not normalise is an error the user can fix, not a silently flagged value.
    pub fn apply_to(self, profile: &mut GuestProfile, region: Region) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        for (field, text) in self.texts() {
            crate::card::refuse_card_number(&mut errors, field, text);
        }
        let today = chrono::Utc::now().date_naive();
        if let Some(name) = self.name {
            let name = GuestName {
                title: non_blank(name.title),
                given: name.given.trim().to_string(),
                family: name.family.trim().to_string(),
                native: non_blank(name.native),
            };
            if name.is_empty() {
                errors.push("name", "a guest needs a given, family or native-script name");
            }
            for (field, value) in [("name.given", &name.given), ("name.family", &name.family)] {
                if value.chars().count() > 100 {
                    errors.push(field, "at most 100 characters");
                }
            }
            profile.name = name;
        }
        if let Some(lang) = self.language {
            let lang = lang.trim().to_string();
            if lang.is_empty() {
                profile.language = None;
            } else if !is_language_tag(&lang) {
                errors.push("language", format!("'{lang}' is not a BCP 47 language tag such as en or zh-CN"));
            } else {
                profile.language = Some(lang);
            }
        }
        if let Some(nat) = self.nationality {
            match normalise_country(&nat) {
                Ok(c) => profile.nationality = c,
                Err(e) => errors.push("nationality", e),
            }
        }
        if let Some(b) = self.birthday {
            if b > today {
                errors.push("birthday", "a birthday cannot be in the future");
            }
            profile.birthday = Some(b);
        }
        if let Some(a) = self.anniversary {
            profile.anniversary = Some(a);
        }
        if let Some(emails) = self.emails {
            profile.emails.clear();
            for (i, raw) in emails.iter().enumerate() {
                match Email::parse(raw) {
                    Ok(e) => {
                        push_unique(&mut profile.emails, ContactPoint::from_email(e));
                    }
                    Err(msg) => errors.push(format!("emails[{i}]"), msg),
                }
            }
        }
        if let Some(phones) = self.phones {
            profile.phones.clear();
            for (i, raw) in phones.iter().enumerate() {
                match Phone::parse(raw, region) {
                    Ok(p) => {
                        push_unique(&mut profile.phones, ContactPoint::from_phone(p));
                    }
                    Err(msg) => errors.push(format!("phones[{i}]"), msg),
                }
            }
        }
        if let Some(mut address) = self.address {
            if let Some(c) = address.country.take() {
                match normalise_country(&c) {
                    Ok(c) => address.country = c,
                    Err(e) => errors.push("address.country", e),
                }
            }
            profile.address = Some(address);
        }
        if let Some(company) = self.company {
            profile.company = non_blank(Some(company));
        }
        if let Some(family) = self.family {
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
        if let Some(prefs) = self.preferences {
            for (i, p) in prefs.iter().enumerate() {
                if p.key.trim().is_empty() || p.value.trim().is_empty() {
                    errors.push(format!("preferences[{i}]"), "a preference needs a key and a value");
                }
            }
            profile.preferences = prefs;
        }
        if let Some(taboos) = self.taboos {
            for (i, t) in taboos.iter().enumerate() {
                if t.description.trim().is_empty() {
                    errors.push(format!("taboos[{i}].description"), "describe the allergy or taboo");
                }
            }
            profile.taboos = taboos;
        }
        if let Some(tags) = self.tags {
            let mut clean: Vec<String> = tags.into_iter().map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect();
            clean.sort();
            clean.dedup();
            profile.tags = clean;
        }
        if let Some(vip) = self.vip_code {
            profile.vip_code = non_blank(Some(vip));
        }
        if let Some(ids) = self.external_ids {
            for (i, x) in ids.iter().enumerate() {
                if x.source.trim().is_empty() || x.id.trim().is_empty() {
                    errors.push(format!("external_ids[{i}]"), "an external id needs a source and an id");
                }
            }
            profile.external_ids = ids;
        }
        errors.into_result(())
    }

    /// Every text given that would be stored, with its field path: card numbers are refused
    /// in all of them (SPEC 12). Phones are left out: they are stored normalised or refused.
    fn texts(&self) -> Vec<(String, &str)> {
        let mut out: Vec<(String, &str)> = Vec::new();
        let mut optional = Vec::new();
        if let Some(n) = &self.name {
            out.push(("name.given".into(), &n.given));
            out.push(("name.family".into(), &n.family));
            optional.extend([("name.title", &n.title), ("name.native", &n.native)]);
        }
        if let Some(a) = &self.address {
            optional.extend([
                ("address.street", &a.street),
                ("address.city", &a.city),
                ("address.postcode", &a.postcode),
                ("address.region", &a.region),
            ]);
        }
        optional.extend([("company", &self.company), ("vip_code", &self.vip_code)]);
        for (field, v) in optional {
            if let Some(v) = v {
                out.push((field.into(), v));
            }
        }
        for (i, e) in self.emails.iter().flatten().enumerate() {
            out.push((format!("emails[{i}]"), e));
        }
        for (i, t) in self.tags.iter().flatten().enumerate() {
            out.push((format!("tags[{i}]"), t));
        }
        for (i, m) in self.family.iter().flatten().enumerate() {
            out.push((format!("family[{i}].name"), &m.name));
            out.push((format!("family[{i}].relation"), &m.relation));
        }
        for (i, p) in self.preferences.iter().flatten().enumerate() {
            out.push((format!("preferences[{i}].key"), &p.key));
            out.push((format!("preferences[{i}].value"), &p.value));
        }
        for (i, t) in self.taboos.iter().flatten().enumerate() {
            out.push((format!("taboos[{i}].description"), &t.description));
        }
        for (i, x) in self.external_ids.iter().flatten().enumerate() {
            out.push((format!("external_ids[{i}].source"), &x.source));
            out.push((format!("external_ids[{i}].id"), &x.id));
        }
        out
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

/// Adds a contact point unless the same value is already there.
pub fn push_unique(list: &mut Vec<ContactPoint>, point: ContactPoint) -> bool {
    if list.iter().any(|c| c.value == point.value) {
        false
    } else {
        list.push(point);
        true
    }
}

fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Upper-cases an ISO 3166-1 alpha-2 or alpha-3 code; blank means unknown.
pub fn normalise_country(code: &str) -> Result<Option<String>, String> {
    let c = code.trim();
    if c.is_empty() {
        return Ok(None);
    }
    if (2..=3).contains(&c.len()) && c.chars().all(|ch| ch.is_ascii_alphabetic()) {
        Ok(Some(c.to_ascii_uppercase()))
    } else {
        Err(format!("'{c}' is not an ISO 3166-1 country code"))
    }
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
    fn unknown_fields_are_refused() {
        assert!(serde_json::from_str::<GuestInput>(r#"{"credit_card":"4111"}"#).is_err());
    }
}
