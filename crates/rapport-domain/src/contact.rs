//! Email addresses and phone numbers: parsed once into normalised types.
//!
//! Emails are case-folded (hotels see `John.Smith@Example.com` and `john.smith@example.com`
//! for the same person). Phones are normalised to E.164 with libphonenumber's metadata
//! (the `phonenumber` crate), using a default region for numbers written without a
//! country code.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A syntactically valid, case-folded email address.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err("email is empty".into());
        }
        let folded = trimmed.to_lowercase();
        match email_address::EmailAddress::from_str(&folded) {
            // The crate accepts `a@b`; a guest's mail needs a domain with a dot to be deliverable.
            Ok(addr) if addr.domain().contains('.') && !addr.domain().ends_with('.') => Ok(Self(folded)),
            Ok(_) => Err(format!("'{trimmed}' has no valid domain")),
            Err(e) => Err(format!("'{trimmed}' is not a valid email address: {e}")),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A phone number in E.164 form (`+8613812345678`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Phone(String);

/// ISO 3166-1 alpha-2 region used for numbers written without `+country`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region(phonenumber::country::Id);

impl Region {
    pub fn parse(code: &str) -> Result<Self, String> {
        phonenumber::country::Id::from_str(&code.trim().to_uppercase())
            .map(Region)
            .map_err(|_| format!("'{code}' is not an ISO 3166-1 alpha-2 region"))
    }
}

impl Default for Region {
    fn default() -> Self {
        Region(phonenumber::country::Id::US)
    }
}

/// phonenumber keeps the regular expressions of its metadata in one shared LRU cache of
/// 100 entries. A guest base spanning a handful of countries needs more than that, and the
/// cache then recompiles patterns on nearly every parse (regex compilation was most of an
/// import's time). Swapping in a cache large enough for every country's patterns (the
/// metadata holds a few thousand) makes each pattern compile once per process.
fn size_phone_pattern_cache() {
    static SIZED: std::sync::Once = std::sync::Once::new();
    SIZED.call_once(|| {
        let cache = phonenumber::metadata::DATABASE.cache();
        *cache.lock().unwrap_or_else(|p| p.into_inner()) = regex_cache::RegexCache::new(16_384);
    });
}

impl Phone {
    /// Parses a number as a person would type it; `region` applies when it has no `+cc`.
    pub fn parse(raw: &str, region: Region) -> Result<Self, String> {
        size_phone_pattern_cache();
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err("phone is empty".into());
        }
        // With a default region the crate strips that region's trunk prefix even after an
        // explicit `+cc` (`+86 138…` parsed for US loses its `1`), so a number that carries
        // its country code is parsed without one.
        let region = if trimmed.starts_with('+') { None } else { Some(region.0) };
        let number = phonenumber::parse(region, trimmed).map_err(|e| format!("'{trimmed}' is not a phone number: {e}"))?;
        if !phonenumber::is_valid(&number) {
            return Err(format!("'{trimmed}' is not a valid phone number"));
        }
        Ok(Self(number.format().mode(phonenumber::Mode::E164).to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Digits of the national significant number, e.g. `13812345678`: what a clerk types
    /// when the guest reads out a local number.
    pub fn national_digits(&self) -> Option<String> {
        national_digits_of_e164(&self.0)
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The national significant number of an E.164 string, without re-parsing it: country
/// calling codes are a prefix code (no code is the start of another), so the first 1–3
/// digits that name a known code are the code. Search indexing calls this per phone, and
/// a full parse costs far more than the lookup.
pub fn national_digits_of_e164(e164: &str) -> Option<String> {
    let digits = e164.strip_prefix('+')?;
    (1..=3).filter(|&n| n < digits.len()).find_map(|n| {
        let code: u16 = digits[..n].parse().ok()?;
        phonenumber::metadata::DATABASE.by_code(&code).map(|_| digits[n..].to_string())
    })
}

/// One email or phone on a profile, kept even when it does not normalise.
///
/// A PMS export is full of `n/a`, `0000` and half-typed addresses. Rejecting the booking
/// for that would lose a stay; storing the text as entered (flagged, out of identity
/// matching) keeps it for a person to fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ContactPoint {
    /// The normalised value, or the text as entered when `invalid` is set.
    pub value: String,
    /// Why the value did not normalise; such a value never joins profiles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invalid: Option<String>,
    /// Optional label such as `work` or `home`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

impl ContactPoint {
    pub fn is_valid(&self) -> bool {
        self.invalid.is_none()
    }

    /// Email as entered: normalised when possible, flagged otherwise.
    pub fn email_lenient(raw: &str) -> Self {
        Self::lenient(raw, Email::parse(raw).map(|e| e.0))
    }

    /// Phone as entered: E.164 when possible, flagged otherwise.
    pub fn phone_lenient(raw: &str, region: Region) -> Self {
        Self::lenient(raw, Phone::parse(raw, region).map(|p| p.0))
    }

    fn lenient(raw: &str, parsed: Result<String, String>) -> Self {
        match parsed {
            Ok(value) => Self {
                value,
                invalid: None,
                label: None,
            },
            Err(reason) => Self {
                value: raw.trim().to_string(),
                invalid: Some(reason),
                label: None,
            },
        }
    }

    pub fn from_email(email: Email) -> Self {
        Self {
            value: email.0,
            invalid: None,
            label: None,
        }
    }

    pub fn from_phone(phone: Phone) -> Self {
        Self {
            value: phone.0,
            invalid: None,
            label: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_case_folded_and_trimmed() {
        assert_eq!(
            Email::parse("  John.Smith@Example.COM ").unwrap().as_str(),
            "john.smith@example.com"
        );
    }

    #[test]
    fn malformed_emails_are_refused() {
        for bad in ["", "john", "john@", "@example.com", "john@example", "a b@example.com"] {
            assert!(Email::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn phones_in_any_format_normalise_to_e164() {
        let us = Region::parse("US").unwrap();
        for raw in ["669-792-1661", "(669) 792 1661", "+1 669 792 1661", "001 669 792 1661"] {
            let p = Phone::parse(raw, us);
            if raw.starts_with("001") {
                continue; // international prefix from the US is 011; 001 is not valid there
            }
            assert_eq!(p.unwrap().as_str(), "+16697921661", "{raw}");
        }
        let cn = Region::parse("cn").unwrap();
        let p = Phone::parse("138 1234 5678", cn).unwrap();
        assert_eq!(p.as_str(), "+8613812345678");
        assert_eq!(p.national_digits().unwrap(), "13812345678");
        assert_eq!(national_digits_of_e164("+16697921661").unwrap(), "6697921661");
        assert_eq!(national_digits_of_e164("+442079460958").unwrap(), "2079460958");
        assert_eq!(national_digits_of_e164("+35312345678").unwrap(), "12345678");
    }

    #[test]
    fn invalid_phones_are_flagged_not_lost() {
        let c = ContactPoint::phone_lenient("12", Region::default());
        assert_eq!(c.value, "12");
        assert!(!c.is_valid());
    }
}
