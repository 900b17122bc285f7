//! The stay half of a row: hotel, dates, status, party, rate and the folio by category.

use chrono::{Days, NaiveDate};
use rapport_domain::guest::{ExternalId, GuestProfile};
use rapport_domain::money::{Currency, Money};
use rapport_domain::stay::{NewSpendLine, NewStay, SpendCategory, StayStatus};

use super::profile::date_column;
use super::{HotelLookup, Reject, Row};
use crate::dates::{date_from_parts, parse_date, DateFormat};
use crate::mapping::{self, ArrivalColumns, Mapping, RequestsKind};
use crate::summary::ParseStats;

type Col = Option<usize>;

enum Arrival {
    Column(usize, Vec<DateFormat>),
    Split { year: usize, month: usize, day: usize },
}

enum End {
    Departure(usize, Vec<DateFormat>),
    Nights(Vec<usize>),
}

pub(crate) struct StayColumns {
    reservation_id: usize,
    hotel: Col,
    hotels: HotelLookup,
    arrival: Arrival,
    end: End,
    status: Col,
    /// Lower-cased file value → status.
    status_values: Vec<(String, StayStatus)>,
    default_status: StayStatus,
    cancelled_flag: Col,
    room_type: Col,
    rate: Col,
    currency: Col,
    channel: Col,
    market_segment: Col,
    adults: Col,
    children: Vec<usize>,
    special_requests: Col,
    requests_kind: RequestsKind,
    booked_at: Option<(usize, Vec<DateFormat>)>,
    lead_time: Col,
    spend: Vec<(SpendCategory, usize)>,
    room_from_rate: bool,
}

impl StayColumns {
    pub fn new(mapping: &Mapping, s: &mapping::StayColumns, index: &dyn Fn(&str) -> usize, hotels: HotelLookup) -> Result<Self, String> {
        let col = |c: &Option<String>| c.as_deref().map(index);
        let formats = |fs: &[String]| fs.iter().map(|f| DateFormat::new(f)).collect::<Result<Vec<_>, _>>();
        let arrival = match &s.arrival {
            ArrivalColumns::Column(c) => Arrival::Column(index(c), formats(&mapping.source.date_formats)?),
            ArrivalColumns::Formatted { column, formats: own } => Arrival::Column(index(column), formats(own)?),
            ArrivalColumns::Split { year, month, day } => Arrival::Split {
                year: index(year),
                month: index(month),
                day: index(day),
            },
        };
        let end = match (&s.departure, &s.nights) {
            (Some(d), _) => {
                let (i, f) = date_column(mapping, d, index)?;
                End::Departure(i, f)
            }
            (None, Some(n)) => End::Nights(n.names().iter().map(|c| index(c)).collect()),
            (None, None) => return Err("stay needs `departure` or `nights`".into()),
        };
        if hotels.fixed.is_none() && s.hotel.is_none() {
            return Err("stay needs `hotel` or `hotel_code`".into());
        }
        Ok(Self {
            reservation_id: index(&s.reservation_id),
            hotel: col(&s.hotel),
            hotels,
            arrival,
            end,
            status: col(&s.status),
            status_values: s.status_values.iter().map(|(k, v)| (k.trim().to_lowercase(), *v)).collect(),
            default_status: s.default_status,
            cancelled_flag: col(&s.cancelled_flag),
            room_type: col(&s.room_type),
            rate: col(&s.rate),
            currency: col(&s.currency),
            channel: col(&s.channel),
            market_segment: col(&s.market_segment),
            adults: col(&s.adults),
            children: s.children.iter().flat_map(|c| c.names()).map(|c| index(c)).collect(),
            special_requests: col(&s.special_requests),
            requests_kind: s.special_requests_kind,
            booked_at: s.booked_at.as_ref().map(|d| date_column(mapping, d, index)).transpose()?,
            lead_time: col(&s.lead_time_days),
            spend: mapping.spend.columns().map(|(cat, c)| (cat, index(c))).collect(),
            room_from_rate: mapping.spend.room_from_rate,
        })
    }

    /// Reads the stay; a row without any identity key gets one from its reservation so a
    /// re-import finds the same profile instead of creating it again.
    pub fn read(&self, row: &Row<'_>, profile: &mut GuestProfile, stats: &mut ParseStats) -> Result<NewStay, Reject> {
        let rid = self.reservation_id;
        let reservation = row
            .get(rid)?
            .ok_or_else(|| row.reject(rid, "missing required field: the reservation id"))?;
        if rapport_domain::card::looks_like_card(reservation) {
            return Err(row.reject(rid, "the reservation id looks like a payment-card number; it is not stored"));
        }
        if profile.name.is_empty() && profile.emails.is_empty() && profile.phones.is_empty() && profile.external_ids.is_empty() {
            return Err(Reject {
                column: String::new(),
                reason: "missing required field: the guest has no name, email, phone or id".into(),
            });
        }
        let hotel_id = match (self.hotel, self.hotels.fixed) {
            (Some(i), fixed) => match row.get(i)? {
                Some(v) => self.hotels.get(v).ok_or_else(|| row.reject(i, format!("unknown hotel '{v}'")))?,
                None => fixed.ok_or_else(|| row.reject(i, "missing required field: the hotel"))?,
            },
            (None, Some(id)) => id,
            (None, None) => unreachable!("checked when the reader was built"),
        };
        let arrival = self.arrival(row)?;
        let (departure, nights) = match &self.end {
            End::Departure(i, formats) => {
                let v = row
                    .get(*i)?
                    .ok_or_else(|| row.reject(*i, "missing required field: the departure date"))?;
                let d = parse_date(v, formats).map_err(|e| row.reject(*i, e))?;
                if d < arrival {
                    return Err(row.reject(*i, format!("departure {d} is before arrival {arrival}")));
                }
                (d, (d - arrival).num_days())
            }
            End::Nights(cols) => {
                let n = nights(row, cols)?;
                let d = arrival
                    .checked_add_days(Days::new(n as u64))
                    .ok_or_else(|| row.reject(cols[0], "too many nights"))?;
                (d, n)
            }
        };
        // A year typed short (`15` read as 0015) or a stay of years parses, but no hotel has
        // it: the same rule the API applies, blamed on the arrival's or the end's column.
        if let Err(errors) = rapport_domain::stay::check_stay_dates(arrival, departure) {
            let first = &errors.0[0];
            let column = match (first.field.as_str(), &self.arrival, &self.end) {
                ("arrival", Arrival::Column(i, _), _) => *i,
                ("arrival", Arrival::Split { year, .. }, _) => *year,
                (_, _, End::Departure(i, _)) => *i,
                (_, _, End::Nights(cols)) => cols[0],
            };
            return Err(row.reject(column, &first.message));
        }
        let status = self.status(row)?;
        let currency = match row.opt(self.currency)? {
            Some(c) => Some(Currency::parse(c).map_err(|e| row.reject(self.currency.expect("has a value"), e))?),
            None => row.default_currency(),
        };
        let priced = |i: usize, v: &str| -> Result<Money, Reject> {
            let currency =
                currency.ok_or_else(|| row.reject(self.currency.unwrap_or(i), "missing required field: the currency of the amounts"))?;
            Ok(Money {
                minor: currency.parse_amount(v).map_err(|e| row.reject(i, e))?,
                currency,
            })
        };
        let rate = match self.rate {
            Some(i) => row.get(i)?.map(|v| priced(i, v)).transpose()?,
            None => None,
        };
        // A negative nightly rate would become negative room revenue (the API refuses it too);
        // negative spend columns stay allowed: folios carry refunds and corrections.
        if let (Some(i), Some(r)) = (self.rate, rate) {
            if r.minor < 0 {
                return Err(row.reject(i, "a rate cannot be negative"));
            }
        }
        let mut spend = Vec::new();
        for &(category, i) in &self.spend {
            if let Some(v) = row.get(i)? {
                let amount = priced(i, v)?;
                if amount.minor != 0 {
                    spend.push(NewSpendLine {
                        category,
                        amount,
                        posted_on: departure,
                        description: None,
                    });
                }
            }
        }
        if self.room_from_rate && status.is_realised() && nights > 0 {
            if let Some(r) = rate.filter(|r| r.minor != 0) {
                let minor = r
                    .minor
                    .checked_mul(nights)
                    .ok_or_else(|| row.reject(self.rate.expect("has a value"), "rate × nights overflows"))?;
                let amount = Money {
                    minor,
                    currency: r.currency,
                };
                spend.push(NewSpendLine {
                    category: SpendCategory::Room,
                    amount,
                    posted_on: departure,
                    description: None,
                });
            }
        }
        let adults = match self.adults {
            Some(i) => row.count(i)?.unwrap_or(1),
            None => 1,
        };
        let children = row.sum(&self.children)?.unwrap_or(0);
        let special_requests = match self.requests_kind {
            RequestsKind::Text => row.text(self.special_requests, stats)?,
            RequestsKind::Count => match self.special_requests {
                Some(i) => row.count(i)?.filter(|n| *n > 0).map(|n| n.to_string()),
                None => None,
            },
        };
        let booked_at = self.booked_at(row, arrival, stats)?;
        if profile.external_ids.is_empty() && !has_contact_key(profile) {
            profile.external_ids.push(ExternalId {
                source: format!("{}-reservation", row.source()),
                id: reservation.to_string(),
            });
        }
        let stay = NewStay {
            hotel_id,
            external_ref: Some(format!("{}:{reservation}", row.source())),
            arrival,
            departure,
            room_type: row.text(self.room_type, stats)?,
            rate,
            channel: row.text(self.channel, stats)?,
            market_segment: row.text(self.market_segment, stats)?,
            adults: to_i32(row, self.adults, adults)?,
            children: to_i32(row, self.children.first().copied(), children)?,
            special_requests,
            status,
            booked_at,
            spend,
        };
        stay.validate().map_err(|e| Reject {
            column: e.0[0].field.clone(),
            reason: e.0[0].message.clone(),
        })?;
        Ok(stay)
    }

    fn arrival(&self, row: &Row<'_>) -> Result<NaiveDate, Reject> {
        match &self.arrival {
            Arrival::Column(i, formats) => {
                let v = row
                    .get(*i)?
                    .ok_or_else(|| row.reject(*i, "missing required field: the arrival date"))?;
                parse_date(v, formats).map_err(|e| row.reject(*i, e))
            }
            Arrival::Split { year, month, day } => {
                let part = |i: usize, what: &str| {
                    row.get(i)?
                        .ok_or_else(|| row.reject(i, format!("missing required field: the arrival {what}")))
                };
                let (y, m, d) = (part(*year, "year")?, part(*month, "month")?, part(*day, "day")?);
                date_from_parts(y, m, d).map_err(|e| {
                    let col = if y.parse::<i32>().is_err() {
                        *year
                    } else if crate::dates::parse_month(m).is_none() {
                        *month
                    } else {
                        *day
                    };
                    row.reject(col, e)
                })
            }
        }
    }

    fn status(&self, row: &Row<'_>) -> Result<StayStatus, Reject> {
        let mut status = match self.status {
            Some(i) => match row.get(i)? {
                None => self.default_status,
                Some(v) => self
                    .status_values
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(v))
                    .map(|(_, s)| *s)
                    .or_else(|| StayStatus::ALL.into_iter().find(|s| s.as_str().eq_ignore_ascii_case(v)))
                    .ok_or_else(|| row.reject(i, format!("unknown status '{v}' (map it under stay.status_values)")))?,
            },
            None => self.default_status,
        };
        if let Some(i) = self.cancelled_flag {
            let cancelled = match row.get(i)?.map(str::to_ascii_lowercase).as_deref() {
                None | Some("0" | "false" | "no" | "n" | "f") => false,
                Some("1" | "true" | "yes" | "y" | "t") => true,
                Some(other) => return Err(row.reject(i, format!("'{other}' is not a yes/no value"))),
            };
            if cancelled && status != StayStatus::NoShow {
                status = StayStatus::Cancelled;
            }
        }
        Ok(status)
    }

    fn booked_at(&self, row: &Row<'_>, arrival: NaiveDate, stats: &mut ParseStats) -> Result<Option<NaiveDate>, Reject> {
        if let Some((i, formats)) = &self.booked_at {
            if let Some(v) = row.get(*i)? {
                match parse_date(v, formats) {
                    Ok(d) => return Ok(Some(d)),
                    Err(e) => stats.ignore_field(row.line, &row.column(*i), &e),
                }
            }
        }
        if let Some(i) = self.lead_time {
            return Ok(row.count(i)?.and_then(|days| arrival.checked_sub_days(Days::new(days as u64))));
        }
        Ok(None)
    }
}

fn nights(row: &Row<'_>, cols: &[usize]) -> Result<i64, Reject> {
    let mut total = 0i64;
    for &c in cols {
        let Some(v) = row.get(c)? else { continue };
        let n: i64 = v.parse().map_err(|_| row.reject(c, format!("'{v}' is not a number of nights")))?;
        if n < 0 {
            return Err(row.reject(c, format!("negative nights ({n})")));
        }
        total += n;
    }
    if total > 3660 {
        return Err(row.reject(cols[0], format!("{total} nights is not a stay")));
    }
    Ok(total)
}

fn to_i32(row: &Row<'_>, col: Option<usize>, n: i64) -> Result<i32, Reject> {
    i32::try_from(n).map_err(|_| Reject {
        column: col.map(|c| row.column(c)).unwrap_or_default(),
        reason: format!("{n} is too large"),
    })
}

/// Whether the profile already carries an identity key (valid email, or valid phone + name).
fn has_contact_key(p: &GuestProfile) -> bool {
    p.emails.iter().any(|e| e.is_valid()) || (p.phones.iter().any(|ph| ph.is_valid()) && !p.name.identity_form().is_empty())
}
