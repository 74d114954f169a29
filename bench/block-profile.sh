#!/bin/sh
# Per-operation costs inside one transformer block of the small preset (batch 32, fp32).
# Usage, from the repository root: bench/block-profile.sh   (results: bench/network.md)
set -e
cd "$(dirname "$0")/.."
mvn -q -B -o -pl core test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-2}"
exec java --add-modules=jdk.incubator.vector -Xmx2g -cp "core/target/classes:core/target/test-classes:$(cat core/target/bench-classpath.txt)" org.pmf.bench.BlockProfile "$@"
