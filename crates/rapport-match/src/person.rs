//! The fields of a guest that identity matching looks at.
//!
//! A `Person` is deliberately loose: names in any script and order, a birth date that may be
//! a real date or only the text a clerk typed (`19560431` is not a date, but two profiles
//! carrying it are still likely the same guest), contacts as recorded. Matching never
//! rejects a person; what does not parse is compared as text or counts as missing.

use chrono::NaiveDate;
use rapport_domain::guest::{Guest, GuestId};
use serde::{Deserialize, Serialize};

/// A birth date as known: a valid date, or the text as entered when it is not one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BirthDate {
    Date(NaiveDate),
    Text(String),
}

impl BirthDate {
    /// A date in one of the usual spellings (`1956-04-13`, `19560413`, `13.04.1956`,
    /// `13/04/1956`), or the trimmed text; `None` when blank.
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        if raw.is_empty() {
            return None;
        }
        let digits = crate::prepare::birth_digits(raw);
        let date = (digits.len() == 8)
            .then(|| NaiveDate::parse_from_str(&digits, "%Y%m%d").ok())
            .flatten();
        Some(match date {
            Some(d) => BirthDate::Date(d),
            None => BirthDate::Text(raw.to_string()),
        })
    }
}

/// One person to match. Empty strings mean unknown.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Person {
    pub id: GuestId,
    /// Given name in any script (`Wei`, `伟`, `Zoë`); may hold the whole name when the
    /// source had one name column.
    pub given_name: String,
    pub family_name: String,
    /// The full name in the guest's own script when it was recorded apart (`张伟`).
    pub native_name: String,
    pub birth_date: Option<BirthDate>,
    pub emails: Vec<String>,
    /// E.164 where the source could normalise it, the text as entered otherwise.
    pub phones: Vec<String>,
    pub street: String,
    pub city: String,
    pub postcode: String,
    pub region: String,
    pub country: String,
    pub company: String,
    /// Passport or national id number.
    pub id_document: String,
}

/// External-id sources that are identity documents rather than another system's key.
const DOCUMENT_SOURCES: [&str; 5] = ["passport", "id_document", "id", "national_id", "id_card"];

impl From<&Guest> for Person {
    fn from(guest: &Guest) -> Self {
        let p = &guest.profile;
        let address = p.address.clone().unwrap_or_default();
        Person {
            id: guest.id,
            given_name: p.name.given.clone(),
            family_name: p.name.family.clone(),
            native_name: p.name.native.clone().unwrap_or_default(),
            birth_date: p.birthday.map(BirthDate::Date),
            // Contacts that did not normalise are kept on the profile as typed but flagged, and
            // flagged values are left out of matching: they are what a form or an export
            // puts in when it has nothing (the hotel booking file's `Dr..M@verizon.com` is
            // on two different doctors, and merged them).
            emails: valid(&p.emails),
            phones: valid(&p.phones),
            street: address.street.unwrap_or_default(),
            city: address.city.unwrap_or_default(),
            postcode: address.postcode.unwrap_or_default(),
            region: address.region.unwrap_or_default(),
            // Where the guest lives, or failing that their nationality: both stay with a person.
            country: address.country.or_else(|| p.nationality.clone()).unwrap_or_default(),
            company: p.company.clone().unwrap_or_default(),
            id_document: p
                .external_ids
                .iter()
                .find(|x| DOCUMENT_SOURCES.contains(&x.source.trim().to_lowercase().as_str()))
                .map(|x| x.id.clone())
                .unwrap_or_default(),
        }
    }
}

fn valid(points: &[rapport_domain::contact::ContactPoint]) -> Vec<String> {
    points.iter().filter(|c| c.invalid.is_none()).map(|c| c.value.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_impossible_date_is_kept_as_text() {
        assert_eq!(BirthDate::parse("19560431"), Some(BirthDate::Text("19560431".into())));
        assert_eq!(
            BirthDate::parse("13.04.1956"),
            Some(BirthDate::Date(NaiveDate::from_ymd_opt(1956, 4, 13).unwrap()))
        );
        assert_eq!(BirthDate::parse("  "), None);
    }

    #[test]
    fn a_stored_profile_becomes_a_person() {
        let json = r#"{"id":7,"name":{"given":"Wei","family":"Zhang","native":"张伟"},"birthday":"1980-02-03",
            "emails":[{"value":"w@example.com"},{"value":"Dr..M@verizon.com","invalid":"not a valid email address"}],
            "phones":[{"value":"+8613812345678"},{"value":"232-064-2912","invalid":"not a valid phone number"}],
            "address":{"city":"Shanghai"},"external_ids":[{"source":"Passport","id":"E1234567"}],
            "consents":[],"version":1,"created_at":"2024-01-01T00:00:00Z","updated_at":"2024-01-01T00:00:00Z"}"#;
        let guest: Guest = serde_json::from_str(json).unwrap();
        let p = Person::from(&guest);
        assert_eq!((p.id, p.native_name.as_str(), p.city.as_str()), (7, "张伟", "Shanghai"));
        assert_eq!(p.id_document, "E1234567");
        assert_eq!(
            (p.emails, p.phones),
            (vec!["w@example.com".to_string()], vec!["+8613812345678".to_string()]),
            "flagged contacts left out"
        );
        assert_eq!(p.birth_date, Some(BirthDate::Date(NaiveDate::from_ymd_opt(1980, 2, 3).unwrap())));
    }
}
