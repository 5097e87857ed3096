#!/bin/sh
# Verifies the GPU engine (issue 17) on a machine with an NVIDIA GPU and writes benchmarks/gpu.md:
#   the availability probe (ivfuse engines), the GPU tests (TensorRT FP32/FP16 against ONNX Runtime
#   on the shared RoadScene pairs, engine cache hit on a second start, a frame beyond the profile,
#   a corrupt cache file), and fps at 640x480 and 1920x1080 (TensorRT FP32, FP16, ONNX Runtime CPU).
# Needs: Java 17+, Maven (Maven Central reachable, or ~/.m2 filled beforehand), the NVIDIA driver,
# the CUDA 13.1 runtime and NVRTC, TensorRT 10.15 on the library path, ../shared for the pairs.
# Jetson: PROFILE=jetson benchmarks/gpu-check.sh (with presets built for JetPack's CUDA/TensorRT).
# Usage: benchmarks/gpu-check.sh [frames-per-round] [rounds]
set -eu
cd "$(dirname "$0")/.."
PROFILE=${PROFILE:-gpu}
FRAMES=${1:-200}
ROUNDS=${2:-5}
OUT=benchmarks/gpu.md
LOG=ivfuse/target/gpu-check.log
mkdir -p ivfuse/target
for tool in java mvn nvidia-smi; do
  command -v "$tool" >/dev/null || { echo "gpu-check: $tool is not on PATH" >&2; exit 2; }
done
echo "gpu-check: building with -P$PROFILE" >&2
mvn -q -pl ivfuse -P"$PROFILE" -DskipTests -Divfuse.cds=false package >"$LOG" 2>&1 || { tail -20 "$LOG" >&2; exit 1; }
ENGINES=$(ivfuse/target/ivfuse engines)
echo "$ENGINES" | grep -q '^tensorrt .* available: TensorRT' || {
  echo "gpu-check: tensorrt is not available here:" >&2; echo "$ENGINES" | grep '^tensorrt' >&2; exit 2; }
set +e
mvn -q -o -pl ivfuse -P"$PROFILE" -Divfuse.cds=false verify -Dtest='TensorRtGpuTest,FrameKernels*Test,GpuFactsTest,EngineCache*Test' \
    -Dsurefire.failIfNoSpecifiedTests=false >>"$LOG" 2>&1
TESTS_RC=$?
set -e
mvn -q -o -pl ivfuse -P"$PROFILE" dependency:build-classpath -Dmdep.outputFile=target/gpu-cp.txt >>"$LOG" 2>&1
LOAD_BEFORE=$(uptime)
BENCH=$(java -cp "ivfuse/target/classes:ivfuse/target/test-classes:$(cat ivfuse/target/gpu-cp.txt)" io.ivfuse.bench.TensorRtBenchmark "$FRAMES" "$ROUNDS")
LOAD_AFTER=$(uptime)
{
  echo "# GPU check (issue 17)"
  echo
  echo "Written by \`benchmarks/gpu-check.sh $FRAMES $ROUNDS\` (profile -P$PROFILE) on $(date -u '+%Y-%m-%d %H:%M UTC')."
  echo
  echo "## Machine"
  echo
  echo '```'
  nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv
  java -version 2>&1 | head -1
  echo "load before: $LOAD_BEFORE"
  echo "load after:  $LOAD_AFTER"
  echo '```'
  echo
  echo "## Engines"
  echo
  echo '```'
  echo "$ENGINES"
  echo '```'
  echo
  echo "## Tests (exit $TESTS_RC)"
  echo
  echo '```'
  for f in ivfuse/target/surefire-reports/*.txt; do sed -n 4p "$f"; done
  grep -h 'max |diff|' "$LOG" || true
  echo '```'
  echo
  echo "## Throughput: nano, one session, median of $ROUNDS rounds ($FRAMES frames a round on the GPU, a tenth on the CPU)"
  echo
  echo "$BENCH"
} >"$OUT"
echo "gpu-check: wrote $OUT (tests exit $TESTS_RC)" >&2
exit "$TESTS_RC"
