#!/usr/bin/env bash
# ivfuse serve on this machine: how many 640x480 30 fps camera pairs it keeps at full rate, how the
# fused total scales with N, and what scraping /metrics costs. A GStreamer RTSP server
# (tools/rtsp-test-server.py) plays the M3SVD clips 0113_1714 (IR and visible, H.264, looped, real
# time); every pair opens its own two RTSP connections to it, decodes, fuses and encodes (default
# encoder) into a file of its own. Figures come from the service's own /api/pairs over a window
# after a warm-up: per-pair fused fps, latency p50/p99 (arrival at the input to leaving the encoder),
# ring drops. Load averages are printed beside every row: the lead reruns this on a quiet machine.
#
# Needs: ivfuse/target/ivfuse.jar and ivfuse/target/cp.txt (mvn -q -DskipTests package; mvn -q -pl ivfuse dependency:build-classpath
# -Dmdep.outputFile="$PWD"/ivfuse/target/cp.txt), ivfuse/target/test-classes (for the clips), ../shared, the RTSP server's packages.
# Scraping uses benchmarks/Scrape.java (fixed-rate, as Prometheus scrapes); the CPU a scrape costs alone is
# measured by io.ivfuse.serve.ScrapeCostBenchmark (see benchmarks/serve.md).
# Usage: benchmarks/serve.sh [WINDOW_S=20] [WARMUP_S=10] [ENGINES="average laplacian auto"] [NS="1 2 4 6"] [SCRAPE_S=60; 0 = none]
set -euo pipefail
cd "$(dirname "$0")/.."
window=${1:-20}
warmup=${2:-10}
engines=(${3:-average laplacian auto})
ns=(${4:-1 2 4 6})
scrape_s=${5:-60}
work=ivfuse/target/bench-serve
mkdir -p "$work"
if [ ! -s ivfuse/target/bench-live/vis.mkv ] || [ ! -s ivfuse/target/bench-live/ir.mkv ]; then
  java -cp "ivfuse/target/classes:ivfuse/target/test-classes:$(cat ivfuse/target/cp.txt)" io.ivfuse.bench.LiveSoakBenchmark --clips-only >/dev/null
fi
/usr/bin/python3 tools/rtsp-test-server.py --port 0 --loop --mount "/vis=ivfuse/target/bench-live/vis.mkv" \
  --mount "/ir=ivfuse/target/bench-live/ir.mkv" > "$work/server.log" 2>&1 &
server=$!
serve_pid=
trap 'kill $server 2>/dev/null || true; [ -n "$serve_pid" ] && kill $serve_pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q READY "$work/server.log" && break; sleep 0.1; done
cam=$(sed -n 's/^READY \([0-9]*\)/rtsp:\/\/127.0.0.1:\1/p' "$work/server.log")

site() { # engine n -> site file
  local f="$work/site-$1-$2.yaml"
  { echo "defaults:"
    echo "  fusion: {engine: $1}"
    echo "  output: {overwrite: true}"
    echo "  outputs: ['$PWD/$work/out-{id}.mkv']"
    echo "pairs:"
    for i in $(seq "$2"); do echo "  - {id: p$i, input: {vis: '$cam/vis', ir: '$cam/ir'}}"; done
  } > "$f"
  echo "$f"
}

start_serve() { # site file -> sets serve_pid and port
  java -jar ivfuse/target/ivfuse.jar serve --config "$1" --listen 127.0.0.1:0 > "$work/serve.log" 2>&1 &
  serve_pid=$!
  for _ in $(seq 300); do grep -q 'listening on' "$work/serve.log" && break; sleep 0.1; done
  port=$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\)\/.*/\1/p' "$work/serve.log")
}

stop_serve() {
  kill -TERM "$serve_pid"; wait "$serve_pid" || true; serve_pid=
}

# Per-pair fps over the window (frames difference), latency and drops at its end, as JSON lines.
measure() { # seconds -> prints one python dict
  curl -s "http://127.0.0.1:$port/api/pairs" > "$work/a.json"
  local t0; t0=$(date +%s.%N)
  sleep "$1"
  curl -s "http://127.0.0.1:$port/api/pairs" > "$work/b.json"
  local t1; t1=$(date +%s.%N)
  /usr/bin/python3 - "$work/a.json" "$work/b.json" "$t0" "$t1" <<'PY'
import json, sys, statistics
a = {p["id"]: p for p in json.load(open(sys.argv[1]))["pairs"]}
b = {p["id"]: p for p in json.load(open(sys.argv[2]))["pairs"]}
dt = float(sys.argv[4]) - float(sys.argv[3])
fps = [(b[i]["frames"] - a[i]["frames"]) / dt for i in b]
print(json.dumps({"fps": fps, "p50": [b[i]["latency_ms"]["p50"] for i in b], "p99": [b[i]["latency_ms"]["p99"] for i in b],
                  "drops": sum(b[i]["drops"]["backpressure"] + b[i]["drops"]["unpaired"] for i in b),
                  "states": sorted({b[i]["state"] for i in b})}))
PY
}

echo "cameras on $cam/{vis,ir}; $(nproc) cores; $(date -u +%FT%TZ); window ${window} s after ${warmup} s"
echo
echo "| engine | N | per-pair fps min / median / max | total fps | scaling (total / N x one pair) | latency p50 / p99 ms (median of pairs) | ring+sync drops | states | load 1/5 min |"
echo "|---|---:|---|---:|---:|---|---:|---|---|"
for engine in "${engines[@]}"; do
  one=
  for n in "${ns[@]}"; do
    start_serve "$(site "$engine" "$n")"
    sleep "$warmup"
    r=$(measure "$window")
    load=$(cut -d' ' -f1-2 /proc/loadavg)
    stop_serve
    one=$(/usr/bin/python3 - "$r" "$engine" "$n" "${one:-0}" "$load" <<'PY'
import json, sys, statistics as st
r = json.loads(sys.argv[1]); n = int(sys.argv[3]); one = float(sys.argv[4])
fps = r["fps"]; total = sum(fps)
if n == 1: one = total
scaling = f"{total / (n * one):.2f}" if one > 0 else "- (no N=1 run)"
print(f"| {sys.argv[2]} | {n} | {min(fps):.1f} / {st.median(fps):.1f} / {max(fps):.1f} | {total:.1f} | {scaling} | "
      f"{st.median(r['p50']):.1f} / {st.median(r['p99']):.1f} | {r['drops']} | {','.join(r['states'])} | {sys.argv[5]} |", file=sys.stderr)
print(one)
PY
)
  done
done 2>&1

# Scraping cost: the same service with and without a 10 requests/s /metrics scraper, interleaved
# twice; the figure is the change in the total fused fps and the service's CPU per scrape.
[ "$scrape_s" -gt 0 ] || exit 0 # SCRAPE_S=0: the pairs table only
engine=${SCRAPE_ENGINE:-auto}
n=${SCRAPE_PAIRS:-2}
echo
echo "scraping /metrics at 10 req/s for ${scrape_s} s, engine $engine, $n pairs (CPU-bound: fps below 30 shows any cost)"
echo "| run | scraping | total fused fps | service CPU s per s | scraper: answers, failures, body bytes, latency | load 1/5 min |"
echo "|---|---|---:|---:|---|---|"
start_serve "$(site "$engine" "$n")"
sleep "$warmup"
clk=$(getconf CLK_TCK)
for round in 1 2; do
  for scraping in no yes; do
    cpu0=$(awk '{print $14+$15}' /proc/$serve_pid/stat)
    scrapes=0
    if [ $scraping = yes ]; then
      java benchmarks/Scrape.java "http://127.0.0.1:$port/metrics" 10 $((scrape_s + 3)) > "$work/scrape.txt" &
      scraper=$!
      sleep 2 # the scraper compiles and starts
    fi
    r=$(measure "$scrape_s")
    if [ $scraping = yes ]; then wait $scraper; scrapes=$(cat "$work/scrape.txt"); fi
    cpu1=$(awk '{print $14+$15}' /proc/$serve_pid/stat)
    /usr/bin/python3 - "$r" "$round" "$scraping" "$cpu0" "$cpu1" "$clk" "$scrape_s" "$scrapes" \
      "$(cut -d' ' -f1-2 /proc/loadavg)" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
cpu = (int(sys.argv[5]) - int(sys.argv[4])) / int(sys.argv[6]) / float(sys.argv[7])
print(f"| {sys.argv[2]} | {sys.argv[3]} | {sum(r['fps']):.1f} | {cpu:.3f} | {sys.argv[8] if sys.argv[8] != '0' else '-'} | {sys.argv[9]} |")
PY
  done
done
stop_serve
