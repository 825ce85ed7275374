//! The peer side of bench/peers/compare.sh: the shapes of
//! bench/peer_shapes.cc on tokio's current_thread runtime and on futures'
//! LocalPool, each printed as `shape runtime ns_per_op`, the median of
//! timed repetitions after a warm-up (wall time; everything runs on the
//! calling thread).

mod futures_shapes;
mod shapes;
mod tokio_shapes;

use shapes::{measure, Shape};

fn main() {
    let only: Option<String> = std::env::args().nth(1);
    let wanted = |shape: Shape| only.as_deref().map_or(true, |o| o == shape.name());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a current_thread runtime");
    for shape in Shape::ALL {
        if !wanted(shape) {
            continue;
        }
        let ops = shape.ops();
        let tokio_ns = measure(ops, || runtime.block_on(tokio_shapes::run(shape)));
        println!("{} tokio {:.1}", shape.name(), tokio_ns);
        if let Some(body) = futures_shapes::runner(shape) {
            let mut pool = futures::executor::LocalPool::new();
            let pool_ns = measure(ops, || body(&mut pool));
            println!("{} futures-localpool {:.1}", shape.name(), pool_ns);
        }
    }
}
