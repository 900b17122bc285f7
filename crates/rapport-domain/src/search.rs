//! What guest search matches on.
//!
//! Every profile yields a set of folded keys; a query is folded the same way and matched
//! as a prefix of any key. Folding makes `zhang wei`, `zhangwei`, `Zhāng Wěi` and `张伟`
//! meet, and `Zoë` meet `zoe`; phone keys in E.164 and national digits make
//! `+86 138-1234-5678` and `13812345678` meet.

use crate::contact::national_digits_of_e164;
use crate::guest::GuestProfile;
use crate::names::{fold, fold_compact, fold_name_compact, has_non_latin};

/// Keys under which a profile is found.
pub fn search_keys(profile: &GuestProfile) -> Vec<String> {
    let mut keys = Vec::new();
    // A merged profile is found under every name it was known by.
    for name in std::iter::once(&profile.name).chain(&profile.aliases) {
        name_keys(name, &mut keys);
    }
    for e in &profile.emails {
        keys.push(e.value.to_lowercase());
    }
    for p in profile.phones.iter().filter(|p| p.is_valid()) {
        keys.push(p.value.trim_start_matches('+').to_string());
        if let Some(national) = national_digits_of_e164(&p.value) {
            keys.push(national);
        }
    }
    for p in profile.phones.iter().filter(|p| !p.is_valid()) {
        let digits: String = p.value.chars().filter(char::is_ascii_digit).collect();
        keys.push(digits);
    }
    for x in &profile.external_ids {
        keys.push(x.id.trim().to_lowercase());
    }
    keys.retain(|k| !k.is_empty());
    keys.sort();
    keys.dedup();
    keys
}

/// Keys of one name: both orders, later parts of multi-part names, the native script.
fn name_keys(name: &crate::names::GuestName, keys: &mut Vec<String>) {
    let given = fold_compact(&name.given);
    let family = fold_compact(&name.family);
    // Both orders cover a query of the given or the family name alone: it is a prefix of
    // one of them, so separate one-name keys would only add index rows.
    keys.push(format!("{given}{family}"));
    keys.push(format!("{family}{given}"));
    // Han characters also under their reading in names (`沈` is `shen` there, the general
    // table says `chen`): what the guest's passport spells. Equal keys are dropped below.
    let (given_read, family_read) = (fold_name_compact(&name.given), fold_name_compact(&name.family));
    keys.push(format!("{given_read}{family_read}"));
    keys.push(format!("{family_read}{given_read}"));
    // Multi-part names ("Maria Luisa", "van der Berg") are also found by each later part.
    for name in [&name.given, &name.family] {
        let folded = fold(name);
        if folded.contains(' ') {
            keys.extend(folded.split(' ').skip(1).map(str::to_string));
        }
    }
    if let Some(native) = &name.native {
        let compact: String = native.chars().filter(|c| !c.is_whitespace()).collect();
        keys.push(compact.to_lowercase());
        // Native order (family name first for Chinese) in pinyin, and the given name alone.
        keys.push(fold_compact(native));
        keys.push(fold_name_compact(native));
        if has_non_latin(native) {
            let chars: Vec<char> = compact.chars().collect();
            if chars.len() >= 2 {
                let given: String = chars[1..].iter().collect();
                keys.push(fold_compact(&given));
                keys.push(fold_name_compact(&given));
                keys.push(given);
            }
        }
    }
}

/// A search as typed, turned into the key prefixes to look up.
pub fn query_prefixes(q: &str) -> Vec<String> {
    // Control characters (a NUL from `q=%00`) are never part of a key, and PostgreSQL
    // refuses a NUL in a text parameter.
    let q: String = q.chars().filter(|c| !c.is_control()).collect();
    let q = q.trim();
    let mut out = Vec::new();
    if q.is_empty() {
        return out;
    }
    if q.contains('@') {
        out.push(q.to_lowercase());
        return out;
    }
    let digits: String = q.chars().filter(char::is_ascii_digit).collect();
    let phone_like = q.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c)) && digits.len() >= 3;
    if phone_like {
        // `0044 20 …` and `+44 20 …` both start the E.164 key; a national trunk `0` is dropped.
        let d = digits.trim_start_matches("00");
        out.push(d.to_string());
        if let Some(national) = digits.strip_prefix('0') {
            if !national.starts_with('0') {
                out.push(national.to_string());
            }
        }
        return out;
    }
    if has_non_latin(q) {
        out.push(q.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase());
    }
    let folded = fold_compact(&without_tone_numbers(q));
    // Pinyin typed on a keyboard spells ü as v (`lv`, `nv`: 吕, 女); names key ü as `yu`
    // (and as plain `u`), so the query reads `lv` as `lyu` too, without extra keys.
    let typed_u_umlaut = folded.replace("lv", "lyu").replace("nv", "nyu");
    if !folded.is_empty() && !out.contains(&folded) {
        out.push(folded);
    }
    if !typed_u_umlaut.is_empty() && !out.contains(&typed_u_umlaut) {
        out.push(typed_u_umlaut);
    }
    // An id such as `HB-1234` is stored as typed (lower-cased).
    let raw = q.to_lowercase();
    if !out.contains(&raw) && !raw.contains(' ') {
        out.push(raw);
    }
    out
}

/// Pinyin typed with tone numbers (`zhang1 wei3`) reads as plain pinyin: a digit 1–5
/// right after a letter and not followed by another digit is a tone, not part of an id.
fn without_tone_numbers(q: &str) -> String {
    let chars: Vec<char> = q.chars().collect();
    let mut out = String::with_capacity(q.len());
    for (i, &c) in chars.iter().enumerate() {
        let tone = ('1'..='5').contains(&c) && i > 0 && chars[i - 1].is_alphabetic() && !chars.get(i + 1).is_some_and(char::is_ascii_digit);
        if !tone {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contact::{ContactPoint, Region};
    use crate::names::GuestName;

    fn zhang_wei() -> GuestProfile {
        GuestProfile {
            name: GuestName {
                given: "Wei".into(),
                family: "Zhang".into(),
                native: Some("张伟".into()),
                title: None,
            },
            phones: vec![ContactPoint::phone_lenient("+86 138 1234 5678", Region::default())],
            emails: vec![ContactPoint::email_lenient("zw@example.cn")],
            ..Default::default()
        }
    }

    fn found(profile: &GuestProfile, q: &str) -> bool {
        let keys = search_keys(profile);
        query_prefixes(q).iter().any(|p| keys.iter().any(|k| k.starts_with(p.as_str())))
    }

    #[test]
    fn control_characters_never_reach_a_prefix() {
        assert!(query_prefixes("\0").is_empty());
        assert_eq!(query_prefixes("smi\0th"), query_prefixes("smith"));
    }

    #[test]
    fn chinese_names_are_found_by_characters_and_pinyin() {
        let g = zhang_wei();
        for q in [
            "张伟",
            "张",
            "zhangwei",
            "zhang wei",
            "Zhāng Wěi",
            "zhang1 wei3",
            "zhang1wei3",
            "zhang",
            "wei zhang",
            "伟",
        ] {
            assert!(found(&g, q), "{q}");
        }
        assert!(!found(&g, "wang"));
    }

    #[test]
    fn han_characters_are_found_under_their_reading_in_names() {
        // `沈` reads `chen` in the general table and `shen` as a surname; `娜` `nuo` and `na`.
        let native_only = |native: &str, given: &str, family: &str| GuestProfile {
            name: GuestName {
                given: given.into(),
                family: family.into(),
                native: Some(native.into()),
                ..Default::default()
            },
            ..Default::default()
        };
        let shen = native_only("沈伟", "伟", "沈");
        for q in ["shen wei", "shenwei", "wei shen", "沈伟", "shen"] {
            assert!(found(&shen, q), "{q}");
        }
        let li_na = native_only("李娜", "娜", "李");
        for q in ["li na", "na li", "lina"] {
            assert!(found(&li_na, q), "{q}");
        }
        assert!(!found(&li_na, "wang"), "no stray keys");
    }

    #[test]
    fn phones_are_found_in_any_format() {
        let g = zhang_wei();
        for q in ["+86 138 1234 5678", "13812345678", "138-1234", "0086 138 1234 5678", "(138) 1234"] {
            assert!(found(&g, q), "{q}");
        }
    }

    #[test]
    fn every_part_of_a_multi_part_name_finds_the_guest() {
        let g = GuestProfile {
            name: GuestName {
                given: "Maria Luisa".into(),
                family: "van der Berg".into(),
                ..Default::default()
            },
            ..Default::default()
        };
        for q in ["luisa", "berg", "van der berg", "maria luisa van", "vanderberg maria"] {
            assert!(found(&g, q), "{q}");
        }
        assert!(!found(&g, "der maria"));
    }

    #[test]
    fn accents_do_not_matter() {
        let g = GuestProfile {
            name: GuestName {
                given: "Zoë".into(),
                family: "Müller".into(),
                ..Default::default()
            },
            ..Default::default()
        };
        assert!(found(&g, "zoe mu"));
        assert!(found(&g, "Müller"));
        assert!(found(&g, "muller zoe"));
    }

    #[test]
    fn the_keyboard_spelling_v_for_u_umlaut_finds_the_name() {
        let g = GuestProfile {
            name: GuestName {
                given: "Yang".into(),
                // As a passport spells 吕.
                family: "Lyu".into(),
                native: Some("吕洋".into()),
                ..Default::default()
            },
            ..Default::default()
        };
        for q in ["lv yang", "lvyang", "yang lv", "lyu yang", "lü yang", "吕洋"] {
            assert!(found(&g, q), "{q}: {:?} in {:?}", query_prefixes(q), search_keys(&g));
        }
        assert_eq!(query_prefixes("silva"), vec!["silva".to_string(), "silyua".to_string()]);
        assert_eq!(query_prefixes("yang"), vec!["yang".to_string()], "no extra prefix without lv or nv");
        assert!(
            query_prefixes("!!!").iter().all(|p| !p.is_empty()),
            "never a prefix matching every key"
        );
    }
}
