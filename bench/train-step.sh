#!/bin/sh
# Step-time breakdown of the whole pMF training step (guidance forwards, tangent pass, forward +
# backward, optimizer, whole step) in images/s, on 1 native thread, on 2 native threads, and with the
# batch split over 2 worker threads of 1 native thread each (DataParallelStep, pmf.local.threads).
# Usage, from the repository root: bench/train-step.sh [preset=small] [batch=32] [repeats=5]
# Results: bench/train-step.md. MODES lists the runs as NATIVE_THREADSxWORKERS (default "1x1 2x1 1x2").
set -e
cd "$(dirname "$0")/.."
mvn -q -B -o -pl core test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
for mode in ${MODES:-1x1 2x1 1x2}; do
  threads=${mode%x*}; workers=${mode#*x}
  OMP_NUM_THREADS=$threads java --add-modules=jdk.incubator.vector -Xmx4g -cp "core/target/classes:core/target/test-classes:$(cat core/target/bench-classpath.txt)" \
    org.pmf.bench.TrainStepBench "${1:-small}" "${2:-32}" "${3:-5}" "$workers"
done
