#!/usr/bin/env bash
# Fuses the 12 shared MEFB pairs with each mef engine, for comparing by eye (benchmarks/mef.md,
# "Pictures"). MEFB's images are research-only with no licence file (../shared/data/mefb/README.md),
# so the results are written outside the repository and not committed.
# Usage: benchmarks/mef-pictures.sh [OUT]   (default /tmp/mef-pictures; OUT/<engine>/<scene>.png)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-/tmp/mef-pictures}
for engine in onnxruntime mertens mef-lut; do
    ivfuse/target/ivfuse fuse-images --mode mef --pairs ../shared/data/mefb/inputs --engine "$engine" -o "$out/$engine"
done
echo "wrote $out/{onnxruntime,mertens,mef-lut}/<scene>.png"
