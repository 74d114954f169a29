#!/bin/sh
# Throughput of safetensors/npz save and load, the patch layout, and Fashion-MNIST conversion.
# Usage, from the repository root: bench/io.sh [checkpoint megabytes, default 128]
set -e
cd "$(dirname "$0")/.."
mvn -q -B -o -pl core test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-2}"
exec java -Xmx4g -cp "core/target/classes:core/target/test-classes:$(cat core/target/bench-classpath.txt)" org.pmf.bench.IoBench "$@"
