#!/usr/bin/env bash
# Cost of the drift watch (`run --check-registration`): end-to-end `ivfuse run` frames/s on the
# registered M3SVD clip pair (640x480, looped to 600 frames), without the watch, with it at the
# default sampling (every 30th frame) and scoring every frame (the worst case), interleaved round
# by round; prints each run's frames/s, the watch's mean ms a sample and the load average.
# See registration.md, "Drift watch". Run it under `flock /tmp/bench.lock`.
# Usage: benchmarks/registration-check.sh [rounds] [engine]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
engine=${2:-laplacian}
clips=../shared/data/m3svd/video
[ -f "$clips/ir/0111_1716.mp4" ] || { echo "needs $clips (shared data)"; exit 1; }
ffmpeg=$(find ~/.javacpp/cache -path '*ffmpeg*' -name ffmpeg -type f | head -1)
[ -n "$ffmpeg" ] || { echo "the bundled ffmpeg is not extracted yet: run any test that uses testing.FfmpegCli first"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for role in ir vis; do
    "$ffmpeg" -v error -stream_loop 3 -i "$clips/$role/0111_1716.mp4" -c copy "$work/$role.mp4"
done
for round in $(seq "$rounds"); do
    for mode in off every-30 every-1; do
        case $mode in
            off) extra=() ;;
            every-30) extra=(--check-registration) ;;
            every-1) extra=(--check-registration --check-every 1) ;;
        esac
        ivfuse/target/ivfuse run --ir "$work/ir.mp4" --vis "$work/vis.mp4" --engine "$engine" -o "$work/out.mp4" -y \
            --metrics-json "$work/s.json" --progress off "${extra[@]}" >/dev/null 2>&1
        python3 - "$work/s.json" "$round" "$mode" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
reg = s.get("registration")
cost = f", {reg['sample_ms_mean']:.2f} ms a sample over {reg['samples']} samples" if reg else ""
print(f"round {sys.argv[2]}  {sys.argv[3]:9s} {s['fps']:6.1f} fps, {s['frames_out']} frames{cost}  (load {sys.argv[4]})")
PY
    done
done
