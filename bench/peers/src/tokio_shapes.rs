//! The shapes on tokio's current_thread runtime: tokio::sync::Notify for
//! the ring (a stored permit, as weft's Notify), tokio::sync::mpsc for the
//! channel pairs, tokio::time::sleep for the timers.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

use crate::shapes::*;

pub async fn run(shape: Shape) {
    match shape {
        Shape::Ring => ring().await,
        Shape::Spawn => spawn().await,
        Shape::Yield => yields().await,
        Shape::ChannelPairs => channel_pairs().await,
        Shape::Timers => timers().await,
    }
}

async fn ring() {
    let turns: Arc<Vec<Notify>> = Arc::new((0..RING_TASKS).map(|_| Notify::new()).collect());
    let mut handles = Vec::with_capacity(RING_TASKS);
    for i in 0..RING_TASKS {
        let turns = turns.clone();
        handles.push(tokio::spawn(async move {
            for _ in 0..RING_ROUNDS {
                turns[i].notified().await;
                turns[(i + 1) % RING_TASKS].notify_one();
            }
        }));
    }
    turns[0].notify_one();
    for handle in handles {
        handle.await.expect("a ring task");
    }
}

async fn spawn() {
    for _ in 0..SPAWNS {
        keep(tokio::spawn(async { 1u32 }).await.expect("a trivial task"));
    }
}

async fn yields() {
    let mut handles = Vec::with_capacity(YIELD_TASKS);
    for _ in 0..YIELD_TASKS {
        handles.push(tokio::spawn(async {
            for _ in 0..YIELDS {
                tokio::task::yield_now().await;
            }
        }));
    }
    for handle in handles {
        handle.await.expect("a yielding task");
    }
}

async fn channel_pairs() {
    let mut handles = Vec::with_capacity(2 * PAIRS);
    for _ in 0..PAIRS {
        let (tx, mut rx) = tokio::sync::mpsc::channel::<usize>(1);
        handles.push(tokio::spawn(async move {
            for i in 0..MESSAGES {
                tx.send(i).await.expect("the receiver is alive");
            }
        }));
        handles.push(tokio::spawn(async move {
            while rx.recv().await.is_some() {}
        }));
    }
    for handle in handles {
        handle.await.expect("a channel task");
    }
}

async fn timers() {
    let mut handles = Vec::with_capacity(TIMER_TASKS);
    for _ in 0..TIMER_TASKS {
        handles.push(tokio::spawn(async {
            for _ in 0..TIMER_WAITS {
                tokio::time::sleep(Duration::from_micros(1)).await;
            }
        }));
    }
    for handle in handles {
        handle.await.expect("a timer task");
    }
}
