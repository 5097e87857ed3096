#!/usr/bin/env bash
# `ivfuse bench --mode mef` (each stage alone, the CPU bound: decode, register, fusion with ghost
# suppression, weight smoothing, encode, every stage the run has by default) beside `run --mode mef --under/--over`
# and `run --mode mef --bracketed` end to end, at 640x480, for the default engine (auto) and each
# mef engine, interleaved round by round; then the fusion-only time of every mef engine in one run
# (MefEngineBenchmark). Prints each measurement with the load average, then the medians and the
# ratios end to end / CPU bound. See mef.md, "Speed".
# Usage: [BASELINE=OTHER/ivfuse/target/ivfuse] benchmarks/mef-bench.sh [rounds] [frames]
# BASELINE: another build's launcher (say of an earlier commit) whose `run`s are timed in the same
# rounds, right after this build's, for a side-by-side figure.
# The build and the inputs are made first; the measurements hold /tmp/bench.lock.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
frames=${2:-300}
engines=(auto mef-lut)  # auto is onnxruntime with the default model (mef-pyramid); mertens is timed below, fusion only
mvn -q -o -DskipTests package -pl ivfuse -Divfuse.cds=false
mvn -q -o test-compile -pl ivfuse
# The jar's manifest class path (see mef-run.sh: with the test scope's, ONNX Runtime crashed the JVM here).
cp="ivfuse/target/ivfuse.jar:ivfuse/target/test-classes"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
java -cp "$cp" benchmarks/MefRunInputs.java "$work" 640 480 "$frames" --bracketed 2>&1 | grep -v DEBUG || true
ivfuse=ivfuse/target/ivfuse
load() { cut -d' ' -f1-3 /proc/loadavg; }

measure() {
    for round in $(seq "$rounds"); do
        for engine in "${engines[@]}"; do
            "$ivfuse" bench --mode mef --under "$work/under.mkv" --over "$work/over.mkv" --engine "$engine" \
                --frames "$frames" --json "$work/bench-$engine-$round.json" -y >"$work/bench-$engine-$round.txt" 2>&1
            python3 - "$work/bench-$engine-$round.json" "$round" "$(load)" <<'EOF'
import json, sys
b = json.load(open(sys.argv[1]))
print(f"round {sys.argv[2]}  bench  {b['engine']:<12} bound {b['cpu_bound_fps']:6.1f} fps  fusion stage {b['fusion_fps']:6.1f}"
      f"  bench end to end {b['end_to_end_fps']:6.1f}  CPU ms/frame: stages {b['cpu_ms_per_frame']:.2f},"
      f" run {b['end_to_end_cpu_ms_per_frame']:.2f}  (load {sys.argv[3]})")
EOF
            for input in pair bracketed; do
                if [[ $input == pair ]]; then
                    args=(--under "$work/under.mkv" --over "$work/over.mkv")
                else
                    args=(--bracketed "$work/bracketed.mkv")
                fi
                for build in this ${BASELINE:+baseline}; do
                    launcher=$ivfuse
                    [[ $build == baseline ]] && launcher=$BASELINE
                    rm -f "$work/out.mp4" # run does not overwrite an output
                    "$launcher" run --mode mef "${args[@]}" --engine "$engine" -o "$work/out.mp4" \
                        --metrics-json "$work/$build-run-$input-$engine-$round.json" -y --progress off >/dev/null 2>&1
                    python3 - "$work/$build-run-$input-$engine-$round.json" "$round" "$input" "$(load)" "$build" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))
print(f"round {sys.argv[2]}  {sys.argv[5]:<8} run {sys.argv[3]:<9} {s['engine']:<12} {s['fps']:6.1f} fps,"
      f" {s['frames_out']} frames, slowest stage {s['slowest_stage']}  (load {sys.argv[4]})")
EOF
                done
            done
        done
    done
    echo "== fusion only, 640x480 4:2:0, OpenCV 1 thread, engines interleaved; load $(load)"
    java -cp "$cp" io.ivfuse.bench.MefEngineBenchmark --rounds 5 --runs 40 --cv-threads 1 \
        mertens mef-lut onnxruntime 2>&1 | grep -v DEBUG
}

echo "== $(uptime)"
exec 9>/tmp/bench.lock
flock 9
measure
flock -u 9
echo "== medians of $rounds rounds; $(uptime)"
python3 - "$work" "$rounds" "${BASELINE:+baseline}" "${engines[@]}" <<'EOF'
import json, statistics, sys
work, rounds, baseline, engines = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
def med(f):
    return statistics.median(f(r) for r in range(1, rounds + 1))
print("| engine | CPU bound (bench) | fusion stage (bench) | run --under/--over | ratio | run --bracketed | ratio |")
print("|---|---:|---:|---:|---:|---:|---:|")
for e in engines:
    bench = lambda r: json.load(open(f"{work}/bench-{e}-{r}.json"))
    run = lambda i, build="this": lambda r: json.load(open(f"{work}/{build}-run-{i}-{e}-{r}.json"))["fps"]
    name = bench(1)["engine"] + (" (auto)" if e == "auto" else "")
    bound = med(lambda r: bench(r)["cpu_bound_fps"])
    fusion = med(lambda r: bench(r)["fusion_fps"])
    pair, bracketed = med(run("pair")), med(run("bracketed"))
    # ratios per round (run and bench side by side in that round), then their median
    rp = med(lambda r: run("pair")(r) / bench(r)["cpu_bound_fps"])
    rb = med(lambda r: run("bracketed")(r) / bench(r)["cpu_bound_fps"])
    print(f"| {name} | {bound:.1f} | {fusion:.1f} | {pair:.1f} | {rp:.2f} | {bracketed:.1f} | {rb:.2f} |")
    if baseline:
        print(f"| {name}, baseline build's run | | | {med(run('pair', 'baseline')):.1f} |"
              f" {med(lambda r: run('pair', 'baseline')(r) / bench(r)['cpu_bound_fps']):.2f} |"
              f" {med(run('bracketed', 'baseline')):.1f} |"
              f" {med(lambda r: run('bracketed', 'baseline')(r) / bench(r)['cpu_bound_fps']):.2f} |")
EOF
