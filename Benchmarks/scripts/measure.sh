#!/usr/bin/env bash
# Reproduces the figures of docs/performance.md on this machine (about 5 minutes after the builds;
# --with-ordo adds the ordo-one/benchmark run, another ~5 minutes with its first build).
#
#   Benchmarks/scripts/measure.sh [--with-ordo] [--quick]
#
# Prints Markdown. Numbers depend on the machine and on what else runs on it: the load average
# is printed before and after; compare figures taken side by side in one run.
set -euo pipefail
cd "$(dirname "$0")/../.."

ordo=0
big=10000000
for arg in "$@"; do
  case "$arg" in
    --with-ordo) ordo=1 ;;
    --quick) big=3000000 ;;
    *) echo "usage: $0 [--with-ordo] [--quick]" >&2; exit 2 ;;
  esac
done

swift build -c release --product gameday >/dev/null
swift build --package-path Benchmarks -c release --product engine-scaling >/dev/null
gameday=.build/release/gameday
reference=Benchmarks/scenarios/reference.yaml

echo "## Machine"
echo
echo "- CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores; memory $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "- $(swift --version 2>/dev/null | head -1)"
echo "- Python $(python3 -c 'import sys; print(sys.version.split()[0])'), SimPy $(python3 -c 'import simpy; print(simpy.__version__)')"
echo "- load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

echo "## Reference scenario: trials per second (gameday run, release, 2,000,000 trials)"
echo
echo "| threads | wall s | CPU s | trials/s (wall) | trials/s per core (CPU) |"
echo "| ---: | ---: | ---: | ---: | ---: |"
for threads in 1 2; do
  read -r wall user sys < <({ /usr/bin/time -f "%e %U %S" "$gameday" run "$reference" --trials 2000000 --threads "$threads" --seed 1 --format json >/dev/null; } 2>&1)
  python3 -c "w,u,s=$wall,$user,$sys; n=2_000_000; print(f'| $threads | {w:.2f} | {u+s:.2f} | {n/w:,.0f} | {n/(u+s):,.0f} |')"
done
echo

echo "## Peak memory against the number of trials (gameday run --threads 2 --format json)"
echo
echo "| trials | peak RSS (MiB) |"
echo "| ---: | ---: |"
for trials in 1000000 "$big"; do
  rss=$({ /usr/bin/time -f "%M" "$gameday" run "$reference" --trials "$trials" --threads 2 --seed 1 --format json >/dev/null; } 2>&1)
  python3 -c "print(f'| {$trials:,} | {$rss/1024:.1f} |')"
done
echo

echo "## gameday against the same scenario written by hand in SimPy"
echo
python3 Benchmarks/peers/compare.py --gameday "$gameday" --markdown || echo "(some statistics differ at 99.9%)"
echo

echo "## Cost per trial against scenario size (one engine, one core, CPU time)"
echo
Benchmarks/.build/release/engine-scaling --seconds 2
echo

if [ "$ordo" = 1 ]; then
  echo "## ordo-one/benchmark (allocations per trial, per-iteration time)"
  echo
  echo '```'
  swift package --package-path Benchmarks benchmark --no-progress --scale 2>&1 \
    | grep -E '^(reference|services)|Malloc \(total\)|Throughput|Time \(wall|events per trial|Memory \(resident' || true
  echo '```'
  echo
fi

echo "- load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
