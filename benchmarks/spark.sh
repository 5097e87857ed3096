#!/usr/bin/env bash
# The archive job's overhead: the same 4 pairs fused by ivfuse-spark in local[2] (one JVM, Spark's
# scheduler, two tasks at a time, each pair cut into segments of batch.segment_seconds, 60 s by
# default, and joined) and by sequential single-process `ivfuse run`s (each run uses both cores
# through its own thread plan), interleaved round by round so that the machine's load hits both
# alike. Every pair is the M3SVD clip 0113_1714 (640x480, 30 fps, 560 frames) played LOOPS times
# in a row (packets copied by the bundled ffmpeg: 2,800 frames, 93 s, for the default 5); the
# engine is ENGINE (default laplacian: the cheapest per frame, so Spark's fixed costs weigh the most). Wall times include each JVM's start (4 starts for the
# sequential runs, 1 for Spark, whose session start is part of its overhead). Load averages are
# printed beside every row: the lead reruns this on a quiet machine.
# Needs: mvn -q -DskipTests package -Divfuse.cds=false (ivfuse/target and ivfuse-spark/target), ../shared.
# Usage: benchmarks/spark.sh [ROUNDS=3] [ENGINE=laplacian] [PAIRS=4] [LOOPS=5] [SEGMENT_SECONDS=60]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
engine=${2:-laplacian}
pairs=${3:-4}
loops=${4:-5}
segment=${5:-60}
clip=0113_1714
shared=../shared/data/m3svd/video
work=target/bench-spark
rm -rf "$work" && mkdir -p "$work/archive/ir" "$work/archive/vis"
# The bundled ffmpeg (JavaCPP extracts it): the loop is a packet copy, no re-encoding.
cat > "$work/FfmpegPath.java" <<'JAVA'
public class FfmpegPath {
    public static void main(String[] a) { System.out.println(org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.ffmpeg.class)); }
}
JAVA
ffmpeg=$(java -cp "ivfuse/target/lib/*" "$work/FfmpegPath.java")
for kind in ir vis; do
  "$ffmpeg" -v error -stream_loop $((loops - 1)) -i "$shared/$kind/$clip.mp4" -c copy "$work/$kind.mp4"
  for i in $(seq 1 "$pairs"); do cp "$work/$kind.mp4" "$work/archive/$kind/pair$i.mp4"; done
done
printf 'fusion:\n  engine: %s\nbatch:\n  segment_seconds: %s\n' "$engine" "$segment" > "$work/config.yaml"
frames=$((pairs * loops * 560))

now() { date +%s.%N; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
sequential() {
  rm -rf "$work/seq" && mkdir -p "$work/seq"
  for i in $(seq 1 "$pairs"); do
    ivfuse/target/ivfuse run --config "$work/config.yaml" --ir "$work/archive/ir/pair$i.mp4" \
      --vis "$work/archive/vis/pair$i.mp4" -o "$work/seq/pair$i.mp4" --progress off > "$work/seq/pair$i.log" 2>&1
  done
}
spark() {
  rm -rf "$work/spark"
  java -jar ivfuse-spark/target/ivfuse-spark.jar --master 'local[2]' --input "$work/archive" -o "$work/spark" \
    --config "$work/config.yaml" > "$work/spark.log" 2>&1
}

echo "pairs: $pairs x $clip x $loops ($frames frames in all), engine $engine, segments of $segment s, $(nproc) cores, rounds: $rounds"
printf '%-6s %-11s %8s %10s %s\n' round run wall_s frames/s "load (1/5/15 min) before"
for r in $(seq 1 "$rounds"); do
  for run in sequential spark; do
    l=$(load); t0=$(now); $run; t1=$(now)
    wall=$(echo "$t1 - $t0" | bc -l)
    printf '%-6s %-11s %8.2f %10.1f %s\n' "$r" "$run" "$wall" "$(echo "$frames / $wall" | bc -l)" "$l"
  done
done
# The job's own view of the last Spark run, for the scaling estimate in benchmarks/spark.md: the
# job's wall time (session start excluded), each segment's fusion seconds and each pair's join.
/usr/bin/python3 - "$work/spark" <<'PY'
import json, os, sys
d = sys.argv[1]
r = json.load(open(os.path.join(d, "report.json")))
print("last spark run: job %.2f s on the driver, %d frames, %d retries" % (r["seconds"], r["frames_out"], r["retries"]))
for p in r["results"]:
    side = json.load(open(os.path.join(d, p["id"] + ".json")))
    segs = side.get("segments", [side])
    print("  %s: %d segments, fusion s %s, join %.2f s, frames %d" % (p["id"], p["segments"],
          " ".join("%.2f" % s["seconds"] for s in segs), p["join_seconds"], p["frames_out"]))
PY
