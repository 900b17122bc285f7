//! The Gauss hypergeometric function 2F1 by its power series, with a convergence test that
//! bounds the tail instead of stopping at the first small term.
//!
//! BG/NBD's conditional expectation needs 2F1(r+x, b+x; a+b+x−1; z) with 0 ≤ z < 1. Taken
//! literally its terms grow like n^(r+x−a) zⁿ: for a frequent guest and a long horizon that is
//! thousands of terms summing to 1e20 or more. Euler's transformation
//! 2F1(a,b;c;z) = (1−z)^(c−a−b) 2F1(c−a, c−b; c; z) turns it into a series with small numerator
//! parameters whose value stays near 1; [`hyp2f1`] takes whichever form decays faster.

use thiserror::Error;

/// The series cannot be summed to full precision with the given arguments.
#[derive(Debug, Clone, Copy, PartialEq, Error)]
pub enum SeriesError {
    #[error("2F1 series outside its domain (a={a}, b={b}, c={c}, z={z}): needs |z| < 1 and c not a non-positive integer")]
    Domain { a: f64, b: f64, c: f64, z: f64 },
    #[error("2F1 series did not converge within {terms} terms (z = {z})")]
    NoConvergence { terms: usize, z: f64 },
}

/// Upper limit on the number of terms: at z = 0.999 the slowest series this crate sums
/// needs about 40,000.
const MAX_TERMS: usize = 1_000_000;

/// 2F1(a, b; c; z) for real a, b, c and −1 < z < 1.
pub fn hyp2f1(a: f64, b: f64, c: f64, z: f64) -> Result<f64, SeriesError> {
    check_domain(a, b, c, z)?;
    // Terms behave like n^(a+b−c−1) zⁿ; Euler's form like n^(c−a−b−1) zⁿ. For z < 0 the factor
    // (1−z)^(c−a−b) is harmless too, but the plain series is already alternating there.
    if z > 0.0 && a + b > c {
        let tail = series_from(c - a, c - b, c, z, 0, 1.0)?;
        Ok(tail * (1.0 - z).powf(c - a - b))
    } else {
        series_from(a, b, c, z, 0, 1.0)
    }
}

/// Σ_{k≥n} t_k where t_{k+1} = t_k · (a+k)(b+k) / ((c+k)(k+1)) · z, starting from t_n = `first`.
///
/// This is the tail of 2F1(a, b; c; z) from term n, scaled so its first term is `first`: callers
/// that must divide the series by a parameter that may be zero (BG/NBD's a − 1) start at n = 1
/// with that factor already taken out.
pub fn series_from(a: f64, b: f64, c: f64, z: f64, n: usize, first: f64) -> Result<f64, SeriesError> {
    check_domain(a, b, c, z)?;
    let mut term = first;
    let mut sum = first;
    // Beyond this index no factor (a+k), (b+k), (c+k) changes sign, so the ratio of successive
    // terms moves monotonically towards |z|: the larger of the two bounds every later ratio.
    let settled = (a.abs() + b.abs() + c.abs()).ceil() as usize + 2;
    let mut k = n;
    while k < n + MAX_TERMS {
        let kf = k as f64;
        let ratio = (a + kf) * (b + kf) / ((c + kf) * (kf + 1.0)) * z;
        term *= ratio;
        sum += term;
        k += 1;
        if term == 0.0 {
            return Ok(sum);
        }
        if !sum.is_finite() {
            return Err(SeriesError::NoConvergence { terms: k - n, z });
        }
        if k >= settled {
            let bound = ratio.abs().max(z.abs());
            if bound < 1.0 && term.abs() * bound / (1.0 - bound) <= f64::EPSILON * 0.5 * sum.abs() {
                return Ok(sum);
            }
        }
    }
    Err(SeriesError::NoConvergence { terms: MAX_TERMS, z })
}

fn check_domain(a: f64, b: f64, c: f64, z: f64) -> Result<(), SeriesError> {
    let non_positive_integer = c <= 0.0 && c == c.round();
    if !(a.is_finite() && b.is_finite() && c.is_finite() && z.abs() < 1.0) || non_positive_integer {
        return Err(SeriesError::Domain { a, b, c, z });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(got: f64, want: f64, rel: f64) -> bool {
        (got - want).abs() <= rel * want.abs().max(1e-300)
    }

    #[test]
    fn matches_closed_forms() {
        for &z in &[-0.9f64, -0.3, 0.0, 1e-8, 0.2, 0.5, 0.9, 0.99] {
            // 2F1(1, 1; 2; z) = −ln(1 − z) / z
            let want = if z == 0.0 { 1.0 } else { -(-z).ln_1p() / z };
            assert!(close(hyp2f1(1.0, 1.0, 2.0, z).unwrap(), want, 1e-14), "z = {z}");
            // 2F1(a, b; b; z) = (1 − z)^−a
            assert!(close(hyp2f1(0.7, 3.2, 3.2, z).unwrap(), (1.0 - z).powf(-0.7), 1e-14), "z = {z}");
            // 2F1(1/2, 1/2; 3/2; z²) = asin(z) / z
            if z > 0.0 {
                let s = z.sqrt();
                assert!(close(hyp2f1(0.5, 0.5, 1.5, z).unwrap(), s.asin() / s, 1e-14), "z = {z}");
            }
        }
    }

    #[test]
    fn terminating_series_is_a_polynomial() {
        // 2F1(−2, b; c; z) = 1 − 2bz/c + b(b+1)z²/(c(c+1))
        let (b, c, z) = (3.5, 1.25, 0.8);
        let want = 1.0 - 2.0 * b * z / c + b * (b + 1.0) * z * z / (c * (c + 1.0));
        assert!(close(hyp2f1(-2.0, b, c, z).unwrap(), want, 1e-14));
    }

    #[test]
    fn large_parameters_near_one_agree_with_gauss_sum_limit() {
        // BG/NBD shape: 2F1(r+x, b+x; a+b+x−1; z) for a frequent guest. Compare the transformed
        // evaluation with the plain series summed term by term (all terms positive, so the
        // plain sum is accurate, just slow).
        let (r, a, b, x) = (0.243, 0.793, 2.426, 25.0);
        let (pa, pb, pc, z) = (r + x, b + x, a + b + x - 1.0, 0.9);
        let plain = series_from(pa, pb, pc, z, 0, 1.0).unwrap();
        let fast = hyp2f1(pa, pb, pc, z).unwrap();
        assert!(plain > 1e20, "the untransformed sum is huge: {plain}");
        assert!(close(fast, plain, 1e-12), "{fast} vs {plain}");
    }

    #[test]
    fn gauss_summation_is_approached_as_z_tends_to_one() {
        // 2F1(a, b; c; 1) = Γ(c)Γ(c−a−b) / (Γ(c−a)Γ(c−b)) when c > a + b. With c − a − b = 2
        // the gap at z is O(1 − z), here about 3e-6.
        use crate::special::ln_gamma;
        let (a, b, c) = (0.3, -0.2, 2.1);
        let gauss = (ln_gamma(c) + ln_gamma(c - a - b) - ln_gamma(c - a) - ln_gamma(c - b)).exp();
        let near = hyp2f1(a, b, c, 0.9999).unwrap();
        assert!((near - gauss).abs() < 1e-5 && near != gauss, "{near} vs {gauss}");
    }

    #[test]
    fn tail_from_one_is_the_series_minus_its_first_term() {
        let (a, b, c, z) = (1.1, 0.4, 2.7, 0.6);
        let whole = series_from(a, b, c, z, 0, 1.0).unwrap();
        let tail = series_from(a, b, c, z, 1, a * b / c * z).unwrap();
        assert!(close(tail, whole - 1.0, 1e-14));
    }

    #[test]
    fn rejects_arguments_outside_the_domain() {
        assert!(matches!(hyp2f1(1.0, 1.0, 2.0, 1.0), Err(SeriesError::Domain { .. })));
        assert!(matches!(hyp2f1(1.0, 1.0, -3.0, 0.5), Err(SeriesError::Domain { .. })));
        assert!(matches!(hyp2f1(f64::NAN, 1.0, 2.0, 0.5), Err(SeriesError::Domain { .. })));
    }

    #[test]
    fn reports_non_convergence_instead_of_a_wrong_value() {
        // Terms of 2F1(1, 1; 2; z) shrink like zⁿ/n; at z = 1 − 1e-12 a million terms are not
        // enough.
        let z = 1.0 - 1e-12;
        assert!(matches!(hyp2f1(1.0, 1.0, 2.0, z), Err(SeriesError::NoConvergence { .. })));
    }
}
