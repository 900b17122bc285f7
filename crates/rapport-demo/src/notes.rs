//! What guests ask for when they book, and what staff write down during the stay.

use chrono::{Days, NaiveTime, TimeZone, Utc};
use rand::Rng;
use rapport_domain::guest::PreferenceKind;

use crate::calendar::occasion_during;
use crate::guest::DemoGuest;
use crate::hotels::HotelProfile;
use crate::random::{pick, DemoRng};
use crate::stays::{DemoNote, DemoStay, Segment};
use crate::tastes::allergy;

/// Free-text requests on about a quarter of bookings, shaped by who is coming.
pub fn special_requests(rng: &mut DemoRng, guest: &DemoGuest, stay: &DemoStay) -> Option<String> {
    let mut asks: Vec<&str> = Vec::new();
    if stay.children > 0 && rng.gen_bool(0.5) {
        asks.push(pick(
            rng,
            &["baby cot", "extra bed", "connecting rooms", "children's welcome amenity"],
        ));
    }
    if guest
        .profile
        .anniversary
        .is_some_and(|a| occasion_during(a, stay.arrival, stay.departure))
        && rng.gen_bool(0.6)
    {
        asks.push("wedding anniversary: flowers in the room");
    }
    if guest
        .profile
        .birthday
        .is_some_and(|b| occasion_during(b, stay.arrival, stay.departure))
        && rng.gen_bool(0.4)
    {
        asks.push("birthday during the stay");
    }
    if guest
        .profile
        .preferences
        .iter()
        .any(|p| p.kind == PreferenceKind::Room && p.key == "floor" && p.value == "high")
        && rng.gen_bool(0.3)
    {
        asks.push("high floor");
    }
    if rng.gen_bool(0.18) {
        let general: &[&str] = if stay.segment == Segment::Business {
            &[
                "late check-in",
                "early check-in",
                "quiet room",
                "invoice to company",
                "late checkout",
            ]
        } else {
            &[
                "late check-in",
                "early check-in",
                "twin beds",
                "airport pickup",
                "extra pillows",
                "sea or city view",
                "late checkout",
            ]
        };
        asks.push(pick(rng, general));
    }
    asks.dedup();
    (!asks.is_empty()).then(|| asks.join("; "))
}

/// Staff notes on about one realised stay in twelve, more for the guests who matter most.
pub fn notes(rng: &mut DemoRng, guest: &DemoGuest, stay: &DemoStay, hotel: &HotelProfile) -> Vec<DemoNote> {
    let p = if guest.profile.vip_code.is_some() { 0.35 } else { 0.08 };
    if !rng.gen_bool(p) {
        return Vec::new();
    }
    let chinese = hotel.chinese_notes && rng.gen_bool(0.7);
    let birthday = guest
        .profile
        .birthday
        .is_some_and(|b| occasion_during(b, stay.arrival, stay.departure));
    let body = match (allergy(&guest.profile.taboos), birthday, chinese) {
        (Some(a), _, false) if rng.gen_bool(0.5) => {
            format!("Allergy to {a} confirmed with the kitchen at check-in.")
        }
        (Some(a), _, true) if rng.gen_bool(0.5) => format!("客人对{a}过敏，已通知厨房。"),
        (_, true, false) => "Birthday during the stay: cake and card sent to the room.".to_string(),
        (_, true, true) => "客人入住期间过生日，已送蛋糕和贺卡到房间。".to_string(),
        (_, _, false) => pick(
            rng,
            &[
                "Asked for a late checkout at 14:00; approved.",
                "Complained about noise from the lift lobby; moved to a quieter room.",
                "Very happy with breakfast; praised the restaurant team.",
                "Left a phone charger in the room; posted to the home address.",
                "Airport transfer arranged for departure.",
                "Prefers to be greeted by name; remembers staff from the last visit.",
                "Room not ready at 15:00; offered a drink in the lobby bar while waiting.",
                "Asked for extra pillows and a humidifier.",
            ],
        )
        .to_string(),
        (_, _, true) => pick(
            rng,
            &[
                "客人要求延迟退房至14点，已同意。",
                "客人反映电梯口噪音较大，已换到安静的房间。",
                "客人对早餐很满意，表扬了餐厅团队。",
                "已为客人安排机场接送。",
                "客人需要加床。",
                "客人房间未按时准备好，已在大堂吧请客人喝茶等候。",
            ],
        )
        .to_string(),
    };
    // Written during the stay, and never after the demo's today.
    let day = (stay.arrival + Days::new(rng.gen_range(0..=stay.nights().max(0) as u64))).min(stay.posted_on);
    let time = NaiveTime::from_hms_opt(rng.gen_range(7..23), rng.gen_range(0..60), 0).expect("a valid time");
    vec![DemoNote {
        body,
        author: pick(rng, hotel.staff),
        created_at: Utc.from_utc_datetime(&day.and_time(time)),
    }]
}
