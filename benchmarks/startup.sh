#!/usr/bin/env bash
# Start-up of ivfuse as a user meets it: whole-process wall time and CPU time (user + sys, all
# threads) of short commands, run through `java -jar ivfuse/target/ivfuse.jar` (the baseline: no
# class-data archive) and through the launcher `ivfuse/target/ivfuse` (with the archive mvn package made).
# Runs are interleaved (every variant of a command, then the next repeat) so machine noise hits all
# alike; medians are reported, with the 1-minute load average before and after.
#
# Variants: jar; launcher (C1 only for the short commands, full tiered compilation for run, demo,
# evaluate, fuse-images); launcher-c1 (C1 only for all, IVFUSE_JAVA_OPTS=-XX:TieredStopAtLevel=1,
# to show what that would buy a run, and cost a long one); BASELINE_JAR=/path/to/ivfuse.jar adds
# "before" (another build, e.g. of main before this change, run with java -jar).
# LONG=1 adds the long runs that tiered-compilation settings must not slow down (3,020-frame
# average, 300 frames of the default engine; needs the ffmpeg CLI to loop the clip), with fewer repeats.
#
# Needs: ivfuse/target/ (mvn -q -DskipTests package), ../shared/data/m3svd/video.
# Usage: benchmarks/startup.sh [REPEATS=7]
set -euo pipefail
cd "$(dirname "$0")/.."
repeats=${1:-7}
clips=../shared/data/m3svd/video
clip=0111_1716
work=ivfuse/target/bench-startup
mkdir -p "$work"
[ -f ivfuse/target/ivfuse.jar ] && [ -x ivfuse/target/ivfuse ] || { echo "run mvn -q -DskipTests package first" >&2; exit 2; }
[ -f "$clips/ir/$clip.mp4" ] || { echo "needs $clips (../shared)" >&2; exit 2; }
[ -f ivfuse/target/ivfuse.jsa ] || echo "note: no ivfuse/target/ivfuse.jsa: the launcher runs without an archive" >&2

ir=$clips/ir/$clip.mp4
vis=$clips/vis/$clip.mp4
model=src/main/resources/models/nano.onnx
declare -a names=(help info average-30 nano-30)
declare -A args=(
  [help]="--help"
  [info]="models info $model"
  [average-30]="run --ir $ir --vis $vis --engine average --max-frames 30 -y -o $work/average.mp4 --progress off"
  [nano-30]="run --ir $ir --vis $vis --max-frames 30 -y -o $work/nano.mp4 --progress off"
)
declare -A reps=([help]=$repeats [info]=$repeats [average-30]=$repeats [nano-30]=$repeats)
if [ "${LONG:-0}" = 1 ]; then
  command -v ffmpeg >/dev/null || { echo "LONG=1 needs the ffmpeg CLI (apt-get install ffmpeg)" >&2; exit 2; }
  for s in ir vis; do # the clip looped 20 times: 3,020 frames, continuous timestamps
    [ -f "$work/$s-20.mp4" ] || ffmpeg -v error -y -stream_loop 19 -i "$clips/$s/$clip.mp4" -c copy "$work/$s-20.mp4"
  done
  names+=(average-3020 nano-300)
  args[average-3020]="run --ir $work/ir-20.mp4 --vis $work/vis-20.mp4 --engine average -y -o $work/average-long.mp4 --progress off"
  args[nano-300]="run --ir $work/ir-20.mp4 --vis $work/vis-20.mp4 --max-frames 300 -y -o $work/nano-long.mp4 --progress off"
  long_repeats=$(( (repeats + 1) / 2 ))
  reps[average-3020]=$long_repeats
  reps[nano-300]=$long_repeats
fi

declare -A launch=(
  [jar]="java -jar ivfuse/target/ivfuse.jar"
  [launcher]="ivfuse/target/ivfuse"
  [launcher-c1]="env IVFUSE_JAVA_OPTS=-XX:TieredStopAtLevel=1 ivfuse/target/ivfuse"
)
variants=(jar launcher launcher-c1)
if [ -n "${BASELINE_JAR:-}" ]; then
  launch[before]="java -jar $BASELINE_JAR"
  variants=(before "${variants[@]}")
fi

results=$work/results.tsv
: > "$results"
load_before=$(cut -d' ' -f1 /proc/loadavg)
TIMEFORMAT='%R %U %S'
for r in $(seq "$repeats"); do
  for name in "${names[@]}"; do
    [ "$r" -le "${reps[$name]}" ] || continue
    for v in "${variants[@]}"; do
      t=$( { time ${launch[$v]} ${args[$name]} > "$work/last.log" 2>&1; } 2>&1 ) \
        || { echo "failed: ${launch[$v]} ${args[$name]}" >&2; tail -5 "$work/last.log" >&2; exit 1; }
      read -r wall user sys <<< "$t"
      echo -e "$name\t$v\t$wall\t$(echo "$user + $sys" | bc)" >> "$results"
    done
  done
done
load_after=$(cut -d' ' -f1 /proc/loadavg)

echo "ivfuse start-up, $(nproc) cores, $(java -version 2>&1 | head -1), $(date -u +%FT%TZ)"
echo "load average (1 min): $load_before before, $load_after after; medians of interleaved runs"
python3 - "$results" "${variants[@]}" <<'PY'
import sys, statistics as st
variants = sys.argv[2:]
rows = [l.split('\t') for l in open(sys.argv[1]).read().split('\n') if l]
names = list(dict.fromkeys(r[0] for r in rows))
med = {}
for name in names:
    for v in variants:
        sel = [r for r in rows if r[0] == name and r[1] == v]
        med[name, v] = (st.median(float(r[2]) for r in sel), st.median(float(r[3]) for r in sel), len(sel))
print("| command | " + " | ".join(f"{v} wall / cpu s" for v in variants) + " | runs |")
print("|---|" + "---|" * len(variants) + "---|")
for name in names:
    cells = [f"{med[name, v][0]:.2f} / {med[name, v][1]:.2f}" for v in variants]
    print(f"| {name} | " + " | ".join(cells) + f" | {med[name, variants[0]][2]} |")
PY
