#!/bin/sh
# Preprocessing throughput (read, decode, ADM center crop, patchify) of data-prep's Java code vs
# python3-pil on the same ImageNet-like JPEGs (500x375, quality 90) and the same number of cores,
# in one run. Usage: bench/data-prep.sh [images=200] [size=256] [cores="1 2"]
# Results are recorded in bench/data-prep.md.
set -eu
cd "$(dirname "$0")/.."
N=${1:-200}
SIZE=${2:-256}
CORES=${3:-"1 2"}
DIR=${TMPDIR:-/tmp}/pmf-bench-data-prep-$N
[ -d "$DIR" ] || /usr/bin/python3 bench/data-prep-pil.py make "$DIR" "$N"
mvn -q -B -o -pl data-prep -am test-compile
CP=data-prep/target/classes:data-prep/target/test-classes
for c in $CORES; do
  java -Xmx1g -XX:ActiveProcessorCount="$c" -cp "$CP" org.pmf.dataprep.bench.PreprocessBenchmark "$DIR" "$c" "$SIZE" 16 3
  /usr/bin/python3 bench/data-prep-pil.py run "$DIR" "$c" "$SIZE" 16 3
done
