#!/usr/bin/env bash
# ivfuse `run` against the FFmpeg command-line tool doing the same job (decode two streams, average
# them, encode with libx264 ultrafast), and the `average` engine against a decode+encode-only
# passthrough. Runs are interleaved (ffmpeg, average, passthrough; repeated) so machine noise hits
# all three alike; medians are reported.
#
# Needs: the ffmpeg CLI (apt-get install ffmpeg), ../shared/data/m3svd/video, Maven.
# Usage: benchmarks/pipeline-vs-ffmpeg.sh [REPEATS=5] [LOOPS=10]
set -euo pipefail
cd "$(dirname "$0")/.."
repeats=${1:-5}
loops=${2:-10}
clips=../shared/data/m3svd/video
work=ivfuse/target/bench-pipeline
mkdir -p "$work"
command -v ffmpeg >/dev/null || { echo "benchmark needs the ffmpeg CLI (apt-get install ffmpeg)" >&2; exit 2; }

# ivfuse with libx264: the classes of this checkout plus the GPL FFmpeg build's libraries.
mvn -q -DskipTests compile
mvn -q -Pgpl dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$work/gpl-lib"
rm -f "$work"/gpl-lib/ffmpeg-*-linux-x86_64.jar.lgpl 2>/dev/null || true
cp="ivfuse/target/classes:$work/gpl-lib/*"

clip=0111_1716
# Longer inputs (the clip looped) so JVM start-up does not dominate; same content, continuous timestamps.
for s in ir vis; do
  ffmpeg -v error -y -stream_loop $((loops - 1)) -i "$clips/$s/$clip.mp4" -c copy "$work/$s.mp4"
done
frames=$(ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames -of csv=p=0 "$work/vis.mp4")
echo "input: $clip looped $loops times: $frames frames of 640x480 per stream; $(nproc) cores; $(date -u +%FT%TZ)"

results="$work/results.tsv"
: > "$results"
now() { date +%s.%N; }
for r in $(seq "$repeats"); do
  t0=$(now)
  ffmpeg -v error -y -i "$work/vis.mp4" -i "$work/ir.mp4" -filter_complex \
    "[0:v]format=yuv420p[v];[1:v]format=yuv420p[i];[v][i]blend=all_mode=average" \
    -c:v libx264 -preset ultrafast "$work/ffmpeg.mp4"
  t1=$(now)
  echo -e "ffmpeg\t$r\t$(echo "$frames / ($t1 - $t0)" | bc -l)\t$(echo "$frames / ($t1 - $t0)" | bc -l)" >> "$results"
  for engine in average passthrough; do
    t0=$(now)
    java -cp "$cp" io.ivfuse.cli.Main run --ir "$work/ir.mp4" --vis "$work/vis.mp4" -o "$work/$engine.mp4" \
      --engine "$engine" --codec libx264 --preset ultrafast --bitrate 0 --progress off \
      --metrics-json "$work/$engine.json" > /dev/null 2>&1
    t1=$(now)
    pipeline_fps=$(python3 -c "import json;print(json.load(open('$work/$engine.json'))['fps'])")
    echo -e "ivfuse-$engine\t$r\t$pipeline_fps\t$(echo "$frames / ($t1 - $t0)" | bc -l)" >> "$results"
  done
done

python3 - "$results" <<'PY'
import sys, statistics as st
rows = [l.split('\t') for l in open(sys.argv[1]).read().split('\n') if l]
by = {}
for name, _, fps, wall in rows:
    by.setdefault(name, ([], []))
    by[name][0].append(float(fps)); by[name][1].append(float(wall))
med = {k: (st.median(v[0]), st.median(v[1])) for k, v in by.items()}
print(f"{'run':22} {'median fps (pipeline)':>22} {'median fps (whole process)':>27}  runs")
for k, (p, w) in med.items():
    print(f"{k:22} {p:22.1f} {w:27.1f}  {len(by[k][0])}")
f = med['ffmpeg'][1]
a = med['ivfuse-average']
pt = med['ivfuse-passthrough']
print(f"ratio ivfuse-average / ffmpeg: {a[0]/f:.2f}x (pipeline fps), {a[1]/f:.2f}x (whole process, JVM start included)")
print(f"fusion overhead of average over passthrough: {(pt[0]/a[0]-1)*100:+.1f}% time per frame (pipeline fps)")
PY
