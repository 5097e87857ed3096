#!/bin/sh
# Run by `mvn package` (pom.xml) after the jar and lib/: installs the launcher TARGET/ivfuse and
# makes TARGET/ivfuse.jsa, a CDS archive (class-data sharing) of the classes ivfuse loads when it
# starts, for the JDK at JAVA. Three short training runs (--help, a one-second demo with the
# default engine, and a classical run of ten frames on the demo's clips) list the classes they
# load; the JVM then dumps them into one static archive. A static archive, not a dynamic one
# (-XX:ArchiveClassesAtExit): the JDK 17 dynamic archive skips pre-Java-6 class files, which
# picocli's are. The archive is only an optimisation: on any failure this says why and goes on.
# Usage: archive.sh TARGET JAVA [true|false]   (false, i.e. -Divfuse.cds=false, installs the launcher only)
set -u
target=$(readlink -f "$1")
java=$(readlink -f "$2")
make=${3:-true}
here=$(dirname "$(readlink -f "$0")")
archive="$target/ivfuse.jsa"
work="$target/cds-training"

cp "$here/ivfuse" "$target/ivfuse" && chmod +x "$target/ivfuse" || exit 1
rm -f "$archive" "$archive.jdk"
[ "$make" = true ] || { echo "ivfuse: no class-data archive (ivfuse.cds=$make)"; exit 0; }

skip() {
    echo "ivfuse: no class-data archive: $1; target/ivfuse runs without it, only slower to start"
    exit 0
}

rm -rf "$work" && mkdir -p "$work" || skip "cannot create $work"
train() {
    name=$1
    shift
    "$java" -XX:DumpLoadedClassList="$work/$name.classes" -jar "$target/ivfuse.jar" "$@" > "$work/$name.log" 2>&1 \
        || skip "training run '$*' failed (see $work/$name.log)"
}
train help --help
train demo demo --seconds 1 -o "$work/demo/fused.mp4"
train average run --ir "$work/demo/infrared.mp4" --vis "$work/demo/visible.mp4" --engine average \
    --max-frames 10 -o "$work/average.mp4"
# One line per class, without the ids each list numbers its own way (JDK 25 refuses a class with
# two ids; a lambda listed twice crashes the JDK 17 dump).
awk '{ sub(/ id: [0-9]+$/, "") } !seen[$0]++' "$work"/*.classes > "$work/all.list" || skip "cannot merge the class lists"
"$java" -Xshare:dump -XX:SharedClassListFile="$work/all.list" -XX:SharedArchiveFile="$archive" \
        -cp "$target/ivfuse.jar" > "$work/dump.log" 2>&1 && [ -f "$archive" ] \
    || { rm -f "$archive"; skip "the JVM could not dump it (see $work/dump.log)"; }
echo "$java" > "$archive.jdk"
echo "ivfuse: class-data archive $archive ($(du -m "$archive" | cut -f1) MiB) for $java"
