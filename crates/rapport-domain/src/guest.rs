//! The guest profile: one per real person, shared by every hotel of the group.
//!
//! A profile is an aggregate read and written as a whole (the 360° page, the API and the
//! arrivals brief all need all of it), so it travels as one document; the storage layer
//! keeps index rows beside it for identity matching and search.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::contact::ContactPoint;
use crate::names::GuestName;

pub use crate::guest_input::{AddressInput, ContactInput, GuestInput, LabelledContact, NameInput};

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

/// Adds a contact point unless the same value is already there.
pub fn push_unique(list: &mut Vec<ContactPoint>, point: ContactPoint) -> bool {
    if list.iter().any(|c| c.value == point.value) {
        false
    } else {
        list.push(point);
        true
    }
}

/// An ISO 3166-1 alpha-2 or alpha-3 code, stored as alpha-2; blank means unknown.
pub fn normalise_country(code: &str) -> Result<Option<String>, String> {
    crate::country::normalise(code)
}
