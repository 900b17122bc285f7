//! Email addresses and phone numbers that look like the guest's, valid for their country,
//! and unique to them — plus the few malformed ones every PMS export contains.
//!
//! Uniqueness matters: the import joins a booking to a profile on the same email (or the
//! same phone with the same name), so two generated people must never share either by
//! accident. Local parts therefore end in the guest's number, and a phone's last seven
//! digits are a bijection of the guest index.

use rand::Rng;
use rapport_domain::contact::ContactPoint;

use crate::locale::Locale;
use crate::names::PersonName;
use crate::random::{pick, scramble, weighted, DemoRng};

/// Guests a generator can give distinct phone numbers: the seven subscriber digits.
pub const MAX_UNIQUE_PHONES: u64 = 8_000_000;

fn digit(rng: &mut DemoRng) -> u32 {
    rng.gen_range(0..10)
}

/// A mobile number in E.164 whose last seven digits are `unique` (< [`MAX_UNIQUE_PHONES`]).
pub fn mobile(rng: &mut DemoRng, locale: Locale, unique: u64) -> String {
    let u = unique % MAX_UNIQUE_PHONES;
    let tail = format!("{u:07}");
    match locale {
        Locale::China => {
            let prefix = pick(
                rng,
                &[
                    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155", "156", "158", "159", "176",
                    "177", "180", "181", "186", "187", "188", "189", "198", "199",
                ],
            );
            format!("+86{prefix}{}{tail}", digit(rng))
        }
        Locale::HongKong => {
            // Only some two-digit blocks are mobile throughout; the seventh digit picks one.
            const BLOCKS: [&str; 8] = ["94", "96", "97", "61", "63", "64", "65", "69"];
            format!("+852{}{:06}", BLOCKS[(u / 1_000_000) as usize], u % 1_000_000)
        }
        Locale::Singapore => format!("+658{}{:06}", 1 + u / 1_000_000, u % 1_000_000),
        Locale::Japan => format!("+81{}{}{tail}", pick(rng, &["90", "80", "70"]), rng.gen_range(1..10)),
        Locale::Korea => format!("+8210{}{tail}", pick(rng, &[2, 3, 4, 6, 7, 8, 9])),
        Locale::Portugal => format!("+351{}{tail}", pick(rng, &["91", "92", "93", "96"])),
        Locale::Brazil => format!(
            "+55{}9{}{tail}",
            pick(rng, &["11", "21", "31", "41", "51", "61"]),
            rng.gen_range(6..10)
        ),
        Locale::Spain => format!("+346{}{tail}", digit(rng)),
        Locale::France => format!(
            "+33{}{tail}",
            pick(rng, &["60", "61", "62", "64", "65", "66", "67", "68", "73", "75", "76", "77", "78"])
        ),
        Locale::Germany => {
            if rng.gen_bool(0.5) {
                format!("+49{}{tail}", pick(rng, &["170", "171", "172", "173", "174", "175"]))
            } else {
                format!("+49{}{}{tail}", pick(rng, &["151", "152", "157", "159", "160", "162"]), digit(rng))
            }
        }
        Locale::Italy => format!(
            "+39{}{tail}",
            pick(
                rng,
                &["320", "328", "329", "333", "338", "339", "340", "347", "348", "349", "366", "380", "388", "392"]
            )
        ),
        Locale::Britain => format!(
            "+447{}{tail}",
            pick(rng, &["10", "23", "34", "39", "71", "75", "77", "90", "95", "98"])
        ),
        Locale::UnitedStates => {
            let area = pick(
                rng,
                &["212", "415", "312", "617", "206", "310", "646", "202", "305", "512", "669", "858"],
            );
            format!("+1{area}{}{:04}", 200 + u / 10_000, u % 10_000)
        }
        Locale::Australia => format!("+614{}{tail}", pick(rng, &[0, 1, 2, 3, 6])),
    }
}

/// The guest's phone digits: a bijection of the guest index, so no two guests share one.
pub fn phone_digits(index: u64, seed: u64) -> u64 {
    scramble(index, MAX_UNIQUE_PHONES, seed % MAX_UNIQUE_PHONES)
}

/// A personal address: `joao.silva1234@sapo.example`, `48213901@qq.example` …
pub fn personal_email(rng: &mut DemoRng, name: &PersonName, locale: Locale, index: u64) -> String {
    let domain = weighted(rng, locale.mail_providers());
    if *domain == "qq.example" {
        // QQ addresses are the account number.
        return format!("{}@qq.example", 10_000_000 + scramble(index, 80_000_000, 0));
    }
    format!("{}@{domain}", local_part(rng, name, index))
}

/// A work address at the guest's company.
pub fn work_email(rng: &mut DemoRng, name: &PersonName, company_domain: &str, index: u64) -> String {
    format!("{}@{company_domain}", local_part(rng, name, index))
}

/// A household address the family shares, held on the guest's profile.
pub fn household_email(rng: &mut DemoRng, name: &PersonName, locale: Locale, index: u64) -> String {
    let domain = weighted(rng, locale.mail_providers());
    let f = &name.mail_family;
    let local = match locale {
        Locale::Germany => format!("familie.{f}{}", index + 1),
        Locale::France => format!("famille.{f}{}", index + 1),
        Locale::China => format!("{f}jia{}", index + 1),
        _ => format!("the.{f}s{}", index + 1),
    };
    format!("{local}@{domain}")
}

/// Every local part ends in the guest's number, which keeps addresses unique.
fn local_part(rng: &mut DemoRng, name: &PersonName, index: u64) -> String {
    let (g, f) = (&name.mail_given, &name.mail_family);
    let initial = g.chars().next().unwrap_or('x');
    let n = index + 1;
    match rng.gen_range(0..5) {
        0 => format!("{g}.{f}{n}"),
        1 => format!("{g}{f}{n}"),
        2 => format!("{initial}{f}{n}"),
        3 => format!("{f}.{g}{n}"),
        _ => format!("{f}_{g}{n}"),
    }
}

/// An email as a careless clerk typed it: it must stay on the profile, flagged.
pub fn malformed_email(rng: &mut DemoRng, name: &PersonName) -> ContactPoint {
    let (g, f) = (&name.mail_given, &name.mail_family);
    let raw = match rng.gen_range(0..4) {
        0 => format!("{g}.{f}@gmail"),
        1 => format!("{g}.{f}.gmail.example"),
        2 => "n/a".to_string(),
        _ => format!("{g} {f}@mail.example"),
    };
    ContactPoint::email_lenient(&raw)
}

/// A phone that does not normalise: too short, a placeholder, half a number.
pub fn malformed_phone(rng: &mut DemoRng) -> ContactPoint {
    let raw = pick(rng, &["12345", "000", "n/a", "+86 138", "tel", "0"]);
    ContactPoint::phone_lenient(raw, rapport_domain::contact::Region::default())
}

/// A valid, already normalised contact point with an optional label.
pub fn valid(value: String, label: Option<&str>) -> ContactPoint {
    ContactPoint {
        value,
        invalid: None,
        label: label.map(str::to_string),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::names::guest_name;
    use crate::random::stream;
    use rapport_domain::contact::{Email, Phone, Region};

    const ALL: [Locale; 14] = [
        Locale::China,
        Locale::HongKong,
        Locale::Singapore,
        Locale::Japan,
        Locale::Korea,
        Locale::Portugal,
        Locale::Brazil,
        Locale::Spain,
        Locale::France,
        Locale::Germany,
        Locale::Italy,
        Locale::Britain,
        Locale::UnitedStates,
        Locale::Australia,
    ];

    #[test]
    fn every_generated_mobile_is_valid_e164_for_its_country() {
        let mut rng = stream(9, 0, 0);
        let mut failures = std::collections::BTreeMap::new();
        for locale in ALL {
            for i in 0..2_000u64 {
                let p = mobile(&mut rng, locale, phone_digits(i * 3_989, 5));
                match Phone::parse(&p, Region::default()) {
                    Ok(parsed) => assert_eq!(parsed.as_str(), p, "{locale:?} is already E.164"),
                    Err(e) => failures.entry(format!("{locale:?}")).or_insert_with(Vec::new).push(e),
                }
            }
        }
        let summary: Vec<String> = failures
            .iter()
            .map(|(l, e)| format!("{l}: {} of 2000, e.g. {}", e.len(), e[..3.min(e.len())].join(" | ")))
            .collect();
        assert!(failures.is_empty(), "{summary:#?}");
    }

    #[test]
    fn every_generated_email_is_valid_and_lower_case() {
        let mut rng = stream(9, 1, 0);
        for locale in ALL {
            for i in 0..200 {
                let name = guest_name(&mut rng, locale, None);
                for e in [
                    personal_email(&mut rng, &name, locale, i),
                    work_email(&mut rng, &name, "acme.example", i),
                    household_email(&mut rng, &name, locale, i),
                ] {
                    let parsed = Email::parse(&e).unwrap_or_else(|err| panic!("{locale:?}: {err}"));
                    assert_eq!(parsed.as_str(), e);
                }
            }
        }
    }

    #[test]
    fn malformed_contacts_are_flagged() {
        let mut rng = stream(9, 2, 0);
        let name = guest_name(&mut rng, Locale::France, None);
        for _ in 0..50 {
            assert!(!malformed_email(&mut rng, &name).is_valid());
            assert!(!malformed_phone(&mut rng).is_valid());
        }
    }

    #[test]
    fn phone_digits_never_repeat() {
        let mut seen = std::collections::HashSet::new();
        assert!((0..100_000).all(|i| seen.insert(phone_digits(i, 77))));
    }
}
