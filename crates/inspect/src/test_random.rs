//! A fixed-seed xorshift64 generator for tests that compare a fast path
//! with a general one over many generated inputs. Every run draws the same
//! values, so a failure reproduces.

/// A xorshift64 generator with the shifts 13, 7 and 17.
pub(crate) struct Xorshift(u64);

impl Xorshift {
    /// Starts the sequence at `seed`, which must not be zero.
    pub(crate) fn new(seed: u64) -> Xorshift {
        assert_ne!(seed, 0, "xorshift stays at zero forever");
        Xorshift(seed)
    }

    /// Returns the next value of the sequence.
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// Returns the next value modulo `bound`.
    pub(crate) fn below(&mut self, bound: u64) -> u64 {
        self.next_u64() % bound
    }
}
