//! Random sub-streams derived from `(seed, stable ids)`.
//!
//! Why counter-style streams and not one generator threaded through the loop: with a
//! single generator, adding a sensor or reordering a loop would change every number
//! drawn after it. Here each draw site asks for the stream of its own key (seed, what,
//! which sensor, which object, which second), so a report's randomness depends only on
//! what it is about. ChaCha8 keyed by a 64-bit mix of the key is cheap to create
//! (one block) and statistically sound.

use rand::Rng;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

/// FNV-1a, 64 bit: a stable hash of an id (the std hasher is randomised per process).
pub fn stable_hash(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// SplitMix64 finaliser: spreads the bits of a key.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// What a stream is for, so that two purposes with the same ids never share numbers.
#[derive(Debug, Clone, Copy)]
#[repr(u64)]
pub enum Purpose {
    Object = 1,
    Setup = 2,
    Radar = 3,
    Clutter = 4,
    Acoustic = 5,
    AcousticNode = 6,
    Observer = 7,
    Adsb = 8,
    Wave = 9,
    Traffic = 10,
    Fake = 11,
}

/// The root of all streams of one run.
#[derive(Debug, Clone, Copy)]
pub struct Streams {
    seed: u64,
}

impl Streams {
    /// All streams of the run with this seed.
    pub fn new(seed: u64) -> Streams {
        Streams { seed }
    }

    /// The stream for `(purpose, a, b, c)`; `a`, `b` are usually stable hashes of ids and
    /// `c` a step number.
    pub fn rng(&self, purpose: Purpose, a: u64, b: u64, c: u64) -> ChaCha8Rng {
        let mut k = mix(self.seed ^ mix(purpose as u64));
        k = mix(k ^ a);
        k = mix(k ^ b.rotate_left(17));
        k = mix(k ^ c.rotate_left(41));
        ChaCha8Rng::seed_from_u64(k)
    }
}

/// A standard normal draw times `sd`.
pub fn normal(rng: &mut impl Rng, sd: f64) -> f64 {
    let z: f64 = StandardNormal.sample(rng);
    z * sd
}

/// Uniform in `[r[0], r[1]]` (a degenerate range gives its value).
pub fn uniform(rng: &mut impl Rng, r: [f64; 2]) -> f64 {
    if r[1] > r[0] {
        rng.gen_range(r[0]..r[1])
    } else {
        r[0]
    }
}

/// Exponential with the given mean.
pub fn exponential(rng: &mut impl Rng, mean: f64) -> f64 {
    let u: f64 = rng.r#gen::<f64>();
    -mean * (1.0 - u).ln()
}

/// Poisson count with mean `lambda` (Knuth for small means, normal approximation above
/// 30, which is far beyond any per-step rate used here).
pub fn poisson(rng: &mut impl Rng, lambda: f64) -> u32 {
    if lambda <= 0.0 {
        return 0;
    }
    if lambda > 30.0 {
        return (lambda + normal(rng, lambda.sqrt())).round().max(0.0) as u32;
    }
    let l = (-lambda).exp();
    let mut k = 0;
    let mut p = 1.0;
    loop {
        p *= rng.r#gen::<f64>();
        if p <= l {
            return k;
        }
        k += 1;
    }
}

/// Times of a Poisson process of `rate_per_s` over `[0, duration_s)`.
pub fn poisson_times(rng: &mut impl Rng, rate_per_s: f64, duration_s: f64) -> Vec<f64> {
    let mut out = Vec::new();
    if rate_per_s <= 0.0 {
        return out;
    }
    let mut t = exponential(rng, 1.0 / rate_per_s);
    while t < duration_s {
        out.push(t);
        t += exponential(rng, 1.0 / rate_per_s);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_depend_on_every_key_part_and_repeat() {
        let s = Streams::new(7);
        let draw = |p, a, b, c| s.rng(p, a, b, c).r#gen::<u64>();
        let base = draw(Purpose::Radar, 1, 2, 3);
        assert_eq!(base, draw(Purpose::Radar, 1, 2, 3));
        assert_ne!(base, draw(Purpose::Acoustic, 1, 2, 3));
        assert_ne!(base, draw(Purpose::Radar, 2, 2, 3));
        assert_ne!(base, draw(Purpose::Radar, 1, 3, 3));
        assert_ne!(base, draw(Purpose::Radar, 1, 2, 4));
        // Swapping a and b must not collide (they are mixed asymmetrically).
        assert_ne!(draw(Purpose::Radar, 1, 2, 0), draw(Purpose::Radar, 2, 1, 0));
        assert_ne!(
            base,
            Streams::new(8).rng(Purpose::Radar, 1, 2, 3).r#gen::<u64>()
        );
    }

    #[test]
    fn stable_hash_is_fnv1a() {
        // Reference values of FNV-1a 64.
        assert_eq!(stable_hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(stable_hash("a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn poisson_mean_is_close() {
        let mut rng = Streams::new(1).rng(Purpose::Setup, 0, 0, 0);
        let n = 20_000;
        let sum: u64 = (0..n).map(|_| poisson(&mut rng, 2.5) as u64).sum();
        let mean = sum as f64 / n as f64;
        assert!((mean - 2.5).abs() < 0.05, "mean {mean}");
        let times = poisson_times(&mut rng, 0.5, 10_000.0);
        assert!(
            (times.len() as f64 - 5000.0).abs() < 250.0,
            "{}",
            times.len()
        );
        assert!(times.windows(2).all(|w| w[0] <= w[1]));
    }
}
