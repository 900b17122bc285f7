//! The BG/NBD purchase model (Fader, Hardie & Lee 2005, "Counting your customers the easy way"):
//! while alive a customer buys at a Poisson rate λ ~ Gamma(r, α); after each repeat purchase
//! they drop out with probability p ~ Beta(a, b).

use serde::{Deserialize, Serialize};

use crate::error::FitError;
use crate::hypergeometric::{series_from, SeriesError};
use crate::optimize::{minimize, MinimizeError, Settings};
use crate::patterns::PurchasePattern;
use crate::special::{digamma, expm1_over, ln_add_exp, ln_gamma, logistic};

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BgNbd {
    pub r: f64,
    pub alpha: f64,
    pub a: f64,
    pub b: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BgNbdFit {
    #[serde(flatten)]
    pub model: BgNbd,
    /// Total log-likelihood at the estimate, time in the caller's period (the paper's −9,582.4
    /// for CDNOW in weeks).
    pub log_likelihood: f64,
    pub iterations: usize,
}

/// Beyond e^±15 (3e-7, 3e6) a parameter has run off to a boundary of the likelihood: the
/// search stops there because the gradient in log space fades, not because it found a peak.
const MAX_LOG_PARAMETER: f64 = 15.0;

impl BgNbd {
    /// Maximum-likelihood estimate from purchase patterns.
    ///
    /// Works on log parameters (so they stay positive) and on time divided by the largest age,
    /// as lifetimes does, so that the start point e^0.1 suits any unit of time.
    pub fn fit(patterns: &[PurchasePattern]) -> Result<BgNbdFit, FitError> {
        if patterns.iter().all(|p| p.customers == 0) {
            return Err(FitError::NoCustomers);
        }
        if !patterns.iter().any(|p| p.frequency > 0 && p.customers > 0) {
            return Err(FitError::NoRepeatPurchases);
        }
        let max_age = patterns.iter().map(|p| p.age).fold(0.0, f64::max);
        let time_scale = 1.0 / max_age;
        let scaled = Likelihood::new(patterns, time_scale);
        let minimum = minimize(|x| scaled.mean_negative(x), [0.1; 4], &Settings::default()).map_err(|source| match &source {
            MinimizeError::NoConvergence { at, .. } if at.iter().any(|v| v.abs() > MAX_LOG_PARAMETER) => degenerate(at),
            _ => FitError::DidNotConverge { model: "BG/NBD", source },
        })?;
        if minimum.x.iter().any(|v| v.abs() > MAX_LOG_PARAMETER) {
            return Err(degenerate(&minimum.x));
        }
        let [r, alpha, a, b] = minimum.x.map(f64::exp);
        let model = BgNbd {
            r,
            alpha: alpha * max_age,
            a,
            b,
        };
        Ok(BgNbdFit {
            model,
            log_likelihood: scaled.unscaled_log_likelihood(minimum.value, time_scale),
            iterations: minimum.iterations,
        })
    }

    /// Total log-likelihood of the patterns (weighted by their customer counts).
    pub fn log_likelihood(&self, patterns: &[PurchasePattern]) -> f64 {
        patterns.iter().map(|p| f64::from(p.customers) * self.ln_likelihood_one(p)).sum()
    }

    fn ln_likelihood_one(&self, p: &PurchasePattern) -> f64 {
        let BgNbd { r, alpha, a, b } = *self;
        let x = f64::from(p.frequency);
        let shared = ln_gamma(r + x) - ln_gamma(r) + r * alpha.ln() + ln_gamma(a + b) + ln_gamma(b + x) - ln_gamma(b) - ln_gamma(a + b + x);
        let still_alive = -(r + x) * (alpha + p.age).ln();
        let dropped_out = if p.frequency > 0 {
            a.ln() - (b + x - 1.0).ln() - (r + x) * (alpha + p.recency).ln()
        } else {
            f64::NEG_INFINITY
        };
        shared + ln_add_exp(still_alive, dropped_out)
    }

    /// ln of the odds that a customer with this history has dropped out (against being alive).
    fn ln_odds_dropped_out(&self, frequency: u32, recency: f64, age: f64) -> f64 {
        let x = f64::from(frequency);
        (self.a / (self.b + x - 1.0)).ln() + (self.r + x) * ((self.alpha + age).ln() - (self.alpha + recency).ln())
    }

    /// P(alive | x, t_x, T). A customer without repeat purchases has had no chance to drop out
    /// under this model, so it is 1 for them.
    pub fn probability_alive(&self, frequency: u32, recency: f64, age: f64) -> f64 {
        if frequency == 0 {
            1.0
        } else {
            logistic(-self.ln_odds_dropped_out(frequency, recency, age))
        }
    }

    /// E[X(t) | x, t_x, T]: expected repeat purchases in the next `t` periods (paper eq. 10):
    /// P(alive | x, t_x, T) times what the customer buys if still alive.
    pub fn expected_purchases(&self, t: f64, frequency: u32, recency: f64, age: f64) -> Result<f64, SeriesError> {
        Ok(self.expected_purchases_if_alive(t, frequency, age)? * self.probability_alive(frequency, recency, age))
    }

    /// E[X(t) | alive, x, T]: expected repeat purchases in the next `t` periods of a customer
    /// who is still active. It does not depend on the recency, so customers who differ only
    /// in their last purchase share it: predictions need one 2F1 series per distinct
    /// (frequency, age), not per customer.
    ///
    /// The paper's eq. 10 numerator writes it with 2F1(r+x, b+x; a+b+x−1; z), z = t/(α+T+t),
    /// times (1−z)^(r+x). Euler's transformation folds that into (1−z)^(a−1) · 2F1(a+b−1−r,
    /// a−1; a+b+x−1; z), whose terms are small and decay fast however large x is; writing
    /// 2F1 = 1 + (a−1)·S takes the factor (a−1) out, so a = 1 exactly is no singularity.
    pub fn expected_purchases_if_alive(&self, t: f64, frequency: u32, age: f64) -> Result<f64, SeriesError> {
        if t <= 0.0 {
            return Ok(0.0);
        }
        let BgNbd { r, alpha, a, b } = *self;
        let x = f64::from(frequency);
        let e = a - 1.0;
        let c = a + b + x - 1.0;
        let p = a + b - 1.0 - r;
        let z = t / (alpha + age + t);
        let ln_1mz = -(t / (alpha + age)).ln_1p();
        let s = series_from(p, e, c, z, 1, p * z / c)?;
        // (1 − (1−z)^e (1 + e·S)) / e
        let bracket = -expm1_over(e, ln_1mz) - s * (e * ln_1mz).exp();
        Ok(c * bracket)
    }
}

fn degenerate(log_params: &[f64]) -> FitError {
    let names = ["r", "alpha (scaled time)", "a", "b"];
    let detail = names
        .iter()
        .zip(log_params)
        .filter(|(_, v)| v.abs() > MAX_LOG_PARAMETER)
        .map(|(n, v)| format!("{n} runs off to {:.1e}", v.exp()))
        .collect::<Vec<_>>()
        .join(", ");
    FitError::Degenerate { model: "BG/NBD", detail }
}

/// The likelihood in a form that is quick to evaluate many times: per distinct frequency the
/// gamma-function terms, per distinct age and recency the logarithms, per pattern only the
/// mixing of "still alive" and "dropped out after the last purchase".
struct Likelihood {
    frequencies: Vec<(f64, f64)>, // (x, customers with it)
    ages: Vec<f64>,
    recencies: Vec<f64>,
    // (frequency index, recency index, age index, customers); frequency 0 needs no recency.
    rows: Vec<(u32, u32, u32, f64)>,
    customers: f64,
    /// Σ x over customers.
    repeat_purchases: f64,
}

impl Likelihood {
    fn new(patterns: &[PurchasePattern], time_scale: f64) -> Likelihood {
        let mut frequencies: Vec<u32> = patterns.iter().map(|p| p.frequency).collect();
        let mut ages: Vec<f64> = patterns.iter().map(|p| p.age * time_scale).collect();
        let mut recencies: Vec<f64> = patterns.iter().map(|p| p.recency * time_scale).collect();
        frequencies.sort_unstable();
        frequencies.dedup();
        for v in [&mut ages, &mut recencies] {
            v.sort_unstable_by(f64::total_cmp);
            v.dedup();
        }
        let find = |v: &[f64], key: f64| v.binary_search_by(|probe| probe.total_cmp(&key)).expect("value was collected") as u32;
        let mut weight_of = vec![0.0; frequencies.len()];
        let rows = patterns
            .iter()
            .filter(|p| p.customers > 0)
            .map(|p| {
                let xi = frequencies.binary_search(&p.frequency).expect("frequency was collected");
                weight_of[xi] += f64::from(p.customers);
                (
                    xi as u32,
                    find(&recencies, p.recency * time_scale),
                    find(&ages, p.age * time_scale),
                    f64::from(p.customers),
                )
            })
            .collect();
        Likelihood {
            frequencies: frequencies.iter().zip(weight_of).map(|(&x, w)| (f64::from(x), w)).collect(),
            ages,
            recencies,
            rows,
            customers: patterns.iter().map(|p| f64::from(p.customers)).sum(),
            repeat_purchases: patterns.iter().map(|p| f64::from(p.customers) * f64::from(p.frequency)).sum(),
        }
    }

    /// The total log-likelihood in the caller's time unit from [`Self::mean_negative`]'s value
    /// in scaled time: scaling time by s multiplies each customer's likelihood by s^−x.
    fn unscaled_log_likelihood(&self, mean_negative: f64, time_scale: f64) -> f64 {
        -mean_negative * self.customers + time_scale.ln() * self.repeat_purchases
    }

    /// Mean negative log-likelihood per customer and its gradient in the log parameters.
    fn mean_negative(&self, log_params: &[f64; 4]) -> (f64, [f64; 4]) {
        let [r, alpha, a, b] = log_params.map(f64::exp);
        let (ln_alpha, ln_a) = (alpha.ln(), a.ln());
        let (ln_gamma_r, ln_gamma_b, ln_gamma_ab) = (ln_gamma(r), ln_gamma(b), ln_gamma(a + b));
        let (psi_r, psi_b, psi_ab) = (digamma(r), digamma(b), digamma(a + b));
        let mut ll = 0.0;
        let mut g = [0.0; 4]; // d ll / d (r, alpha, a, b)
                              // Per frequency: the gamma-function terms and the pieces rows need.
        let per_x: Vec<(f64, f64)> = self
            .frequencies
            .iter()
            .map(|&(x, w)| {
                ll += w * (ln_gamma(r + x) - ln_gamma_r + r * ln_alpha + ln_gamma_ab + ln_gamma(b + x) - ln_gamma_b - ln_gamma(a + b + x));
                let psi_abx = digamma(a + b + x);
                g[0] += w * (digamma(r + x) - psi_r + ln_alpha);
                g[1] += w * r / alpha;
                g[2] += w * (psi_ab - psi_abx);
                g[3] += w * (psi_ab + digamma(b + x) - psi_b - psi_abx);
                if x > 0.0 {
                    let bx1 = b + x - 1.0;
                    (ln_a - bx1.ln(), 1.0 / bx1)
                } else {
                    (0.0, 0.0)
                }
            })
            .collect();
        let ln_age: Vec<(f64, f64)> = self.ages.iter().map(|&t| ((alpha + t).ln(), 1.0 / (alpha + t))).collect();
        let ln_rec: Vec<(f64, f64)> = self.recencies.iter().map(|&t| ((alpha + t).ln(), 1.0 / (alpha + t))).collect();
        let (mut d_r, mut d_alpha, mut d_a, mut d_b) = (0.0, 0.0, 0.0, 0.0);
        for &(xi, ri, ti, w) in &self.rows {
            let x = self.frequencies[xi as usize].0;
            let k = r + x;
            let (ln_t, inv_t) = ln_age[ti as usize];
            let alive = -k * ln_t;
            if x == 0.0 {
                ll += w * alive;
                d_r -= w * ln_t;
                d_alpha -= w * k * inv_t;
                continue;
            }
            let (c_x, inv_bx1) = per_x[xi as usize];
            let (ln_r, inv_r) = ln_rec[ri as usize];
            let dropped = c_x - k * ln_r;
            // s: the posterior weight of "dropped out after the last purchase".
            let e = (-(alive - dropped).abs()).exp();
            let (lse, s) = if dropped >= alive {
                (dropped + e.ln_1p(), 1.0 / (1.0 + e))
            } else {
                (alive + e.ln_1p(), e / (1.0 + e))
            };
            ll += w * lse;
            d_r -= w * ((1.0 - s) * ln_t + s * ln_r);
            d_alpha -= w * k * ((1.0 - s) * inv_t + s * inv_r);
            d_a += w * s;
            d_b -= w * s * inv_bx1;
        }
        g[0] += d_r;
        g[1] += d_alpha;
        g[2] += d_a / a;
        g[3] += d_b;
        let n = self.customers;
        let params = [r, alpha, a, b];
        (-ll / n, std::array::from_fn(|i| -g[i] * params[i] / n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(frequency: u32, recency: f64, age: f64, customers: u32) -> PurchasePattern {
        PurchasePattern {
            frequency,
            recency,
            age,
            customers,
        }
    }

    fn sample_patterns() -> Vec<PurchasePattern> {
        vec![
            pattern(0, 0.0, 38.0, 50),
            pattern(0, 0.0, 30.5, 20),
            pattern(1, 5.0, 38.0, 10),
            pattern(2, 30.0, 35.0, 6),
            pattern(5, 37.0, 38.0, 3),
            pattern(1, 1.0, 33.0, 4),
            pattern(12, 36.5, 37.0, 1),
        ]
    }

    const PAPER: BgNbd = BgNbd {
        r: 0.243,
        alpha: 4.414,
        a: 0.793,
        b: 2.426,
    };

    #[test]
    fn the_fast_likelihood_equals_the_plain_one_and_its_gradient_is_exact() {
        let patterns = sample_patterns();
        let lik = Likelihood::new(&patterns, 1.0);
        let x = [PAPER.r.ln(), PAPER.alpha.ln(), PAPER.a.ln(), PAPER.b.ln()];
        let (value, gradient) = lik.mean_negative(&x);
        let n: f64 = patterns.iter().map(|p| f64::from(p.customers)).sum();
        assert!((value + PAPER.log_likelihood(&patterns) / n).abs() < 1e-12);
        for i in 0..4 {
            let h = 1e-6;
            let mut up = x;
            up[i] += h;
            let mut down = x;
            down[i] -= h;
            let numeric = (lik.mean_negative(&up).0 - lik.mean_negative(&down).0) / (2.0 * h);
            assert!((gradient[i] - numeric).abs() < 1e-7, "parameter {i}: {} vs {numeric}", gradient[i]);
        }
    }

    #[test]
    fn the_fit_is_a_maximum_of_the_likelihood() {
        let patterns = simulated_patterns(2_000, 6);
        let fit = BgNbd::fit(&patterns).unwrap();
        let best = fit.log_likelihood;
        let direct = fit.model.log_likelihood(&patterns);
        assert!(
            (best - direct).abs() < 1e-9 * direct.abs(),
            "reported {best}, at the estimate {direct}"
        );
        for i in 0..4 {
            for factor in [0.99, 1.01] {
                let mut p = [fit.model.r, fit.model.alpha, fit.model.a, fit.model.b];
                p[i] *= factor;
                let nearby = BgNbd {
                    r: p[0],
                    alpha: p[1],
                    a: p[2],
                    b: p[3],
                };
                assert!(
                    nearby.log_likelihood(&patterns) < best,
                    "moving parameter {i} by {factor} improves the fit"
                );
            }
        }
    }

    #[test]
    fn time_units_change_alpha_only() {
        let weeks = simulated_patterns(2_000, 7);
        let days: Vec<_> = weeks
            .iter()
            .map(|p| pattern(p.frequency, p.recency * 7.0, p.age * 7.0, p.customers))
            .collect();
        let (w, d) = (BgNbd::fit(&weeks).unwrap().model, BgNbd::fit(&days).unwrap().model);
        assert!((w.r - d.r).abs() < 1e-6 * w.r && (w.a - d.a).abs() < 1e-6 * w.a && (w.b - d.b).abs() < 1e-6 * w.b);
        assert!((d.alpha / w.alpha - 7.0).abs() < 1e-6);
    }

    #[test]
    fn only_single_purchases_is_a_clear_error() {
        let patterns = vec![pattern(0, 0.0, 10.0, 5), pattern(0, 0.0, 3.0, 2)];
        assert_eq!(BgNbd::fit(&patterns).unwrap_err(), FitError::NoRepeatPurchases);
        assert_eq!(BgNbd::fit(&[]).unwrap_err(), FitError::NoCustomers);
    }

    /// Patterns of `n` customers drawn from the paper's estimates, CDNOW's calendar.
    fn simulated_patterns(n: u32, seed: u64) -> Vec<PurchasePattern> {
        use crate::history::{summarize, Period, Window};
        use crate::simulate::{simulate, Simulation};
        use rand::SeedableRng;
        let s = Simulation {
            customers: n,
            purchases: PAPER,
            spend: crate::gamma_gamma::GammaGamma {
                p: 6.25,
                q: 3.74,
                gamma: 15.44,
            },
            period: Period::Week,
            first_purchase_from: "1997-01-01".parse().unwrap(),
            acquisition_days: 84,
            observation_end: "1997-09-30".parse().unwrap(),
        };
        let log = simulate(&mut rand_chacha::ChaCha8Rng::seed_from_u64(seed), &s);
        let window = Window {
            calibration_end: s.observation_end,
            observation_end: s.observation_end,
        };
        crate::patterns::collapse(&summarize(&log, n as usize, window).customers, Period::Week).patterns
    }

    #[test]
    fn recovers_the_parameters_it_was_drawn_from() {
        let fit = BgNbd::fit(&simulated_patterns(30_000, 4)).unwrap().model;
        for (got, want) in [(fit.r, PAPER.r), (fit.alpha, PAPER.alpha), (fit.a, PAPER.a), (fit.b, PAPER.b)] {
            assert!((got / want - 1.0).abs() < 0.15, "{fit:?}");
        }
    }

    #[test]
    fn a_boundary_maximum_is_reported_not_returned() {
        // Seven customers are not enough to separate a and b: the likelihood keeps rising as
        // both go to zero (every customer either never or always drops out).
        let err = BgNbd::fit(&sample_patterns()).unwrap_err();
        assert!(matches!(err, FitError::Degenerate { .. }), "{err:?}");
    }

    #[test]
    fn a_customer_first_seen_on_the_calibration_end_does_not_break_the_fit() {
        let mut patterns = simulated_patterns(2_000, 5);
        patterns.push(pattern(0, 0.0, 0.0, 7));
        let fit = BgNbd::fit(&patterns).unwrap();
        assert!(fit.log_likelihood.is_finite());
        assert_eq!(fit.model.probability_alive(0, 0.0, 0.0), 1.0);
        assert!(fit.model.expected_purchases(10.0, 0, 0.0, 0.0).unwrap() > 0.0);
    }

    #[test]
    fn probability_alive_falls_with_time_since_the_last_purchase() {
        let recent = PAPER.probability_alive(4, 37.0, 38.0);
        let long_ago = PAPER.probability_alive(4, 10.0, 38.0);
        assert!(recent > 0.8 && long_ago < 0.1 && long_ago > 0.0, "{recent} {long_ago}");
        assert_eq!(PAPER.probability_alive(0, 0.0, 38.0), 1.0);
        // Purchase on the last day: odds of having dropped out are a/(b+x−1).
        let x = 3.0;
        let want = 1.0 / (1.0 + PAPER.a / (PAPER.b + x - 1.0));
        assert!((PAPER.probability_alive(3, 38.0, 38.0) - want).abs() < 1e-15);
    }

    /// E[X(t) | x, t_x, T] straight from the paper's eq. 10 with the untransformed 2F1, summed
    /// term by term (all terms are positive).
    fn paper_eq_10(m: &BgNbd, t: f64, x: f64, tx: f64, age: f64) -> f64 {
        let z = t / (m.alpha + age + t);
        let hyp = series_from(m.r + x, m.b + x, m.a + m.b + x - 1.0, z, 0, 1.0).unwrap();
        let first = (m.a + m.b + x - 1.0) / (m.a - 1.0);
        let second = 1.0 - ((m.alpha + age) / (m.alpha + age + t)).powf(m.r + x) * hyp;
        let denominator = 1.0
            + if x > 0.0 {
                m.a / (m.b + x - 1.0) * ((m.alpha + age) / (m.alpha + tx)).powf(m.r + x)
            } else {
                0.0
            };
        first * second / denominator
    }

    #[test]
    fn expected_purchases_equal_the_papers_formula() {
        for &(t, x, tx, age) in &[
            (39.0, 0, 0.0, 38.86),
            (39.0, 2, 30.43, 38.86),
            (52.0, 10, 35.0, 36.0),
            (1.0, 1, 1.0, 2.0),
        ] {
            let want = paper_eq_10(&PAPER, t, f64::from(x), tx, age);
            let got = PAPER.expected_purchases(t, x, tx, age).unwrap();
            assert!((got - want).abs() < 1e-10 * want, "t={t} x={x}: {got} vs {want}");
        }
        assert_eq!(PAPER.expected_purchases(0.0, 3, 10.0, 20.0).unwrap(), 0.0);
    }

    #[test]
    fn expected_purchases_are_p_alive_times_a_recency_free_part() {
        let if_alive = PAPER.expected_purchases_if_alive(52.0, 3, 38.0).unwrap();
        for recency in [2.0, 20.0, 38.0] {
            let want = paper_eq_10(&PAPER, 52.0, 3.0, recency, 38.0);
            let alive = PAPER.probability_alive(3, recency, 38.0);
            assert!((if_alive * alive - want).abs() < 1e-10 * want, "t_x = {recency}");
        }
        assert_eq!(PAPER.expected_purchases_if_alive(0.0, 3, 38.0).unwrap(), 0.0);
    }

    #[test]
    fn expected_purchases_are_continuous_through_a_equal_to_one() {
        let at = |a: f64| BgNbd { a, ..PAPER }.expected_purchases(26.0, 2, 20.0, 30.0).unwrap();
        let (below, exact, above) = (at(1.0 - 1e-9), at(1.0), at(1.0 + 1e-9));
        assert!(exact.is_finite() && exact > 0.0);
        assert!(
            (below - exact).abs() < 1e-7 && (above - exact).abs() < 1e-7,
            "{below} {exact} {above}"
        );
    }

    #[test]
    fn expected_purchases_grow_with_the_horizon() {
        let mut last = 0.0;
        for t in [1.0, 4.0, 13.0, 52.0, 520.0] {
            let e = PAPER.expected_purchases(t, 3, 30.0, 38.0).unwrap();
            assert!(e > last, "{t}: {e}");
            last = e;
        }
    }
}
