//! Payment-card data must never reach the database (SPEC 12), not even through a mapping
//! that names the wrong column. Two guards: a column whose header reads like card data is
//! refused by the mapping, and card numbers are kept out of every stored text field — a
//! value that is one is dropped, one inside free text is masked — by the domain's detector
//! (`rapport_domain::card`).

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
}
