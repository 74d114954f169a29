#!/bin/sh
# Offline Fashion-MNIST evaluation: trains the classifier if asked (or if its cache is missing), then
# prints class accuracy, FD-FMNIST, precision and recall of real training images (floor) and of
# Gaussian noise (ceiling) against the test set. Results: bench/eval.md.
# Usage, from the repository root:
#   bench/eval.sh train                 # (re)train the classifier into ~/.cache/pmf/fmnist-classifier-conv3.npz
#   bench/eval.sh baselines [--count N] # floor and ceiling metrics
set -e
cd "$(dirname "$0")/.."
mvn -q -B -o -pl core compile dependency:build-classpath -Dmdep.outputFile=target/eval-classpath.txt -Dmdep.includeScope=test
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-2}"
what="$1"; shift || true
case "$what" in
  train) main=org.pmf.eval.TrainFmnistClassifier ;;
  baselines) main=org.pmf.eval.EvaluateFmnistBaselines ;;
  *) echo "usage: bench/eval.sh train|baselines [options]" >&2; exit 1 ;;
esac
# ND4J M2.1 prints one "Added differentiated op" line per op when it differentiates a graph.
java --add-modules=jdk.incubator.vector -Xmx4g -cp "core/target/classes:$(cat core/target/eval-classpath.txt)" "$main" "$@" | grep -v '^Added differentiated op'
