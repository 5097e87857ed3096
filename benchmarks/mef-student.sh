#!/usr/bin/env bash
# The learned mef students (onnxruntime engine: the embedded default mef-pyramid, and the earlier
# mef-nano from its file) beside mertens and mef-lut: fusion-only time at 640x480 in one run
# (MefEngineBenchmark, engines interleaved round by round), then quality on the 12 shared MEFB
# pairs (MEF_SSIM, Qabf). See mef.md, "The learned student".
# Usage: benchmarks/mef-student.sh [rounds] [frames per round]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
runs=${2:-40}
nano=ivfuse/src/main/resources/models/mef-nano.onnx
mvn -q -o test-compile -pl ivfuse
# The jar's manifest class path, not dependency:build-classpath's: with the latter (test scope
# included) ONNX Runtime's environment crashed the JVM (SIGSEGV) on this machine, for a reason not found.
cp="ivfuse/target/ivfuse.jar:ivfuse/target/test-classes"
echo "== fusion only, 640x480 4:2:0, OpenCV 1 thread; $(uptime)"
java -cp "$cp" io.ivfuse.bench.MefEngineBenchmark --rounds "$rounds" --runs "$runs" --cv-threads 1 \
    mertens mef-lut onnxruntime "onnxruntime@$nano" 2>&1 | grep -v DEBUG
echo "== quality, 12 MEFB pairs (onnxruntime: mef-pyramid); $(uptime)"
out=$(mktemp -d)
ivfuse/target/ivfuse evaluate --mode mef --pairs ../shared/data/mefb/inputs --engine onnxruntime,mertens,mef-lut \
    --metrics MEF_SSIM,Qabf -o "$out" --threads 2 >/dev/null 2>&1
cat "$out/summary.md"
echo "== quality, 12 MEFB pairs (onnxruntime: mef-nano); $(uptime)"
ivfuse/target/ivfuse evaluate --mode mef --pairs ../shared/data/mefb/inputs --engine onnxruntime --model "$nano" \
    --metrics MEF_SSIM,Qabf -o "$out/nano" --threads 2 >/dev/null 2>&1
cat "$out/nano/summary.md"
