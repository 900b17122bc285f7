//! One generated guest: who they are, and the latent traits (value, travel frequency,
//! purpose) their stays are drawn from.

use chrono::NaiveDate;
use rand::Rng;
use rapport_domain::guest::{Address, ExternalId, GuestProfile};
use rapport_domain::names::GuestName;

use crate::contacts::{household_email, malformed_email, malformed_phone, mobile, personal_email, phone_digits, valid, work_email};
use crate::hotels::Site;
use crate::household::{age, date_years_ago, household};
use crate::locale::Locale;
use crate::names::{guest_name, title, PersonName};
use crate::random::{normal, pick, weighted, DemoRng};
use crate::tastes::{company, preferences, taboos, tags};

/// The source of the guests' external ids: the group's PMS profile number.
pub const EXTERNAL_SOURCE: &str = "PMS";

/// Spread of the latent value (log scale). With the visit frequency correlated to it,
/// it puts roughly 70 % of revenue with the top fifth of guests.
const VALUE_SIGMA: f64 = 0.75;
/// Correlation between a guest's value and how often they come.
const VALUE_VISITS_CORRELATION: f64 = 0.6;

#[derive(Debug, Clone)]
pub struct DemoGuest {
    pub locale: Locale,
    /// Index of the home hotel in the generator's sites.
    pub home: usize,
    /// Spend multiplier, lognormal with median 1.
    pub value: f64,
    /// Standard-normal propensity to return; above ~1.64 (5 %) a frequent returner.
    pub visits_z: f64,
    /// Travels mostly on business.
    pub business: bool,
    pub young_children: u8,
    pub profile: GuestProfile,
}

impl DemoGuest {
    /// One of the few guests who come back 10–40 times.
    pub fn frequent(&self) -> bool {
        self.visits_z > FREQUENT_Z
    }
}

/// Standard-normal quantile of the top 5 %.
pub const FREQUENT_Z: f64 = 1.645;

/// A guest's PMS profile number: unique, stable for a given index.
pub fn external_id(index: u64) -> String {
    format!("{}", 10_000_001 + index)
}

pub fn generate(rng: &mut DemoRng, index: u64, seed: u64, sites: &[Site], today: NaiveDate) -> DemoGuest {
    let shares: Vec<(usize, f64)> = sites.iter().enumerate().map(|(i, s)| (i, s.profile.share)).collect();
    let home = *weighted(rng, &shares);
    let locale = *weighted(rng, sites[home].profile.markets);
    let value_z = normal(rng);
    let value = (VALUE_SIGMA * value_z).exp();
    let r = VALUE_VISITS_CORRELATION;
    let visits_z = r * value_z + (1.0 - r * r).sqrt() * normal(rng);
    let frequent = visits_z > FREQUENT_Z;
    let business = rng.gen_bool(if frequent { 0.75 } else { 0.38 });

    let name = guest_name(rng, locale, None);
    let years = age(rng);
    let birthday_known = if matches!(locale, Locale::China | Locale::HongKong) {
        0.9
    } else {
        0.7
    };
    let birthday = rng.gen_bool(birthday_known).then(|| date_years_ago(rng, today, years));
    let household = household(rng, locale, &name, years, today);
    let employer = (business || rng.gen_bool(0.1)).then(|| company(rng, locale));

    let mut profile = GuestProfile {
        name: GuestName {
            title: title(rng, locale, name.female),
            given: name.given.clone(),
            family: name.family.clone(),
            native: name.native.clone(),
        },
        language: Some(locale.language().to_string()),
        nationality: Some(locale.country().to_string()),
        birthday,
        anniversary: household.anniversary,
        company: employer.map(|(c, _)| c.to_string()),
        external_ids: vec![ExternalId {
            source: EXTERNAL_SOURCE.into(),
            id: external_id(index),
        }],
        ..GuestProfile::default()
    };
    contacts(
        rng,
        &mut profile,
        &name,
        locale,
        index,
        seed,
        employer.map(|(_, d)| d),
        !household.family.is_empty(),
    );
    if rng.gen_bool(0.45) {
        profile.address = Some(Address {
            city: Some(pick(rng, locale.cities()).to_string()),
            country: Some(locale.country().to_string()),
            ..Address::default()
        });
    }
    profile.family = household.family;
    // Staff learn the tastes of the guests they see often or look after most.
    profile.preferences = preferences(rng, locale, frequent || value_z > 1.5, business);
    profile.taboos = taboos(rng, locale);
    profile.vip_code = vip_code(rng, value_z, employer.is_some());
    profile.tags = tags(
        rng,
        &[
            (business, "business traveller"),
            (household.young_children > 0, "family"),
            (frequent, "frequent guest"),
            (employer.is_some() && business, "corporate"),
        ],
    );
    DemoGuest {
        locale,
        home,
        value,
        visits_z,
        business,
        young_children: household.young_children,
        profile,
    }
}

#[allow(clippy::too_many_arguments)]
fn contacts(
    rng: &mut DemoRng,
    profile: &mut GuestProfile,
    name: &PersonName,
    locale: Locale,
    index: u64,
    seed: u64,
    work_domain: Option<&str>,
    has_family: bool,
) {
    // Emails: most guests have a personal one, business travellers often a work one,
    // some families a household address; about one in ten has none on file.
    let u: f64 = rng.gen();
    if u < 0.006 {
        profile.emails.push(malformed_email(rng, name));
    } else if u < 0.11 {
        // none
    } else if has_family && u < 0.16 {
        profile.emails.push(valid(household_email(rng, name, locale, index), Some("home")));
    } else if let Some(domain) = work_domain.filter(|_| rng.gen_bool(0.5)) {
        profile.emails.push(valid(work_email(rng, name, domain, index), Some("work")));
        if rng.gen_bool(0.3) {
            profile.emails.push(valid(personal_email(rng, name, locale, index), Some("home")));
        }
    } else {
        profile.emails.push(valid(personal_email(rng, name, locale, index), None));
    }
    let u: f64 = rng.gen();
    if u < 0.006 {
        profile.phones.push(malformed_phone(rng));
    } else if u < 0.12 {
        // none
    } else {
        let digits = phone_digits(index, seed);
        let first = mobile(rng, locale, digits);
        if rng.gen_bool(0.05) {
            let second = mobile(rng, locale, digits);
            if second != first {
                profile.phones.push(valid(second, Some("work")));
            }
        }
        profile.phones.insert(0, valid(first, Some("mobile")));
    }
}

/// A handful of VIP codes for the most valuable guests, and a few commercially important
/// people from client companies.
fn vip_code(rng: &mut DemoRng, value_z: f64, employed: bool) -> Option<String> {
    let code = if value_z > 2.75 {
        "VIP1"
    } else if value_z > 2.33 {
        "VIP2"
    } else if value_z > 2.05 {
        "VIP3"
    } else if employed && rng.gen_bool(0.01) {
        "CIP"
    } else {
        return None;
    };
    Some(code.to_string())
}
