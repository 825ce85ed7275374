//! The shapes both sides run, with the same sizes as bench/peer_shapes.cc,
//! and the timing loop.

use std::time::{Duration, Instant};

pub const RING_TASKS: usize = 10;
pub const RING_ROUNDS: usize = 1000;
pub const SPAWNS: usize = 1000;
pub const YIELD_TASKS: usize = 10;
pub const YIELDS: usize = 1000;
pub const PAIRS: usize = 10;
pub const MESSAGES: usize = 100;
pub const TIMER_TASKS: usize = 1000;
pub const TIMER_WAITS: usize = 3;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Ring,
    Spawn,
    Yield,
    ChannelPairs,
    Timers,
}

impl Shape {
    pub const ALL: [Shape; 5] = [
        Shape::Ring,
        Shape::Spawn,
        Shape::Yield,
        Shape::ChannelPairs,
        Shape::Timers,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Shape::Ring => "ring",
            Shape::Spawn => "spawn",
            Shape::Yield => "yield",
            Shape::ChannelPairs => "channel_pairs",
            Shape::Timers => "timers",
        }
    }

    /// What one repetition does, in the unit reported per op.
    pub fn ops(self) -> usize {
        match self {
            Shape::Ring => RING_TASKS * RING_ROUNDS,
            Shape::Spawn => SPAWNS,
            Shape::Yield => YIELD_TASKS * YIELDS,
            Shape::ChannelPairs => PAIRS * MESSAGES,
            Shape::Timers => TIMER_TASKS * TIMER_WAITS,
        }
    }
}

/// Nanoseconds per op: the median of at least 5 repetitions (more while
/// under half a second, at most 200), after 3 warm-up repetitions.
pub fn measure<F: FnMut()>(ops: usize, mut body: F) -> f64 {
    for _ in 0..3 {
        body();
    }
    let mut samples: Vec<f64> = Vec::new();
    let started = Instant::now();
    while samples.len() < 5
        || (samples.len() < 200 && started.elapsed() < Duration::from_millis(500))
    {
        let t = Instant::now();
        body();
        samples.push(t.elapsed().as_nanos() as f64 / ops as f64);
    }
    samples.sort_by(|a, b| a.partial_cmp(b).expect("no NaN"));
    samples[samples.len() / 2]
}

/// Keeps a value alive without std::hint::black_box (Debian's rustc 1.63
/// predates it).
pub fn keep<T>(value: T) {
    unsafe { std::ptr::read_volatile(&value) };
    std::mem::forget(value);
}
