#!/usr/bin/env bash
# The archive job's overhead: the same 4 pairs fused by ivfuse-spark in local[2] (one JVM, Spark's
# scheduler, two pairs at a time) and by sequential single-process `ivfuse run`s (each run uses
# both cores through its own thread plan), interleaved round by round so that the machine's load
# hits both alike. Every pair is a copy of the M3SVD clip 0113_1714 (640x480, 30 fps, 560 frames;
# ../shared has no longer clip); the engine is ENGINE (default laplacian: the cheapest per frame, so
# Spark's fixed costs weigh the most). Wall times include each JVM's start (4 starts for the
# sequential runs, 1 for Spark, whose session start is part of its overhead). Load averages are
# printed beside every row: the lead reruns this on a quiet machine.
# Needs: mvn -q -DskipTests package -Divfuse.cds=false (ivfuse/target and ivfuse-spark/target), ../shared.
# Usage: benchmarks/spark.sh [ROUNDS=3] [ENGINE=laplacian] [PAIRS=4]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
engine=${2:-laplacian}
pairs=${3:-4}
clip=0113_1714
shared=../shared/data/m3svd/video
work=target/bench-spark
rm -rf "$work" && mkdir -p "$work/archive/ir" "$work/archive/vis"
for i in $(seq 1 "$pairs"); do
  cp "$shared/ir/$clip.mp4" "$work/archive/ir/pair$i.mp4"
  cp "$shared/vis/$clip.mp4" "$work/archive/vis/pair$i.mp4"
done
printf 'fusion:\n  engine: %s\n' "$engine" > "$work/config.yaml"
frames=$((pairs * 560))

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

echo "pairs: $pairs x $clip ($frames frames in all), engine $engine, $(nproc) cores, rounds: $rounds"
printf '%-6s %-11s %8s %10s %s\n' round run wall_s frames/s "load (1/5/15 min) before"
for r in $(seq 1 "$rounds"); do
  for run in sequential spark; do
    l=$(load); t0=$(now); $run; t1=$(now)
    wall=$(echo "$t1 - $t0" | bc -l)
    printf '%-6s %-11s %8.2f %10.1f %s\n' "$r" "$run" "$wall" "$(echo "$frames / $wall" | bc -l)" "$l"
  done
done
# The job's own view of the last Spark run: each pair's fusion seconds beside the job's wall time
# (session start excluded), for the scaling estimate in benchmarks/spark.md.
/usr/bin/python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))
print("last spark run: job %.2f s on the driver, %d frames; per pair fusion s: %s" % (r["seconds"], r["frames_out"],
      " ".join("%s %.2f" % (p["id"], p["seconds"]) for p in r["results"])))' "$work/spark/report.json"
