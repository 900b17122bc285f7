//! A guest's benefits as staff read them, on the guest page and in the arrivals brief.

use rapport_value::benefits::Entitlement;

use crate::i18n::Tr;

/// One line per benefit, translated; the plan's own texts (gift, upgrade, terms) as the
/// group wrote them.
pub fn benefit_lines(t: Tr, e: &Entitlement) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(d) = e.discount_percent {
        lines.push(t.t1("benefit-discount", "percent", format!("{d:.0}")));
    }
    lines.extend(e.gifts.iter().map(|g| t.t1("benefit-gift", "gift", g)));
    if let Some(u) = &e.upgrade {
        lines.push(t.t1("benefit-upgrade", "upgrade", u));
    }
    if let Some(l) = &e.late_checkout {
        lines.push(t.t1("benefit-late-checkout", "time", l));
    }
    if let Some(c) = &e.credit_terms {
        lines.push(t.t1("benefit-credit", "terms", c));
    }
    lines
}
