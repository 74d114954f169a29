#!/usr/bin/env bash
# generate a grid of one-step samples of a run's checkpoint (FID and IS: evaluate.sh), by default with the
# paper's sampling settings for B/16 (EMA 2000, omega 8.5, interval 0.1-0.7; pmf-method.md 4.2).
#   PMF_RUN_NAME=b16-256 PMF_OUTPUT=s3a://bucket/pmf/runs deploy/yarn/generate.sh [--step N]
# Client mode: generation is one forward pass in the driver and starts no SparkContext, which a
# YARN cluster-mode application master would wait for in vain. The grid goes to the run folder.
set -euo pipefail
source "$(dirname "$0")/common.sh"
pmf_require PMF_RUN_NAME

args=(
  "${PMF_YARN_OPTIONS[@]}"
  --deploy-mode client
  --name "pmf generate $PMF_RUN_NAME"
  --class org.pmf.spark.GenerateCommand
  --driver-memory 16g
  "$(pmf_jar spark-job cpu)"
  --conf-file "$PMF_CONF_DIR/$PMF_PRESET.conf,$PMF_CONF_DIR/yarn.conf"
  "-Dpmf.run.name=$PMF_RUN_NAME"
  --ema "${PMF_EMA:-2000}"
  --omega "${PMF_OMEGA:-8.5}"
  --interval "${PMF_INTERVAL:-0.1,0.7}"
  # 16 ImageNet classes x 4 samples: a grid one can look at (all 1000 classes would be one huge batch)
  --classes "${PMF_CLASSES:-0,1,88,130,207,279,291,323,387,417,425,437,812,933,963,980}"
  --per-class 4
)
if [ -n "${PMF_OUTPUT:-}" ]; then
  args+=("-Dpmf.run.output=$PMF_OUTPUT")
fi
exec "$SPARK_SUBMIT" "${args[@]}" "$@"
