//! Merging two profiles of one person, and taking a merge back.
//!
//! A merge keeps everything both profiles knew: lists (emails, phones, preferences, tags,
//! family, external ids) are joined; a single-valued field both profiles filled differently
//! (two birthdays) keeps the survivor's value and records the other as an
//! [`Alternative`]; the absorbed name becomes an alias. Undo is a three-way rewind: the
//! survivor returns to its state before the merge plus every change made to it since, and
//! the absorbed profile returns exactly as it was.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::guest::{push_unique, Address, ConsentRecord, GuestId, GuestProfile};
use crate::ingest::union;

/// A value of a single-valued field that a merged profile held, kept beside the value the
/// survivor had.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Alternative {
    /// `birthday`, `nationality`, `anniversary`, `language`, `company`, `vip_code`,
    /// `address`, `title`, `native_name`.
    pub field: String,
    /// The other value as text (dates as `YYYY-MM-DD`).
    pub value: String,
    /// The profile it came from.
    pub merged_from: GuestId,
}

/// The survivor's profile after absorbing `absorbed` (whose id is `absorbed_id`).
pub fn merge_profiles(survivor: &GuestProfile, absorbed: &GuestProfile, absorbed_id: GuestId) -> GuestProfile {
    let mut out = survivor.clone();
    let alternative = |out: &mut GuestProfile, field: &str, value: String| {
        let alt = Alternative {
            field: field.into(),
            value,
            merged_from: absorbed_id,
        };
        if !out.alternatives.contains(&alt) {
            out.alternatives.push(alt);
        }
    };
    macro_rules! scalar {
        ($field:ident, $label:literal, $text:expr) => {
            match (&out.$field, &absorbed.$field) {
                (None, Some(v)) => out.$field = Some(v.clone()),
                (Some(mine), Some(theirs)) if mine != theirs => {
                    let text: fn(&_) -> String = $text;
                    let value = text(theirs);
                    alternative(&mut out, $label, value);
                }
                _ => {}
            }
        };
    }
    scalar!(language, "language", |v: &String| v.clone());
    scalar!(nationality, "nationality", |v: &String| v.clone());
    scalar!(birthday, "birthday", |d: &NaiveDate| d.to_string());
    scalar!(anniversary, "anniversary", |d: &NaiveDate| d.to_string());
    scalar!(address, "address", address_text);
    scalar!(company, "company", |v: &String| v.clone());
    scalar!(vip_code, "vip_code", |v: &String| v.clone());

    if out.name.title.is_none() {
        out.name.title = absorbed.name.title.clone();
    }
    if out.name.native.is_none() {
        out.name.native = absorbed.name.native.clone();
    }
    let same_name = |a: &crate::names::GuestName, b: &crate::names::GuestName| {
        a.identity_form() == b.identity_form() && (a.native.is_none() || b.native.is_none() || a.native == b.native)
    };
    for name in std::iter::once(&absorbed.name).chain(&absorbed.aliases) {
        if !name.is_empty() && !same_name(name, &out.name) && !out.aliases.iter().any(|a| same_name(a, name)) {
            out.aliases.push(name.clone());
        }
    }

    for e in &absorbed.emails {
        push_unique(&mut out.emails, e.clone());
    }
    for p in &absorbed.phones {
        push_unique(&mut out.phones, p.clone());
    }
    union(&mut out.external_ids, &absorbed.external_ids);
    union(&mut out.preferences, &absorbed.preferences);
    union(&mut out.taboos, &absorbed.taboos);
    union(&mut out.tags, &absorbed.tags);
    out.tags.sort();
    union(&mut out.family, &absorbed.family);
    union(&mut out.alternatives, &absorbed.alternatives);
    out
}

/// The current consent per channel of a merged profile: the later record of the two.
pub fn merge_consents(survivor: &[ConsentRecord], absorbed: &[ConsentRecord]) -> Vec<ConsentRecord> {
    let mut out = survivor.to_vec();
    for theirs in absorbed {
        match out.iter().find(|c| c.channel == theirs.channel) {
            Some(mine) if mine.recorded_at >= theirs.recorded_at => {}
            _ => crate::ingest::set_current_consent(&mut out, theirs.clone()),
        }
    }
    out
}

/// The survivor as it was before the merge plus every change made to it since: `before`
/// is the survivor's profile before the merge, `merged` right after it, `now` today.
/// A field changed since the merge keeps today's value; an item added since stays, an item
/// removed since stays removed; everything else rewinds to `before`.
pub fn unmerge_profile(before: &GuestProfile, merged: &GuestProfile, now: &GuestProfile) -> GuestProfile {
    let mut out = before.clone();
    macro_rules! scalar {
        ($($field:ident).+) => {
            if now.$($field).+ != merged.$($field).+ {
                out.$($field).+ = now.$($field).+.clone();
            }
        };
    }
    scalar!(name.title);
    scalar!(name.given);
    scalar!(name.family);
    scalar!(name.native);
    scalar!(language);
    scalar!(nationality);
    scalar!(birthday);
    scalar!(anniversary);
    scalar!(address);
    scalar!(company);
    scalar!(vip_code);
    macro_rules! list {
        ($field:ident) => {
            rewind_list(&mut out.$field, &merged.$field, &now.$field);
        };
    }
    list!(emails);
    list!(phones);
    list!(family);
    list!(preferences);
    list!(taboos);
    list!(tags);
    list!(external_ids);
    list!(aliases);
    list!(alternatives);
    out
}

/// The survivor's consent summary after undo: channels changed since the merge keep
/// today's record, the others rewind.
pub fn unmerge_consents(before: &[ConsentRecord], merged: &[ConsentRecord], now: &[ConsentRecord]) -> Vec<ConsentRecord> {
    let mut out = before.to_vec();
    for c in now {
        if !merged.contains(c) {
            crate::ingest::set_current_consent(&mut out, c.clone());
        }
    }
    out
}

fn rewind_list<T: PartialEq + Clone>(out: &mut Vec<T>, merged: &[T], now: &[T]) {
    out.retain(|item| !merged.contains(item) || now.contains(item));
    for item in now {
        if !merged.contains(item) && !out.contains(item) {
            out.push(item.clone());
        }
    }
}

fn address_text(a: &Address) -> String {
    [&a.street, &a.city, &a.postcode, &a.region, &a.country]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contact::ContactPoint;
    use crate::guest::{Preference, PreferenceKind};
    use crate::names::GuestName;

    fn profile(given: &str, family: &str, email: &str, birthday: Option<(i32, u32, u32)>) -> GuestProfile {
        GuestProfile {
            name: GuestName {
                given: given.into(),
                family: family.into(),
                ..Default::default()
            },
            emails: vec![ContactPoint::email_lenient(email)],
            birthday: birthday.map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap()),
            ..Default::default()
        }
    }

    #[test]
    fn a_merge_joins_lists_and_keeps_a_second_birthday_as_an_alternative() {
        let mut a = profile("Wei", "Zhang", "zw@example.cn", Some((1980, 3, 4)));
        a.preferences.push(Preference {
            kind: PreferenceKind::Room,
            key: "pillow".into(),
            value: "soft".into(),
        });
        let mut b = profile("Wei", "Chang", "wei@corp.example", Some((1980, 4, 3)));
        b.nationality = Some("CN".into());
        b.preferences.push(Preference {
            kind: PreferenceKind::Room,
            key: "pillow".into(),
            value: "buckwheat".into(),
        });
        let m = merge_profiles(&a, &b, 7);
        assert_eq!(m.emails.len(), 2);
        assert_eq!(m.preferences.len(), 2, "conflicting preferences are both kept");
        assert_eq!(m.birthday, a.birthday, "the survivor's value stays first");
        assert_eq!(m.nationality.as_deref(), Some("CN"), "an empty field is filled");
        assert_eq!(
            m.alternatives,
            vec![Alternative {
                field: "birthday".into(),
                value: "1980-04-03".into(),
                merged_from: 7
            }]
        );
        assert_eq!(m.aliases, vec![b.name.clone()], "the other spelling is an alias");
    }

    #[test]
    fn the_same_name_is_no_alias() {
        let a = profile("Wei", "Zhang", "a@example.cn", None);
        let b = profile("WEI", "ZHANG", "b@example.cn", None);
        assert!(merge_profiles(&a, &b, 2).aliases.is_empty());
    }

    #[test]
    fn undo_rewinds_the_survivor_but_keeps_changes_made_since() {
        let before = profile("Wei", "Zhang", "zw@example.cn", Some((1980, 3, 4)));
        let absorbed = profile("Wei", "Chang", "wei@corp.example", Some((1980, 4, 3)));
        let merged = merge_profiles(&before, &absorbed, 7);
        let mut now = merged.clone();
        now.emails.push(ContactPoint::email_lenient("new@example.cn"));
        now.company = Some("Acme".into());
        let back = unmerge_profile(&before, &merged, &now);
        let emails: Vec<_> = back.emails.iter().map(|e| e.value.as_str()).collect();
        assert_eq!(emails, vec!["zw@example.cn", "new@example.cn"]);
        assert_eq!(back.company.as_deref(), Some("Acme"));
        assert!(back.alternatives.is_empty() && back.aliases.is_empty());
        assert_eq!(
            unmerge_profile(&before, &merged, &merged),
            before,
            "nothing changed: exactly as before"
        );
    }
}
