//! Synthetic transaction logs drawn from the models themselves: for tests that a fit recovers
//! the parameters it was generated with, and for the benchmark's million-customer log.

use chrono::{Days, NaiveDate};
use rand::Rng;

use crate::bgnbd::BgNbd;
use crate::gamma_gamma::GammaGamma;
use crate::history::{Period, Transaction};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Simulation {
    pub customers: u32,
    pub purchases: BgNbd,
    pub spend: GammaGamma,
    /// The unit the purchase model's α is in.
    pub period: Period,
    /// First purchases fall uniformly on the `acquisition_days` days from this date.
    pub first_purchase_from: NaiveDate,
    pub acquisition_days: u32,
    /// No purchase after this date.
    pub observation_end: NaiveDate,
}

/// Draws every customer's transactions: a first purchase, then repeat purchases at Poisson
/// rate λ ~ Gamma(r, α) until they drop out with probability p ~ Beta(a, b) after each repeat
/// purchase; each amount is Gamma(p, ν) with ν ~ Gamma(q, γ), rounded to hundredths.
pub fn simulate(rng: &mut impl Rng, s: &Simulation) -> Vec<Transaction> {
    let mut log = Vec::new();
    let day_per_period = f64::from(s.period.days());
    for customer in 0..s.customers {
        let first = s.first_purchase_from + Days::new(rng.gen_range(0..s.acquisition_days.max(1)) as u64);
        let horizon = (s.observation_end - first).num_days() as f64 / day_per_period;
        let rate = gamma(rng, s.purchases.r) / s.purchases.alpha;
        let g1 = gamma(rng, s.purchases.a);
        let dropout = g1 / (g1 + gamma(rng, s.purchases.b));
        let nu = gamma(rng, s.spend.q) / s.spend.gamma;
        let amount = |rng: &mut _| (gamma(rng, s.spend.p) / nu * 100.0).round() as i64;
        log.push(Transaction {
            customer,
            date: first,
            amount: amount(rng),
        });
        let mut t = 0.0;
        loop {
            t += -(1.0 - rng.gen::<f64>()).ln() / rate;
            // A rate of zero gives an infinite (or NaN) waiting time: no more purchases.
            if t.is_nan() || t > horizon {
                break;
            }
            let date = first + Days::new((t * day_per_period) as u64);
            log.push(Transaction {
                customer,
                date,
                amount: amount(rng),
            });
            if rng.gen::<f64>() < dropout {
                break;
            }
        }
    }
    log
}

/// Gamma(shape, 1) by Marsaglia and Tsang's method; shapes below 1 through
/// Gamma(shape + 1) · U^(1/shape).
pub fn gamma(rng: &mut impl Rng, shape: f64) -> f64 {
    if shape < 1.0 {
        let u: f64 = 1.0 - rng.gen::<f64>();
        return gamma(rng, shape + 1.0) * u.powf(1.0 / shape);
    }
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    loop {
        let x = normal(rng);
        let v = (1.0 + c * x).powi(3);
        if v <= 0.0 {
            continue;
        }
        let u: f64 = 1.0 - rng.gen::<f64>();
        if u.ln() < 0.5 * x * x + d - d * v + d * v.ln() {
            return d * v;
        }
    }
}

/// Standard normal by the Box–Muller transform.
fn normal(rng: &mut impl Rng) -> f64 {
    let u1: f64 = 1.0 - rng.gen::<f64>();
    let u2: f64 = rng.gen();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn gamma_draws_have_the_right_mean_and_variance() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        for shape in [0.243, 0.793, 2.426, 6.25] {
            let n = 200_000;
            let draws: Vec<f64> = (0..n).map(|_| gamma(&mut rng, shape)).collect();
            let mean = draws.iter().sum::<f64>() / n as f64;
            let var = draws.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / n as f64;
            // Standard errors: sqrt(shape/n) for the mean, about sqrt(shape²(2+6/shape)/n) for the variance.
            assert!((mean - shape).abs() < 5.0 * (shape / n as f64).sqrt(), "shape {shape}: mean {mean}");
            assert!(
                (var - shape).abs() < 5.0 * (shape * shape * (2.0 + 6.0 / shape) / n as f64).sqrt(),
                "shape {shape}: var {var}"
            );
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_log() {
        let s = Simulation {
            customers: 50,
            purchases: BgNbd {
                r: 0.243,
                alpha: 4.414,
                a: 0.793,
                b: 2.426,
            },
            spend: GammaGamma {
                p: 6.25,
                q: 3.74,
                gamma: 15.44,
            },
            period: Period::Week,
            first_purchase_from: "1997-01-01".parse().unwrap(),
            acquisition_days: 84,
            observation_end: "1998-06-30".parse().unwrap(),
        };
        let a = simulate(&mut ChaCha8Rng::seed_from_u64(3), &s);
        let b = simulate(&mut ChaCha8Rng::seed_from_u64(3), &s);
        assert_eq!(a, b);
        assert!(a.len() > 50);
        assert!(a
            .iter()
            .all(|t| t.date <= s.observation_end && t.date >= s.first_purchase_from && t.amount >= 0));
    }
}
