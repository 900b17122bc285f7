//! Expectation–maximisation for the Fellegi–Sunter model, without labels.
//!
//! Candidate pairs are a mixture of matches (share λ) and non-matches. Given the match
//! class, fields are taken as independent with level probabilities `m`; given the
//! non-match class, `u`. EM alternates: each distinct comparison pattern's probability of
//! being a match under the current parameters (E), then `m`, `u` and λ as the weighted
//! level shares (M). It runs over distinct patterns with their counts, so a million pairs
//! cost no more than a few thousand patterns. Missing levels carry no information and
//! are left out of both products.

use crate::fields::{Field, Pattern, FIELD_COUNT};

/// Level probabilities per field, indexed by level (index 0, missing, unused).
pub type LevelProbabilities = [Vec<f64>; FIELD_COUNT];

#[derive(Debug, Clone)]
pub struct EmFit {
    pub m: LevelProbabilities,
    pub u: LevelProbabilities,
    /// Share of candidate pairs that are matches.
    pub lambda: f64,
    pub iterations: usize,
    pub converged: bool,
}

/// Pseudo-count added to every level: no level is ever impossible.
const SMOOTHING: f64 = 0.5;
const TOLERANCE: f64 = 1e-6;

/// The starting point for `m`: agreement is likely for a match, disagreement rare.
pub fn initial_m() -> LevelProbabilities {
    Field::ALL.map(|f| {
        let top = f.top_level() as usize;
        let mut m = vec![0.0; top + 1];
        m[1] = 0.02;
        m[top] = 0.8;
        for level in m.iter_mut().take(top).skip(2) {
            *level = 0.18 / (top - 2) as f64;
        }
        normalise(&mut m);
        m
    })
}

/// Level shares from counted levels (e.g. of random pairs), smoothed.
pub fn shares(counts: &[Vec<f64>; FIELD_COUNT]) -> LevelProbabilities {
    Field::ALL.map(|f| {
        let mut v: Vec<f64> = (0..f.level_count())
            .map(|l| if l == 0 { 0.0 } else { counts[f.index()][l] + SMOOTHING })
            .collect();
        normalise(&mut v);
        v
    })
}

fn normalise(v: &mut [f64]) {
    let total: f64 = v[1..].iter().sum();
    v[0] = 0.0;
    for x in &mut v[1..] {
        *x /= total;
    }
}

/// Fits `m` and λ (and `u` too when `estimate_u`, else `u0` stays) to the pattern counts,
/// starting from `m0`, `u0` and `lambda0`.
pub fn fit(
    patterns: &[(Pattern, u64)],
    m0: LevelProbabilities,
    u0: LevelProbabilities,
    lambda0: f64,
    estimate_u: bool,
    max_iterations: usize,
) -> EmFit {
    let (mut m, mut u, mut lambda) = (m0, u0, lambda0.clamp(1e-6, 1.0 - 1e-6));
    let mut iterations = 0;
    let mut converged = false;
    let empty = || Field::ALL.map(|f| vec![0.0; f.level_count()]);
    while iterations < max_iterations {
        iterations += 1;
        let (mut mc, mut uc) = (empty(), empty());
        let (mut matches, mut total) = (0.0, 0.0);
        let (ln_m, ln_u) = (logs(&m), logs(&u));
        for &(p, count) in patterns {
            let n = count as f64;
            let g = match_probability(p, &ln_m, &ln_u, lambda, None);
            matches += n * g;
            total += n;
            for f in Field::ALL {
                let l = p.level(f) as usize;
                if l > 0 {
                    mc[f.index()][l] += n * g;
                    uc[f.index()][l] += n * (1.0 - g);
                }
            }
        }
        if total == 0.0 {
            break;
        }
        let (new_m, new_u) = (shares(&mc), if estimate_u { shares(&uc) } else { u.clone() });
        let new_lambda = (matches / total).clamp(1e-9, 1.0 - 1e-9);
        let change = max_change(&m, &new_m).max(max_change(&u, &new_u)).max((lambda - new_lambda).abs());
        (m, u, lambda) = (new_m, new_u, new_lambda);
        if change < TOLERANCE {
            converged = true;
            break;
        }
    }
    EmFit {
        m,
        u,
        lambda,
        iterations,
        converged,
    }
}

/// `m` of `field` under a fit that left it out: its level shares among the pairs, each
/// weighted by its probability of being a match according to the other fields (one E-step).
pub fn m_of_left_out(patterns: &[(Pattern, u64)], fit: &EmFit, field: Field) -> Vec<f64> {
    let mut counts = Field::ALL.map(|f| vec![0.0; f.level_count()]);
    counts[field.index()] = matched_levels(patterns, fit, field, Some(field));
    shares(&counts)[field.index()].clone()
}

/// How many of the pairs the fit takes for matches show each level of `field` (expected
/// counts: each pair weighted by its match probability from every field but `left_out`).
pub fn matched_levels(patterns: &[(Pattern, u64)], fit: &EmFit, field: Field, left_out: Option<Field>) -> Vec<f64> {
    let (ln_m, ln_u) = (logs(&fit.m), logs(&fit.u));
    let mut counts = vec![0.0; field.level_count()];
    for &(p, count) in patterns {
        let level = p.level(field) as usize;
        if level > 0 {
            counts[level] += count as f64 * match_probability(p, &ln_m, &ln_u, fit.lambda, left_out);
        }
    }
    counts
}

/// The E-step for one pattern: its probability of being a match, from every field's level
/// except `left_out`'s (missing levels carry no evidence).
fn match_probability(p: Pattern, ln_m: &LevelProbabilities, ln_u: &LevelProbabilities, lambda: f64, left_out: Option<Field>) -> f64 {
    let (mut lm, mut lu) = (lambda.ln(), (1.0 - lambda).ln());
    for f in Field::ALL.into_iter().filter(|&f| Some(f) != left_out) {
        let l = p.level(f) as usize;
        if l > 0 {
            lm += ln_m[f.index()][l];
            lu += ln_u[f.index()][l];
        }
    }
    1.0 / (1.0 + (lu - lm).exp())
}

fn logs(p: &LevelProbabilities) -> LevelProbabilities {
    p.clone()
        .map(|v| v.into_iter().map(|x| if x > 0.0 { x.ln() } else { 0.0 }).collect())
}

fn max_change(a: &LevelProbabilities, b: &LevelProbabilities) -> f64 {
    a.iter()
        .zip(b.iter())
        .flat_map(|(x, y)| x.iter().zip(y.iter()).map(|(p, q)| (p - q).abs()))
        .fold(0.0, f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pairs drawn from a known model: EM must find its way back to it.
    #[test]
    fn em_converges_to_the_generating_parameters() {
        // Three fields: given name and birth date agree for 90 % of matches and 5 % / 1 %
        // of non-matches, contact for 80 % / 0.1 %; 20 % of pairs are matches.
        let (pg, pb, qg, qb, lambda) = (0.9, 0.9, 0.05, 0.01, 0.2);
        let n = 1_000_000.0;
        let mut with_contact = Vec::new();
        for (g, fg_m, fg_u) in [(4u8, pg, qg), (1u8, 1.0 - pg, 1.0 - qg)] {
            for (b, fb_m, fb_u) in [(3u8, pb, qb), (1u8, 1.0 - pb, 1.0 - qb)] {
                for (c, fc_m, fc_u) in [(4u8, 0.8, 0.001), (1u8, 0.2, 0.999)] {
                    let share = lambda * fg_m * fb_m * fc_m + (1.0 - lambda) * fg_u * fb_u * fc_u;
                    with_contact.push((Pattern::new([g, 0, b, c, 0, 0, 0, 0], false), (n * share) as u64));
                }
            }
        }
        let u0 = Field::ALL.map(|f| {
            let mut v = vec![1.0; f.level_count()];
            normalise(&mut v);
            v
        });
        let fit = fit(&with_contact, initial_m(), u0, 0.5, true, 500);
        assert!(fit.converged, "{} iterations", fit.iterations);
        assert!((fit.lambda - lambda).abs() < 0.01, "lambda {}", fit.lambda);
        let m_given = fit.m[Field::GivenName.index()][4];
        let u_birth = fit.u[Field::BirthDate.index()][3];
        assert!((m_given - pg).abs() < 0.01, "m given {m_given}");
        assert!((u_birth - qb).abs() < 0.005, "u birth {u_birth}");
    }

    #[test]
    fn a_left_out_field_is_measured_on_the_pairs_the_fit_takes_for_matches() {
        // A sure match (contact agrees) and a sure stranger (contact differs), each seen
        // with the country agreeing and differing: m of the country follows the match.
        let pattern = |contact: u8, country: u8| Pattern::new([0, 0, 0, contact, 0, 0, 0, country], false);
        let patterns = [(pattern(4, 2), 90), (pattern(4, 1), 10), (pattern(1, 2), 50), (pattern(1, 1), 950)];
        let mut m = initial_m();
        m[Field::Contact.index()] = vec![0.0, 0.001, 0.0, 0.0, 0.999];
        let mut u = initial_m();
        u[Field::Contact.index()] = vec![0.0, 0.999, 0.0, 0.0, 0.001];
        let fit = EmFit {
            m,
            u,
            lambda: 0.1,
            iterations: 1,
            converged: true,
        };
        let country = m_of_left_out(&patterns, &fit, Field::Country);
        assert!((country[2] - 0.9).abs() < 0.01, "{country:?}");
    }
}
