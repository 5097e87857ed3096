#!/usr/bin/env bash
# Fusion-only time of the mef engines (mertens, mef-lut) at 640x480, side by side in one run:
# OpenCV on 1 thread and on 2, 4:2:0 (the pipeline's chroma) and 4:4:4 (images). See mef-engines.md.
# Usage: benchmarks/mef-engines.sh [rounds] [frames per round]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
runs=${2:-40}
mvn -q -o test-compile
mvn -q -o -pl ivfuse dependency:build-classpath -Dmdep.outputFile="$PWD"/ivfuse/target/cp.txt
cp="ivfuse/target/classes:ivfuse/target/test-classes:$(cat ivfuse/target/cp.txt)"
for args in "--cv-threads 1" "--cv-threads 2" "--cv-threads 1 --chroma 444"; do
    echo "== $args; $(uptime)"
    # shellcheck disable=SC2086
    java -cp "$cp" io.ivfuse.bench.MefEngineBenchmark --rounds "$rounds" --runs "$runs" $args 2>&1 | grep -v DEBUG
done
