#!/usr/bin/env bash
# Can ivfuse keep up with two live 640x480 30 fps cameras on this machine? A GStreamer RTSP server
# (tools/rtsp-test-server.py, on the same machine) plays the M3SVD clips 0113_1714 (IR and visible,
# H.264, 1 s GOP, looped) as two cameras; `ivfuse run` fuses FRAMES frames from them into an MP4
# (default encoder) with each ENGINE in turn and reports frames/s, drops and latency (from the
# frame's arrival at its input) from its --metrics-json.
#
# Needs: ivfuse/target/ivfuse.jar (mvn -q -DskipTests package), ../shared, the RTSP test server's packages.
# Usage: benchmarks/live-keepup.sh [FRAMES=1800] [ENGINE...=auto average]
set -euo pipefail
cd "$(dirname "$0")/.."
frames=${1:-1800}
shift || true
if [ $# -eq 0 ]; then engines=(auto average); else engines=("$@"); fi
work=ivfuse/target/bench-live
mkdir -p "$work"
for s in ir vis; do
  if [ ! -s "$work/$s.mkv" ]; then
    java -cp "ivfuse/target/classes:ivfuse/target/test-classes:$(cat ivfuse/target/cp.txt)" io.ivfuse.bench.LiveSoakBenchmark --clips-only >/dev/null
  fi
done
/usr/bin/python3 tools/rtsp-test-server.py --port 0 --loop --mount "/vis=$work/vis.mkv" --mount "/ir=$work/ir.mkv" > "$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q READY "$work/server.log" && break; sleep 0.1; done
port=$(sed -n 's/^READY \([0-9]*\)/\1/p' "$work/server.log")
echo "cameras on rtsp://127.0.0.1:$port/{vis,ir}; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%FT%TZ)"
echo "| engine | frames | fps | paired | held | visible-only | dropped (ring) | dropped (input queues) | fuse p50 ms | latency p50 / p99 ms |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for engine in "${engines[@]}"; do
  rm -f "$work/keepup.mp4"
  java -jar ivfuse/target/ivfuse.jar run --vis "rtsp://127.0.0.1:$port/vis" --ir "rtsp://127.0.0.1:$port/ir" --engine "$engine" \
    -o "$work/keepup.mp4" --max-frames "$frames" --progress off --metrics-json "$work/keepup-$engine.json" > "$work/keepup-$engine.log" 2>&1
  /usr/bin/python3 - "$work/keepup-$engine.json" "$engine" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
st = s["stages_ms"]
q = sum(v["queue_dropped"] for v in s["inputs"].values())
print(f"| {sys.argv[2]} | {s['frames_out']} | {s['fps']:.1f} | {s['paired']} | {s['held']} | {s['visible_only']} | "
      f"{s['dropped_backpressure']} | {q} | {st['fuse']['p50']:.1f} | {st['latency']['p50']:.1f} / {st['latency']['p99']:.1f} |")
PY
done
