#!/usr/bin/env bash
# The whole pipeline on local defaults: Fashion-MNIST exported as an ImageNet-style folder ->
# data-prep (Spark) -> train (Spark, 2 tasks averaging) -> checkpoint -> one-step sample grid and
# the offline evaluation. Ends with the path of the grid. Settings: conf/demo.conf.
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK=work/demo
STEPS="${PMF_DEMO_STEPS:-200}"

if [ ! -d /usr/share/datasets/fashion-mnist ]; then
  echo "demo: Fashion-MNIST is missing; installing Debian's dataset-fashion-mnist" >&2
  apt-get install -y -qq dataset-fashion-mnist >/dev/null
fi

echo "demo: building (mvn package)"
mkdir -p "$WORK"
# Each module writes its compile + provided class path (Spark, Hadoop) to target/classpath.txt.
mvn -q -B -DskipTests package dependency:build-classpath -Dmdep.includeScope=compile -Dmdep.outputFile=target/classpath.txt
CP="spark-job/target/classes:data-prep/target/classes:$(cat spark-job/target/classpath.txt):$(cat data-prep/target/classpath.txt)"
. deploy/local/java-options.sh

if [ ! -f "$WORK/fmnist/classes.txt" ]; then
  echo "demo: exporting Fashion-MNIST as class folders"
  java "${JOPTS[@]}" -cp "$CP" org.pmf.data.ExportFashionMnist --out "$WORK/fmnist" --train-limit 12000 --val-limit 1000
fi
if [ ! -f "$WORK/shards/manifest.json" ]; then
  echo "demo: data-prep (Spark, local[2])"
  java "${JOPTS[@]}" -Dspark.master='local[2]' -cp "$CP" org.pmf.dataprep.DataPrepMain \
    --input "$WORK/fmnist/train" --output "$WORK/shards" --image-size 32 --patch-size 4 --examples-per-shard 1000
fi
echo "demo: train (Spark, 2 tasks, parameter averaging; $STEPS steps)"
# without the perceptual terms, unlike the ImageNet presets: conf/demo.conf says why
java "${JOPTS[@]}" -Dspark.master='local[2]' -cp "$CP" org.pmf.spark.TrainCommand \
  --conf-file conf/demo.conf -Dpmf.train.steps="$STEPS"
echo "demo: one-step samples and their evaluation"
java "${JOPTS[@]}" -cp "$CP" org.pmf.spark.GenerateCommand --conf-file conf/demo.conf \
  --ema 500 --omega 2 --per-class 8 --evaluate --out "$WORK/samples.png"
echo "demo: sample grid at $(pwd)/$WORK/samples.png"
