//! The hotels (properties) of the group.

use serde::{Deserialize, Serialize};

use crate::error::ValidationErrors;
use crate::money::Currency;

pub type HotelId = i64;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Hotel {
    pub id: HotelId,
    /// Short code used in URLs, tokens and imports, e.g. `SHA1`.
    pub code: String,
    pub name: String,
    /// ISO 3166-1 alpha-2 country of the property.
    pub country: String,
    /// IANA time zone, e.g. `Asia/Shanghai`: "today" at the front desk is in this zone.
    pub timezone: String,
    /// Currency the hotel bills in.
    #[schema(value_type = String, example = "EUR")]
    pub currency: Currency,
}

/// A hotel as an admin creates it.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HotelInput {
    pub code: String,
    pub name: String,
    pub country: String,
    pub timezone: String,
    pub currency: String,
}

/// A validated hotel without its row id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewHotel {
    pub code: String,
    pub name: String,
    pub country: String,
    pub timezone: String,
    pub currency: Currency,
}

impl HotelInput {
    pub fn validate(self) -> Result<NewHotel, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let code = self.code.trim().to_ascii_uppercase();
        if code.is_empty() || code.len() > 16 || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            errors.push("code", "1–16 letters, digits, '-' or '_'");
        }
        let name = self.name.trim().to_string();
        if name.is_empty() {
            errors.push("name", "a hotel needs a name");
        }
        let country = match crate::country::alpha2(&self.country) {
            Some(c) => c.to_string(),
            None => {
                errors.push(
                    "country",
                    format!("'{}' is not an ISO 3166-1 country code (e.g. CN or CHN)", self.country.trim()),
                );
                String::new()
            }
        };
        let timezone = self.timezone.trim().to_string();
        if timezone.parse::<chrono_tz::Tz>().is_err() {
            errors.push("timezone", format!("'{timezone}' is not an IANA time zone"));
        }
        let currency = match Currency::parse(&self.currency) {
            Ok(c) => Some(c),
            Err(e) => {
                errors.push("currency", e);
                None
            }
        };
        errors.into_result(())?;
        Ok(NewHotel {
            code,
            name,
            country,
            timezone,
            currency: currency.expect("checked above"),
        })
    }
}
