//! `KeyedHasher`: the hasher of the runtime's own maps (the directory's, keyed by addresses and
//! type names).
//!
//! std's default, SipHash-1-3, cost about 200 instructions per address: registering an actor and
//! removing it hashed eight times, a sixth of creating one. These keys are 8 or 16 bytes (an
//! [`Address`](crate::Address)) or a short type name, so a multiply-and-fold per 8 bytes mixes
//! them well enough for `hashbrown` (which needs the top and the bottom bits mixed). Each map's
//! hasher carries a random key taken from std's `RandomState`, so keys a user picks (numeric
//! addresses, type names) cannot be chosen to collide without knowing it.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};

/// Multiplier for the fold (the 64-bit golden ratio: odd, with well-spread bits).
const MULTIPLIER: u64 = 0x9E37_79B9_7F4A_7C15;

/// Builds [`KeyedHasher`]s with one random key: one per map.
#[derive(Clone, Debug)]
pub(crate) struct KeyedState {
    key: u64,
}

impl Default for KeyedState {
    fn default() -> Self {
        // A fresh `RandomState` is keyed from the OS once per thread, then incremented.
        Self {
            key: RandomState::new().hash_one(0x5EED_u64),
        }
    }
}

impl BuildHasher for KeyedState {
    type Hasher = KeyedHasher;

    #[inline]
    fn build_hasher(&self) -> KeyedHasher {
        KeyedHasher { state: self.key }
    }
}

/// Folds each word written into the state with a 64x64->128-bit multiply.
pub(crate) struct KeyedHasher {
    state: u64,
}

/// The high and low halves of the full product, folded: every input bit reaches both ends.
#[inline]
fn fold(a: u64, b: u64) -> u64 {
    let product = u128::from(a) * u128::from(b);
    (product as u64) ^ ((product >> 64) as u64)
}

impl KeyedHasher {
    #[inline]
    fn mix(&mut self, word: u64) {
        self.state = fold(self.state ^ word, MULTIPLIER);
    }
}

impl Hasher for KeyedHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.mix(u64::from_le_bytes(chunk.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            // The length keeps "ab" and "ab\0" apart.
            self.mix(u64::from_le_bytes(last) ^ ((rest.len() as u64) << 59));
        }
    }

    #[inline]
    fn write_u8(&mut self, n: u8) {
        self.mix(u64::from(n));
    }

    #[inline]
    fn write_u32(&mut self, n: u32) {
        self.mix(u64::from(n));
    }

    #[inline]
    fn write_u64(&mut self, n: u64) {
        self.mix(n);
    }

    #[inline]
    fn write_u128(&mut self, n: u128) {
        self.mix(n as u64);
        self.mix((n >> 64) as u64);
    }

    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.mix(n as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        // One more round, so the last word's bits reach the top (hashbrown's tag bits) too.
        fold(self.state, MULTIPLIER)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::Address;

    #[test]
    fn equal_keys_hash_alike_and_maps_work() {
        let state = KeyedState::default();
        let address = Address::unique();
        assert_eq!(state.hash_one(address), state.hash_one(address));
        assert_eq!(state.hash_one("Counter"), state.hash_one("Counter"));
        let mut set = HashSet::with_hasher(state);
        for n in 0..10_000 {
            assert!(set.insert(Address::from_number(n)));
        }
        assert!((0..10_000).all(|n| set.contains(&Address::from_number(n))));
    }

    /// Sequential numbers and one millisecond's UUIDv7s differ in a few low bits: the hashes must
    /// still differ in the top 7 bits (hashbrown's tag) and spread over the low bits (the bucket).
    #[test]
    fn sequential_addresses_spread_over_tags_and_buckets() {
        let state = KeyedState::default();
        for addresses in [
            (0..4_096).map(Address::from_number).collect::<Vec<_>>(),
            (0..4_096).map(|_| Address::unique()).collect(),
        ] {
            let hashes: Vec<u64> = addresses.iter().map(|a| state.hash_one(a)).collect();
            let tags: HashSet<u64> = hashes.iter().map(|h| h >> 57).collect();
            let buckets: HashSet<u64> = hashes.iter().map(|h| h & 4_095).collect();
            assert!(tags.len() > 120, "{} of 128 tags used", tags.len());
            assert!(
                buckets.len() > 2_400,
                "{} of 4,096 buckets used (random: ~2,590)",
                buckets.len()
            );
        }
    }

    #[test]
    fn keys_differ_between_maps() {
        let (one, other) = (KeyedState::default(), KeyedState::default());
        let address = Address::from_number(7);
        assert_ne!(one.hash_one(address), other.hash_one(address));
    }

    #[test]
    fn tails_of_different_lengths_differ() {
        let state = KeyedState::default();
        let hash = |bytes: &[u8]| {
            let mut hasher = state.build_hasher();
            hasher.write(bytes);
            hasher.finish()
        };
        assert_ne!(hash(b"ab"), hash(b"ab\0"));
        assert_ne!(hash(b"abcdefgh"), hash(b"abcdefgh\0"));
    }
}
