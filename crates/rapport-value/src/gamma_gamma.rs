//! The Gamma-Gamma spend model (Fader & Hardie 2013, "The Gamma-Gamma model of monetary
//! value"): a customer's purchases are Gamma(p, ν) in amount, with ν ~ Gamma(q, γ) across
//! customers, independent of how often they buy. Fitted on the customers with repeat purchases
//! and their mean repeat spend.

use serde::{Deserialize, Serialize};

use crate::error::FitError;
use crate::optimize::{minimize, MinimizeError, Settings};
use crate::special::{digamma, ln_gamma};

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GammaGamma {
    pub p: f64,
    pub q: f64,
    pub gamma: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GammaGammaFit {
    #[serde(flatten)]
    pub model: GammaGamma,
    /// Total log-likelihood of the mean spends, in the log's currency unit.
    pub log_likelihood: f64,
    /// Customers the fit used: repeat purchases and a positive mean spend.
    pub customers: usize,
    pub iterations: usize,
}

/// One customer's repeat purchase count and mean spend per repeat purchase.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpendHistory {
    pub frequency: u32,
    pub mean_spend: f64,
}

/// Fewer than this and three parameters cannot be told apart from a spike at the sample mean.
const MIN_SPENDERS: usize = 3;
/// As in the purchase model: beyond e^±15 the search has run off to a boundary.
const MAX_LOG_PARAMETER: f64 = 15.0;

impl GammaGamma {
    /// Maximum-likelihood estimate. Customers without repeat purchases or with zero mean spend
    /// (complimentary stays) carry no information on spend variation and are left out.
    ///
    /// Spend is divided by its mean for the search, so the start point e^0.1 suits any
    /// currency; γ is scaled back.
    pub fn fit(histories: &[SpendHistory]) -> Result<GammaGammaFit, FitError> {
        let used: Vec<SpendHistory> = histories
            .iter()
            .copied()
            .filter(|h| h.frequency > 0 && h.mean_spend > 0.0)
            .collect();
        if used.len() < MIN_SPENDERS {
            return Err(FitError::TooFewSpenders {
                needed: MIN_SPENDERS,
                found: used.len(),
            });
        }
        let scale = used.iter().map(|h| h.mean_spend).sum::<f64>() / used.len() as f64;
        let likelihood = Likelihood::new(&used, scale);
        let minimum = minimize(|x| likelihood.mean_negative(x), [0.1; 3], &Settings::default()).map_err(|source| match &source {
            MinimizeError::NoConvergence { at, .. } if at.iter().any(|v| v.abs() > MAX_LOG_PARAMETER) => degenerate(at),
            _ => FitError::DidNotConverge {
                model: "Gamma-Gamma",
                source,
            },
        })?;
        if minimum.x.iter().any(|v| v.abs() > MAX_LOG_PARAMETER) {
            return Err(degenerate(&minimum.x));
        }
        let [p, q, v] = minimum.x.map(f64::exp);
        let model = GammaGamma { p, q, gamma: v * scale };
        if model.q <= 1.0 {
            return Err(FitError::SpendTooDispersed { q: model.q });
        }
        Ok(GammaGammaFit {
            model,
            // The search's objective is the mean over customers in units of `scale`; a density
            // of amounts in currency units is that in units of `scale` divided by `scale`.
            log_likelihood: -minimum.value * likelihood.customers - likelihood.customers * scale.ln(),
            customers: used.len(),
            iterations: minimum.iterations,
        })
    }

    /// Total log-likelihood of the mean spends of customers with repeat purchases.
    pub fn log_likelihood(&self, histories: &[SpendHistory]) -> f64 {
        let GammaGamma { p, q, gamma } = *self;
        histories
            .iter()
            .filter(|h| h.frequency > 0 && h.mean_spend > 0.0)
            .map(|h| {
                let (x, m) = (f64::from(h.frequency), h.mean_spend);
                ln_gamma(p * x + q) - ln_gamma(p * x) - ln_gamma(q) + q * gamma.ln() + (p * x - 1.0) * m.ln() + p * x * x.ln()
                    - (p * x + q) * (x * m + gamma).ln()
            })
            .sum()
    }

    /// Mean spend per purchase across customers, γp/(q−1).
    pub fn population_mean(&self) -> f64 {
        self.gamma * self.p / (self.q - 1.0)
    }

    /// E[spend per purchase | x, mean spend]: the customer's own mean weighted by
    /// px/(px+q−1) against the population mean (note 025, eq. 5). For a customer without
    /// repeat purchases it is the population mean.
    pub fn expected_spend(&self, frequency: u32, mean_spend: f64) -> f64 {
        let px = self.p * f64::from(frequency);
        let own = px / (px + self.q - 1.0);
        (1.0 - own) * self.population_mean() + own * mean_spend
    }
}

fn degenerate(log_params: &[f64]) -> FitError {
    let detail = ["p", "q", "gamma (scaled)"]
        .iter()
        .zip(log_params)
        .filter(|(_, v)| v.abs() > MAX_LOG_PARAMETER)
        .map(|(n, v)| format!("{n} runs off to {:.1e}", v.exp()))
        .collect::<Vec<_>>()
        .join(", ");
    FitError::Degenerate {
        model: "Gamma-Gamma",
        detail,
    }
}

/// Terms that depend on the frequency only are computed once per distinct frequency; per
/// customer only ln(x·m + γ) remains.
struct Likelihood {
    /// (x, customers, start, end) over `xm`, which is sorted by frequency.
    frequencies: Vec<(f64, f64, usize, usize)>,
    xm: Vec<f64>,
    /// Σ (x ln m + x ln x) and Σ ln m over customers.
    sum_x_ln_xm: f64,
    sum_ln_m: f64,
    customers: f64,
}

impl Likelihood {
    fn new(used: &[SpendHistory], scale: f64) -> Likelihood {
        let mut sorted: Vec<(u32, f64)> = used.iter().map(|h| (h.frequency, h.mean_spend / scale)).collect();
        sorted.sort_unstable_by_key(|&(x, _)| x);
        let mut frequencies: Vec<(f64, f64, usize, usize)> = Vec::new();
        for (i, &(x, _)) in sorted.iter().enumerate() {
            match frequencies.last_mut() {
                Some(last) if last.0 == f64::from(x) => {
                    last.1 += 1.0;
                    last.3 = i + 1;
                }
                _ => frequencies.push((f64::from(x), 1.0, i, i + 1)),
            }
        }
        Likelihood {
            frequencies,
            xm: sorted.iter().map(|&(x, m)| f64::from(x) * m).collect(),
            sum_x_ln_xm: sorted.iter().map(|&(x, m)| f64::from(x) * (m.ln() + f64::from(x).ln())).sum(),
            sum_ln_m: sorted.iter().map(|&(_, m)| m.ln()).sum(),
            customers: sorted.len() as f64,
        }
    }

    /// Mean negative log-likelihood and its gradient in (ln p, ln q, ln γ).
    fn mean_negative(&self, log_params: &[f64; 3]) -> (f64, [f64; 3]) {
        let [p, q, v] = log_params.map(f64::exp);
        let (ln_v, ln_gamma_q, psi_q) = (v.ln(), ln_gamma(q), digamma(q));
        let mut ll = p * self.sum_x_ln_xm - self.sum_ln_m;
        let mut g = [self.sum_x_ln_xm, 0.0, 0.0];
        for &(x, w, start, end) in &self.frequencies {
            let (mut sum_ln, mut sum_inv) = (0.0, 0.0);
            for &xm in &self.xm[start..end] {
                sum_ln += (xm + v).ln();
                sum_inv += 1.0 / (xm + v);
            }
            let (px, pxq) = (p * x, p * x + q);
            let psi_pxq = digamma(pxq);
            ll += w * (ln_gamma(pxq) - ln_gamma(px) - ln_gamma_q + q * ln_v) - pxq * sum_ln;
            g[0] += w * x * (psi_pxq - digamma(px)) - x * sum_ln;
            g[1] += w * (psi_pxq - psi_q + ln_v) - sum_ln;
            g[2] += w * q / v - pxq * sum_inv;
        }
        let n = self.customers;
        let params = [p, q, v];
        (-ll / n, std::array::from_fn(|i| -g[i] * params[i] / n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simulate::gamma;

    fn spend(frequency: u32, mean_spend: f64) -> SpendHistory {
        SpendHistory { frequency, mean_spend }
    }

    const NOTE_025: GammaGamma = GammaGamma {
        p: 6.25,
        q: 3.74,
        gamma: 15.44,
    };

    /// Mean spends of `n` customers with 1 to 5 repeat purchases drawn from the model.
    fn sample_of(n: usize, seed: u64) -> Vec<SpendHistory> {
        use rand::SeedableRng;
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        (0..n)
            .map(|i| {
                let x = (i % 5 + 1) as u32;
                let nu = gamma(&mut rng, NOTE_025.q) / NOTE_025.gamma;
                let total: f64 = (0..x).map(|_| gamma(&mut rng, NOTE_025.p) / nu).sum();
                spend(x, total / f64::from(x))
            })
            .collect()
    }

    fn sample() -> Vec<SpendHistory> {
        sample_of(400, 1)
    }

    #[test]
    fn the_fast_likelihood_equals_the_plain_one_and_its_gradient_is_exact() {
        let data = sample();
        let lik = Likelihood::new(&data, 1.0);
        let model = NOTE_025;
        let x = [model.p.ln(), model.q.ln(), model.gamma.ln()];
        let (value, gradient) = lik.mean_negative(&x);
        assert!((value + model.log_likelihood(&data) / data.len() as f64).abs() < 1e-12);
        for i in 0..3 {
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
    fn currency_units_change_gamma_only() {
        let dollars = sample();
        let cents: Vec<_> = dollars.iter().map(|h| spend(h.frequency, h.mean_spend * 100.0)).collect();
        let (d, c) = (GammaGamma::fit(&dollars).unwrap(), GammaGamma::fit(&cents).unwrap());
        let at_estimate = d.model.log_likelihood(&dollars);
        assert!(
            (d.log_likelihood - at_estimate).abs() < 1e-9 * at_estimate.abs(),
            "{d:?} vs {at_estimate}"
        );
        assert!((d.model.p - c.model.p).abs() < 1e-6 * d.model.p && (d.model.q - c.model.q).abs() < 1e-6 * d.model.q);
        assert!((c.model.gamma / d.model.gamma - 100.0).abs() < 1e-4);
        // The density of a mean spend in cents is the one in dollars divided by 100.
        let shift = d.customers as f64 * 100f64.ln();
        assert!((d.log_likelihood - shift - c.log_likelihood).abs() < 1e-6);
    }

    #[test]
    fn zero_spend_and_single_purchase_customers_are_left_out() {
        let mut data = sample();
        data.push(spend(3, 0.0));
        data.push(spend(0, 0.0));
        let fit = GammaGamma::fit(&data).unwrap();
        assert_eq!(fit.customers, sample().len());
        assert_eq!(fit.model, GammaGamma::fit(&sample()).unwrap().model);
    }

    #[test]
    fn too_few_or_identical_spenders_are_clear_errors() {
        let err = GammaGamma::fit(&[spend(1, 10.0), spend(0, 0.0)]).unwrap_err();
        assert_eq!(err, FitError::TooFewSpenders { needed: 3, found: 1 });
        // Everyone spends exactly the same: the likelihood grows without bound as the spread
        // shrinks.
        let same: Vec<_> = (1..=20).map(|x| spend(x % 4 + 1, 25.0)).collect();
        let err = GammaGamma::fit(&same).unwrap_err();
        assert!(
            matches!(err, FitError::Degenerate { .. } | FitError::DidNotConverge { .. }),
            "{err:?}"
        );
    }

    #[test]
    fn recovers_the_parameters_it_was_drawn_from() {
        let fit = GammaGamma::fit(&sample_of(20_000, 2)).unwrap();
        // p, q and γ are strongly correlated; the population mean is pinned down far better.
        let m = fit.model;
        for (got, want) in [(m.p, NOTE_025.p), (m.q, NOTE_025.q), (m.gamma, NOTE_025.gamma)] {
            assert!((got / want - 1.0).abs() < 0.15, "{m:?}");
        }
        assert!((m.population_mean() / NOTE_025.population_mean() - 1.0).abs() < 0.02, "{m:?}");
    }

    #[test]
    fn expected_spend_moves_from_the_population_mean_to_the_own_mean() {
        let m = NOTE_025;
        assert!((m.population_mean() - 15.44 * 6.25 / 2.74).abs() < 1e-12);
        assert_eq!(m.expected_spend(0, 0.0), m.population_mean());
        let own = 80.0;
        let few = m.expected_spend(1, own);
        let many = m.expected_spend(50, own);
        assert!(m.population_mean() < few && few < many && many < own, "{few} {many}");
    }
}
