#!/bin/sh
# Trains pMF on Fashion-MNIST for a wall-clock budget, then prints class accuracy, FD-FMNIST,
# precision and recall of one-step samples at several guidance scales and draws the best scale's
# samples. Settings: bench/fmnist-train.conf; results: bench/fmnist-train.md.
# Usage, from the repository root:
#   bench/fmnist-train.sh NAME MINUTES [-Dpmf.key=value ...]
# e.g. bench/fmnist-train.sh tiny-60 55 -Dpmf.model.preset=tiny
#      bench/fmnist-train.sh only-r-t 20 -Dpmf.objective.time.mode=only-r-equals-t
# The run folder is runs/NAME (resumed if it holds checkpoints); its evaluation.json and samples.png
# are copied to bench/figures/fmnist-NAME.{json,png}. Threads: the training step splits each batch
# over pmf.local.threads worker threads (default: every core), each running ND4J single-threaded;
# the evaluation at the end runs with OMP_NUM_THREADS native threads (default 1; bench/train-step.md).
set -e
cd "$(dirname "$0")/.."
name="$1"; minutes="$2"
if [ -z "$name" ] || [ -z "$minutes" ]; then
  echo "usage: bench/fmnist-train.sh NAME MINUTES [-Dpmf.key=value ...]" >&2; exit 1
fi
shift 2
mvn -q -B -o -pl core compile dependency:build-classpath -Dmdep.outputFile=target/fmnist-classpath.txt
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
# javacpp's limits make ND4J collect unreachable off-heap arrays: without them the evaluation's
# sample batches piled up to 16 GB resident and the kernel killed the run
java --add-modules=jdk.incubator.vector -Xmx4g -Dorg.bytedeco.javacpp.maxbytes=4g -Dorg.bytedeco.javacpp.maxphysicalbytes=10g -cp "core/target/classes:$(cat core/target/fmnist-classpath.txt)" org.pmf.train.TrainFashionMnist \
  --conf-file bench/fmnist-train.conf --minutes "$minutes" -Dpmf.run.name="$name" "$@" 2>&1 \
  | grep -v '^Added differentiated op'
mkdir -p bench/figures
cp "runs/$name/evaluation.json" "bench/figures/fmnist-$name.json"
cp "runs/$name/samples.png" "bench/figures/fmnist-$name.png"
