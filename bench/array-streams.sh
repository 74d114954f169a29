#!/bin/sh
# How long one Spark round's arrays take to Java-serialise and read back: ND4J's own serialisation
# vs ArrayStreams (what TrainerState and TaskResult use). Usage: bench/array-streams.sh [million floats=7.5]
set -e
cd "$(dirname "$0")/.."
# with -am each module writes its own class path file; spark-job's is the one used
mvn -q -B -o -pl spark-job -am test-compile dependency:build-classpath -Dpmf.shade.skip=true \
  -Dmdep.outputFile=target/array-streams-classpath.txt
OMP_NUM_THREADS=${OMP_NUM_THREADS:-1} java -Xmx4g -cp "spark-job/target/test-classes:spark-job/target/classes:core/target/classes:$(cat spark-job/target/array-streams-classpath.txt)" \
  org.pmf.spark.train.ArrayStreamsBench "$@" 2>&1 | grep -v '^\[\|^ \|^[A-Z_]*$\|GCC\|STD version\|DEFAULT_ENGINE\|HAVE_'
