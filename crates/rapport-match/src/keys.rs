//! Strings reduced to 64-bit keys: block keys and term-frequency values are only ever
//! looked up, so the index holds 8 bytes per key instead of the string. A collision only
//! adds a candidate pair (which is then compared on the real values) or shares a count.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// FNV-1a of a tag byte and the parts, separated so `("ab","c")` ≠ `("a","bc")`.
pub fn key(tag: u8, parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |b: u8| {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    };
    eat(tag);
    for p in parts {
        p.bytes().for_each(&mut eat);
        eat(0xff);
    }
    // Finalise so keys that differ in the last byte spread over the hash table.
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^ (h >> 33)
}

/// Hasher for keys that are already hashes.
#[derive(Default)]
pub struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8) | u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A map from [`key`]s.
pub type KeyMap<V> = HashMap<u64, V, BuildHasherDefault<PassThrough>>;
