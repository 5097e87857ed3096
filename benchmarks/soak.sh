#!/bin/bash
# Soak benchmark (benchmarks/soak.md): RSS, threads and open file descriptors of `ivfuse run`,
# sampled every 10 s from /proc/PID, over a file job and a live job, for two builds side by side
# (run at the same time, so machine noise hits both), with default JVM flags.
#
#   benchmarks/soak.sh BEFORE_DIR AFTER_DIR [FILE_MINUTES=30] [LIVE_MINUTES=10] [OUT=ivfuse/target/soak]
#
# BEFORE_DIR and AFTER_DIR each hold an ivfuse.jar with its lib/ (copies of ivfuse/target/ivfuse.jar and
# ivfuse/target/lib, so that rebuilding ivfuse/target/ can't disturb a run). Needs a build of this tree
# (ivfuse/target/classes, ivfuse/target/test-classes, ivfuse/target/cp.txt: the camera clips are made by
# LiveSoakBenchmark --clips-only) and ../shared/data/m3svd.
#
# File job: the M3SVD clip 0113_1714 (640x480, 30 fps, MPEG-4) looped 300 times with the bundled
# ffmpeg (-stream_loop, stream copy: 168,000 frames), engine `average`, default encoder, decoded as
# fast as the machine allows, stopped with SIGTERM after FILE_MINUTES (ivfuse stops as on Ctrl-C; a background job of a script ignores SIGINT).
# Live job: the same clips as two RTSP cameras (tools/rtsp-test-server.py, H.264, 30 fps, looped),
# engine `average` (on a shared 2-core machine four runs of the default engine can't keep 30 fps),
# default encoder into Matroska, stopped with SIGTERM after LIVE_MINUTES.
# Everything runs under nice -n 10.
set -euo pipefail
before=$(realpath "$1"); after=$(realpath "$2")
file_min=${3:-30}; live_min=${4:-10}; out=${5:-target/soak}
mkdir -p "$out"; out=$(realpath "$out")
cd "$(dirname "$0")/.."

java -cp "ivfuse/target/classes:ivfuse/target/test-classes:$(cat ivfuse/target/cp.txt)" io.ivfuse.bench.LiveSoakBenchmark --clips-only
ffmpeg=$(ls ~/.javacpp/cache/ffmpeg-*/org/bytedeco/ffmpeg/linux-x86_64/ffmpeg | head -1)
for role in vis ir; do
    if [ ! -s "$out/$role-x300.mp4" ]; then
        "$ffmpeg" -v error -y -stream_loop 299 -i "../shared/data/m3svd/video/$role/0113_1714.mp4" -c copy "$out/$role-x300.mp4"
    fi
done

/usr/bin/python3 tools/rtsp-test-server.py --port 0 --loop --mount /vis="$PWD/target/bench-live/vis.mkv" \
    --mount /ir="$PWD/target/bench-live/ir.mkv" > "$out/rtsp-server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q '^READY' "$out/rtsp-server.log" && break; sleep 0.2; done
port=$(awk '/^READY/ {print $2}' "$out/rtsp-server.log")
[ -n "$port" ] || { echo "RTSP server did not start: $(cat "$out/rtsp-server.log")"; exit 1; }

echo "start $(date -u +%H:%M:%S) UTC, load $(cat /proc/loadavg), $(nproc) cores" | tee "$out/machine.txt"
declare -A pids
run() {  # run NAME DIR ARGS...: starts one ivfuse run and its sampler
    local name=$1 dir=$2; shift 2
    rm -f "$out/$name".{mp4,mkv}
    nice -n 10 java -jar "$dir/ivfuse.jar" run "$@" --progress off > "$out/$name.log" 2>&1 &
    pids[$name]=$!
    /usr/bin/python3 - "${pids[$name]}" > "$out/$name.tsv" <<'EOF' &
import os, sys, time
pid = sys.argv[1]; t0 = time.time()
print("t_s\trss_kb\tthreads\tfds", flush=True)
while True:
    try:
        status = dict(l.split(":", 1) for l in open(f"/proc/{pid}/status"))
        fds = len(os.listdir(f"/proc/{pid}/fd"))
    except (FileNotFoundError, ProcessLookupError):
        break
    if status["State"].strip().startswith("Z"):
        break
    print(f"{time.time() - t0:.0f}\t{status['VmRSS'].split()[0]}\t{status['Threads'].strip()}\t{fds}", flush=True)
    time.sleep(10)
EOF
}
for build in before after; do
    dir=$before; [ $build = after ] && dir=$after
    run file-$build "$dir" --vis "$out/vis-x300.mp4" --ir "$out/ir-x300.mp4" --engine average -o "$out/file-$build.mp4"
    run live-$build "$dir" --vis "rtsp://127.0.0.1:$port/vis" --ir "rtsp://127.0.0.1:$port/ir" --engine average -o "$out/live-$build.mkv"
done

stop_after() {  # stop_after MINUTES NAMES...: SIGTERM those runs MINUTES after the start
    local minutes=$1; shift
    sleep $((minutes * 60))
    for n in "$@"; do kill -TERM "${pids[$n]}" 2>/dev/null || true; done
}
stop_after "$live_min" live-before live-after &
stop_after "$file_min" file-before file-after &
for n in "${!pids[@]}"; do wait "${pids[$n]}" || echo "$n exited $?" >> "$out/machine.txt"; done
echo "end $(date -u +%H:%M:%S) UTC, load $(cat /proc/loadavg)" | tee -a "$out/machine.txt"

/usr/bin/python3 - "$out" <<'EOF' | tee "$out/summary.md"
import re, sys
out = sys.argv[1]
def at(rows, s):  # the sample nearest s seconds
    return min(rows, key=lambda r: abs(r[0] - s))
print("| run | frames out | RSS min 1 (MiB) | RSS min 10 | RSS min 30 / end | growth 1->10 | growth 1->end | threads min 1 / end | fds min 1 / end |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for name in ["file-before", "file-after", "live-before", "live-after"]:
    rows = [tuple(int(x) for x in l.split()) for l in open(f"{out}/{name}.tsv").readlines()[1:] if l.strip()]
    log = open(f"{out}/{name}.log").read()
    m = re.search(r"frames: .*? out (\d+)", log)
    one, ten, end = at(rows, 60), at(rows, 600), rows[-1]
    mib = lambda r: r[1] / 1024
    print(f"| {name} | {m.group(1) if m else '?'} | {mib(one):.1f} | {mib(ten):.1f} | {mib(end):.1f} (at {end[0] / 60:.1f} min) "
          f"| {100 * (ten[1] - one[1]) / one[1]:+.1f}% | {100 * (end[1] - one[1]) / one[1]:+.1f}% "
          f"| {one[2]} / {end[2]} | {one[3]} / {end[3]} |")
EOF
