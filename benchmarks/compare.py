"""aio against CPython's asyncio on the shared workloads, side by side, measured in one run.

    python3 benchmarks/compare.py [--bin build/release/bin/bench_workloads] [--repetitions 5]

Runs benchmarks/workloads.cpp (built by the release preset) and benchmarks/workloads.py, takes the
median of each workload on each side, and prints one table: time per item (or per run), and how
many times faster aio is, with the minor page faults per run on each side (a page the kernel
maps and zeroes on first touch: memory given back between runs comes back this way). The
targets the course sets for aio on a 2-core machine are printed beside them; a shared or busy
machine can miss them, so they are reported, never enforced.

W1 is also set against W1_minimal_loop, the smallest loop that does its work. A ratio of two rows
is only as good as the seconds in which both were measured: the table runs each row's repetitions
one after another, so a busy minute on the host can fall on one row and not the other. The ratio
is therefore measured in pairs as well, by the benchmark W1_pairs: 21 pairs in one process, each
a run of W1_spawn_gather and a run of W1_minimal_loop back to back (taking turns at going first),
so that both runs of a pair meet the same host. The median of the pairs' ratios is the one set
against the target; the table's ratio is printed beside it.
"""
import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# workload: (what one item is, aio target in ns per item or ms per run, unit)
TARGETS = {
    "W1_spawn_gather": ("task", 150, "ns"),
    "W2_switch": ("switch", 15, "ns"),
    "W3_queue": ("item", 15, "ns"),
    "W4_timers": ("run", 60, "ms"),
    "W5_semaphore": ("task", 200, "ns"),
    "W6_sequential": ("run", None, "ms"),
    "W6_gather": ("run", None, "ms"),
}
MIN_SPEEDUP = 50
# W1_spawn_gather against the smallest loop that does the same work, in the same run.
MAX_OVER_MINIMAL = 2.5


def aio_medians(binary, repetitions, only=None):
    """Seconds per run (median) and page faults per run, by workload (`only`: a --benchmark_filter,
    where a leading "-" leaves out what matches)."""
    command = [binary, "--benchmark_format=json", f"--benchmark_repetitions={repetitions}",
               "--benchmark_report_aggregates_only=true"]
    if only is not None:
        command.append(f"--benchmark_filter={only}")
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    medians, singles, faults = {}, {}, {}
    for bench in json.loads(out)["benchmarks"]:
        name = bench["run_name"].split("/")[0]
        scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[bench["time_unit"]]
        seconds = bench["real_time"] * scale  # seconds per iteration (one whole workload)
        if bench.get("aggregate_name") == "median":
            medians[name] = seconds
            if "faults_per_run" in bench:
                faults[name] = bench["faults_per_run"]
        elif bench.get("run_type") == "iteration":
            singles[name] = seconds  # with one repetition there are no aggregates
            if "faults_per_run" in bench:
                faults[name] = bench["faults_per_run"]
    return medians or singles, faults


def w1_pair_ratios(binary):
    """W1_spawn_gather / W1_minimal_loop from W1_pairs: the median, lowest and highest of the
    pairs' ratios, and how many pairs there were."""
    command = [binary, "--benchmark_format=json", "--benchmark_filter=^W1_pairs"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    bench = json.loads(out)["benchmarks"][0]
    return bench["ratio_median"], bench["ratio_lowest"], bench["ratio_highest"], int(bench["pairs"])


def python_medians(repetitions):
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks/workloads.py"), "--json", f"--repetitions={repetitions}"],
        capture_output=True, text=True, check=True).stdout
    data = json.loads(out)
    results = data["results"]
    return data["python"], {name: r["seconds"] for name, r in results.items()}, \
        {name: r["items"] for name, r in results.items()}, \
        {name: r["faults_per_run"] for name, r in results.items()}


def show(seconds, items, unit):
    if unit == "ns":
        return f"{seconds / items * 1e9:,.1f} ns"
    return f"{seconds * 1e3:,.1f} ms"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default=str(ROOT / "build/release/bin/bench_workloads"))
    parser.add_argument("--repetitions", type=int, default=5)
    args = parser.parse_args()
    if not Path(args.bin).exists():
        sys.exit(f"{args.bin} is missing: build it with `cmake --workflow --preset release`")

    aio, aio_faults = aio_medians(args.bin, args.repetitions, only="-^W1_pairs")
    version, python, items, python_faults = python_medians(args.repetitions)

    print(f"medians of {args.repetitions} run(s); aio from {Path(args.bin).name}, asyncio on CPython {version}\n")
    print("| workload | per | aio | asyncio | asyncio / aio | aio target | faults per run, aio / asyncio |")
    print("|---|---|---|---|---|---|---|")
    for name, (per, target, unit) in TARGETS.items():
        if name not in aio or name not in python:
            continue
        ratio = python[name] / aio[name]
        count = items[name] if unit == "ns" else 1
        aio_value = aio[name] / count * (1e9 if unit == "ns" else 1e3)
        verdict = ""
        if target is not None:
            met = aio_value <= target and (ratio >= MIN_SPEEDUP or name.startswith("W6"))
            verdict = f"<= {target} {unit}, >= {MIN_SPEEDUP}x: {'met' if met else 'MISSED'}"
        faults = f"{aio_faults[name]:,.0f} / {python_faults[name]:,.0f}" if name in aio_faults else ""
        print(f"| {name} | {per} | {show(aio[name], count, unit)} | {show(python[name], count, unit)} "
              f"| {ratio:,.1f}x | {verdict} | {faults} |")

    if "W1_spawn_gather" in aio and "W1_minimal_loop" in aio:
        in_table = aio["W1_spawn_gather"] / aio["W1_minimal_loop"]
        over, lowest, highest, pairs = w1_pair_ratios(args.bin)
        met = "met" if over <= MAX_OVER_MINIMAL else "MISSED"
        print(f"\nW1_spawn_gather takes {over:.2f}x the time of W1_minimal_loop "
              f"({show(aio['W1_minimal_loop'], items['W1_spawn_gather'], 'ns')} per task in the table), "
              f"target <= {MAX_OVER_MINIMAL}x: {met}")
        print(f"  median of {pairs} pairs (W1_pairs), from {lowest:.2f}x to {highest:.2f}x; "
              f"the table's two medians give {in_table:.2f}x")


if __name__ == "__main__":
    main()
