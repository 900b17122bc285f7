//! Comparing two prepared persons field by field into levels (see [`crate::fields`]).
//!
//! Names are compared in the alignment that fits best: given with given and family with
//! family, or crossed when one record has them swapped (common with Chinese names, whose
//! family name comes first). Similarity is Jaro-Winkler on the folded names, with
//! nicknames, initials and word subsets (`Maria` within `Maria Luisa`) as close forms.

use strsim::jaro_winkler;

use crate::fields::{Field, Pattern, FIELD_COUNT};
use crate::prepare::{NamePart, Prepared};

/// Compares a pair into its levels.
pub fn compare(a: &Prepared, b: &Prepared) -> Pattern {
    let swapped = names_swapped(a, b);
    let (bg, bf) = if swapped { (&b.family, &b.given) } else { (&b.given, &b.family) };
    let mut levels = [0u8; FIELD_COUNT];
    levels[Field::GivenName.index()] = given_level(&a.given, bg);
    levels[Field::FamilyName.index()] = family_level(&a.family, bf);
    levels[Field::BirthDate.index()] = birth_level(&a.birth, &b.birth);
    levels[Field::Contact.index()] = contact_level(a, b);
    levels[Field::Address.index()] = address_level(a, b);
    levels[Field::Company.index()] = company_level(&a.company, &b.company);
    levels[Field::IdDocument.index()] = id_document_level(a, b);
    levels[Field::Country.index()] = country_level(&a.country, &b.country);
    Pattern::new(levels, swapped)
}

fn name_similarity(a: &NamePart, b: &NamePart) -> f64 {
    if a.is_empty() || b.is_empty() {
        0.0
    } else if a.compact == b.compact {
        1.0
    } else if a.nickname_of(b) {
        0.95
    } else {
        jaro_winkler(&a.compact, &b.compact)
    }
}

/// True when the names fit clearly better crossed (given against family).
pub fn names_swapped(a: &Prepared, b: &Prepared) -> bool {
    // Either part equal in place: nothing to gain by crossing.
    if (!a.given.is_empty() && a.given.compact == b.given.compact) || (!a.family.is_empty() && a.family.compact == b.family.compact) {
        return false;
    }
    let straight = name_similarity(&a.given, &b.given) + name_similarity(&a.family, &b.family);
    let crossed = name_similarity(&a.given, &b.family) + name_similarity(&a.family, &b.given);
    crossed > straight + 0.05
}

fn words_within(a: &NamePart, b: &NamePart) -> bool {
    let (short, long) = if a.text.len() <= b.text.len() { (a, b) } else { (b, a) };
    long.text.contains(' ') && short.text.split(' ').all(|w| long.text.split(' ').any(|x| x == w))
}

fn given_level(a: &NamePart, b: &NamePart) -> u8 {
    if a.is_empty() || b.is_empty() {
        return 0;
    }
    if a.compact == b.compact {
        return 4;
    }
    if a.is_initial() || b.is_initial() {
        return if a.compact.as_bytes()[0] == b.compact.as_bytes()[0] { 2 } else { 1 };
    }
    if a.nickname_of(b) || words_within(a, b) {
        return 3;
    }
    if abbreviates(&a.compact, &b.compact) || abbreviates(&b.compact, &a.compact) {
        return 2;
    }
    let jw = jaro_winkler(&a.compact, &b.compact);
    if jw >= 0.92 || (a.compact.len() >= 5 && within_one_edit(&a.compact, &b.compact)) {
        3
    } else if jw >= 0.8 || short_slip(a, b) {
        2
    } else {
        1
    }
}

/// A name written as its consonants (`Jn` for `John` or `Jun`, `Wm` for `William`, `Dn` for
/// `Daniel`), as clerks abbreviate: no vowel, the same first letter, and its letters in
/// order within the other name. It says no more than an initial does.
fn abbreviates(short: &str, long: &str) -> bool {
    let vowel = |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
    if short.len() < 2 || short.len() >= long.len() || short.chars().any(vowel) || short.chars().next() != long.chars().next() {
        return false;
    }
    let mut rest = long.chars();
    short.chars().all(|c| rest.any(|x| x == c))
}

/// One slip in a short name (`Wie`/`Wei`, `Zpu`/`Zou`): Jaro-Winkler scores those as
/// strangers, but one edit in three or four letters is as likely a typo as another name
/// (`Zhu`/`Zhou`), so it counts as similar, not as the typo level longer names get.
fn short_slip(a: &NamePart, b: &NamePart) -> bool {
    a.compact.len() >= 3 && b.compact.len() >= 3 && within_one_edit(&a.compact, &b.compact)
}

fn family_level(a: &NamePart, b: &NamePart) -> u8 {
    if a.is_empty() || b.is_empty() {
        return 0;
    }
    if a.compact == b.compact {
        return 4;
    }
    if words_within(a, b) {
        return 3;
    }
    let jw = jaro_winkler(&a.compact, &b.compact);
    if jw >= 0.92 || (a.compact.len() >= 5 && within_one_edit(&a.compact, &b.compact)) {
        3
    } else if jw >= 0.8 || a.sound == b.sound || short_slip(a, b) {
        2
    } else {
        1
    }
}

/// Equal; day and month swapped; one digit wrong or two neighbours swapped; different.
fn birth_level(a: &str, b: &str) -> u8 {
    if a.is_empty() || b.is_empty() {
        return 0;
    }
    if a == b {
        return 3;
    }
    if a.len() == 8 && b.len() == 8 && a[..4] == b[..4] && a[4..6] == b[6..8] && a[6..8] == b[4..6] {
        return 2;
    }
    if a.len() == b.len() && within_one_edit(a, b) {
        return 2;
    }
    1
}

/// The email or phone the two share, if any (for term frequencies and evidence).
pub fn shared_contact<'a>(a: &'a Prepared, b: &Prepared) -> Option<&'a str> {
    a.emails
        .iter()
        .find(|e| b.emails.contains(e))
        .or_else(|| a.phones.iter().find(|p| b.phones.contains(p)))
        .map(String::as_str)
}

fn contact_level(a: &Prepared, b: &Prepared) -> u8 {
    let email_comparable = !a.emails.is_empty() && !b.emails.is_empty();
    let phone_comparable = !a.phones.is_empty() && !b.phones.is_empty();
    if !email_comparable && !phone_comparable {
        return 0;
    }
    let email_shared = email_comparable && a.emails.iter().any(|e| b.emails.contains(e));
    let phone_shared = phone_comparable && a.phones.iter().any(|p| b.phones.contains(p));
    if email_shared || phone_shared {
        let email_ok = email_shared || !email_comparable;
        let phone_ok = phone_shared || !phone_comparable;
        return if email_ok && phone_ok { 4 } else { 3 };
    }
    let near_email = a.emails.iter().any(|x| b.emails.iter().any(|y| emails_near(x, y)));
    let near_phone = a
        .phones
        .iter()
        .any(|x| b.phones.iter().any(|y| x.len() == y.len() && within_one_edit(x, y)));
    if near_email || near_phone {
        2
    } else {
        1
    }
}

/// A typo in, or another provider for, a *numbered* mailbox name (`wei.zhang80`). Without a
/// number, `reed_amy@yahoo` and `reed_amy@comcast`, or `nancy_burnett@` and
/// `nancy.burnett@`, are just two people with the same name.
fn emails_near(a: &str, b: &str) -> bool {
    let (la, lb) = (a.split('@').next().unwrap_or(""), b.split('@').next().unwrap_or(""));
    let numbered = |l: &str| l.len() >= 6 && l.bytes().any(|c| c.is_ascii_digit());
    numbered(la) && numbered(lb) && (la == lb || within_one_edit(a, b))
}

fn address_level(a: &Prepared, b: &Prepared) -> u8 {
    let street = !a.street.is_empty() && !b.street.is_empty();
    let postcode = !a.postcode.is_empty() && !b.postcode.is_empty();
    let city = !a.city.is_empty() && !b.city.is_empty();
    if !street && !postcode && !city {
        return 0;
    }
    let same_postcode = postcode && a.postcode == b.postcode;
    let same_city = city && a.city == b.city;
    let overlap = if street { jaccard(&a.street, &b.street) } else { 0.0 };
    if street && overlap >= 0.8 && (same_postcode || !postcode) {
        4
    } else if overlap >= 0.5 || (same_postcode && !street) {
        3
    } else if same_postcode || same_city {
        2
    } else {
        1
    }
}

/// Shared words over all words of two sorted word lists.
fn jaccard(a: &[String], b: &[String]) -> f64 {
    let shared = a.iter().filter(|w| b.binary_search(w).is_ok()).count();
    shared as f64 / (a.len() + b.len() - shared) as f64
}

fn company_level(a: &str, b: &str) -> u8 {
    if a.is_empty() || b.is_empty() {
        0
    } else if a == b {
        3
    } else if jaro_winkler(a, b) >= 0.9 {
        2
    } else {
        1
    }
}

/// Equal or different when both are written alike (two ISO alpha-2 codes, two alpha-3
/// codes, two names); `CN` against `China` is not compared (missing) rather than called
/// different.
fn country_level(a: &str, b: &str) -> u8 {
    let kind = |c: &str| c.len().min(4);
    if a.is_empty() || b.is_empty() || kind(a) != kind(b) {
        0
    } else if a == b {
        2
    } else {
        1
    }
}

fn id_document_level(a: &Prepared, b: &Prepared) -> u8 {
    let (x, y) = (&a.id_document, &b.id_document);
    if x.is_empty() || y.is_empty() {
        0
    } else if x == y {
        3
    } else if a.id_document_ocr == b.id_document_ocr || (x.len() >= 6 && x.len() == y.len() && within_one_edit(x, y)) {
        2
    } else {
        1
    }
}

/// True when one edit (a character replaced, inserted or dropped, or two neighbours
/// swapped) turns `a` into `b`. Damerau–Levenshtein answers the same but builds a table
/// (and strsim's a hash map) per call; this runs in one pass over the bytes, which matters
/// at millions of pairs.
pub fn within_one_edit(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let prefix = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    if prefix == short.len() {
        return true;
    }
    if short.len() == long.len() {
        let (sa, la) = (&short[prefix + 1..], &long[prefix + 1..]);
        // One replaced, or this and the next swapped.
        sa == la
            || (prefix + 1 < short.len()
                && short[prefix] == long[prefix + 1]
                && short[prefix + 1] == long[prefix]
                && short[prefix + 2..] == long[prefix + 2..])
    } else {
        short[prefix..] == long[prefix + 1..]
    }
}

/// What a reviewer sees for one field: the two values as compared.
pub fn describe(field: Field, a: &Prepared, b: &Prepared, swapped: bool) -> String {
    let pair = |x: &str, y: &str| format!("{} ~ {}", or_dash(x), or_dash(y));
    match field {
        Field::GivenName => pair(&a.given.text, if swapped { &b.family.text } else { &b.given.text }),
        Field::FamilyName => {
            let d = pair(&a.family.text, if swapped { &b.given.text } else { &b.family.text });
            if swapped {
                format!("{d} (given and family name swapped)")
            } else {
                d
            }
        }
        Field::BirthDate => pair(&a.birth, &b.birth),
        Field::Contact => match shared_contact(a, b) {
            Some(v) => format!("both have {v}"),
            None => pair(&contacts(a), &contacts(b)),
        },
        Field::Address => pair(&address(a), &address(b)),
        Field::Company => pair(&a.company, &b.company),
        Field::IdDocument => pair(&a.id_document, &b.id_document),
        Field::Country => pair(&a.country, &b.country),
    }
}

fn or_dash(s: &str) -> &str {
    if s.is_empty() {
        "—"
    } else {
        s
    }
}

fn contacts(p: &Prepared) -> String {
    p.emails.iter().chain(p.phones.iter()).cloned().collect::<Vec<_>>().join(", ")
}

fn address(p: &Prepared) -> String {
    [p.street.join(" "), p.postcode.clone(), p.city.clone()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::person::{BirthDate, Person};

    fn prepared(given: &str, family: &str, birth: &str) -> Prepared {
        Prepared::new(&Person {
            given_name: given.into(),
            family_name: family.into(),
            birth_date: BirthDate::parse(birth),
            ..Default::default()
        })
    }

    fn levels(a: &Prepared, b: &Prepared) -> (u8, u8, u8) {
        let p = compare(a, b);
        (p.level(Field::GivenName), p.level(Field::FamilyName), p.level(Field::BirthDate))
    }

    #[test]
    fn swapped_names_compare_equal() {
        let a = prepared("Wei", "Zhang", "");
        let b = prepared("Zhang", "Wei", "");
        assert!(compare(&a, &b).swapped());
        assert_eq!(levels(&a, &b), (4, 4, 0));
    }

    #[test]
    fn characters_meet_their_pinyin() {
        let a = prepared("伟", "张", "1980-02-03");
        let b = prepared("Wei", "Zhang", "19800203");
        assert_eq!(levels(&a, &b), (4, 4, 3));
    }

    #[test]
    fn nicknames_initials_and_accents_are_close() {
        assert_eq!(levels(&prepared("Bill", "Smith", ""), &prepared("William", "Smith", "")).0, 3);
        assert_eq!(levels(&prepared("J.", "Smith", ""), &prepared("John", "Smith", "")).0, 2);
        assert_eq!(levels(&prepared("Zoë", "Müller", ""), &prepared("Zoe", "Muller", "")), (4, 4, 0));
        assert_eq!(
            levels(&prepared("Jonathan", "Smyth", ""), &prepared("Jonathon", "Smith", "")),
            (3, 3, 0)
        );
    }

    #[test]
    fn a_name_written_as_its_consonants_is_like_an_initial() {
        let given = |a: &str, b: &str| levels(&prepared(a, "Smith", ""), &prepared(b, "Smith", "")).0;
        assert_eq!(given("Jn", "John"), 2);
        assert_eq!(given("Wm", "William"), 2);
        assert_eq!(given("Mn", "Min"), 2);
        assert_eq!(given("Jn", "Mary"), 1, "another first letter");
        assert_eq!(given("Jm", "John"), 1, "letters not in the name");
    }

    #[test]
    fn a_slip_in_a_short_name_is_similar_not_different() {
        assert_eq!(levels(&prepared("Wie", "Ming", ""), &prepared("Wei", "Ming", "")).0, 2);
        assert_eq!(levels(&prepared("Guiying", "Zpu", ""), &prepared("Guiying", "Zou", "")).1, 2);
        assert_eq!(
            levels(&prepared("Li", "Wang", ""), &prepared("Lu", "Wang", "")).0,
            1,
            "two letters: another name"
        );
    }

    #[test]
    fn countries_compare_when_written_alike() {
        let from = |country: &str| {
            Prepared::new(&Person {
                given_name: "Wei".into(),
                family_name: "Wang".into(),
                country: country.into(),
                ..Default::default()
            })
        };
        let country = |a: &str, b: &str| compare(&from(a), &from(b)).level(Field::Country);
        assert_eq!(country("CN", "cn"), 2);
        assert_eq!(country("CN", "DE"), 1);
        assert_eq!(country("CN", "CHN"), 0, "an alpha-2 and an alpha-3 code are not compared");
        assert_eq!(country("", "DE"), 0);
    }

    #[test]
    fn one_edit_is_a_replacement_insertion_deletion_or_swap() {
        for (a, b) in [
            ("19560403", "19560408"),
            ("smith", "smyth"),
            ("jonathan", "jonathn"),
            ("abcd", "abdc"),
            ("x", ""),
        ] {
            assert!(within_one_edit(a, b) && within_one_edit(b, a), "{a} {b}");
        }
        for (a, b) in [("19560403", "19650403x"), ("smith", "smoth1"), ("abcd", "badc"), ("abcd", "dcba")] {
            assert!(!within_one_edit(a, b), "{a} {b}");
        }
    }

    #[test]
    fn birth_dates_swapped_or_mistyped_are_partial() {
        let base = prepared("A", "B", "1956-04-03");
        assert_eq!(levels(&base, &prepared("A", "B", "1956-03-04")).2, 2);
        assert_eq!(levels(&base, &prepared("A", "B", "1956-04-08")).2, 2);
        assert_eq!(levels(&base, &prepared("A", "B", "1971-11-23")).2, 1);
        // Not a date at all: still compared as its digits.
        assert_eq!(levels(&prepared("A", "B", "19560431"), &prepared("A", "B", "1956-04-31")).2, 3);
    }
}
