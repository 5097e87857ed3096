#!/usr/bin/env bash
# End-to-end `run --mode mef` at 640x480 (two FFV1 exposure files, 300 frames, decode + pairing +
# fusion + encode) for each mef engine, interleaved round by round; prints each run's frames/s
# (the run's summary) with the load average. See mef.md, "The learned student".
# Usage: benchmarks/mef-run.sh [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
mvn -q -o test-compile -pl ivfuse
# The jar's manifest class path, not dependency:build-classpath's: with the latter (test scope
# included) ONNX Runtime's environment crashed the JVM (SIGSEGV) on this machine, for a reason not found.
cp="ivfuse/target/ivfuse.jar:ivfuse/target/test-classes"
work=$(mktemp -d)
java -cp "$cp" benchmarks/MefRunInputs.java "$work" 640 480 300 2>&1 | grep -v DEBUG || true
for round in $(seq "$rounds"); do
    for engine in onnxruntime mef-lut mertens; do
        rm -f "$work/out.mkv" # run does not overwrite an output
        ivfuse/target/ivfuse run --mode mef --under "$work/under.mkv" --over "$work/over.mkv" --engine "$engine" \
            -o "$work/out.mkv" --metrics-json "$work/$engine.json" --progress off >/dev/null 2>&1
        fps=$(python3 -c "import json,sys; s=json.load(open(sys.argv[1])); print(f\"{s['fps']:.1f} fps, {s['frames_out']} frames, encoder {s['encoder']}, slowest stage {s['slowest_stage']}\")" "$work/$engine.json")
        echo "round $round  $engine  $fps  (load $(cut -d' ' -f1-3 /proc/loadavg))"
    done
done
rm -rf "$work"
