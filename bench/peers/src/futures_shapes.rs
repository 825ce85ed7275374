//! The shapes on futures' LocalPool. futures has no Notify, no yield and
//! no timers, so the ring uses a small single-threaded notify written here
//! (a stored permit and one waiter, as weft's and tokio's), yield a future
//! that is pending once; there is no timer shape.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use futures::channel::mpsc;
use futures::executor::LocalPool;
use futures::task::LocalSpawnExt;
use futures::{SinkExt, StreamExt};

use crate::shapes::*;

pub type Body = fn(&mut LocalPool);

pub fn runner(shape: Shape) -> Option<Body> {
    match shape {
        Shape::Ring => Some(ring),
        Shape::Spawn => Some(spawn),
        Shape::Yield => Some(yields),
        Shape::ChannelPairs => Some(channel_pairs),
        Shape::Timers => None,
    }
}

#[derive(Default)]
struct LocalNotify {
    permit: Cell<bool>,
    waiter: RefCell<Option<Waker>>,
}

impl LocalNotify {
    fn notify_one(&self) {
        // The permit is what the woken waiter consumes when it polls again.
        self.permit.set(true);
        if let Some(waker) = self.waiter.borrow_mut().take() {
            waker.wake();
        }
    }
    fn notified(&self) -> Notified<'_> {
        Notified { notify: self }
    }
}

struct Notified<'a> {
    notify: &'a LocalNotify,
}

impl Future for Notified<'_> {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.notify.permit.replace(false) {
            return Poll::Ready(());
        }
        *self.notify.waiter.borrow_mut() = Some(cx.waker().clone());
        Poll::Pending
    }
}

struct YieldNow {
    yielded: bool,
}

impl Future for YieldNow {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.yielded {
            return Poll::Ready(());
        }
        self.yielded = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

fn ring(pool: &mut LocalPool) {
    let turns: Rc<Vec<LocalNotify>> = Rc::new((0..RING_TASKS).map(|_| LocalNotify::default()).collect());
    let spawner = pool.spawner();
    let mut handles = Vec::with_capacity(RING_TASKS);
    for i in 0..RING_TASKS {
        let turns = turns.clone();
        handles.push(
            spawner
                .spawn_local_with_handle(async move {
                    for _ in 0..RING_ROUNDS {
                        turns[i].notified().await;
                        turns[(i + 1) % RING_TASKS].notify_one();
                    }
                })
                .expect("spawn"),
        );
    }
    turns[0].notify_one();
    pool.run_until(async move {
        for handle in handles {
            handle.await;
        }
    });
}

fn spawn(pool: &mut LocalPool) {
    let spawner = pool.spawner();
    pool.run_until(async move {
        for _ in 0..SPAWNS {
            keep(spawner.spawn_local_with_handle(async { 1u32 }).expect("spawn").await);
        }
    });
}

fn yields(pool: &mut LocalPool) {
    let spawner = pool.spawner();
    let mut handles = Vec::with_capacity(YIELD_TASKS);
    for _ in 0..YIELD_TASKS {
        handles.push(
            spawner
                .spawn_local_with_handle(async {
                    for _ in 0..YIELDS {
                        YieldNow { yielded: false }.await;
                    }
                })
                .expect("spawn"),
        );
    }
    pool.run_until(async move {
        for handle in handles {
            handle.await;
        }
    });
}

fn channel_pairs(pool: &mut LocalPool) {
    let spawner = pool.spawner();
    let mut handles = Vec::with_capacity(2 * PAIRS);
    for _ in 0..PAIRS {
        // futures' bounded channel holds buffer + one per sender: 0 gives
        // room for one message, as the others' capacity 1.
        let (mut tx, mut rx) = mpsc::channel::<usize>(0);
        handles.push(
            spawner
                .spawn_local_with_handle(async move {
                    for i in 0..MESSAGES {
                        tx.send(i).await.expect("the receiver is alive");
                    }
                })
                .expect("spawn"),
        );
        handles.push(
            spawner
                .spawn_local_with_handle(async move { while rx.next().await.is_some() {} })
                .expect("spawn"),
        );
    }
    pool.run_until(async move {
        for handle in handles {
            handle.await;
        }
    });
}
