"""Turns compare.sh's rounds into one Markdown table: the median of the
rounds for every figure, the ratios weft/peer (below 1 means weft takes
less time), and whether each goal of bench/README.md is met.

    python3 table.py <dir> <rounds> <date> <machine> <versions>
"""
import json
import statistics
import sys

SHAPES = ["ring", "spawn", "yield", "channel_pairs", "timers"]
PEERS = ["tokio", "futures-localpool"]


def load_json(path):
    with open(path) as f:
        return {b["name"]: b for b in json.load(f)["benchmarks"]}


def ns_per_item(bench):
    return 1e9 / bench["items_per_second"]


def median(values):
    return statistics.median(values) if values else None


def main():
    out, rounds, date, machine, versions = sys.argv[1:6]
    rounds = int(rounds)
    weft = {s: [] for s in SHAPES}
    peer = {(s, p): [] for s in SHAPES for p in PEERS}
    local_ring, sim_ring, sim_steps, schedules = [], [], [], []
    step_cost = {2: [], 200: []}
    pool_one, pool_two, pool_many = [], [], []
    sweep = {1: [], 2: [], 4: []}
    for r in range(1, rounds + 1):
        shapes = load_json(f"{out}/weft-{r}.json")
        for s in SHAPES:
            weft[s].append(ns_per_item(shapes[f"BM_{s}/real_time"]))
        with open(f"{out}/peers-{r}.txt") as f:
            for line in f:
                shape, runtime, ns = line.split()
                peer[(shape, runtime)].append(float(ns))
        sim = load_json(f"{out}/sim-{r}.json")
        local_ring.append(1e9 / sim["BM_LocalExecutorRing"]["hand-offs/s"])
        sim_ring.append(1e9 / sim["BM_SimRingRandom"]["hand-offs/s"])
        sim_steps.append(1e9 / sim["BM_SimRingRandom"]["steps/s"])
        schedules.append(sim["BM_SimSchedules"]["schedules/s"])
        for tasks in step_cost:
            step_cost[tasks].append(1e9 / sim[f"BM_SimStepCost/tasks:{tasks}"]["steps/s"])
        pool = load_json(f"{out}/pool-{r}.json")
        pool_one.append(pool["BM_ThreadPoolSpawnAndJoin/workers:1/real_time"]["real_time"])
        pool_two.append(pool["BM_ThreadPoolSpawnAndJoin/workers:2/real_time"]["real_time"])
        pool_many.append(ns_per_item(pool["BM_ThreadPoolSpawnMany/real_time"]))
        sweeps = load_json(f"{out}/sweep-{r}.json")
        for jobs in sweep:
            sweep[jobs].append(sweeps[f"BM_SeedSweep/jobs:{jobs}/real_time"]["schedules/s"])

    print(f"Measured {date} on {machine}; {versions}; median of {rounds} "
          "interleaved rounds, wall time, ns per op.\n")
    print("| shape (per op) | weft LocalExecutor | tokio current_thread | "
          "futures LocalPool | weft/tokio | weft/LocalPool | goal: weft/tokio <= 1 |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for s in SHAPES:
        w = median(weft[s])
        t = median(peer[(s, "tokio")])
        p = median(peer[(s, "futures-localpool")])
        goal = "-" if s == "timers" else ("met" if w <= t else f"not met ({w / t:.2f})")
        pool = f"{p:.1f}" if p else "-"
        pool_ratio = f"{w / p:.2f}" if p else "-"
        print(f"| {s} | {w:.1f} | {t:.1f} | {pool} | {w / t:.2f} | {pool_ratio} | {goal} |")
    lr, sr, ss = median(local_ring), median(sim_ring), median(sim_steps)
    print()
    print("| figure | value | goal | status |")
    print("| --- | --- | --- | --- |")
    ratio = sr / lr
    print(f"| simulated hand-off / LocalExecutor hand-off (ring, random decisions) | "
          f"{sr:.0f} ns / {lr:.0f} ns = {ratio:.2f} | <= 2 | "
          f"{'met' if ratio <= 2 else 'not met'} |")
    print(f"| simulator cost per step (ring) | {ss:.0f} ns | ~120 ns | "
          f"{'met' if ss <= 120 else 'not met'} |")
    c2, c200 = median(step_cost[2]), median(step_cost[200])
    growth = c200 / c2 - 1
    print(f"| cost per step, channel pairs, 2 -> 200 tasks | {c2:.0f} ns -> {c200:.0f} ns "
          f"({growth * 100:+.0f}%) | at most +20% | {'met' if growth <= 0.2 else 'not met'} |")
    print(f"| complete schedules/s (5 channel pairs x 10 messages) | "
          f"{median(schedules):,.0f} | 2x shuttle | not measured: shuttle is not packaged in Debian |")
    p1, p2, pm = median(pool_one), median(pool_two), median(pool_many)
    print(f"| ThreadPoolExecutor spawn + join, one at a time (1 / 2 workers) | "
          f"{p1:.0f} ns / {p2:.0f} ns | <= 1,500 ns | "
          f"{'met' if max(p1, p2) <= 1500 else 'not met'} |")
    print(f"| ThreadPoolExecutor spawn + join, 1,000 in flight (2 workers) | "
          f"{pm:.0f} ns per task | <= 1,500 ns | {'met' if pm <= 1500 else 'not met'} |")
    s1, s2, s4 = (median(sweep[j]) for j in (1, 2, 4))
    print(f"| parallel seed sweep, schedules/s on 1 / 2 / 4 threads | "
          f"{s1:,.0f} / {s2:,.0f} / {s4:,.0f} (x{s2 / s1:.2f} on 2) | near-linear | "
          f"{'met' if s2 / s1 >= 1.7 else 'not met'} |")


if __name__ == "__main__":
    main()
