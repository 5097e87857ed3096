#!/usr/bin/env bash
# Issue 16's known-homography protocol for `ivfuse calibrate` (automatic mode): random warps of the
# IR image of registered pairs (seeded), success / refused / WRONG against the nominal truth, and the
# error against the unperturbed pair's own calibration ("consistency"). See registration.md.
# Usage: benchmarks/registration-accuracy.sh [sets] [cases per set] [seed[,seed...]] [out.tsv]
#   (several seeds run in one JVM, so each unperturbed pair is calibrated once; OUT.truth.tsv gets its own
#   registration against the nominal truth)
#   sets: comma list of tno, roadscene-test, m3svd (final figures) or roadscene-train, tno-dev, m3svd-dev (development)
set -euo pipefail
cd "$(dirname "$0")/.."
sets=${1:-tno,roadscene-test,m3svd}
cases=${2:-20}
seed=${3:-16}
out=${4:-ivfuse/target/registration-accuracy.tsv}
mvn -q -o test-compile -pl ivfuse -Divfuse.cds=false
mvn -q -o -pl ivfuse dependency:build-classpath -Dmdep.outputFile="$PWD"/ivfuse/target/cp.txt
cp="ivfuse/target/classes:ivfuse/target/test-classes:$(cat ivfuse/target/cp.txt)"
echo "== $(uptime)"
flock /tmp/bench.lock java -Dconsistency=true -cp "$cp" io.ivfuse.bench.RegistrationAccuracyBenchmark "$sets" "$cases" "$seed" "$out" 2>&1 | grep -v DEBUG
echo "== $(uptime)"
