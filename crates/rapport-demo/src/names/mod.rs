//! Guest names by locale: native script with romanisation for East Asian guests,
//! accented Latin names for European ones, and the relatives' names that go with them.

mod chinese;
mod east_asian;
mod western;

use rand::Rng;
use rapport_domain::names::fold_compact;

use crate::locale::Locale;
use crate::random::{pick, DemoRng};

/// A person's name as the generator chose it.
#[derive(Debug, Clone)]
pub struct PersonName {
    /// Latin-script given name (romanised for East Asian guests).
    pub given: String,
    pub family: String,
    /// The name in the guest's own script, e.g. `张伟`.
    pub native: Option<String>,
    pub female: bool,
    /// ASCII forms for email local parts: `joao`, `muller`, `zhang`.
    pub mail_given: String,
    pub mail_family: String,
}

/// Whom a family member is to the guest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    Spouse,
    Child,
}

/// A draw where earlier entries are more common (a rough Zipf): family names of a
/// country are far from uniform.
fn skewed<T: Copy>(rng: &mut DemoRng, items: &[T]) -> T {
    let u: f64 = rng.gen();
    items[((u * u * items.len() as f64) as usize).min(items.len() - 1)]
}

fn weighted3<'a>(rng: &mut DemoRng, items: &'a [(&'static str, &'static str, f64)]) -> &'a (&'static str, &'static str, f64) {
    let total: f64 = items.iter().map(|i| i.2).sum();
    let mut x = rng.gen::<f64>() * total;
    for item in items {
        if x < item.2 {
            return item;
        }
        x -= item.2;
    }
    &items[items.len() - 1]
}

fn person(given: &str, family: &str, native: Option<String>, female: bool) -> PersonName {
    PersonName {
        mail_given: fold_compact(given),
        mail_family: fold_compact(family),
        given: given.to_string(),
        family: family.to_string(),
        native,
        female,
    }
}

fn mainland_given(rng: &mut DemoRng, female: Option<bool>) -> (&'static str, &'static str, bool) {
    loop {
        let total: f64 = chinese::GIVEN.iter().map(|g| g.3).sum();
        let mut x = rng.gen::<f64>() * total;
        let mut chosen = chinese::GIVEN[0];
        for g in chinese::GIVEN {
            if x < g.3 {
                chosen = *g;
                break;
            }
            x -= g.3;
        }
        if female.is_none_or(|f| f == chosen.2) {
            return (chosen.0, chosen.1, chosen.2);
        }
    }
}

fn gendered(rng: &mut DemoRng, items: &[(&'static str, bool)], female: Option<bool>) -> (&'static str, bool) {
    loop {
        let g = pick(rng, items);
        if female.is_none_or(|f| f == g.1) {
            return g;
        }
    }
}

fn gendered3(rng: &mut DemoRng, items: &[(&'static str, &'static str, bool)], female: Option<bool>) -> (&'static str, &'static str, bool) {
    loop {
        let g = pick(rng, items);
        if female.is_none_or(|f| f == g.2) {
            return g;
        }
    }
}

fn western_pools(locale: Locale) -> (western::Given, western::Family) {
    match locale {
        Locale::Portugal => (western::PT_GIVEN, western::PT_FAMILY),
        Locale::Brazil => (western::BR_GIVEN, western::BR_FAMILY),
        Locale::Spain => (western::ES_GIVEN, western::ES_FAMILY),
        Locale::France => (western::FR_GIVEN, western::FR_FAMILY),
        Locale::Germany => (western::DE_GIVEN, western::DE_FAMILY),
        Locale::Italy => (western::IT_GIVEN, western::IT_FAMILY),
        Locale::UnitedStates => (western::US_GIVEN, western::US_FAMILY),
        Locale::Australia => (western::GB_GIVEN, western::AU_FAMILY),
        _ => (western::GB_GIVEN, western::GB_FAMILY),
    }
}

/// A guest's name; `female` fixes the gender (for a spouse) or leaves it to chance.
pub fn guest_name(rng: &mut DemoRng, locale: Locale, female: Option<bool>) -> PersonName {
    match locale {
        Locale::China => {
            let (sc, sp, _) = weighted3(rng, chinese::SURNAMES);
            let (gc, gp, f) = mainland_given(rng, female);
            let native = Some(format!("{sc}{gc}"));
            // Some business travellers give an English name; the characters stay the same.
            if rng.gen_bool(0.05) {
                let (english, ef) = gendered(rng, chinese::ENGLISH_GIVEN, Some(f));
                return person(english, sp, native, ef);
            }
            person(gp, sp, native, f)
        }
        Locale::HongKong => {
            let (sc, sp, _) = weighted3(rng, chinese::HK_SURNAMES);
            let (gc, gp, f) = gendered3(rng, chinese::HK_GIVEN, female);
            person(gp, sp, Some(format!("{sc}{gc}")), f)
        }
        Locale::Singapore => {
            let u: f64 = rng.gen();
            if u < 0.72 {
                let (sc, sp, _) = weighted3(rng, chinese::SG_SURNAMES);
                let (gc, gp, f) = gendered3(rng, chinese::SG_GIVEN, female);
                // Many Singaporean Chinese never give the hotel their characters.
                let native = rng.gen_bool(0.4).then(|| format!("{sc}{gc}"));
                person(gp, sp, native, f)
            } else if u < 0.86 {
                let (g, f) = gendered(rng, east_asian::MALAY_GIVEN, female);
                let father = pick(rng, east_asian::MALAY_FATHERS);
                let family = format!("{} {father}", if f { "binte" } else { "bin" });
                person(g, &family, None, f)
            } else {
                let (g, f) = gendered(rng, east_asian::INDIAN_GIVEN, female);
                person(g, pick(rng, east_asian::INDIAN_FAMILY), None, f)
            }
        }
        Locale::Japan => {
            let (fc, fr, _) = weighted3(rng, east_asian::JP_FAMILY);
            let (gc, gr, f) = gendered3(rng, east_asian::JP_GIVEN, female);
            person(gr, fr, Some(format!("{fc}{gc}")), f)
        }
        Locale::Korea => {
            let (fc, fr, _) = weighted3(rng, east_asian::KR_FAMILY);
            let (gc, gr, f) = gendered3(rng, east_asian::KR_GIVEN, female);
            person(gr, fr, Some(format!("{fc}{gc}")), f)
        }
        _ => {
            let (given, family) = western_pools(locale);
            let (g, f) = gendered(rng, given, female);
            person(g, skewed(rng, family), None, f)
        }
    }
}

/// The name of a guest's spouse or child, written as the hotel would note it: in
/// characters for Chinese, Japanese and Korean families, `Given Family` otherwise.
pub fn relative_name(rng: &mut DemoRng, locale: Locale, guest: &PersonName, relation: Relation) -> String {
    let female = match relation {
        Relation::Spouse => Some(!guest.female),
        Relation::Child => None,
    };
    match (locale, relation) {
        // Chinese and Korean spouses keep their own family name.
        (Locale::China | Locale::HongKong | Locale::Korea, Relation::Spouse) => {
            let other = guest_name(rng, locale, female);
            other.native.unwrap_or_else(|| format!("{} {}", other.given, other.family))
        }
        (Locale::China, Relation::Child) => {
            let (gc, _, _) = mainland_given(rng, None);
            let surname = family_chars(guest);
            format!("{surname}{gc}")
        }
        (Locale::HongKong, Relation::Child) => {
            let (gc, _, _) = gendered3(rng, chinese::HK_GIVEN, None);
            format!("{}{gc}", family_chars(guest))
        }
        (Locale::Korea, Relation::Child) => {
            let (gc, _, _) = gendered3(rng, east_asian::KR_GIVEN, None);
            format!("{}{gc}", family_chars(guest))
        }
        (Locale::Japan, _) => {
            let (gc, _, _) = gendered3(rng, east_asian::JP_GIVEN, female);
            format!("{}{gc}", family_chars(guest))
        }
        (Locale::Singapore, _) => {
            let other = guest_name(rng, locale, female);
            match relation {
                Relation::Spouse => format!("{} {}", other.given, other.family),
                Relation::Child => other.given,
            }
        }
        _ => {
            let (given, family) = western_pools(locale);
            let (g, _) = gendered(rng, given, female);
            // Iberian spouses usually keep their own family names.
            let keeps_own =
                relation == Relation::Spouse && (matches!(locale, Locale::Spain | Locale::Portugal | Locale::Brazil) || rng.gen_bool(0.2));
            let family = if keeps_own {
                skewed(rng, family).to_string()
            } else {
                guest.family.clone()
            };
            format!("{g} {family}")
        }
    }
}

/// The family-name characters of an East Asian guest (the native name minus the given part).
fn family_chars(guest: &PersonName) -> String {
    let native = guest.native.as_deref().unwrap_or_default();
    // Compound surnames (欧阳, 司马) and Japanese family names have two characters.
    let two =
        native.starts_with("欧阳") || native.starts_with("司马") || east_asian::JP_FAMILY.iter().any(|(c, _, _)| native.starts_with(c));
    native.chars().take(if two { 2 } else { 1 }).collect()
}

/// How the guest is addressed: Mr/Ms in English, Herr/Frau, M./Mme, 先生/女士 …
pub fn title(rng: &mut DemoRng, locale: Locale, female: bool) -> Option<String> {
    if rng.gen_bool(0.12) {
        return None;
    }
    if rng.gen_bool(0.03) {
        return Some("Dr".into());
    }
    let (m, f) = match locale {
        Locale::China if rng.gen_bool(0.2) => ("先生", "女士"),
        Locale::France => ("M.", "Mme"),
        Locale::Germany => ("Herr", "Frau"),
        Locale::Portugal | Locale::Brazil | Locale::Spain => ("Sr.", "Sra."),
        Locale::Italy => ("Sig.", "Sig.ra"),
        _ => ("Mr", if rng.gen_bool(0.3) { "Mrs" } else { "Ms" }),
    };
    Some(if female { f } else { m }.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::stream;
    use rapport_domain::names::has_non_latin;

    #[test]
    fn mainland_guests_have_characters_and_pinyin() {
        let mut rng = stream(1, 0, 0);
        for _ in 0..200 {
            let n = guest_name(&mut rng, Locale::China, None);
            let native = n.native.as_deref().unwrap();
            assert!(has_non_latin(native), "{native}");
            assert!(n.given.is_ascii() && n.family.is_ascii(), "{n:?}");
            assert!(!n.mail_given.is_empty() && n.mail_family.is_ascii());
        }
    }

    #[test]
    fn common_chinese_names_repeat() {
        let mut rng = stream(2, 0, 0);
        let names: Vec<String> = (0..2_000)
            .map(|_| guest_name(&mut rng, Locale::China, None).native.unwrap())
            .collect();
        let zhang_wei = names.iter().filter(|n| *n == "张伟").count();
        assert!(zhang_wei >= 3, "张伟 appears {zhang_wei} times in 2,000");
    }

    #[test]
    fn children_of_chinese_guests_carry_the_family_name() {
        let mut rng = stream(3, 0, 0);
        let guest = person("Wei", "Ouyang", Some("欧阳伟".into()), false);
        let child = relative_name(&mut rng, Locale::China, &guest, Relation::Child);
        assert!(child.starts_with("欧阳"), "{child}");
    }
}
