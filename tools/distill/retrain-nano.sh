#!/usr/bin/env bash
# Retrains ivfuse's default model, ivfuse/src/main/resources/models/nano.onnx, from ../shared
# (sage-s teacher from ../shared/models/sage/checkpoints.pt; RoadScene train + M3SVD frames).
# Deterministic: the same config and seed give the same model. Extra arguments go to the tool
# (for example --steps 100 -o /tmp/nano.onnx for a quick try).
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -q package -DskipTests -pl tools/distill -am
exec java -Xmx4g -jar tools/distill/target/ivfuse-distill.jar configs/distill-nano.yaml "$@"
