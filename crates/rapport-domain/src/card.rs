//! Payment-card numbers, which Rapport never stores (SPEC 12).
//!
//! One reading of "a card number" for every way text comes in: a run of 13–19 digits,
//! grouped by single spaces or dashes (`4111 1111 1111 1111`, `5500-0000-0000-0004`), that
//! passes the Luhn check. Phone numbers, dates, amounts and reservation numbers are left
//! alone unless they have a card's length *and* its check digit; a run after `+` is an
//! international phone number, never a card. Imports mask what they find in free text
//! ([`mask_card_numbers`]); the API and console refuse it ([`refuse_card_number`]).

use std::borrow::Cow;
use std::ops::Range;

/// What a client is told when a field holds a card number.
pub const CARD_REFUSAL: &str = "looks like a payment card number; card data is never stored";

/// How many digits a card number has.
const MIN_CARD_DIGITS: usize = 13;
const MAX_CARD_DIGITS: usize = 19;

/// A run of digits grouped by single spaces or dashes: its byte span in the text and where
/// each group of digits starts and ends.
struct DigitRun {
    span: Range<usize>,
    groups: Vec<Range<usize>>,
}

impl DigitRun {
    /// The digits of groups `first..last`, as numbers.
    fn digits(&self, text: &str, groups: Range<usize>) -> Vec<u8> {
        let bytes = text.as_bytes();
        self.groups[groups]
            .iter()
            .flat_map(|g| bytes[g.clone()].iter().map(|b| b - b'0'))
            .collect()
    }
}

/// Every run of ASCII digits in `text`, with single spaces or dashes allowed between groups.
fn digit_runs(text: &str) -> Vec<DigitRun> {
    let bytes = text.as_bytes();
    let mut runs = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        let mut groups = Vec::new();
        loop {
            let g = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            groups.push(g..i);
            let joined = i + 1 < bytes.len() && matches!(bytes[i], b' ' | b'-') && bytes[i + 1].is_ascii_digit();
            if !joined {
                break;
            }
            i += 1;
        }
        runs.push(DigitRun { span: start..i, groups });
    }
    runs
}

/// The Luhn check that every card number's last digit satisfies.
fn luhn(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = u32::from(d);
            match i % 2 {
                0 => d,
                _ if d * 2 > 9 => d * 2 - 9,
                _ => d * 2,
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// The byte spans of the card numbers in `text`. A run of groups longer than a card (two
/// numbers typed one after the other) is searched for the longest card at each group.
pub fn card_numbers(text: &str) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    // Nearly every value an import checks (names, emails, dates, phones) has too few digits
    // to hold a card: answered without looking for runs, which allocates.
    if text.bytes().filter(u8::is_ascii_digit).count() < MIN_CARD_DIGITS {
        return found;
    }
    for run in digit_runs(text) {
        if text[..run.span.start].ends_with('+') {
            continue;
        }
        let mut first = 0;
        while first < run.groups.len() {
            let card = (first + 1..=run.groups.len()).rev().find(|&last| {
                let digits = run.digits(text, first..last);
                (MIN_CARD_DIGITS..=MAX_CARD_DIGITS).contains(&digits.len()) && luhn(&digits)
            });
            match card {
                Some(last) => {
                    found.push(run.groups[first].start..run.groups[last - 1].end);
                    first = last;
                }
                None => first += 1,
            }
        }
    }
    found
}

pub fn contains_card_number(text: &str) -> bool {
    !card_numbers(text).is_empty()
}

/// `text` with each card number replaced by `[card ending 1111]`, and how many there were.
/// Text without one (nearly all of it, on an import's every free-text field) is borrowed.
pub fn mask_card_numbers(text: &str) -> (Cow<'_, str>, usize) {
    let spans = card_numbers(text);
    if spans.is_empty() {
        return (Cow::Borrowed(text), 0);
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for span in &spans {
        let digits: String = text[span.clone()].chars().filter(char::is_ascii_digit).collect();
        out.push_str(&text[at..span.start]);
        out.push_str(&format!("[card ending {}]", &digits[digits.len() - 4..]));
        at = span.end;
    }
    out.push_str(&text[at..]);
    (Cow::Owned(out), spans.len())
}

/// Records [`CARD_REFUSAL`] against `field` when `text` holds a card number.
pub fn refuse_card_number(errors: &mut crate::ValidationErrors, field: impl Into<String>, text: &str) {
    if contains_card_number(text) {
        errors.push(field, CARD_REFUSAL);
    }
}

/// True when a whole value is card data: a card-length run of digits, whatever its check
/// digit, or a masked number such as `************4322` or `XXXX-XXXX-XXXX-1234`.
/// Deliberately broader than [`card_numbers`], for imports that drop a whole value: losing
/// a stray 16-digit "room type" is cheaper than storing a card.
pub fn looks_like_card(value: &str) -> bool {
    let v = value.trim();
    if v.len() < 12 {
        return false;
    }
    let (mut digits, mut masked) = (0usize, 0usize);
    for c in v.chars() {
        match c {
            '0'..='9' => digits += 1,
            '*' | 'X' | 'x' | '#' | '•' => masked += 1,
            ' ' | '-' => {}
            _ => return false,
        }
    }
    if masked == 0 {
        // One run of digit groups covering the whole value.
        let runs = digit_runs(v);
        runs.len() == 1 && runs[0].span == (0..v.len()) && (MIN_CARD_DIGITS..=MAX_CARD_DIGITS).contains(&digits)
    } else {
        // A mask followed by the last digits; a run of 4+ mask characters is the tell.
        masked >= 4 && digits <= 6 && (12..=19).contains(&(digits + masked))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn card_numbers_in_text_are_found_and_masked() {
        for (text, masked) in [
            ("pay by 4111 1111 1111 1111", "pay by [card ending 1111]"),
            ("Card 5500-0000-0000-0004 exp 01/29", "Card [card ending 0004] exp 01/29"),
            ("card 4111111111111111 exp 12/27", "card [card ending 1111] exp 12/27"),
            ("amex 378282246310005.", "amex [card ending 0005]."),
            ("4111 1111 1111 1111 5500 0000 0000 0004", "[card ending 1111] [card ending 0004]"),
            ("visa4012888888881881", "visa[card ending 1881]"),
        ] {
            assert_eq!(mask_card_numbers(text), (masked.into(), masked.matches("[card").count()), "{text}");
            assert!(contains_card_number(text));
        }
    }

    #[test]
    fn phones_dates_amounts_and_references_are_not_cards() {
        for text in [
            "call +86 138 1234 5678 after 6pm",
            "669-792-1661",
            "arrives 2024-05-01, leaves 2024-05-03",
            "deposit 1234567.89 CNY",
            "RES-000123456789",
            "4111 1111 1111 1112",
            "4111111111111111111111",
            "room 1204, 2 adults",
            "paid with visa 4111 1111 1111 cvv 123",
        ] {
            assert!(!contains_card_number(text), "{text}");
            assert_eq!(mask_card_numbers(text), (text.into(), 0));
        }
    }

    #[test]
    fn refusals_name_the_field() {
        let mut errors = crate::ValidationErrors::default();
        refuse_card_number(&mut errors, "special_requests", "card 4111111111111111 exp 12/27");
        refuse_card_number(&mut errors, "room_type", "Deluxe King");
        assert_eq!(errors.0.len(), 1);
        assert_eq!(errors.0[0].field, "special_requests");
        assert_eq!(errors.0[0].message, CARD_REFUSAL);
    }

    #[test]
    fn whole_values_that_are_card_data() {
        let cards = ["4111111111111111", "4111 1111 1111 1111", "4111-1111-1111-1111", "378282246310005"];
        let masked = ["************4322", "XXXX-XXXX-XXXX-1234", "•••• •••• •••• 1234"];
        let not_cards = [
            "669-792-1661",
            "+86 138 1234 5678",
            "12345",
            "Deluxe King",
            "****",
            "2015-07-01",
            "RES-000123456789",
            "123456789012",
        ];
        for (values, card) in [(&cards[..], true), (&masked[..], true), (&not_cards[..], false)] {
            for v in values {
                assert_eq!(looks_like_card(v), card, "{v}");
            }
        }
    }
}
