#!/usr/bin/env bash
# Retrains ivfuse's default mef model, ivfuse/src/main/resources/models/mef-pyramid.onnx, from ../shared
# (synthetic exposure brackets of RoadScene train + M3SVD frames; configs/distill-mef-pyramid.yaml), and
# keeps its training log as tools/distill/mef-pyramid-training.log (out of the jar's resources).
# MEF_CONFIG=configs/distill-mef.yaml retrains the earlier two-level student mef-nano instead.
# Deterministic: the same config and seed give the same model. Extra arguments go to the tool
# (for example --steps 100 -o /tmp/mef.onnx for a quick try).
set -euo pipefail
cd "$(dirname "$0")/../.."
config=${MEF_CONFIG:-configs/distill-mef-pyramid.yaml}
mvn -q package -DskipTests -pl tools/distill -am
java -Xmx4g -jar tools/distill/target/ivfuse-distill.jar "$config" "$@"
model=$(sed -n 's/^output: *//p' "$config")
if [ -f "$model.log" ]; then mv "$model.log" "tools/distill/$(basename "$model" .onnx)-training.log"; fi
