//! Payment-card data must never reach the database (SPEC 12), not even through a mapping
//! that names the wrong column. Two guards: a column whose header reads like card data is
//! refused by the mapping, and any value that looks like a card number is kept out of every
//! stored text field.

/// True when a column header names payment-card data: `credit_card`, `Card Number`, `cc`,
/// `PAN`, `cvv`, `card_expiry` …
pub fn is_card_header(header: &str) -> bool {
    let lower = header.trim().to_ascii_lowercase();
    let compact: String = lower.chars().filter(char::is_ascii_alphanumeric).collect();
    const COMPACT: &[&str] = &[
        "creditcard",
        "debitcard",
        "paymentcard",
        "cardnumber",
        "cardnum",
        "cardno",
        "cardholder",
        "cardexpiry",
        "cardexp",
        "ccnumber",
        "ccnum",
        "ccno",
        "ccexp",
        "cvv",
        "cvc",
    ];
    if COMPACT.iter().any(|c| compact.contains(c)) {
        return true;
    }
    // Short tokens only count on their own: `cc` is a card, `accent` is not.
    lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|t| matches!(t, "cc" | "pan" | "card" | "visa" | "mastercard" | "amex"))
}

/// True when a value looks like a card number: 13–19 digits (spaces and dashes allowed
/// between them), or a masked number such as `************4322` or `XXXX-XXXX-XXXX-1234`.
/// Deliberately broad: losing a stray 16-digit "room type" is cheaper than storing a card.
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
        (13..=19).contains(&digits)
    } else {
        // A mask followed by the last digits; a run of 4+ mask characters is the tell.
        masked >= 4 && digits <= 6 && (12..=19).contains(&(digits + masked))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn card_headers_are_recognised() {
        for h in [
            "credit_card",
            "Credit Card",
            "card_number",
            "CardNo",
            "cc",
            "CC_Number",
            "PAN",
            "cvv2",
            "card",
            "Visa",
        ] {
            assert!(is_card_header(h), "{h}");
        }
    }

    #[test]
    fn ordinary_headers_are_not_cards() {
        for h in [
            "accent",
            "country",
            "cancellation",
            "company",
            "phone-number",
            "email",
            "special_requests",
            "occupancy",
            "panorama_view",
            "pancake",
        ] {
            assert!(!is_card_header(h), "{h}");
        }
    }

    #[test]
    fn full_and_masked_card_numbers_are_recognised() {
        for v in [
            "4111111111111111",
            "4111 1111 1111 1111",
            "4111-1111-1111-1111",
            "378282246310005",
            "************4322",
            "XXXX-XXXX-XXXX-1234",
            "•••• •••• •••• 1234",
        ] {
            assert!(looks_like_card(v), "{v}");
        }
    }

    #[test]
    fn phones_ids_and_text_are_not_cards() {
        for v in [
            "669-792-1661",
            "+86 138 1234 5678",
            "12345",
            "Deluxe King",
            "****",
            "2015-07-01",
            "RES-000123456789",
            "123456789012",
        ] {
            assert!(!looks_like_card(v), "{v}");
        }
    }
}
