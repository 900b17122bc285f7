//! Seeding and the few distributions the generator needs.
//!
//! Every guest draws from its own ChaCha8 stream seeded from `(seed, guest index)`, so a
//! guest's profile and stays do not depend on how many guests came before it or on the
//! thread that generated it, and the output is identical for a given seed.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub type DemoRng = ChaCha8Rng;

/// SplitMix64 finaliser: spreads nearby inputs (consecutive guest indices) over the whole
/// 64-bit space before they become a ChaCha seed.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The random stream of one guest (or of any other numbered thing, with its own `salt`).
pub fn stream(seed: u64, salt: u64, index: u64) -> DemoRng {
    DemoRng::seed_from_u64(mix(mix(seed ^ salt.rotate_left(32)) ^ index))
}

/// A standard normal draw (Box–Muller; rand 0.8 has no normal without rand_distr).
pub fn normal(rng: &mut DemoRng) -> f64 {
    let u1: f64 = 1.0 - rng.gen::<f64>(); // (0, 1]: ln stays finite
    let u2: f64 = rng.gen();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// A lognormal draw with median `median` and shape `sigma`.
pub fn lognormal(rng: &mut DemoRng, median: f64, sigma: f64) -> f64 {
    median * (sigma * normal(rng)).exp()
}

/// Picks from `(item, weight)` pairs; weights need not sum to one.
pub fn weighted<'a, T>(rng: &mut DemoRng, items: &'a [(T, f64)]) -> &'a T {
    let total: f64 = items.iter().map(|(_, w)| w).sum();
    let mut x = rng.gen::<f64>() * total;
    for (item, w) in items {
        if x < *w {
            return item;
        }
        x -= w;
    }
    &items[items.len() - 1].0
}

/// Picks uniformly from a non-empty slice.
pub fn pick<T: Copy>(rng: &mut DemoRng, items: &[T]) -> T {
    items[rng.gen_range(0..items.len())]
}

/// Rounds `x` up or down at random so the expected result is `x`: scaling counts this
/// way keeps their mean exact.
pub fn stochastic_round(rng: &mut DemoRng, x: f64) -> u64 {
    let floor = x.floor();
    let up = rng.gen::<f64>() < x - floor;
    floor.max(0.0) as u64 + u64::from(up)
}

/// A bijection of `0..modulus` that looks random: `(i × multiplier + offset) mod modulus`
/// with a multiplier coprime to the modulus. Gives unique, unsequential phone digits.
pub fn scramble(index: u64, modulus: u64, offset: u64) -> u64 {
    // Odd and not a multiple of 5: coprime to every modulus 2^a·5^b used here.
    const MULTIPLIER: u64 = 4_813_843;
    (index % modulus * MULTIPLIER + offset) % modulus
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_and_index_give_the_same_stream() {
        let a: Vec<u32> = (0..4).map(|_| stream(7, 1, 42).gen()).collect();
        let b: Vec<u32> = (0..4).map(|_| stream(7, 1, 42).gen()).collect();
        assert_eq!(a, b);
        assert_ne!(stream(7, 1, 42).gen::<u64>(), stream(7, 1, 43).gen::<u64>());
        assert_ne!(stream(7, 1, 42).gen::<u64>(), stream(8, 1, 42).gen::<u64>());
    }

    #[test]
    fn normal_draws_have_mean_zero_and_unit_variance() {
        let mut rng = stream(1, 0, 0);
        let xs: Vec<f64> = (0..20_000).map(|_| normal(&mut rng)).collect();
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / xs.len() as f64;
        assert!(mean.abs() < 0.03 && (var - 1.0).abs() < 0.05, "mean {mean} var {var}");
    }

    #[test]
    fn scramble_is_a_bijection() {
        let m = 8_000;
        let mut seen = vec![false; m as usize];
        for i in 0..m {
            let s = scramble(i, m, 123) as usize;
            assert!(!seen[s]);
            seen[s] = true;
        }
    }
}
