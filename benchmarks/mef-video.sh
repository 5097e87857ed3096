#!/usr/bin/env bash
# Ghost suppression and weight smoothing on bracketed video synthesised from ../shared's M3SVD
# visible frames: temporal stability, ghosting and fusion-only frames/s per mef engine, with each
# step off and on (benchmarks/MefVideo.java says how). See mef.md, "Motion and video".
# Usage: benchmarks/mef-video.sh [rounds [quality|speed]]   (builds first, then measures under flock /tmp/bench.lock)
set -euo pipefail
cd "$(dirname "$0")/.."
frames=../shared/data/m3svd/frames
[ -d "$frames" ] || { echo "skipped: $frames is absent" >&2; exit 0; }
mvn -q -o test-compile -pl ivfuse -Divfuse.cds=false
[ -f ivfuse/target/ivfuse.jar ] || mvn -q -o -DskipTests package -pl ivfuse -Divfuse.cds=false
flock /tmp/bench.lock bash -c 'echo "load before: $(cut -d" " -f1-3 /proc/loadavg)"; "$@"; echo "load after: $(cut -d" " -f1-3 /proc/loadavg)"' _ \
    java -cp "ivfuse/target/ivfuse.jar:ivfuse/target/test-classes" benchmarks/MefVideo.java "$frames" "${1:-3}" ${2:-} 2>&1 | grep -v DEBUG
