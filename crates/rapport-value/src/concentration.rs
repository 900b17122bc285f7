//! Revenue concentration: the 80/20 view. What share of revenue the top guests bring, the
//! Lorenz curve and the Gini coefficient, from each guest's revenue in minor units.
//!
//! Negative revenues (a guest whose refunds exceed their spend) count as zero: concentration
//! is about who brings the revenue.

use serde::{Deserialize, Serialize};

/// Revenues in ascending order, negatives as zero, with their running totals: sorted once for
/// all three measures (a million guests' revenues, three windows, six scopes each night).
pub struct Sorted {
    cumulative: Vec<u128>, // cumulative[i] = sum of the i smallest revenues; cumulative[0] = 0
}

impl Sorted {
    pub fn new(revenues: &[i64]) -> Sorted {
        let mut v: Vec<u64> = revenues.iter().map(|&r| r.max(0) as u64).collect();
        v.sort_unstable();
        let mut cumulative = Vec::with_capacity(v.len() + 1);
        let mut sum = 0u128;
        cumulative.push(0);
        for x in v {
            sum += u128::from(x);
            cumulative.push(sum);
        }
        Sorted { cumulative }
    }

    fn n(&self) -> usize {
        self.cumulative.len() - 1
    }

    fn total(&self) -> u128 {
        self.cumulative[self.n()]
    }

    /// L(p): share of revenue of the poorest fraction p of guests, linear between guests.
    fn lorenz_at(&self, p: f64) -> f64 {
        let n = self.n();
        if n == 0 || self.total() == 0 {
            return p;
        }
        let pos = p.clamp(0.0, 1.0) * n as f64;
        let i = (pos.floor() as usize).min(n - 1);
        let frac = pos - i as f64;
        let below = self.cumulative[i] as f64;
        let next = self.cumulative[i + 1] as f64;
        (below + frac * (next - below)) / self.total() as f64
    }
}

/// Share of all revenue brought by the top `fraction` of guests (0.2 for "the top 20%").
/// A fraction that falls inside a guest counts that part of their revenue.
pub fn top_share(revenues: &[i64], fraction: f64) -> f64 {
    Sorted::new(revenues).top_share(fraction)
}

/// One point of the Lorenz curve: the poorest `population` share of guests bring `revenue`
/// share of revenue.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LorenzPoint {
    pub population: f64,
    pub revenue: f64,
}

/// The Lorenz curve at `steps + 1` evenly spaced population shares from 0 to 1, for a chart.
pub fn lorenz_curve(revenues: &[i64], steps: usize) -> Vec<LorenzPoint> {
    Sorted::new(revenues).lorenz_curve(steps)
}

/// Gini coefficient: 0 when every guest brings the same, approaching 1 when one guest brings
/// everything. Computed exactly from the sorted revenues as (2 Σ i·x_(i)) / (n Σ x) − (n+1)/n.
pub fn gini(revenues: &[i64]) -> f64 {
    Sorted::new(revenues).gini()
}

impl Sorted {
    /// See [`top_share`].
    pub fn top_share(&self, fraction: f64) -> f64 {
        1.0 - self.lorenz_at(1.0 - fraction)
    }

    /// See [`lorenz_curve`].
    pub fn lorenz_curve(&self, steps: usize) -> Vec<LorenzPoint> {
        let steps = steps.max(1);
        (0..=steps)
            .map(|k| {
                let p = k as f64 / steps as f64;
                LorenzPoint {
                    population: p,
                    revenue: self.lorenz_at(p),
                }
            })
            .collect()
    }

    /// See [`gini`]; each revenue is the step between running totals, so the sums are exact.
    pub fn gini(&self) -> f64 {
        let n = self.n() as f64;
        let total = self.total();
        if self.n() == 0 || total == 0 {
            return 0.0;
        }
        let weighted: u128 = self
            .cumulative
            .windows(2)
            .enumerate()
            .map(|(i, w)| (i as u128 + 1) * (w[1] - w[0]))
            .sum();
        2.0 * weighted as f64 / (n * total as f64) - (n + 1.0) / n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_revenues_are_not_concentrated() {
        let r = vec![5_000; 10];
        assert!(gini(&r).abs() < 1e-12);
        assert!((top_share(&r, 0.2) - 0.2).abs() < 1e-12);
        for p in lorenz_curve(&r, 4) {
            assert!((p.population - p.revenue).abs() < 1e-12);
        }
    }

    #[test]
    fn one_guest_bringing_everything_is_fully_concentrated() {
        let mut r = vec![0; 9];
        r.push(100_000);
        assert!((gini(&r) - 0.9).abs() < 1e-12, "the maximum for n = 10 is (n−1)/n");
        assert!((top_share(&r, 0.1) - 1.0).abs() < 1e-12);
        assert!((top_share(&r, 0.05) - 0.5).abs() < 1e-12, "half of the top guest");
    }

    #[test]
    fn an_eighty_twenty_base_shows_as_such() {
        // 20 guests bring 80 each, 80 guests bring 5 each: 1,600 of 2,000.
        let mut r = vec![8_000; 20];
        r.extend(vec![500; 80]);
        assert!((top_share(&r, 0.2) - 0.8).abs() < 1e-12);
        let curve = lorenz_curve(&r, 5);
        assert_eq!(curve.len(), 6);
        assert_eq!((curve[0].population, curve[0].revenue), (0.0, 0.0));
        assert!((curve[4].revenue - 0.2).abs() < 1e-12, "the poorest 80% bring 20%");
        assert_eq!(curve[5].revenue, 1.0);
        // Gini from the definition: mean absolute difference over twice the mean.
        let n = r.len() as f64;
        let mean = r.iter().sum::<i64>() as f64 / n;
        let mad: f64 = r.iter().flat_map(|a| r.iter().map(move |b| (a - b).abs() as f64)).sum::<f64>() / (n * n);
        assert!((gini(&r) - mad / (2.0 * mean)).abs() < 1e-12);
    }

    #[test]
    fn refunds_count_as_zero_and_empty_input_is_harmless() {
        assert_eq!(gini(&[-500, 0, 1_000]), gini(&[0, 0, 1_000]));
        assert_eq!(gini(&[]), 0.0);
        assert!((top_share(&[], 0.2) - 0.2).abs() < 1e-15, "no revenue: no concentration");
    }
}
