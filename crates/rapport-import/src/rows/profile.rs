//! The guest half of a row: names, contacts (lenient), dates and the other profile fields.

use std::borrow::Cow;

use rapport_domain::contact::ContactPoint;
use rapport_domain::full_name::split_full_name;
use rapport_domain::guest::{normalise_country, push_unique, Address, ExternalId, GuestProfile};
use rapport_domain::names::GuestName;

use super::{Reject, RowReader};
use crate::dates::{parse_date, DateFormat};
use crate::mapping::{DateColumn, Mapping, NameOrder};
use crate::summary::ParseStats;

type Col = Option<usize>;

pub(crate) struct ProfileColumns {
    external_id: Col,
    title: Col,
    given: Col,
    family: Col,
    full: Col,
    order: NameOrder,
    native: Col,
    emails: Vec<usize>,
    phones: Vec<usize>,
    birthday: Option<(usize, Vec<DateFormat>)>,
    anniversary: Option<(usize, Vec<DateFormat>)>,
    nationality: Col,
    language: Col,
    company: Col,
    vip: Col,
    street: Col,
    city: Col,
    postcode: Col,
    region: Col,
    country: Col,
}

/// A date column with its formats (its own, else the source's), resolved.
pub(crate) fn date_column(mapping: &Mapping, d: &DateColumn, index: &dyn Fn(&str) -> usize) -> Result<(usize, Vec<DateFormat>), String> {
    let own = d.formats();
    let formats = if own.is_empty() { &mapping.source.date_formats } else { own };
    Ok((
        index(d.column()),
        formats.iter().map(|f| DateFormat::new(f)).collect::<Result<_, _>>()?,
    ))
}

impl ProfileColumns {
    pub fn new(mapping: &Mapping, index: &dyn Fn(&str) -> usize) -> Result<Self, String> {
        let g = &mapping.guest;
        let col = |c: &Option<String>| c.as_deref().map(index);
        let many = |c: &Option<crate::mapping::Columns>| c.iter().flat_map(|c| c.names()).map(|n| index(n)).collect();
        let date = |d: &Option<DateColumn>| d.as_ref().map(|d| date_column(mapping, d, index)).transpose();
        Ok(Self {
            external_id: col(&g.external_id),
            title: col(&g.title),
            given: col(&g.given_name),
            family: col(&g.family_name),
            full: col(&g.full_name),
            order: g.full_name_order,
            native: col(&g.native_name),
            emails: many(&g.email),
            phones: many(&g.phone),
            birthday: date(&g.birthday)?,
            anniversary: date(&g.anniversary)?,
            nationality: col(&g.nationality),
            language: col(&g.language),
            company: col(&g.company),
            vip: col(&g.vip),
            street: col(&g.street),
            city: col(&g.city),
            postcode: col(&g.postcode),
            region: col(&g.region),
            country: col(&g.country),
        })
    }

    /// The column to name when a row has nothing that identifies the guest.
    pub fn identity_column(&self, reader: &RowReader) -> String {
        [self.external_id, self.emails.first().copied(), self.full, self.given]
            .into_iter()
            .flatten()
            .next()
            .map(|i| reader.headers()[i].clone())
            .unwrap_or_default()
    }

    pub fn read(&self, row: &super::Row<'_>, line: u64, stats: &mut ParseStats) -> Result<GuestProfile, Reject> {
        let mut p = GuestProfile {
            name: self.name(row, stats)?,
            ..GuestProfile::default()
        };

        for &i in &self.emails {
            if let Some(raw) = row.get(i)? {
                let Some(raw) = stats.keep_without_cards(raw) else {
                    continue;
                };
                let point = ContactPoint::email_lenient(&raw);
                stats.note_contact(line, row.column_name(i), &point);
                push_unique(&mut p.emails, point);
            }
        }
        for &i in &self.phones {
            if let Some(raw) = row.get(i)? {
                let mut point = row.phone(raw);
                // A valid number is stored as E.164 and is a phone; only text kept as
                // entered could be a card number typed into the wrong field.
                if !point.is_valid() {
                    match stats.keep_without_cards(raw) {
                        None => continue,
                        Some(Cow::Owned(masked)) => point = row.phone(&masked),
                        Some(Cow::Borrowed(_)) => {}
                    }
                }
                stats.note_contact(line, row.column_name(i), &point);
                push_unique(&mut p.phones, point);
            }
        }
        for (slot, col) in [(&mut p.birthday, &self.birthday), (&mut p.anniversary, &self.anniversary)] {
            if let Some((i, formats)) = col {
                if let Some(v) = row.get(*i)? {
                    match parse_date(v, formats) {
                        Ok(d) => *slot = Some(d),
                        Err(e) => stats.ignore_field(line, &row.column(*i), &e),
                    }
                }
            }
        }
        p.nationality = country(row, self.nationality, line, stats)?;
        if let Some(v) = row.opt(self.language)? {
            if is_language_tag(v) {
                p.language = Some(v.replace('_', "-"));
            } else {
                stats.ignore_field(
                    line,
                    &row.column(self.language.expect("has a value")),
                    &format!("'{v}' is not a language tag such as en or zh-CN"),
                );
            }
        }
        p.company = row.text(self.company, stats)?;
        p.vip_code = row.text(self.vip, stats)?;
        let address = Address {
            street: row.text(self.street, stats)?,
            city: row.text(self.city, stats)?,
            postcode: row.text(self.postcode, stats)?,
            region: row.text(self.region, stats)?,
            country: country(row, self.country, line, stats)?,
        };
        if address != Address::default() {
            p.address = Some(address);
        }
        if let Some(id) = row.opt(self.external_id)? {
            // An id that looks like a card is dropped like any other text.
            if let Some(id) = stats.keep_without_cards(id) {
                p.external_ids.push(ExternalId {
                    source: row.source().to_string(),
                    id: id.into_owned(),
                });
            }
        }
        Ok(p)
    }

    fn name(&self, row: &super::Row<'_>, stats: &mut ParseStats) -> Result<GuestName, Reject> {
        let mut name = GuestName {
            title: row.text(self.title, stats)?,
            given: row.text(self.given, stats)?.unwrap_or_default(),
            family: row.text(self.family, stats)?.unwrap_or_default(),
            native: row.text(self.native, stats)?,
        };
        if name.given.is_empty() && name.family.is_empty() {
            if let Some(full) = row.opt(self.full)?.and_then(|f| stats.keep_without_cards(f)) {
                let split = split_full_name(&full, self.order);
                (name.given, name.family) = (split.given, split.family);
                // A title column, when the mapping has one, beats the honorific in the name.
                name.title = name.title.or(split.title);
            }
        }
        Ok(name)
    }
}

/// BCP 47 shape: a 2–3 letter primary tag and 2–8 character subtags.
fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split(['-', '_']);
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// A country column as alpha-2 (`GBR` → `GB`); a code that names no country is kept as
/// entered (upper-cased) and flagged, never dropped with its row.
fn country(row: &super::Row<'_>, col: Col, line: u64, stats: &mut ParseStats) -> Result<Option<String>, Reject> {
    let Some(v) = row.opt(col)? else { return Ok(None) };
    Ok(match normalise_country(v) {
        Ok(c) => c,
        Err(e) => {
            stats.flag_field(line, &row.column(col.expect("has a value")), &e);
            Some(v.trim().to_ascii_uppercase())
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_are_checked_for_shape() {
        for ok in ["en", "zh-CN", "pt_BR", "yue"] {
            assert!(is_language_tag(ok), "{ok}");
        }
        for bad in ["english", "e", "zh-", "12"] {
            assert!(!is_language_tag(bad), "{bad}");
        }
    }
}
