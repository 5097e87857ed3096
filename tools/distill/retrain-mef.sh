#!/usr/bin/env bash
# Retrains ivfuse's default mef model, ivfuse/src/main/resources/models/mef-nano.onnx, from ../shared
# (synthetic exposure brackets of RoadScene train + M3SVD frames; configs/distill-mef.yaml), and
# keeps its training log as tools/distill/mef-training.log (out of the jar's resources).
# Deterministic: the same config and seed give the same model. Extra arguments go to the tool
# (for example --steps 100 -o /tmp/mef-nano.onnx for a quick try).
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -q package -DskipTests -pl tools/distill -am
java -Xmx4g -jar tools/distill/target/ivfuse-distill.jar configs/distill-mef.yaml "$@"
log=ivfuse/src/main/resources/models/mef-nano.onnx.log
if [ -f "$log" ]; then mv "$log" tools/distill/mef-training.log; fi
