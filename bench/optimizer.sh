#!/bin/sh
# Times one optimizer update (Muon + AdamW, AdamW for all) and the EMA update on a preset's parameters.
# Usage, from the repository root: bench/optimizer.sh [preset=small] [repeats=5]
set -e
cd "$(dirname "$0")/.."
mvn -q -B -o -pl core test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-2}"
exec java -Xmx4g -cp "core/target/classes:core/target/test-classes:$(cat core/target/bench-classpath.txt)" org.pmf.bench.OptimizerBench "$@"
