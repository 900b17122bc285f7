//! Dates as PMS exports write them: a chrono format per column (ISO by default), or a
//! year / month-name / day split over three columns.

use chrono::format::{parse, Item, Parsed, StrftimeItems};
use chrono::NaiveDate;

/// One accepted date format, parsed once. ISO `%Y-%m-%d`, the format of Rapport's own
/// files, takes a hand-written path: it runs for every row of a million-row import.
#[derive(Debug, Clone)]
pub enum DateFormat {
    Iso,
    Chrono { text: String, items: Vec<Item<'static>> },
}

impl DateFormat {
    pub fn new(format: &str) -> Result<Self, String> {
        if format == "%Y-%m-%d" || format == "%F" {
            return Ok(Self::Iso);
        }
        let items: Vec<Item<'static>> = StrftimeItems::new(format).map(|i| i.to_owned()).collect();
        if items.iter().any(|i| matches!(i, Item::Error)) {
            return Err(format!("'{format}' is not a chrono date format such as %d/%m/%Y"));
        }
        Ok(Self::Chrono {
            text: format.to_string(),
            items,
        })
    }

    pub fn parse(&self, text: &str) -> Option<NaiveDate> {
        match self {
            Self::Iso => parse_iso(text),
            Self::Chrono { items, .. } => {
                let mut parsed = Parsed::new();
                parse(&mut parsed, text, items.iter()).ok()?;
                parsed.to_naive_date().ok()
            }
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::Iso => "%Y-%m-%d",
            Self::Chrono { text, .. } => text,
        }
    }
}

/// Tries each format in order.
pub fn parse_date(text: &str, formats: &[DateFormat]) -> Result<NaiveDate, String> {
    let t = text.trim();
    formats.iter().find_map(|f| f.parse(t)).ok_or_else(|| {
        let list: Vec<&str> = formats.iter().map(DateFormat::as_str).collect();
        format!("'{t}' is not a date in the format {}", list.join(" or "))
    })
}

fn parse_iso(t: &str) -> Option<NaiveDate> {
    let b = t.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter()
            .try_fold(0u32, |acc, &d| d.is_ascii_digit().then(|| acc * 10 + u32::from(d - b'0')))
    };
    NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)
}

/// A month as an English name (`July`, `jul`) or a number (`7`, `07`).
pub fn parse_month(text: &str) -> Option<u32> {
    const NAMES: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let t = text.trim();
    if let Ok(n) = t.parse::<u32>() {
        return (1..=12).contains(&n).then_some(n);
    }
    if t.len() < 3 {
        return None;
    }
    NAMES
        .iter()
        .position(|name| name.len() >= t.len() && name.as_bytes()[..t.len()].eq_ignore_ascii_case(t.as_bytes()))
        .map(|i| i as u32 + 1)
}

/// A date from split year / month / day fields.
pub fn date_from_parts(year: &str, month: &str, day: &str) -> Result<NaiveDate, String> {
    let y: i32 = year.trim().parse().map_err(|_| format!("'{}' is not a year", year.trim()))?;
    let m = parse_month(month).ok_or_else(|| format!("'{}' is not a month", month.trim()))?;
    let d: u32 = day
        .trim()
        .parse()
        .map_err(|_| format!("'{}' is not a day of the month", day.trim()))?;
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| format!("{y}-{m:02}-{d:02} is not a calendar date"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn iso_dates_parse_on_the_fast_path() {
        let iso = [DateFormat::new("%Y-%m-%d").unwrap()];
        assert!(matches!(iso[0], DateFormat::Iso));
        assert_eq!(parse_date(" 2017-03-01 ", &iso).unwrap(), ymd(2017, 3, 1));
        for bad in ["2017-02-30", "2017-3-1", "01-03-2017", "", "2017-03-01x"] {
            assert!(parse_date(bad, &iso).is_err(), "{bad}");
        }
    }

    #[test]
    fn other_formats_are_tried_in_order() {
        let formats = [DateFormat::new("%d-%m-%y").unwrap(), DateFormat::new("%d/%m/%Y").unwrap()];
        assert_eq!(parse_date("07-07-15", &formats).unwrap(), ymd(2015, 7, 7));
        assert_eq!(parse_date("31/12/1980", &formats).unwrap(), ymd(1980, 12, 31));
        let err = parse_date("1980.12.31", &formats).unwrap_err();
        assert!(err.contains("%d-%m-%y or %d/%m/%Y"), "{err}");
    }

    #[test]
    fn a_broken_format_is_refused() {
        assert!(DateFormat::new("%Q-%m").is_err());
    }

    #[test]
    fn split_dates_accept_month_names_and_numbers() {
        assert_eq!(date_from_parts("2015", "July", "1").unwrap(), ymd(2015, 7, 1));
        assert_eq!(date_from_parts("2015", "sep", "30").unwrap(), ymd(2015, 9, 30));
        assert_eq!(date_from_parts("2016", "02", "29").unwrap(), ymd(2016, 2, 29));
        assert!(date_from_parts("2015", "Juillet", "1").is_err());
        assert!(date_from_parts("2015", "February", "30")
            .unwrap_err()
            .contains("not a calendar date"));
        assert!(date_from_parts("", "July", "1").is_err());
    }
}
