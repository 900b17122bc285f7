//! Money in integer minor units with an ISO 4217 currency. Never a float: a folio must add
//! up to the cent.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An ISO 4217 currency code such as `EUR` or `CNY`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Currency(iso_currency::Currency);

impl Currency {
    pub fn parse(code: &str) -> Result<Self, String> {
        iso_currency::Currency::from_code(&code.trim().to_uppercase())
            .map(Currency)
            .ok_or_else(|| format!("'{code}' is not an ISO 4217 currency code"))
    }

    pub fn code(&self) -> &'static str {
        self.0.code()
    }

    /// What to print before an amount: the currency's own sign where it is unambiguous
    /// (`€`, `£`, `¥`, `$` for USD), the code otherwise (`SGD `, `CHF `).
    pub fn symbol(&self) -> String {
        let sign = self.0.symbol().symbol;
        let ambiguous = sign == "$" && self.code() != "USD" || sign.chars().all(|c| c.is_ascii_alphabetic());
        if ambiguous {
            format!("{} ", self.code())
        } else {
            sign
        }
    }

    /// Number of minor-unit digits: 2 for EUR, 0 for JPY.
    pub fn exponent(&self) -> u32 {
        self.0.exponent().map(u32::from).unwrap_or(0)
    }

    /// Parses a decimal amount as written in an export (`75`, `75.5`, `-12.30`) into minor
    /// units, rounding half away from zero beyond the currency's precision.
    pub fn parse_amount(&self, text: &str) -> Result<i64, String> {
        parse_decimal_minor(text, self.exponent())
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for Currency {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Currency::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// Parses `[-]digits[.digits]` into an integer scaled by 10^exponent.
pub fn parse_decimal_minor(text: &str, exponent: u32) -> Result<i64, String> {
    let t = text.trim();
    let err = || format!("'{text}' is not a decimal amount");
    let (negative, digits) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let (int_part, frac_part) = digits.split_once('.').unwrap_or((digits, ""));
    if int_part.is_empty() && frac_part.is_empty() {
        return Err(err());
    }
    if !int_part.bytes().all(|b| b.is_ascii_digit()) || !frac_part.bytes().all(|b| b.is_ascii_digit()) {
        return Err(err());
    }
    let scale = 10i64.pow(exponent);
    let whole: i64 = if int_part.is_empty() {
        0
    } else {
        int_part.parse().map_err(|_| err())?
    };
    let mut frac: i64 = 0;
    let mut round_up = false;
    for (i, b) in frac_part.bytes().enumerate() {
        let d = i64::from(b - b'0');
        if (i as u32) < exponent {
            frac = frac * 10 + d;
        } else if i as u32 == exponent {
            round_up = d >= 5;
        }
    }
    let shown = frac_part.len().min(exponent as usize) as u32;
    frac *= 10i64.pow(exponent - shown);
    let minor = whole
        .checked_mul(scale)
        .and_then(|w| w.checked_add(frac + i64::from(round_up)))
        .ok_or_else(err)?;
    Ok(if negative { -minor } else { minor })
}

/// An amount in minor units of a currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Money {
    /// Amount in minor units (cents for EUR, fen for CNY).
    pub minor: i64,
    /// ISO 4217 code.
    #[schema(value_type = String, example = "EUR")]
    pub currency: Currency,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbols_are_unambiguous() {
        let sym = |c: &str| Currency::parse(c).unwrap().symbol();
        assert_eq!(sym("EUR"), "€");
        assert_eq!(sym("GBP"), "£");
        assert_eq!(sym("CNY"), "¥");
        assert_eq!(sym("USD"), "$");
        assert_eq!(sym("SGD"), "S$");
    }

    #[test]
    fn decimal_amounts_become_minor_units() {
        let eur = Currency::parse("eur").unwrap();
        assert_eq!(eur.parse_amount("75").unwrap(), 7500);
        assert_eq!(eur.parse_amount("75.5").unwrap(), 7550);
        assert_eq!(eur.parse_amount("-6.38").unwrap(), -638);
        assert_eq!(eur.parse_amount("0.125").unwrap(), 13);
        assert!(eur.parse_amount("12,5").is_err());
        assert!(eur.parse_amount("").is_err());
        let jpy = Currency::parse("JPY").unwrap();
        assert_eq!(jpy.parse_amount("1200.4").unwrap(), 1200);
    }

    #[test]
    fn unknown_currency_codes_are_refused() {
        assert!(Currency::parse("XXY").is_err());
        assert_eq!(Currency::parse("cny").unwrap().code(), "CNY");
    }
}
