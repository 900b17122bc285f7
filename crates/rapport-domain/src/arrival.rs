//! What to prepare for an arriving guest: the arrivals brief, computed from the profile,
//! the stay and the guest's history. Each item carries a stable key so that staff can
//! tick it as done and the tick survives a reload.

use chrono::NaiveDate;
use serde::Serialize;

use crate::guest::{GuestProfile, PreferenceKind, TabooKind};
use crate::hotel::HotelId;
use crate::occasions::{occurrence_within, years_at};
use crate::stay::{Note, Stay};

/// Something to get ready before the guest walks in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Touch {
    /// Stable across reloads and edits of unrelated fields, e.g. `pref:room:floor=high`.
    pub key: String,
    pub kind: TouchKind,
    /// What the staff read, in the guest data's own words (`floor: high`, `peanuts`).
    pub detail: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TouchKind {
    Allergy,
    Taboo,
    Dislike,
    RoomPreference,
    FoodPreference,
    ServicePreference,
    Birthday,
    Anniversary,
    SpecialRequest,
}

impl TouchKind {
    /// Allergies and taboos are what must never go wrong; the brief shows them first.
    pub fn is_warning(self) -> bool {
        matches!(self, Self::Allergy | Self::Taboo)
    }
}

/// A birthday or anniversary that falls during the stay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Occasion {
    pub kind: TouchKind,
    /// `None` for the guest, the family member's name and relation otherwise.
    pub family_member: Option<(String, String)>,
    pub on: NaiveDate,
    /// Age turned, or years married.
    pub years: i32,
}

/// The guest has been before (in the hotels the reader may see).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Returning {
    pub earlier_stays: usize,
    pub last_arrival: NaiveDate,
    pub last_hotel: HotelId,
}

/// One guest's part of the arrivals brief.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArrivalPrep {
    pub touches: Vec<Touch>,
    pub occasions: Vec<Occasion>,
    pub returning: Option<Returning>,
    /// Notes written about earlier stays, newest first.
    pub earlier_notes: Vec<Note>,
}

/// Builds the brief for `stay` from the guest's profile, other stays and notes.
pub fn prepare(stay: &Stay, profile: &GuestProfile, history: &[Stay], notes: &[Note]) -> ArrivalPrep {
    let mut touches = Vec::new();
    for t in &profile.taboos {
        let kind = match t.kind {
            TabooKind::Allergy => TouchKind::Allergy,
            TabooKind::Taboo => TouchKind::Taboo,
            TabooKind::Dislike => TouchKind::Dislike,
        };
        touches.push(Touch {
            key: format!("taboo:{}:{}", kind_key(kind), t.description.trim().to_lowercase()),
            kind,
            detail: t.description.clone(),
        });
    }
    for p in &profile.preferences {
        let kind = match p.kind {
            PreferenceKind::Room => TouchKind::RoomPreference,
            PreferenceKind::Food => TouchKind::FoodPreference,
            PreferenceKind::Service => TouchKind::ServicePreference,
        };
        touches.push(Touch {
            key: format!(
                "pref:{}:{}={}",
                kind_key(kind),
                p.key.trim().to_lowercase(),
                p.value.trim().to_lowercase()
            ),
            kind,
            detail: format!("{}: {}", p.key, p.value),
        });
    }
    let occasions = occasions_during(stay, profile);
    for o in &occasions {
        let who = o
            .family_member
            .as_ref()
            .map_or("guest".to_string(), |(name, _)| name.to_lowercase());
        touches.push(Touch {
            key: format!("occasion:{}:{}:{}", kind_key(o.kind), who, o.on),
            kind: o.kind,
            detail: o
                .family_member
                .as_ref()
                .map_or_else(String::new, |(name, relation)| format!("{name} ({relation})")),
        });
    }
    if let Some(req) = stay.special_requests.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        touches.push(Touch {
            key: "request".into(),
            kind: TouchKind::SpecialRequest,
            detail: req.to_string(),
        });
    }
    // Warnings first, then in the order staff walk the room: room, food, service, occasions.
    touches.sort_by_key(|t| !t.kind.is_warning());

    let earlier: Vec<&Stay> = history
        .iter()
        .filter(|s| s.id != stay.id && s.arrival < stay.arrival && s.status.is_realised())
        .collect();
    let returning = earlier.iter().max_by_key(|s| (s.arrival, s.id)).map(|last| Returning {
        earlier_stays: earlier.len(),
        last_arrival: last.arrival,
        last_hotel: last.hotel_id,
    });
    let mut earlier_notes: Vec<Note> = notes.iter().filter(|n| n.stay_id != Some(stay.id)).cloned().collect();
    earlier_notes.sort_by_key(|n| std::cmp::Reverse(n.created_at));

    ArrivalPrep {
        touches,
        occasions,
        returning,
        earlier_notes,
    }
}

/// Birthdays (guest and family) and the wedding anniversary falling between arrival and
/// departure, both days included.
pub fn occasions_during(stay: &Stay, profile: &GuestProfile) -> Vec<Occasion> {
    let (from, to) = (stay.arrival, stay.departure);
    let mut out = Vec::new();
    let mut add = |kind, family_member, date: Option<NaiveDate>| {
        if let Some(date) = date {
            if let Some(on) = occurrence_within(date, from, to) {
                out.push(Occasion {
                    kind,
                    family_member,
                    on,
                    years: years_at(date, on),
                });
            }
        }
    };
    add(TouchKind::Birthday, None, profile.birthday);
    add(TouchKind::Anniversary, None, profile.anniversary);
    for f in &profile.family {
        add(TouchKind::Birthday, Some((f.name.clone(), f.relation.clone())), f.birthday);
    }
    out.sort_by_key(|o| o.on);
    out
}

fn kind_key(kind: TouchKind) -> &'static str {
    match kind {
        TouchKind::Allergy => "allergy",
        TouchKind::Taboo => "taboo",
        TouchKind::Dislike => "dislike",
        TouchKind::RoomPreference => "room",
        TouchKind::FoodPreference => "food",
        TouchKind::ServicePreference => "service",
        TouchKind::Birthday => "birthday",
        TouchKind::Anniversary => "anniversary",
        TouchKind::SpecialRequest => "request",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guest::{FamilyMember, Preference, Taboo};
    use crate::stay::StayStatus;
    use chrono::{TimeZone, Utc};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn stay(id: i64, hotel: HotelId, arrival: NaiveDate, nights: i64, status: StayStatus) -> Stay {
        Stay {
            id,
            guest_id: 1,
            hotel_id: hotel,
            external_ref: None,
            arrival,
            departure: arrival + chrono::Duration::days(nights),
            room_type: None,
            rate: None,
            channel: None,
            market_segment: None,
            adults: 2,
            children: 1,
            special_requests: Some("late arrival, crib".into()),
            status,
            booked_at: None,
            created_at: Utc.timestamp_opt(0, 0).unwrap(),
        }
    }

    fn family_guest() -> GuestProfile {
        GuestProfile {
            birthday: Some(d(1980, 3, 1)),
            anniversary: Some(d(2010, 11, 24)),
            family: vec![FamilyMember {
                name: "Lily".into(),
                relation: "daughter".into(),
                birthday: Some(d(2018, 11, 25)),
            }],
            preferences: vec![Preference {
                kind: PreferenceKind::Room,
                key: "floor".into(),
                value: "high".into(),
            }],
            taboos: vec![Taboo {
                kind: TabooKind::Allergy,
                description: "Peanuts".into(),
            }],
            ..Default::default()
        }
    }

    #[test]
    fn the_brief_lists_allergies_first_then_preferences_occasions_and_requests() {
        let s = stay(10, 1, d(2026, 11, 23), 3, StayStatus::Booked);
        let prep = prepare(&s, &family_guest(), &[], &[]);
        let kinds: Vec<TouchKind> = prep.touches.iter().map(|t| t.kind).collect();
        assert_eq!(
            kinds,
            vec![
                TouchKind::Allergy,
                TouchKind::RoomPreference,
                TouchKind::Anniversary,
                TouchKind::Birthday,
                TouchKind::SpecialRequest
            ]
        );
        assert_eq!(prep.touches[0].key, "taboo:allergy:peanuts");
        assert_eq!(prep.touches[1].key, "pref:room:floor=high");
        assert_eq!(prep.occasions[1].family_member, Some(("Lily".into(), "daughter".into())));
        assert_eq!(prep.occasions[1].years, 8, "Lily turns eight");
        assert_eq!(prep.occasions[0].years, 16, "sixteen years married");
        assert!(prep.returning.is_none(), "first stay");
    }

    #[test]
    fn no_occasion_outside_the_stay() {
        let s = stay(10, 1, d(2026, 12, 1), 3, StayStatus::Booked);
        assert!(occasions_during(&s, &family_guest()).is_empty());
    }

    #[test]
    fn a_returning_guest_counts_only_earlier_stays_that_happened() {
        let now = stay(10, 1, d(2026, 11, 23), 2, StayStatus::Booked);
        let history = vec![
            now.clone(),
            stay(3, 2, d(2025, 6, 1), 2, StayStatus::CheckedOut),
            stay(2, 1, d(2024, 6, 1), 2, StayStatus::CheckedOut),
            stay(4, 1, d(2025, 9, 1), 2, StayStatus::Cancelled),
            stay(5, 1, d(2027, 1, 1), 2, StayStatus::Booked),
        ];
        let prep = prepare(&now, &GuestProfile::default(), &history, &[]);
        assert_eq!(
            prep.returning,
            Some(Returning {
                earlier_stays: 2,
                last_arrival: d(2025, 6, 1),
                last_hotel: 2
            })
        );
    }
}
