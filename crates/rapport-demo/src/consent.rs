//! Marketing consent per channel, as taken at the guest's first booking or check-in.
//!
//! One record per channel at most: the import appends a record only when it changes a
//! channel's current state, so replaying a grant-then-withdraw history on a second load
//! would append it again. A single decision per channel keeps re-loading idempotent.

use chrono::{NaiveTime, TimeZone, Utc};
use rand::Rng;
use rapport_domain::guest::{ConsentChannel, ConsentRecord};

use crate::guest::DemoGuest;
use crate::hotels::Site;
use crate::locale::Locale;
use crate::random::{pick, weighted, DemoRng};
use crate::stays::DemoStay;

pub fn consents(rng: &mut DemoRng, guest: &DemoGuest, first: &DemoStay, sites: &[Site]) -> Vec<ConsentRecord> {
    let p = &guest.profile;
    let has_email = p.emails.iter().any(|e| e.is_valid());
    let has_phone = p.phones.iter().any(|e| e.is_valid());
    // (channel, chance a decision is on file, chance it is a yes)
    let channels = [
        (ConsentChannel::Email, if has_email { 0.7 } else { 0.0 }, 0.72),
        (ConsentChannel::Sms, if has_phone { 0.45 } else { 0.0 }, 0.55),
        (ConsentChannel::Wechat, if guest.locale == Locale::China { 0.55 } else { 0.0 }, 0.75),
        (ConsentChannel::Phone, 0.15, 0.5),
        (ConsentChannel::Post, if p.address.is_some() { 0.2 } else { 0.0 }, 0.4),
    ];
    let (source, online) = *weighted(
        rng,
        &[
            (("web booking form", true), 0.3),
            (("registration card", false), 0.4),
            (("loyalty enrolment", true), 0.15),
            (("front desk", false), 0.15),
        ],
    );
    let staff = sites[first.site].profile.staff;
    let day = if online { first.booked_at } else { first.arrival };
    let time = NaiveTime::from_hms_opt(if online { 20 } else { 15 }, rng.gen_range(0..60), 0).expect("a valid time");
    let recorded_at = Utc.from_utc_datetime(&day.and_time(time));
    let recorded_by = if online {
        "guest".to_string()
    } else {
        pick(rng, staff).to_string()
    };
    let mut out = Vec::new();
    for (channel, p_record, p_yes) in channels {
        if p_record > 0.0 && rng.gen_bool(p_record) {
            out.push(ConsentRecord {
                channel,
                granted: rng.gen_bool(p_yes),
                recorded_at,
                source: source.to_string(),
                recorded_by: recorded_by.clone(),
            });
        }
    }
    out
}
