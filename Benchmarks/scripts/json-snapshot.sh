#!/usr/bin/env bash
# Writes `gameday run ... --format json` of every bundled scenario (and a few variants, shards and
# traces) into a directory, so that two engine builds can be compared byte for byte:
#
#   Benchmarks/scripts/json-snapshot.sh OLD_GAMEDAY_BINARY /tmp/before
#   Benchmarks/scripts/json-snapshot.sh .build/release/gameday /tmp/after
#   diff -r /tmp/before /tmp/after && echo identical
#
# An engine optimisation must leave every file identical: same seed, same bytes.
set -euo pipefail
gameday="$1"
out="$2"
trials="${TRIALS:-20000}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
mkdir -p "$out"
cd "$root"
for f in scenarios/*.yaml; do
  name="$(basename "$f" .yaml)"
  "$gameday" run "$f" --trials "$trials" --seed 7 --format json --threads 2 > "$out/$name.json"
  # Every control of the scenario at once (where they combine), with one traced trial.
  controls="$(grep -A1000 '^controls:' "$f" | grep -E '^  - id: ' | sed -E 's/^  - id: ([a-z0-9-]+).*/\1/' | paste -sd, - || true)"
  if [ -n "$controls" ]; then
    "$gameday" run "$f" --with "$controls" --trials "$trials" --seed 7 --format json --threads 1 \
      > "$out/$name.with-all.json" 2>/dev/null || echo "controls do not combine" > "$out/$name.with-all.json"
  fi
  "$gameday" run "$f" --trials 5000 --seed 11 --format json --threads 1 --trace 3 > "$out/$name.trace.json"
  "$gameday" run "$f" --trials "$trials" --seed 7 --format json --threads 1 --shard 1/3 > "$out/$name.shard.json"
  # Sequential stopping folds its batches one after another.
  "$gameday" run "$f" --precision 10% --seed 7 --format json --threads 2 > "$out/$name.precision.json" 2>/dev/null \
    || echo "precision run failed" > "$out/$name.precision.json"
done
# Benchmark scenarios too, when they exist.
for f in Benchmarks/scenarios/*.yaml; do
  [ -e "$f" ] || continue
  name="bench-$(basename "$f" .yaml)"
  "$gameday" run "$f" --trials "$trials" --seed 7 --format json --threads 2 > "$out/$name.json"
  "$gameday" run "$f" --trials 2000 --seed 3 --format json --threads 1 --trace 5 > "$out/$name.trace.json"
done
echo "wrote $(ls "$out" | wc -l) files to $out"
