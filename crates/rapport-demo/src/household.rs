//! Birthdays, marriages and children: the family occasions the arrivals brief and the
//! birthday campaigns look for.

use chrono::{Datelike, Days, NaiveDate};
use rand::Rng;
use rapport_domain::guest::FamilyMember;

use crate::locale::Locale;
use crate::names::{relative_name, PersonName, Relation};
use crate::random::{normal, DemoRng};

/// The people a guest travels with or celebrates, as far as the hotel knows them.
#[derive(Debug, Clone, Default)]
pub struct Household {
    pub family: Vec<FamilyMember>,
    pub anniversary: Option<NaiveDate>,
    /// Recorded children young enough to travel with their parents.
    pub young_children: u8,
}

/// A date exactly `years` (whole years) before `today`: a birthday or wedding day.
pub fn date_years_ago(rng: &mut DemoRng, today: NaiveDate, years: u32) -> NaiveDate {
    let year = today.year() - years as i32;
    let jan1 = NaiveDate::from_ymd_opt(year, 1, 1).expect("a valid year");
    let d = jan1 + Days::new(rng.gen_range(0..365));
    let same_day = today.with_year(year).unwrap_or(jan1 + Days::new(58));
    // A day later in the year than today's would make the person a year younger.
    if d > same_day {
        d - Days::new(365)
    } else {
        d
    }
}

/// A guest's age in years: adults, most between 30 and 60.
pub fn age(rng: &mut DemoRng) -> u32 {
    (44.0 + 12.0 * normal(rng)).clamp(21.0, 84.0) as u32
}

pub fn household(rng: &mut DemoRng, locale: Locale, guest: &PersonName, age: u32, today: NaiveDate) -> Household {
    let mut h = Household::default();
    let p_married = match age {
        0..=27 => 0.2,
        28..=40 => 0.6,
        _ => 0.72,
    };
    if !rng.gen_bool(p_married) {
        return h;
    }
    let married_for = rng.gen_range(0..=age.saturating_sub(23).max(1));
    if rng.gen_bool(0.35) {
        h.anniversary = Some(date_years_ago(rng, today, married_for));
    }
    if rng.gen_bool(0.45) {
        let spouse_age = (age as i32 + rng.gen_range(-6..=4)).max(20) as u32;
        h.family.push(FamilyMember {
            name: relative_name(rng, locale, guest, Relation::Spouse),
            relation: "spouse".into(),
            birthday: rng.gen_bool(0.5).then(|| date_years_ago(rng, today, spouse_age)),
        });
    }
    if (27..=66).contains(&age) && rng.gen_bool(0.65) {
        let children = match rng.gen_range(0..100) {
            0..=44 => 1,
            45..=84 => 2,
            _ => 3,
        };
        for _ in 0..children {
            let child_age = age as i32 - rng.gen_range(24..=40);
            if child_age < 0 {
                continue;
            }
            // Hotels note the children who come along; grown-up ones rarely.
            let recorded = if child_age < 16 { rng.gen_bool(0.6) } else { rng.gen_bool(0.1) };
            if !recorded {
                continue;
            }
            if child_age < 16 {
                h.young_children += 1;
            }
            h.family.push(FamilyMember {
                name: relative_name(rng, locale, guest, Relation::Child),
                relation: "child".into(),
                birthday: rng.gen_bool(0.8).then(|| date_years_ago(rng, today, child_age as u32)),
            });
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::names::guest_name;
    use crate::random::stream;

    #[test]
    fn birthdays_lie_in_the_past_and_match_the_age() {
        let today = NaiveDate::from_ymd_opt(2025, 3, 10).unwrap();
        let mut rng = stream(1, 0, 0);
        for years in [0, 1, 30, 80] {
            for _ in 0..100 {
                let d = date_years_ago(&mut rng, today, years);
                assert!(d <= today);
                let age = today.years_since(d).unwrap();
                assert_eq!(age, years, "{d}");
            }
        }
    }

    #[test]
    fn children_are_younger_than_their_parents() {
        let today = NaiveDate::from_ymd_opt(2025, 3, 10).unwrap();
        let mut rng = stream(2, 0, 0);
        for _ in 0..500 {
            let name = guest_name(&mut rng, Locale::Germany, None);
            let age = age(&mut rng);
            let h = household(&mut rng, Locale::Germany, &name, age, today);
            for m in h.family.iter().filter(|m| m.relation == "child") {
                if let Some(b) = m.birthday {
                    assert!(today.years_since(b).unwrap() + 20 <= age, "{age} {b}");
                }
            }
        }
    }
}
