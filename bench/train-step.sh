#!/bin/sh
# Step-time breakdown of the whole pMF training step (guidance forwards, tangent pass, forward +
# backward, optimizer, whole step) in images/s, on 1 and then 2 threads.
# Usage, from the repository root: bench/train-step.sh [preset=small] [batch=32] [repeats=5]
# Results: bench/train-step.md. Threads: THREADS="1 2" (default) lists the OMP_NUM_THREADS values.
set -e
cd "$(dirname "$0")/.."
mvn -q -B -o -pl core test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
for n in ${THREADS:-1 2}; do
  OMP_NUM_THREADS=$n java -Xmx4g -cp "core/target/classes:core/target/test-classes:$(cat core/target/bench-classpath.txt)" \
    org.pmf.bench.TrainStepBench "$@"
done
