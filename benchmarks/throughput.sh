#!/usr/bin/env bash
# Whole-process throughput of `ivfuse run --engine average` against the FFmpeg command-line tool
# doing the same job (decode two streams, average them, encode), with the same encoder:
#   ffmpeg-x264      Debian's ffmpeg, libx264 ultrafast (CRF 23)
#   ivfuse-x264      ivfuse's gpl build (mvn -Pgpl), --codec libx264 --preset ultrafast --bitrate 0
#   ffmpeg-openh264  the FFmpeg 8.0.1 tool bundled in the default build's jar, libopenh264 4 Mbit/s
#   ivfuse-openh264  ivfuse's default build, its default encoder (libopenh264, 4 Mbit/s)
# Runs are interleaved (one of each, REPEATS times) so machine noise hits all alike; medians are
# reported. "whole" is frames over the process's wall time (JVM start and native loading included,
# through the ivfuse/target/ivfuse launcher as a user runs it); "pipeline" is ivfuse's own fps (first
# decode to closed file, --metrics-json).
#
# Needs: ffmpeg (apt-get install ffmpeg), ../shared/data/m3svd/video, Maven.
# Usage: benchmarks/throughput.sh [REPEATS=5] [LOOPS=20]
set -euo pipefail
cd "$(dirname "$0")/.."
repeats=${1:-5}
loops=${2:-20}
clips=../shared/data/m3svd/video
work=ivfuse/target/bench-throughput
command -v ffmpeg >/dev/null || { echo "benchmark needs the ffmpeg CLI (apt-get install ffmpeg)" >&2; exit 2; }
mkdir -p "$work"

# The two builds, each a copy of ivfuse/target/ (jar, lib/, launcher, class-data archive); default last,
# so that ivfuse/target/ is left as `mvn package` leaves it.
rm -f ivfuse/target/ivfuse.jar  # the jar plugin keeps a jar it thinks is current, with the other build's class path
mvn -q -Pgpl -DskipTests package
rm -rf "$work/gpl" && mkdir -p "$work/gpl" && cp -r ivfuse/target/ivfuse ivfuse/target/ivfuse.jar ivfuse/target/ivfuse.jsa* ivfuse/target/lib "$work/gpl/"
rm -f ivfuse/target/ivfuse.jar
mvn -q -DskipTests package
rm -rf "$work/default" && mkdir -p "$work/default" && cp -r ivfuse/target/ivfuse ivfuse/target/ivfuse.jar ivfuse/target/ivfuse.jsa* ivfuse/target/lib "$work/default/"
cat > "$work/FfmpegPath.java" <<'JAVA'
public class FfmpegPath {
    public static void main(String[] a) {
        System.out.println(org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.ffmpeg.class));
    }
}
JAVA
bundled_ffmpeg=$(java -cp "ivfuse/target/lib/*" "$work/FfmpegPath.java")

clip=0111_1716
for s in ir vis; do
  ffmpeg -v error -y -stream_loop $((loops - 1)) -i "$clips/$s/$clip.mp4" -c copy "$work/$s.mp4"
done
frames=$(ffprobe -v error -count_packets -select_streams v:0 -show_entries stream=nb_read_packets -of csv=p=0 "$work/vis.mp4")
echo "input: $clip looped $loops times: $frames frames of 640x480 per stream; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%FT%TZ)"

results="$work/results.tsv"
: > "$results"
now() { date +%s.%N; }
blend="[0:v]format=yuv420p[v];[1:v]format=yuv420p[i];[v][i]blend=all_mode=average"
cli() { # name, ffmpeg binary, encoder arguments...
  local name=$1 bin=$2; shift 2
  local t0 t1; t0=$(now)
  "$bin" -v error -y -i "$work/vis.mp4" -i "$work/ir.mp4" -filter_complex "$blend" "$@" "$work/$name.mp4"
  t1=$(now)
  echo -e "$name\t$(echo "$frames / ($t1 - $t0)" | bc -l)\t" >> "$results"
}
ivfuse() { # name, build, run arguments...
  local name=$1 build=$2; shift 2
  local t0 t1; t0=$(now)
  "$work/$build/ivfuse" run --ir "$work/ir.mp4" --vis "$work/vis.mp4" -o "$work/$name.mp4" -y --engine average \
    --progress off --metrics-json "$work/$name.json" "$@" > "$work/$name.log" 2>&1
  t1=$(now)
  local pipeline; pipeline=$(python3 -c "import json;print(json.load(open('$work/$name.json'))['fps'])")
  echo -e "$name\t$(echo "$frames / ($t1 - $t0)" | bc -l)\t$pipeline" >> "$results"
}
for r in $(seq "$repeats"); do
  cli ffmpeg-x264 ffmpeg -c:v libx264 -preset ultrafast
  ivfuse ivfuse-x264 gpl --codec libx264 --preset ultrafast --bitrate 0
  cli ffmpeg-openh264 "$bundled_ffmpeg" -c:v libopenh264 -b:v 4M
  ivfuse ivfuse-openh264 default
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$results" <<'PY'
import sys, statistics as st
rows = [l.split('\t') for l in open(sys.argv[1]).read().split('\n') if l]
by = {}
for name, whole, pipeline in rows:
    w, p = by.setdefault(name, ([], []))
    w.append(float(whole))
    if pipeline:
        p.append(float(pipeline))
med = {k: (st.median(w), st.median(p) if p else None) for k, (w, p) in by.items()}
print(f"{'run':18} {'whole fps':>10} {'pipeline fps':>13}  runs (whole fps each)")
for k, (w, p) in med.items():
    each = ' '.join(f"{x:.0f}" for x in by[k][0])
    print(f"{k:18} {w:10.1f} {p if p is None else round(p, 1)!s:>13}  {each}")
def ratio(a, b):
    return f"{med[a][0] / med[b][0]:.2f}x whole" + (f", {med[a][1] / med[b][0]:.2f}x pipeline" if med[a][1] else "")
print("ivfuse-x264 / ffmpeg-x264:         " + ratio('ivfuse-x264', 'ffmpeg-x264'))
print("ivfuse-openh264 / ffmpeg-openh264: " + ratio('ivfuse-openh264', 'ffmpeg-openh264'))
print("ivfuse-openh264 / ffmpeg-x264:     " + ratio('ivfuse-openh264', 'ffmpeg-x264'))
PY
