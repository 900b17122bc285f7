//! People entered more than once, with the truth known: the test bed of identity matching.
//!
//! Each real person (an *entity*) gets one profile and, often, more: booked through an OTA
//! without an email, typed at the front desk with a slip, read from a passport by OCR,
//! written in characters at the Shanghai hotel and in pinyin elsewhere, with given and
//! family name swapped, a nickname, a married name, a new phone. Among them live many
//! different people with the same common names (`Wang Wei`, `John Smith`) and households
//! sharing a family email, an address and a surname — who must never be merged.
//!
//! Deterministic per seed: entity `e` draws from its own stream.

mod mistakes;

use rand::Rng;
use rapport_domain::names::{fold_compact, fold_name};
use rapport_match::{nicknames, BirthDate, Person};

use crate::contacts::{household_email, mobile, personal_email, phone_digits};
use crate::locale::Locale;
use crate::names::{guest_name, PersonName};
use crate::random::{pick, stream, weighted, DemoRng};

/// How hard the generated duplicates are to find.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    /// Few duplicates, mostly small slips.
    Easy,
    /// Every kind of mistake, households, and many people sharing common names.
    Hard,
}

/// One generated profile and the real person it belongs to.
#[derive(Debug, Clone)]
pub struct GeneratedPerson {
    pub person: Person,
    pub entity: u64,
}

const SALT: u64 = 0xD0_0B1E;

const LOCALES: [(Locale, f64); 12] = [
    (Locale::China, 0.36),
    (Locale::UnitedStates, 0.15),
    (Locale::Britain, 0.1),
    (Locale::Germany, 0.07),
    (Locale::France, 0.06),
    (Locale::Spain, 0.05),
    (Locale::Italy, 0.05),
    (Locale::Japan, 0.04),
    (Locale::Korea, 0.03),
    (Locale::Brazil, 0.03),
    (Locale::Portugal, 0.03),
    (Locale::Australia, 0.03),
];

/// Names shared by a great many different guests.
const COMMON_NAMES: [(&str, &str, Option<&str>); 8] = [
    ("Wei", "Wang", Some("王伟")),
    ("Wei", "Zhang", Some("张伟")),
    ("Fang", "Wang", Some("王芳")),
    ("Na", "Li", Some("李娜")),
    ("John", "Smith", None),
    ("Michael", "Smith", None),
    ("Maria", "Garcia", None),
    ("David", "Brown", None),
];

const STREETS: [&str; 12] = [
    "Nanjing Road",
    "High Street",
    "Main Street",
    "Hauptstraße",
    "Rue de la Paix",
    "Calle Mayor",
    "Via Roma",
    "Park Avenue",
    "Station Road",
    "Huaihai Road",
    "Church Lane",
    "Avenida Paulista",
];

const COMPANIES: [&str; 8] = [
    "Acme Trading Ltd",
    "Sino Pacific Holdings",
    "Nordlicht GmbH",
    "Blue Harbour Consulting",
    "Golden Dragon Co",
    "Lumière SA",
    "Atlas Logistics Inc",
    "Huaxia Electronics",
];

/// Chance of each mistake in a repeat profile.
struct Rates {
    repeats: f64,
    max_repeats: u32,
    household: f64,
    common_name: f64,
    typo: f64,
    swapped: f64,
    nickname: f64,
    initial: f64,
    married: f64,
    characters: f64,
    missing: f64,
    new_contact: f64,
    date_mistake: f64,
    ocr: f64,
}

impl Setting {
    fn rates(self) -> Rates {
        match self {
            Setting::Easy => Rates {
                repeats: 0.25,
                max_repeats: 1,
                household: 0.03,
                common_name: 0.03,
                typo: 0.05,
                swapped: 0.0,
                nickname: 0.02,
                initial: 0.0,
                married: 0.0,
                characters: 0.2,
                missing: 0.15,
                new_contact: 0.05,
                date_mistake: 0.02,
                ocr: 0.02,
            },
            Setting::Hard => Rates {
                repeats: 0.4,
                max_repeats: 3,
                household: 0.1,
                common_name: 0.12,
                typo: 0.15,
                swapped: 0.08,
                nickname: 0.1,
                initial: 0.05,
                married: 0.06,
                characters: 0.5,
                missing: 0.3,
                new_contact: 0.15,
                date_mistake: 0.08,
                ocr: 0.1,
            },
        }
    }
}

/// The real person behind the profiles.
struct Entity {
    locale: Locale,
    name: PersonName,
    /// `yyyymmdd`; may be an impossible date such as `19560431`, as recorded.
    birth: String,
    email: String,
    phone: String,
    street: String,
    city: String,
    postcode: String,
    company: String,
    id_document: String,
}

/// About `n` profiles (exactly `n`), shuffled, with ids `1..=n`.
pub fn people_with_duplicates(n: usize, setting: Setting, seed: u64) -> Vec<GeneratedPerson> {
    let rates = setting.rates();
    let mut out: Vec<GeneratedPerson> = Vec::with_capacity(n + 8);
    let mut e = 0u64;
    while out.len() < n {
        let mut rng = stream(seed, SALT, e);
        let entity = entity(&mut rng, e, seed, &rates);
        let repeats = if rng.gen_bool(rates.repeats) {
            rng.gen_range(1..=rates.max_repeats)
        } else {
            0
        };
        for r in 0..=repeats {
            out.push(GeneratedPerson {
                person: profile(&mut rng, &entity, r > 0, &rates),
                entity: e,
            });
        }
        if rng.gen_bool(rates.household) {
            // A spouse or grown child: same surname, address and family email, own name,
            // birthday and (mostly) phone. A different person.
            let relative = relative(&mut rng, &entity, e + 1, seed);
            out.push(GeneratedPerson {
                person: profile(&mut rng, &relative, false, &rates),
                entity: e + 1,
            });
            e += 1;
        }
        e += 1;
    }
    out.truncate(n);
    let mut rng = stream(seed, SALT + 1, 0);
    for i in (1..out.len()).rev() {
        out.swap(i, rng.gen_range(0..=i));
    }
    for (i, g) in out.iter_mut().enumerate() {
        g.person.id = i as i64 + 1;
    }
    out
}

fn birth(rng: &mut DemoRng) -> String {
    let (y, m) = (rng.gen_range(1940..2006), rng.gen_range(1..=12));
    // One in a hundred records an impossible day (the 31st of a 30-day month).
    if rng.gen_bool(0.01) && [4, 6, 9, 11].contains(&m) {
        return format!("{y}{m:02}31");
    }
    format!("{y}{m:02}{:02}", rng.gen_range(1..=28))
}

fn entity(rng: &mut DemoRng, e: u64, seed: u64, rates: &Rates) -> Entity {
    let locale = *weighted(rng, &LOCALES);
    let mut name = guest_name(rng, locale, None);
    if rng.gen_bool(rates.common_name) {
        let (g, f, native) = pick(rng, &COMMON_NAMES);
        name = PersonName {
            given: g.into(),
            family: f.into(),
            native: native.map(str::to_string),
            female: name.female,
            mail_given: fold_compact(g),
            mail_family: fold_compact(f),
        };
    }
    let email = personal_email(rng, &name, locale, e);
    Entity {
        phone: mobile(rng, locale, phone_digits(e, seed)),
        email,
        birth: birth(rng),
        street: format!("{} {}", rng.gen_range(1..400), pick(rng, &STREETS)),
        city: pick(rng, locale.cities()).to_string(),
        postcode: format!("{:05}", rng.gen_range(1000..99999)),
        company: if rng.gen_bool(0.25) {
            pick(rng, &COMPANIES).to_string()
        } else {
            String::new()
        },
        id_document: if rng.gen_bool(0.35) {
            format!("{}{:08}", (b'E' + rng.gen_range(0..4)) as char, rng.gen_range(0..100_000_000))
        } else {
            String::new()
        },
        locale,
        name,
    }
}

fn relative(rng: &mut DemoRng, of: &Entity, e: u64, seed: u64) -> Entity {
    let mut name = guest_name(rng, of.locale, None);
    name.family = of.name.family.clone();
    name.mail_family = of.name.mail_family.clone();
    if let (Some(theirs), Some(mine)) = (&of.name.native, &name.native) {
        let surname: String = theirs.chars().take(1).collect();
        name.native = Some(surname + &mine.chars().skip(1).collect::<String>());
    }
    let shared_email = household_email(rng, &of.name, of.locale, e);
    Entity {
        locale: of.locale,
        phone: if rng.gen_bool(0.3) {
            of.phone.clone()
        } else {
            mobile(rng, of.locale, phone_digits(e, seed))
        },
        email: shared_email,
        birth: birth(rng),
        street: of.street.clone(),
        city: of.city.clone(),
        postcode: of.postcode.clone(),
        company: String::new(),
        id_document: String::new(),
        name,
    }
}

/// One profile of the entity; a repeat carries the mistakes of its setting.
fn profile(rng: &mut DemoRng, e: &Entity, repeat: bool, r: &Rates) -> Person {
    let chance = |rng: &mut DemoRng, p: f64| repeat && rng.gen_bool(p);
    let missing = |rng: &mut DemoRng| rng.gen_bool(if repeat { r.missing } else { r.missing / 3.0 });
    let (mut given, mut family) = names_as_written(rng, e, r);
    if chance(rng, r.nickname) {
        let variants = nicknames::variants(&fold_compact(&given));
        if !variants.is_empty() {
            given = capitalise(pick(rng, &variants));
        }
    }
    if chance(rng, r.initial) {
        given = format!("{}.", given.chars().next().unwrap_or('X'));
    }
    if chance(rng, r.typo) {
        given = mistakes::typo(rng, &given);
    }
    if chance(rng, r.typo) {
        family = mistakes::typo(rng, &family);
    }
    let married = e.name.female && e.name.native.is_none() && chance(rng, r.married);
    if married {
        family = pick(rng, &["Johnson", "Meyer", "Dubois", "Fernández", "Russo", "Taylor", "Okafor"]).to_string();
    }
    if chance(rng, r.swapped) {
        std::mem::swap(&mut given, &mut family);
    }
    let mut birth = e.birth.clone();
    if chance(rng, r.date_mistake) {
        let (m, d) = (&birth[4..6], &birth[6..8]);
        birth = if d <= "12" && rng.gen_bool(0.6) {
            format!("{}{d}{m}", &birth[..4])
        } else {
            mistakes::wrong_digit(rng, &birth)
        };
    }
    let birth_text = if rng.gen_bool(0.6) {
        format!("{}-{}-{}", &birth[..4], &birth[4..6], &birth[6..8])
    } else {
        birth
    };
    let mut email = e.email.clone();
    if married || chance(rng, r.new_contact) {
        email = format!(
            "{}{}@{}",
            fold_compact(&given),
            rng.gen_range(10..99_999),
            pick(rng, &["gmail.example", "outlook.example"])
        );
    } else if chance(rng, r.ocr / 2.0) {
        email = mistakes::typo(rng, &email);
    }
    let mut phone = e.phone.clone();
    if chance(rng, r.new_contact) {
        let unique = rng.gen_range(0..crate::contacts::MAX_UNIQUE_PHONES);
        phone = mobile(rng, e.locale, unique);
    } else if chance(rng, r.ocr) {
        phone = mistakes::ocr(rng, &phone);
    }
    let mut id_document = e.id_document.clone();
    if chance(rng, r.ocr) {
        id_document = mistakes::ocr(rng, &id_document);
    }
    let street = if e.locale == Locale::UnitedStates && rng.gen_bool(0.5) {
        e.street.replace("Street", "St")
    } else {
        e.street.clone()
    };
    let address_missing = missing(rng);
    let blank_if = |gone: bool, s: String| if gone { String::new() } else { s };
    let (mut birth_missing, email_missing, mut phone_missing) = (missing(rng), missing(rng), missing(rng));
    if birth_missing && email_missing && phone_missing {
        // A profile keeps at least one of the guest's birth date, email and phone: a
        // booking needs a way to reach the guest or the passport at check-in. A record
        // with none of them (only a name) is no duplicate anyone could find.
        if rng.gen_bool(0.5) {
            phone_missing = false;
        } else {
            birth_missing = false;
        }
    }
    Person {
        id: 0,
        given_name: given,
        family_name: family,
        native_name: String::new(),
        birth_date: if birth_missing { None } else { BirthDate::parse(&birth_text) },
        emails: if email_missing { vec![] } else { vec![email] },
        phones: if phone_missing { vec![] } else { vec![phone] },
        street: blank_if(address_missing, street),
        city: blank_if(address_missing, e.city.clone()),
        postcode: blank_if(address_missing, e.postcode.clone()),
        region: String::new(),
        // Nationality is on the registration card of nearly every stay: a third as often missing.
        country: blank_if(rng.gen_bool(r.missing / 3.0), e.locale.country().to_string()),
        company: blank_if(missing(rng), e.company.clone()),
        id_document: blank_if(missing(rng), id_document),
    }
}

/// Characters for a Chinese name some of the time, accents dropped some of the time.
fn names_as_written(rng: &mut DemoRng, e: &Entity, r: &Rates) -> (String, String) {
    if let Some(native) = &e.name.native {
        let family_len = if ["Ouyang", "Sima"].contains(&e.name.family.as_str()) {
            2
        } else {
            1
        };
        let family: String = native.chars().take(family_len).collect();
        let given: String = native.chars().skip(family_len).collect();
        // Only when the characters are the romanised name (not an English given name).
        let same_name = fold_name(&given).replace(' ', "") == fold_compact(&e.name.given);
        if same_name && e.locale == Locale::China && rng.gen_bool(r.characters) {
            return (given, family);
        }
    }
    if rng.gen_bool(0.5) {
        (mistakes::without_accents(&e.name.given), mistakes::without_accents(&e.name.family))
    } else {
        (e.name.given.clone(), e.name.family.clone())
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or(String::new(), |f| f.to_uppercase().collect::<String>() + c.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_people() {
        let a = people_with_duplicates(500, Setting::Hard, 3);
        let b = people_with_duplicates(500, Setting::Hard, 3);
        assert_eq!(a.len(), 500);
        assert!(a.iter().zip(&b).all(|(x, y)| x.person == y.person && x.entity == y.entity));
    }

    #[test]
    fn hard_data_has_repeats_characters_and_shared_names() {
        let people = people_with_duplicates(5_000, Setting::Hard, 1);
        let mut entities: Vec<u64> = people.iter().map(|p| p.entity).collect();
        entities.sort_unstable();
        entities.dedup();
        assert!(entities.len() < 4_000, "{} entities in 5,000 profiles", entities.len());
        assert!(people.iter().any(|p| rapport_domain::names::has_non_latin(&p.person.family_name)));
        let wang_wei: std::collections::HashSet<u64> = people
            .iter()
            .filter(|p| p.person.given_name == "Wei" && p.person.family_name == "Wang")
            .map(|p| p.entity)
            .collect();
        assert!(wang_wei.len() >= 10, "{} different Wang Weis", wang_wei.len());
        assert!(people.iter().any(|p| matches!(&p.person.birth_date, Some(BirthDate::Text(_)))));
    }
}
