//! ISO 3166-1 country codes. A country is stored as its alpha-2 code everywhere (guest
//! nationality, address country, hotel country), so a segment rule or report comparing
//! codes sees one spelling: PMS exports often write alpha-3 (`GBR`), people and the demo
//! alpha-2 (`GB`).

use std::collections::HashMap;
use std::sync::OnceLock;

/// The alpha-2 code of `code` given as alpha-2 or alpha-3 in any case, or `None` when it
/// names no country (`ZZ`, `UK`, `XYZ`).
pub fn alpha2(code: &str) -> Option<&'static str> {
    static CODES: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    let codes = CODES.get_or_init(|| {
        iso_country::data::all()
            .into_iter()
            .flat_map(|c| [(c.alpha2, c.alpha2), (c.alpha3, c.alpha2)])
            .collect()
    });
    codes.get(code.trim().to_ascii_uppercase().as_str()).copied()
}

/// A code as typed, checked and stored as alpha-2; blank means unknown.
pub fn normalise(code: &str) -> Result<Option<String>, String> {
    let c = code.trim();
    if c.is_empty() {
        return Ok(None);
    }
    alpha2(c)
        .map(|a2| Some(a2.to_string()))
        .ok_or_else(|| format!("'{c}' is not an ISO 3166-1 country code (e.g. GB or GBR)"))
}

/// For comparing codes stored before they were normalised: the alpha-2 code when `code`
/// names a country, else `code` as it is.
pub fn comparable(code: &str) -> String {
    alpha2(code).map_or_else(|| code.trim().to_ascii_uppercase(), str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alpha3_and_alpha2_read_as_alpha2_in_any_case() {
        for (typed, stored) in [
            ("GBR", "GB"),
            ("gb", "GB"),
            (" prt ", "PT"),
            ("CN", "CN"),
            ("chn", "CN"),
            ("SSD", "SS"),
        ] {
            assert_eq!(normalise(typed), Ok(Some(stored.to_string())), "{typed}");
        }
        assert_eq!(normalise("  "), Ok(None));
    }

    #[test]
    fn codes_that_name_no_country_are_refused() {
        for typed in ["ZZ", "UK", "XYZ", "G", "GBRX", "12"] {
            assert!(normalise(typed).unwrap_err().contains(typed), "{typed}");
        }
        assert_eq!(comparable("zz"), "ZZ");
        assert_eq!(comparable("gbr"), "GB");
    }
}
