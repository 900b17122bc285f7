//! Customers who share frequency, recency and age contribute identical terms to the purchase
//! model's likelihood and get identical predictions, so both are computed once per distinct
//! pattern. A million guests with daily dates have at most a few hundred thousand patterns.

use crate::history::{CustomerHistory, Period};

/// (x, t_x, T) in periods, with how many customers share it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PurchasePattern {
    pub frequency: u32,
    pub recency: f64,
    pub age: f64,
    pub customers: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Patterns {
    pub patterns: Vec<PurchasePattern>,
    /// For each history (in the order given), the index of its pattern.
    pub of_customer: Vec<u32>,
}

/// Collapses histories into distinct patterns, measuring time in `period`s.
pub fn collapse(histories: &[CustomerHistory], period: Period) -> Patterns {
    // Days fit in 21 bits for 5,700 years; the frequency gets the remaining 22.
    let key = |h: &CustomerHistory| (u64::from(h.frequency) << 42) | (u64::from(h.recency_days) << 21) | u64::from(h.age_days);
    let mut keyed: Vec<(u64, u32)> = histories.iter().enumerate().map(|(i, h)| (key(h), i as u32)).collect();
    keyed.sort_unstable();
    let days = f64::from(period.days());
    let mut patterns: Vec<PurchasePattern> = Vec::new();
    let mut of_customer = vec![0u32; histories.len()];
    let mut last_key = None;
    for (k, i) in keyed {
        if last_key != Some(k) {
            let h = &histories[i as usize];
            patterns.push(PurchasePattern {
                frequency: h.frequency,
                recency: f64::from(h.recency_days) / days,
                age: f64::from(h.age_days) / days,
                customers: 0,
            });
            last_key = Some(k);
        }
        let p = patterns.len() - 1;
        patterns[p].customers += 1;
        of_customer[i as usize] = p as u32;
    }
    Patterns { patterns, of_customer }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(customer: u32, frequency: u32, recency_days: u32, age_days: u32) -> CustomerHistory {
        CustomerHistory {
            customer,
            frequency,
            recency_days,
            age_days,
            repeat_spend: 0,
            holdout_purchases: 0,
        }
    }

    #[test]
    fn identical_histories_share_a_pattern_and_keep_their_count() {
        let hs = [h(0, 2, 14, 70), h(1, 0, 0, 70), h(2, 2, 14, 70), h(3, 2, 7, 70)];
        let p = collapse(&hs, Period::Week);
        assert_eq!(p.patterns.len(), 3);
        assert_eq!(p.of_customer[0], p.of_customer[2]);
        let shared = p.patterns[p.of_customer[0] as usize];
        assert_eq!((shared.frequency, shared.recency, shared.age, shared.customers), (2, 2.0, 10.0, 2));
        assert_eq!(p.patterns.iter().map(|p| p.customers).sum::<u32>(), 4);
        assert_ne!(p.of_customer[0], p.of_customer[3]);
    }
}
