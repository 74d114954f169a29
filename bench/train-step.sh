#!/bin/sh
# Step-time breakdown of the whole pMF training step (guidance forwards, tangent pass, forward +
# backward, optimizer, whole step) in images/s, on 1 native thread, on 2 native threads, and with the
# batch split over 2 worker threads of 1 native thread each (DataParallelStep, pmf.local.threads).
# Usage, from the repository root: bench/train-step.sh [preset=small] [batch=32] [repeats=5]
# Results: bench/train-step.md. MODES lists the runs as NATIVE_THREADSxWORKERS (default
# "1x1 2x1 1x2 1x2-nd4j"); the suffix -nd4j turns the vector kernels off (org.pmf.nn.VectorSupport),
# so that ND4J's own ops do the element-wise work, for the A/B in one run.
set -e
cd "$(dirname "$0")/.."
mvn -q -B -o -pl core test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
for mode in ${MODES:-1x1 2x1 1x2 1x2-nd4j}; do
  kernels=true
  case "$mode" in *-nd4j) kernels=false; mode=${mode%-nd4j} ;; esac
  threads=${mode%x*}; workers=${mode#*x}
  echo "== mode ${threads}x${workers}, vector kernels $kernels"
  OMP_NUM_THREADS=$threads java --add-modules=jdk.incubator.vector -Dpmf.vector-kernels=$kernels -Xmx4g \
    -cp "core/target/classes:core/target/test-classes:$(cat core/target/bench-classpath.txt)" \
    org.pmf.bench.TrainStepBench "${1:-small}" "${2:-32}" "${3:-5}" "$workers"
done
