#!/usr/bin/env python3
"""Runs gameday and the hand-written SimPy model of the reference scenario side by side.

    swift build -c release --product gameday
    python3 Benchmarks/peers/compare.py --gameday .build/release/gameday

It reports each one's trials per second on one core (gameday with --threads 1; the SimPy model
is single-threaded), the ratio, and whether the statistics agree: every statistic is compared
with a two-sample test at 99.9% (both sides are Monte Carlo estimates with their own error).

- proportions (outcome shares, the chance a milestone happens after impact, each detect
  barrier's held and failed shares): two-proportion z;
- means: difference over the combined standard error (gameday's from its 95% interval);
- p50 and p90: difference over the combined error of two sample quantiles; the SimPy side's
  error comes from its distribution-free 99.9% interval, the gameday side's is that scaled by
  the square root of the ratio of sample sizes (same distribution under the null), plus
  gameday's histogram bins (at most 0.1% wide).

Exit status 0 when every statistic agrees, 1 otherwise. `--markdown` prints the tables for
docs/performance.md; `--json FILE` writes every number.
"""
import argparse
import json
import math
import os
import resource
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SCENARIO = os.path.join(ROOT, "Benchmarks", "scenarios", "reference.yaml")
Z999 = 3.2905267314919255  # two-sided 99.9%
Z95 = 1.959963984540054
BIN = 0.001  # gameday's histogram bins are at most 0.1% wide


def run_timed(command):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    out = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT).stdout
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return json.loads(out), wall, cpu


def proportion_test(name, k1, n1, k2, n2):
    p1, p2 = k1 / n1, k2 / n2
    pooled = (k1 + k2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    z = 0.0 if se == 0 else (p1 - p2) / se
    return {"statistic": name, "gameday": p1, "simpy": p2, "z": z, "agree": abs(z) <= Z999}


def mean_test(name, gameday, simpy):
    low, high = gameday["ci95_mean"]
    se_g = (high - low) / 2 / Z95
    se_s = simpy["se"]
    se = math.hypot(se_g, se_s)
    z = 0.0 if se == 0 else (gameday["mean"] - simpy["mean"]) / se
    return {"statistic": name, "gameday": gameday["mean"], "simpy": simpy["mean"], "z": z, "agree": abs(z) <= Z999}


def quantile_test(name, key, gameday, simpy):
    q_g, q_s = gameday[key], simpy[key]
    low, high = simpy[key + "_ci999"]
    se_s = (high - low) / 2 / Z999
    se_g = se_s * math.sqrt(simpy["n"] / gameday["n"])
    allowed = Z999 * math.hypot(se_s, se_g) + BIN * abs(q_g)
    difference = q_g - q_s
    z = difference / (allowed / Z999) if allowed > 0 else (0.0 if difference == 0 else math.inf)
    return {"statistic": name, "gameday": q_g, "simpy": q_s, "z": z, "agree": abs(difference) <= allowed}


def compare(g, s):
    rows = []
    n_g, n_s = g["trials"], s["trials"]
    for outcome in ("incident", "prevented", "no-fault"):
        label = "P(incident)" if outcome == "incident" else f"P({outcome})"
        rows.append(proportion_test(label, g["outcomes"][outcome], n_g, s["outcomes"][outcome], n_s))
    impacted_g, impacted_s = g["trials_with_impact"], s["trials_with_impact"]
    for metric, label, milestone in (("time_to_detect", "time to detect", "P(detected | impact)"),
                                     ("time_to_mitigate", "time to mitigate", "P(mitigated | impact)"),
                                     ("failed_requests", "failed requests", None)):
        gm, sm = g["metrics"][metric], s["metrics"][metric]
        if milestone:
            rows.append(proportion_test(milestone, gm["n"], impacted_g, sm["n"], impacted_s))
        rows.append(mean_test(f"{label}: mean", gm, sm))
        rows.append(quantile_test(f"{label}: p50", "p50", gm, sm))
        rows.append(quantile_test(f"{label}: p90", "p90", gm, sm))
    for barrier, counts in s.get("barriers", {}).items():
        for state in ("held", "failed"):
            rows.append(proportion_test(f"P({barrier} {state})", g["barriers"][barrier][state], n_g, counts[state], n_s))
    return rows


def fmt(statistic, value):
    if statistic.startswith("P("):
        return f"{100 * value:.2f}%"
    if "failed" in statistic:
        return f"{value:,.0f}"
    return f"{value / 60:.2f} min"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--gameday", default=os.path.join(ROOT, ".build", "release", "gameday"))
    parser.add_argument("--gameday-trials", type=int, default=1_000_000)
    parser.add_argument("--simpy-trials", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    parser.add_argument("--json", help="write every number to this file")
    args = parser.parse_args()

    g, g_wall, g_cpu = run_timed([args.gameday, "run", SCENARIO, "--trials", str(args.gameday_trials), "--threads", "1",
                                  "--seed", str(args.seed), "--format", "json"])
    s, s_wall, s_cpu = run_timed([sys.executable, os.path.join(HERE, "reference_simpy.py"),
                                  "--trials", str(args.simpy_trials), "--seed", str(args.seed)])
    rows = compare(g, s)
    speed = {
        "gameday_trials": g["trials"], "gameday_wall_seconds": g_wall, "gameday_cpu_seconds": g_cpu,
        "gameday_trials_per_cpu_second": g["trials"] / g_cpu, "gameday_trials_per_second": g["trials"] / g_wall,
        # The model's own timing: the trials only, not the interpreter's start-up.
        "simpy_trials": s["trials"], "simpy_wall_seconds": s["seconds"], "simpy_cpu_seconds": s["cpu_seconds"],
        "simpy_trials_per_cpu_second": s["trials_per_cpu_second"], "simpy_trials_per_second": s["trials_per_second"],
    }
    speed["ratio_per_cpu_second"] = speed["gameday_trials_per_cpu_second"] / speed["simpy_trials_per_cpu_second"]
    speed["ratio_wall"] = speed["gameday_trials_per_second"] / speed["simpy_trials_per_second"]
    agree = all(r["agree"] for r in rows)

    if args.markdown:
        print("| | trials | seconds (CPU) | trials/s per core |")
        print("| --- | ---: | ---: | ---: |")
        print(f"| gameday (release, --threads 1) | {g['trials']:,} | {g_cpu:.2f} | {speed['gameday_trials_per_cpu_second']:,.0f} |")
        print(f"| SimPy {s['simpy']} (Python {s['python']}) | {s['trials']:,} | {s['cpu_seconds']:.2f} | {speed['simpy_trials_per_cpu_second']:,.0f} |")
        print(f"| ratio | | | **{speed['ratio_per_cpu_second']:.1f}x** |")
        print()
        print("| statistic | gameday | SimPy | z | agree at 99.9% |")
        print("| --- | ---: | ---: | ---: | :---: |")
        for r in rows:
            print(f"| {r['statistic']} | {fmt(r['statistic'], r['gameday'])} | {fmt(r['statistic'], r['simpy'])} | {r['z']:+.2f} | {'yes' if r['agree'] else '**no**'} |")
    else:
        print(f"gameday: {g['trials']:,} trials in {g_cpu:.2f} s CPU ({speed['gameday_trials_per_cpu_second']:,.0f} trials/s per core)")
        print(f"SimPy:   {s['trials']:,} trials in {s['cpu_seconds']:.2f} s CPU ({speed['simpy_trials_per_cpu_second']:,.0f} trials/s per core)")
        print(f"ratio:   {speed['ratio_per_cpu_second']:.1f}x per core")
        print()
        width = max(len(r["statistic"]) for r in rows)
        for r in rows:
            print(f"  {r['statistic']:<{width}}  gameday {fmt(r['statistic'], r['gameday']):>14}  SimPy {fmt(r['statistic'], r['simpy']):>14}  z {r['z']:+6.2f}  {'ok' if r['agree'] else 'DIFFERENT'}")
        print()
        print("statistics agree at 99.9%" if agree else "some statistics differ at 99.9%")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"speed": speed, "tests": rows, "agree": agree, "gameday": g, "simpy": s}, f, indent=2)
    sys.exit(0 if agree else 1)


if __name__ == "__main__":
    main()
