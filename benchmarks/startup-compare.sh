#!/bin/bash
# startup-compare.sh N: interleaved 30-frame `run --engine average` runs of two launchers,
# BASE (default /tmp/base13/target/ivfuse, e.g. a git worktree of a8b1730 after `mvn package`) and
# this checkout's ivfuse/target/ivfuse; prints each one's wall and CPU (user + sys) seconds per run.
cd "$(dirname "$0")/.."
C=../shared/data/m3svd/video
for i in $(seq $1); do for v in base main; do
  L=ivfuse/target/ivfuse; [ $v = base ] && L=${BASE:-/tmp/base13/target/ivfuse}
  printf "%s " $v; /usr/bin/time -f "%e %U %S" $L run --ir $C/ir/0111_1716.mp4 --vis $C/vis/0111_1716.mp4 --engine average --max-frames 30 -y -o /tmp/a30-$v.mp4 --progress off 2>&1 >/dev/null | tail -1
done; done | awk '{w[$1]=w[$1]" "$2; c[$1]=c[$1]" "$3+$4} END {for (v in w) print v, "wall:" w[v], " cpu:" c[v]}'
