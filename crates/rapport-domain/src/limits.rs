//! How much free text a field takes. Nothing a hotel records about a guest or a stay
//! needs more, and without a cap one request can store a megabyte in a company name
//! that every profile read then carries.

use crate::error::ValidationErrors;

/// Titles, VIP codes, tags, labels, relations, preference keys: a word or two.
pub const SHORT: usize = 50;
/// Names, companies, address lines, room types, external ids, preference values.
pub const LINE: usize = 200;
/// An allergy or taboo described, a spend line's description.
pub const PARAGRAPH: usize = 500;
/// A stay's special requests.
pub const REQUESTS: usize = 2000;
/// Items of any one list of a profile (emails, phones, tags, preferences …).
pub const LIST: usize = 50;

/// Why a text holding a NUL character is refused. Named so that a form can say so in the
/// staff's language instead of a generic message.
pub const NUL_REFUSAL: &str = "must not contain a NUL character";

/// Records an error when `value` is longer than `max` characters or holds a NUL (no
/// person types one, and PostgreSQL cannot store it).
pub fn check_text(errors: &mut ValidationErrors, field: impl Into<String>, value: &str, max: usize) {
    if value.chars().count() > max {
        errors.push(field, format!("at most {max} characters"));
    } else if value.contains('\0') {
        errors.push(field, NUL_REFUSAL);
    }
}

/// Records an error when a list has more than `max` items.
pub fn check_count(errors: &mut ValidationErrors, field: &str, len: usize, max: usize) {
    if len > max {
        errors.push(field, format!("at most {max} items"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_nul_and_long_lists_are_named() {
        let mut errors = ValidationErrors::default();
        check_text(&mut errors, "company", &"x".repeat(LINE), LINE);
        check_text(&mut errors, "vip_code", &"x".repeat(SHORT + 1), SHORT);
        check_text(&mut errors, "tags[0]", "a\0", SHORT);
        check_count(&mut errors, "tags", LIST + 1, LIST);
        let fields: Vec<_> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["vip_code", "tags[0]", "tags"]);
    }
}
