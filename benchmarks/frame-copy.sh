#!/usr/bin/env bash
# The frame path's copies, step by step (FrameCopyBenchmark: CPU us per 640x480 frame pair of
# decode+slot, ring fill, register, fuse+video range, encode), and the whole run
# (`ivfuse run --engine average`: pipeline fps from --metrics-json, the process's wall and CPU time),
# for a baseline build and this checkout,
# interleaved (base, new; repeated) so machine noise hits both alike. Results: zero-copy.md.
#
# BASE: the baseline's ivfuse.jar (its lib/ beside it) or classes directory, e.g. the main
# branch's ivfuse/target/ivfuse.jar. Needs ../shared/data/m3svd/video, Maven, ffmpeg (to loop the clip).
# Usage: benchmarks/frame-copy.sh BASE [PAIRS=3] [RUNS=3] [CODEC=mpeg4]
set -euo pipefail
cd "$(dirname "$0")/.."
base=$(realpath "$1")
pairs=${2:-3}
runs=${3:-3}
codec=${4:-mpeg4}
work=ivfuse/target/bench-frame-copy
mkdir -p "$work/bench/io/ivfuse/bench"
mvn -q -o -DskipTests package
mvn -q -o -pl ivfuse dependency:build-classpath -Dmdep.outputFile="$PWD"/ivfuse/target/cp.txt
# Only the benchmark class, so that nothing else of this checkout's test classes rides along.
cp ivfuse/target/test-classes/io/ivfuse/bench/FrameCopyBenchmark.class "$work/bench/io/ivfuse/bench/"
deps=$(cat ivfuse/target/cp.txt)
for s in ir vis; do # the M3SVD clip 0111_1716 looped 20 times: 3,020 frames
  [ -f "$work/$s.mp4" ] || ffmpeg -v error -y -stream_loop 19 -i "../shared/data/m3svd/video/$s/0111_1716.mp4" -c copy "$work/$s.mp4"
done
load() { cut -d' ' -f1 /proc/loadavg; }

echo "== steps: FrameCopyBenchmark, 600 frames x 5 repeats, codec $codec; $(nproc) cores; $(date -u +%FT%TZ)"
for i in $(seq "$pairs"); do
  for build in base new; do
    classes=$([ $build = base ] && echo "$base" || echo ivfuse/target/ivfuse.jar)
    echo "-- $build (load $(load))"
    java -cp "$work/bench:$classes:$deps" io.ivfuse.bench.FrameCopyBenchmark "$work/vis.mp4" "$work/ir.mp4" 600 5 "$codec" 2>/dev/null
  done
done

echo "== whole run: ivfuse run --engine average (default encoder), 3,020 frames"
for i in $(seq "$runs"); do
  for build in base new; do
    classes=$([ $build = base ] && echo "$base" || echo ivfuse/target/ivfuse.jar)
    l=$(load)
    /usr/bin/time -f "%e %U %S" -o "$work/time-$build.txt" java -cp "$classes:$deps" io.ivfuse.cli.Main run \
      --vis "$work/vis.mp4" --ir "$work/ir.mp4" --engine average \
      -o "$work/out-$build.mp4" -y --progress off --metrics-json "$work/run-$build.json" >/dev/null 2>&1
    # Pipeline fps (--metrics-json), the whole process's wall time and CPU time (user + system) per frame.
    python3 -c "import json,sys; d=json.load(open(sys.argv[1])); e,u,s=map(float,open(sys.argv[3]).read().split()[-3:]); print('%-4s pipeline fps %.1f, whole process %.2f s, CPU %.0f us/frame, load %s' % (sys.argv[2], d['fps'], e, (u+s)*1e6/d['frames_out'], sys.argv[4]))" \
      "$work/run-$build.json" "$build" "$work/time-$build.txt" "$l"
  done
done
