#!/usr/bin/env bash
# Crash-safe (fragmented) MP4 against plain MP4 on a file job: `ivfuse run` with
# output.fragmented true and false, interleaved, REPEATS times each; medians of the frame rate, of
# the output stage's time per frame (encode + mux) and of the process's CPU time. Then the muxing
# alone: the FFmpeg tool remuxing the fused file (-c copy) with and without the options ivfuse sets
# for crash-safe MP4 (frag_keyframe+empty_moov+default_base_moof, frag_duration, flush_packets).
#
# Needs: ivfuse/target/ivfuse.jar (mvn -DskipTests package), the ffmpeg CLI, ../shared/data/m3svd/video.
# Usage: benchmarks/fragmented-vs-plain.sh [REPEATS=5] [LOOPS=4]
set -euo pipefail
cd "$(dirname "$0")/.."
repeats=${1:-5}
loops=${2:-4}
clips=../shared/data/m3svd/video
work=ivfuse/target/bench-fragmented
mkdir -p "$work"
clip=0113_1714
for s in ir vis; do
  ffmpeg -v error -y -stream_loop $((loops - 1)) -i "$clips/$s/$clip.mp4" -c copy "$work/$s.mp4"
done
for mode in true false; do printf 'output:\n  fragmented: %s\n' "$mode" > "$work/fragmented-$mode.yaml"; done
echo "input: $clip looped $loops times; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%FT%TZ)"

for i in $(seq "$repeats"); do
  for mode in false true; do
    /usr/bin/time -f "cpu %U %S" java -jar ivfuse/target/ivfuse.jar run -y --ir "$work/ir.mp4" --vis "$work/vis.mp4" \
      -o "$work/fused-$mode.mp4" --config "$work/fragmented-$mode.yaml" --engine average --progress off 2>&1 \
      | grep -E "^speed|^stages|^cpu" | tr '\n' ' ' | sed "s/^/fragmented=$mode /"
    echo
  done
done | tee "$work/runs.txt"

python3 - "$work/runs.txt" <<'PY'
import re, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    m = re.match(r'fragmented=(\w+) speed:\s+([\d.]+) frames/s.* encode ([\d.]+)/.*cpu ([\d.]+) ([\d.]+)', line)
    if m:
        rows.setdefault(m.group(1), []).append((float(m.group(2)), float(m.group(3)), float(m.group(4)) + float(m.group(5))))
for mode, r in sorted(rows.items()):
    print(f"fragmented={mode}: {len(r)} runs, median {statistics.median(x[0] for x in r):.1f} frames/s, "
          f"output stage p50 {statistics.median(x[1] for x in r):.2f} ms/frame, CPU {statistics.median(x[2] for x in r):.2f} s")
PY

frames=$(ffprobe -v error -count_packets -select_streams v:0 -show_entries stream=nb_read_packets -of csv=p=0 "$work/fused-false.mp4")
for i in $(seq "$repeats"); do
  /usr/bin/time -f "plain %e s wall, %U+%S s CPU" ffmpeg -v error -y -stream_loop 9 -i "$work/fused-false.mp4" -c copy "$work/remux-plain.mp4"
  /usr/bin/time -f "fragmented %e s wall, %U+%S s CPU" ffmpeg -v error -y -stream_loop 9 -i "$work/fused-false.mp4" -c copy \
    -movflags frag_keyframe+empty_moov+default_base_moof -frag_duration 1000000 -flush_packets 1 "$work/remux-fragmented.mp4"
done 2>&1 | sort
echo "remux: $((frames * 10)) packets; sizes $(stat -c '%n %s' "$work"/remux-*.mp4 | tr '\n' ' ')"
