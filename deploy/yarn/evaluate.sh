#!/usr/bin/env bash
# evaluate on YARN: FID and Inception Score of a checkpoint, the paper's protocol (50 one-step samples
# per class, 50,000 for ImageNet) generated and scored across the executors by the FID Inception-v3.
# Defaults are the paper's sampling settings for B/16 (EMA 2000, omega 8.5, interval 0.1-0.7;
# pmf-method.md 4.2). The figures go to $PMF_OUTPUT/$PMF_RUN_NAME/eval/step-N-<ema>-omega-W.json.
#   PMF_RUN_NAME=b16-256 PMF_OUTPUT=s3a://bucket/pmf/runs \
#   PMF_INCEPTION_WEIGHTS=s3a://bucket/pmf/fid_inception.safetensors \
#   PMF_REFERENCE_STATS=s3a://bucket/pmf/VIRTUAL_imagenet256_labeled.npz deploy/yarn/evaluate.sh [--step N]
# The weights are converted once with core/src/main/python/convert_perceptual_weights.py inception.
# Without PMF_REFERENCE_STATS only the Inception Score and the samples' statistics are reported.
set -euo pipefail
source "$(dirname "$0")/common.sh"
pmf_require PMF_RUN_NAME
pmf_require PMF_INCEPTION_WEIGHTS

EXECUTORS="${PMF_EXECUTORS:-16}"
args=(
  "${PMF_YARN_OPTIONS[@]}"
  --deploy-mode cluster
  --name "pmf evaluate $PMF_RUN_NAME"
  --class org.pmf.spark.EvaluateCommand
  --num-executors "$EXECUTORS"
  # one chunk of samples per task; the generator (B/16 float32, ~0.4 GB) and the Inception network
  # (~0.1 GB) per executor, activations of 25 images at a time
  --executor-cores 8
  --conf spark.task.cpus=8
  --executor-memory 16g
  --conf spark.executor.memoryOverhead=16g
  # the driver holds the checkpoint's weights to broadcast and the 2048-d feature statistics
  --driver-memory 8g
  --conf spark.task.maxFailures=8
  --files "$PMF_CONF_DIR/$PMF_PRESET.conf,$PMF_CONF_DIR/yarn.conf"
  "$(pmf_jar spark-job cpu)"
  --conf-file "$PMF_PRESET.conf,yarn.conf"
  "-Dpmf.run.name=$PMF_RUN_NAME"
  "-Dpmf.eval.inception.weights-file=$PMF_INCEPTION_WEIGHTS"
  "-Dpmf.eval.inception.reference-stats=${PMF_REFERENCE_STATS:-}"
  --metrics fid-is
  --ema "${PMF_EMA:-2000}"
  --omega "${PMF_OMEGA:-8.5}"
  --interval "${PMF_INTERVAL:-0.1,0.7}"
  --per-class 50
)
if [ -n "${PMF_OUTPUT:-}" ]; then
  args+=("-Dpmf.run.output=$PMF_OUTPUT")
fi
exec "$SPARK_SUBMIT" "${args[@]}" "$@"
