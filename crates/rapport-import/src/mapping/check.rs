//! What a mapping reads and whether it makes sense, checked once when it is loaded.

use rapport_domain::contact::Region;
use rapport_domain::money::Currency;

use super::{ArrivalColumns, Columns, DateColumn, Mapping};
use crate::card::is_card_header;
use crate::dates::DateFormat;
use crate::error::MappingError;

impl Mapping {
    /// Every file column the mapping reads, with the field it feeds.
    pub fn columns(&self) -> Vec<(&'static str, &str)> {
        let g = &self.guest;
        let sp = &self.spend;
        let mut single: Vec<(&'static str, Option<&String>)> = vec![
            ("guest.external_id", g.external_id.as_ref()),
            ("guest.title", g.title.as_ref()),
            ("guest.given_name", g.given_name.as_ref()),
            ("guest.family_name", g.family_name.as_ref()),
            ("guest.full_name", g.full_name.as_ref()),
            ("guest.native_name", g.native_name.as_ref()),
            ("guest.nationality", g.nationality.as_ref()),
            ("guest.language", g.language.as_ref()),
            ("guest.company", g.company.as_ref()),
            ("guest.vip", g.vip.as_ref()),
            ("guest.street", g.street.as_ref()),
            ("guest.city", g.city.as_ref()),
            ("guest.postcode", g.postcode.as_ref()),
            ("guest.region", g.region.as_ref()),
            ("guest.country", g.country.as_ref()),
            ("guest.birthday", g.birthday.as_ref().map(DateColumn::column_name)),
            ("guest.anniversary", g.anniversary.as_ref().map(DateColumn::column_name)),
            ("spend.room", sp.room.as_ref()),
            ("spend.food_beverage", sp.food_beverage.as_ref()),
            ("spend.spa", sp.spa.as_ref()),
            ("spend.laundry", sp.laundry.as_ref()),
            ("spend.minibar", sp.minibar.as_ref()),
            ("spend.other", sp.other.as_ref()),
        ];
        let mut multi: Vec<(&'static str, Option<&Columns>)> = vec![("guest.email", g.email.as_ref()), ("guest.phone", g.phone.as_ref())];
        if let Some(st) = &self.stay {
            single.extend([
                ("stay.reservation_id", Some(&st.reservation_id)),
                ("stay.hotel", st.hotel.as_ref()),
                ("stay.departure", st.departure.as_ref().map(DateColumn::column_name)),
                ("stay.status", st.status.as_ref()),
                ("stay.cancelled_flag", st.cancelled_flag.as_ref()),
                ("stay.room_type", st.room_type.as_ref()),
                ("stay.rate", st.rate.as_ref()),
                ("stay.currency", st.currency.as_ref()),
                ("stay.channel", st.channel.as_ref()),
                ("stay.market_segment", st.market_segment.as_ref()),
                ("stay.adults", st.adults.as_ref()),
                ("stay.special_requests", st.special_requests.as_ref()),
                ("stay.booked_at", st.booked_at.as_ref().map(DateColumn::column_name)),
                ("stay.lead_time_days", st.lead_time_days.as_ref()),
            ]);
            match &st.arrival {
                ArrivalColumns::Column(c) | ArrivalColumns::Formatted { column: c, .. } => single.push(("stay.arrival", Some(c))),
                ArrivalColumns::Split { year, month, day } => single.extend([
                    ("stay.arrival.year", Some(year)),
                    ("stay.arrival.month", Some(month)),
                    ("stay.arrival.day", Some(day)),
                ]),
            }
            multi.extend([("stay.nights", st.nights.as_ref()), ("stay.children", st.children.as_ref())]);
        }
        let mut out: Vec<(&'static str, &str)> = single.into_iter().filter_map(|(f, c)| c.map(|c| (f, c.as_str()))).collect();
        for (field, cols) in multi {
            out.extend(cols.iter().flat_map(|c| c.names()).map(|c| (field, c.as_str())));
        }
        out
    }

    pub(super) fn validate(&self) -> Result<(), MappingError> {
        let bad = |m: String| {
            Err(MappingError::Invalid {
                label: self.label.clone(),
                message: m,
            })
        };
        if self.source.name.trim().is_empty() {
            return bad("source.name must name the source system".into());
        }
        if let Err(e) = Region::parse(&self.source.phone_region) {
            return bad(format!("source.phone_region: {e}"));
        }
        if let Some(c) = &self.source.currency {
            if let Err(e) = Currency::parse(c) {
                return bad(format!("source.currency: {e}"));
            }
        }
        if !self.source.delimiter.is_ascii() {
            return bad("source.delimiter must be one ASCII character".into());
        }
        for f in self.all_date_formats() {
            if let Err(e) = DateFormat::new(f) {
                return bad(e);
            }
        }
        for (field, column) in self.columns() {
            if is_card_header(column) {
                return Err(MappingError::CardColumn {
                    label: self.label.clone(),
                    field: field.to_string(),
                    column: column.to_string(),
                });
            }
        }
        if let Some(st) = &self.stay {
            if st.hotel.is_none() && st.hotel_code.is_none() {
                return bad("stay needs `hotel` (a column) or `hotel_code` (one hotel for every row)".into());
            }
            if st.departure.is_none() && st.nights.is_none() {
                return bad("stay needs `departure` or `nights`".into());
            }
            let amounts = st.rate.is_some() || self.spend.columns().next().is_some();
            if amounts && st.currency.is_none() && self.source.currency.is_none() {
                return bad("amounts are mapped: set source.currency or stay.currency".into());
            }
            if self.spend.room_from_rate && (st.rate.is_none() || self.spend.room.is_some()) {
                return bad("spend.room_from_rate needs stay.rate and no spend.room column".into());
            }
        } else if self.spend.columns().next().is_some() || self.spend.room_from_rate {
            return bad("spend columns need a [stay] section: spend belongs to a stay".into());
        }
        for (value, h) in &self.hotels {
            if h.code.trim().is_empty() {
                return bad(format!("hotels.\"{value}\".code is empty"));
            }
        }
        Ok(())
    }

    fn all_date_formats(&self) -> impl Iterator<Item = &str> {
        let g = &self.guest;
        let st = self.stay.as_ref();
        let own = [
            g.birthday.as_ref(),
            g.anniversary.as_ref(),
            st.and_then(|s| s.departure.as_ref()),
            st.and_then(|s| s.booked_at.as_ref()),
        ]
        .into_iter()
        .flatten()
        .flat_map(|d| d.formats().iter());
        let arrival = st.into_iter().flat_map(|s| match &s.arrival {
            ArrivalColumns::Formatted { formats, .. } => formats.iter(),
            _ => [].iter(),
        });
        self.source.date_formats.iter().chain(own).chain(arrival).map(String::as_str)
    }
}
