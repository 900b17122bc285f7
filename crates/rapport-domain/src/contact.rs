//! Email addresses and phone numbers: parsed once into normalised types.
//!
//! Emails are case-folded (hotels see `John.Smith@Example.com` and `john.smith@example.com`
//! for the same person). Phones are normalised to E.164 with libphonenumber's metadata
//! (the `rlibphonenumber` crate), using a default region for numbers written without a
//! country code.

use std::fmt;
use std::str::FromStr;

use rlibphonenumber::{PhoneNumberFormat, PHONE_NUMBER_UTIL};
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
pub struct Region(rlibphonenumber::Region);

impl Region {
    /// A region libphonenumber has numbering rules for (`US`, `cn`; not `UK`, whose ISO
    /// code is `GB`).
    pub fn parse(code: &str) -> Result<Self, String> {
        let upper = code.trim().to_uppercase();
        rlibphonenumber::Region::from_str(&upper)
            .ok()
            // Any two letters make a `Region` value; only those with a calling code are regions.
            .filter(|r| upper.len() == 2 && PHONE_NUMBER_UTIL.get_country_code_for_region(*r).is_some())
            .map(Region)
            .ok_or_else(|| format!("'{code}' is not an ISO 3166-1 alpha-2 region"))
    }
}

impl Default for Region {
    fn default() -> Self {
        Region(rlibphonenumber::Region::US)
    }
}

impl Phone {
    /// Parses a number as a person would type it; `region` applies when it has no `+cc`.
    pub fn parse(raw: &str, region: Region) -> Result<Self, String> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err("phone is empty".into());
        }
        // A number that carries its country code is parsed without a default region, so
        // that region's trunk prefix is never taken off it.
        let region = if trimmed.starts_with('+') { None } else { Some(region.0) };
        let number = PHONE_NUMBER_UTIL
            .parse(trimmed, region)
            .map_err(|e| format!("'{trimmed}' is not a phone number: {e}"))?;
        if !number.is_valid() {
            return Err(format!("'{trimmed}' is not a valid phone number"));
        }
        Ok(Self(number.format_as(PhoneNumberFormat::E164).to_string()))
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
        let code: i32 = digits[..n].parse().ok()?;
        PHONE_NUMBER_UTIL.get_region_for_country_code(code).map(|_| digits[n..].to_string())
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
    fn a_region_is_an_iso_code_with_numbering_rules() {
        assert_eq!(Region::parse(" gb ").unwrap(), Region::parse("GB").unwrap());
        // Any two letters make a region value in the crate; these have no numbering plan.
        for bad in ["UK", "XX", "001", "", "USA"] {
            let err = Region::parse(bad).unwrap_err();
            assert!(err.contains("ISO 3166-1"), "{bad}: {err}");
        }
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
