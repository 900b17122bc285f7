//! The special functions the likelihoods need: log-gamma (from `libm`), digamma for the
//! analytic gradients, and log-space helpers that keep sums of tiny probabilities finite.

/// ln Γ(x) for x > 0.
pub fn ln_gamma(x: f64) -> f64 {
    libm::lgamma(x)
}

/// ψ(x) = d/dx ln Γ(x) for x > 0 (NaN otherwise: every argument in these models is a sum of
/// positive parameters and counts).
///
/// Shifts x up to at least 10 with ψ(x) = ψ(x + 1) − 1/x, then uses the asymptotic series,
/// whose truncation error there is below 1e-17.
pub fn digamma(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 {
        return f64::NAN;
    }
    let mut x = x;
    let mut shift = 0.0;
    while x < 10.0 {
        shift -= 1.0 / x;
        x += 1.0;
    }
    let inv2 = 1.0 / (x * x);
    // Bernoulli terms B_2k / (2k x^2k) for k = 1..7.
    let series = inv2
        * (1.0 / 12.0
            - inv2
                * (1.0 / 120.0
                    - inv2 * (1.0 / 252.0 - inv2 * (1.0 / 240.0 - inv2 * (1.0 / 132.0 - inv2 * (691.0 / 32760.0 - inv2 / 12.0))))));
    shift + x.ln() - 0.5 / x - series
}

/// ln(e^a + e^b) without overflow or underflow; `-inf` arguments are empty terms.
pub fn ln_add_exp(a: f64, b: f64) -> f64 {
    let (hi, lo) = if a >= b { (a, b) } else { (b, a) };
    if lo == f64::NEG_INFINITY {
        return hi;
    }
    hi + (lo - hi).exp().ln_1p()
}

/// 1 / (1 + e^-x), without overflow for large |x|.
pub fn logistic(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

/// (e^(e·v) − 1) / e, with its limit v at e = 0: the parameter `a − 1` of BG/NBD may sit at or
/// next to zero, where the plain quotient would lose every digit.
pub fn expm1_over(e: f64, v: f64) -> f64 {
    if e == 0.0 {
        v
    } else {
        (e * v).exp_m1() / e
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EULER_GAMMA: f64 = 0.577_215_664_901_532_9;

    #[test]
    fn digamma_matches_known_values() {
        assert!((digamma(1.0) + EULER_GAMMA).abs() < 1e-14);
        assert!((digamma(0.5) + EULER_GAMMA + 2.0 * std::f64::consts::LN_2).abs() < 1e-14);
        // ψ(n) = −γ + Σ_{k<n} 1/k
        let h: f64 = (1..30).map(|k| 1.0 / k as f64).sum();
        assert!((digamma(30.0) - (h - EULER_GAMMA)).abs() < 1e-13);
    }

    #[test]
    fn digamma_is_the_derivative_of_ln_gamma() {
        for &x in &[1e-3f64, 0.1, 0.243, 0.793, 1.0, 2.426, 7.5, 42.0, 1e4] {
            let h = 1e-5 * x.max(1e-2);
            let numeric = (ln_gamma(x + h) - ln_gamma(x - h)) / (2.0 * h);
            assert!((digamma(x) - numeric).abs() < 1e-6 * (1.0 + digamma(x).abs()), "x = {x}");
        }
    }

    #[test]
    fn digamma_satisfies_its_recurrence_at_small_arguments() {
        for &x in &[1e-6, 0.01, 0.3, 3.7] {
            assert!((digamma(x + 1.0) - digamma(x) - 1.0 / x).abs() < 1e-9 * (1.0 / x));
        }
        assert!(digamma(0.0).is_nan() && digamma(-1.5).is_nan());
    }

    #[test]
    fn ln_gamma_matches_factorials() {
        assert!((ln_gamma(11.0) - (3_628_800f64).ln()).abs() < 1e-12);
        assert!((ln_gamma(0.5) - std::f64::consts::PI.sqrt().ln()).abs() < 1e-14);
    }

    #[test]
    fn log_space_helpers_do_not_overflow() {
        assert_eq!(ln_add_exp(1000.0, f64::NEG_INFINITY), 1000.0);
        assert!((ln_add_exp(1000.0, 1000.0) - (1000.0 + std::f64::consts::LN_2)).abs() < 1e-12);
        assert!((ln_add_exp(-1000.0, -1001.0) - (-1000.0 + (1.0 + (-1f64).exp()).ln())).abs() < 1e-12);
        assert_eq!(logistic(-800.0), 0.0);
        assert_eq!(logistic(800.0), 1.0);
        assert!((logistic(0.3) - 1.0 / (1.0 + (-0.3f64).exp())).abs() < 1e-16);
        assert_eq!(expm1_over(0.0, -2.5), -2.5);
        assert!((expm1_over(1e-12, -2.5) + 2.5).abs() < 1e-10);
        assert!((expm1_over(0.5, -2.0) - ((-1f64).exp() - 1.0) / 0.5).abs() < 1e-15);
    }
}
