//! A small BFGS minimiser for the maximum-likelihood fits: three or four parameters, analytic
//! gradients, a backtracking line search. Hand-written because the fits need nothing more
//! and the candidate crates bring linear-algebra stacks with them.

use thiserror::Error;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// Stop when every gradient component is below this.
    pub gradient_tolerance: f64,
    pub max_iterations: usize,
    /// Points with a coordinate beyond ±bound count as infinitely bad: the fits work on log
    /// parameters, and e^±40 means the likelihood has no maximum in the interior.
    pub bound: f64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            gradient_tolerance: 1e-9,
            max_iterations: 1000,
            bound: 40.0,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Minimum<const N: usize> {
    pub x: [f64; N],
    pub value: f64,
    pub iterations: usize,
}

#[derive(Debug, Clone, PartialEq, Error)]
pub enum MinimizeError {
    #[error("the objective is not finite at the starting point")]
    BadStart,
    #[error("no minimum found after {iterations} iterations (largest gradient component {gradient:e}, at {at:?})")]
    NoConvergence { iterations: usize, gradient: f64, at: Vec<f64> },
}

/// Minimises `f`, which returns the value and gradient at a point, starting from `x0`.
pub fn minimize<const N: usize>(
    mut f: impl FnMut(&[f64; N]) -> (f64, [f64; N]),
    x0: [f64; N],
    settings: &Settings,
) -> Result<Minimum<N>, MinimizeError> {
    let mut eval = |x: &[f64; N]| {
        if x.iter().any(|v| !v.is_finite() || v.abs() > settings.bound) {
            return (f64::INFINITY, [0.0; N]);
        }
        let (v, g) = f(x);
        if v.is_finite() && g.iter().all(|c| c.is_finite()) {
            (v, g)
        } else {
            (f64::INFINITY, g)
        }
    };
    let mut x = x0;
    let (mut fx, mut g) = eval(&x);
    if !fx.is_finite() {
        return Err(MinimizeError::BadStart);
    }
    let mut h = identity::<N>();
    let mut updated = false;
    for iteration in 0..settings.max_iterations {
        let gmax = max_abs(&g);
        if gmax < settings.gradient_tolerance {
            return Ok(Minimum {
                x,
                value: fx,
                iterations: iteration,
            });
        }
        let mut d = mat_vec(&h, &g).map(|v| -v);
        let mut slope = dot(&g, &d);
        if slope >= 0.0 {
            // The approximation lost positive definiteness: restart from steepest descent.
            h = identity::<N>();
            updated = false;
            d = g.map(|v| -v);
            slope = dot(&g, &d);
        }
        // Before the first update H is the identity and the step has the gradient's scale,
        // which can be far too long.
        let mut step = if updated { 1.0 } else { (1.0 / gmax).min(1.0) };
        let mut accepted = None;
        for _ in 0..80 {
            let xn: [f64; N] = std::array::from_fn(|i| x[i] + step * d[i]);
            let (fnew, gnew) = eval(&xn);
            if fnew <= fx + 1e-4 * step * slope {
                accepted = Some((xn, fnew, gnew));
                break;
            }
            // Minimum of the quadratic through f(x), its slope and f(x + step·d), kept within
            // [0.1, 0.5] of the step so a wild value cannot stall or overshoot the search.
            let next = if fnew.is_finite() {
                -slope * step * step / (2.0 * (fnew - fx - slope * step))
            } else {
                0.1 * step
            };
            step = next.clamp(0.1 * step, 0.5 * step);
        }
        let Some((xn, fnew, gnew)) = accepted else {
            return Err(MinimizeError::NoConvergence {
                iterations: iteration,
                gradient: gmax,
                at: x.to_vec(),
            });
        };
        let s: [f64; N] = std::array::from_fn(|i| xn[i] - x[i]);
        let y: [f64; N] = std::array::from_fn(|i| gnew[i] - g[i]);
        let sy = dot(&s, &y);
        if sy > 1e-12 * dot(&s, &s).sqrt() * dot(&y, &y).sqrt() {
            if !updated {
                let scale = sy / dot(&y, &y);
                h = identity::<N>();
                h.iter_mut().enumerate().for_each(|(i, row)| row[i] = scale);
                updated = true;
            }
            bfgs_update(&mut h, &s, &y, sy);
        }
        let unchanged =
            fx - fnew <= f64::EPSILON * fx.abs().max(1.0) && s.iter().zip(&xn).all(|(si, xi)| si.abs() <= 1e-14 * xi.abs().max(1.0));
        x = xn;
        fx = fnew;
        g = gnew;
        if unchanged {
            // No representable progress is left: accept when the gradient is already small on
            // the scale of the objective, as rounding limits it there.
            if max_abs(&g) < 1e-6 * fx.abs().max(1.0) {
                return Ok(Minimum {
                    x,
                    value: fx,
                    iterations: iteration + 1,
                });
            }
        }
    }
    Err(MinimizeError::NoConvergence {
        iterations: settings.max_iterations,
        gradient: max_abs(&g),
        at: x.to_vec(),
    })
}

/// H ← (I − ρsyᵀ) H (I − ρysᵀ) + ρssᵀ with ρ = 1/(sᵀy): the inverse-Hessian form.
fn bfgs_update<const N: usize>(h: &mut [[f64; N]; N], s: &[f64; N], y: &[f64; N], sy: f64) {
    let rho = 1.0 / sy;
    let hy = mat_vec(h, y);
    let yhy = dot(y, &hy);
    for i in 0..N {
        for j in 0..N {
            h[i][j] += rho * ((1.0 + rho * yhy) * s[i] * s[j] - hy[i] * s[j] - s[i] * hy[j]);
        }
    }
}

fn identity<const N: usize>() -> [[f64; N]; N] {
    std::array::from_fn(|i| std::array::from_fn(|j| if i == j { 1.0 } else { 0.0 }))
}

fn mat_vec<const N: usize>(m: &[[f64; N]; N], v: &[f64; N]) -> [f64; N] {
    std::array::from_fn(|i| dot(&m[i], v))
}

fn dot<const N: usize>(a: &[f64; N], b: &[f64; N]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn max_abs<const N: usize>(v: &[f64; N]) -> f64 {
    v.iter().fold(0.0, |m, x| m.max(x.abs()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rosenbrock<const N: usize>(x: &[f64; N]) -> (f64, [f64; N]) {
        let mut v = 0.0;
        let mut g = [0.0; N];
        for i in 0..N - 1 {
            let a = x[i + 1] - x[i] * x[i];
            let b = 1.0 - x[i];
            v += 100.0 * a * a + b * b;
            g[i] += -400.0 * x[i] * a - 2.0 * b;
            g[i + 1] += 200.0 * a;
        }
        (v, g)
    }

    #[test]
    fn finds_the_rosenbrock_minimum() {
        let m = minimize(rosenbrock::<2>, [-1.2, 1.0], &Settings::default()).unwrap();
        assert!(m.x.iter().all(|v| (v - 1.0).abs() < 1e-8), "{m:?}");
        let m = minimize(rosenbrock::<4>, [-1.2, 1.0, -0.5, 0.3], &Settings::default()).unwrap();
        assert!(m.x.iter().all(|v| (v - 1.0).abs() < 1e-8), "{m:?}");
    }

    #[test]
    fn finds_a_badly_scaled_quadratic_minimum() {
        let f = |x: &[f64; 3]| {
            let w = [1e-3, 1.0, 1e3];
            let c = [5.0, -2.0, 0.25];
            let v = (0..3).map(|i| w[i] * (x[i] - c[i]).powi(2)).sum();
            (v, std::array::from_fn(|i| 2.0 * w[i] * (x[i] - c[i])))
        };
        let m = minimize(f, [0.0; 3], &Settings::default()).unwrap();
        assert!(
            (m.x[0] - 5.0).abs() < 1e-5 && (m.x[1] + 2.0).abs() < 1e-9 && (m.x[2] - 0.25).abs() < 1e-9,
            "{m:?}"
        );
    }

    #[test]
    fn reports_an_objective_without_a_minimum() {
        // −x decreases for ever: the search runs into the bound and must say so.
        let f = |x: &[f64; 1]| (-x[0], [-1.0]);
        let err = minimize(f, [0.0], &Settings::default()).unwrap_err();
        assert!(matches!(err, MinimizeError::NoConvergence { .. }), "{err:?}");
    }

    #[test]
    fn rejects_a_non_finite_start() {
        let f = |x: &[f64; 1]| (x[0].ln(), [1.0 / x[0]]);
        assert_eq!(minimize(f, [-1.0], &Settings::default()).unwrap_err(), MinimizeError::BadStart);
    }
}
