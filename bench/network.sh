#!/bin/sh
# Times the pMF network (small preset at batch 32, B/16 at batch 1) against ND4J's large matmul.
# Usage, from the repository root: bench/network.sh [repeats]   (results: bench/network.md)
set -e
cd "$(dirname "$0")/.."
mvn -q -B -o -pl core test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-2}"
exec java --add-modules=jdk.incubator.vector -Xmx4g -cp "core/target/classes:core/target/test-classes:$(cat core/target/bench-classpath.txt)" org.pmf.bench.NetworkBench "$@"
